"""/custody through the real console router, facade and outbox (a chat between clerk and 所属長)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from bot.custody import transfers
from bot.custody.models import CustodyRecord
from bot.db import transaction
from handlers.console.testing import TestBot
from tests.custody.conftest import jst


@pytest.fixture
def bot(factory, clock):
    return TestBot(factory, clock=clock)


def test_record_show_and_password_refused_without_echo(bot, factory, caplog):
    caplog.set_level(logging.DEBUG)
    bot.push(
        "sato",
        "/custody set kanko-x holder=sato recovery_email=kanko-sns@city.example.lg.jp "
        "recovery_phone=0263-34-3000 twofa=on twofa_method=app password_changed=2027-03-01",
    )
    saved = bot.pop("sato")
    assert "管理記録を保存しました" in saved.title
    assert "認証アプリ" in saved and "2027年3月1日" in saved
    assert "記録どおりと確認: /custody confirm kanko-x" in saved

    bot.push(
        "sato",
        '/custody medium kanko-x label=ICカード1 kind=ic_card holder=sato storage="金庫 Hn7#kq2Lp9"',
    )
    refused = bot.pop("sato")
    assert refused.kind == "error" and "認証情報と思われる文字列" in refused
    assert "Hn7#kq2Lp9" not in str(refused)
    bot.push("sato", "/custody set kanko-x recovery_email=Hn7#kq2Lp9")
    assert "Hn7#kq2Lp9" not in str(bot.pop("sato"))
    bot.push("sato", "/custody set kanko-x Hn7#kq2Lp9=1")  # typed where a key goes
    assert "Hn7#kq2Lp9" not in str(bot.pop("sato"))
    bot.push("sato", "/custody set kanko-x Hn7#kq2Lp9")  # no key at all
    assert "Hn7#kq2Lp9" not in str(bot.pop("sato"))
    assert "Hn7#kq2Lp9" not in caplog.text
    with factory() as s:
        assert s.scalar(sa.select(CustodyRecord.recovery_email)) == "kanko-sns@city.example.lg.jp"

    bot.push("suzuki", "/custody show kanko-x")  # operators may look
    assert "佐藤 美咲（sato）" in bot.pop("suzuki")
    bot.push("suzuki", "/custody confirm kanko-x")  # but not change it
    assert "5(10)" in bot.pop("suzuki")
    bot.push("yamada", "/custody confirm kanko-x")
    assert "確認済み" in bot.pop("yamada")


def test_handover_buttons_through_the_console(bot, factory, clock):
    bot.push("sato", "/custody set kanko-x holder=sato twofa=on twofa_method=sms")
    bot.pop("sato")
    with transaction(factory) as session:
        transfers.load(
            session,
            text="person,from,to,effective\nsato,kanko,kouhou,2027-04-01\n",
            kind="csv",
            origin="t.csv",
            clock=clock,
        )
    clock.set(jst("2027-04-01 09:00"))
    with transaction(factory) as session:
        [handover_id] = transfers.apply_due(session, clock=clock).handovers
    bot.push("yamada", "/custody handovers")
    # The task the effective-date step sent (delivered with the next command), the list.
    queued = bot.pending("yamada")
    task = next(r for r in queued if r.kind == "handover.task")
    assert f"/custody handover {handover_id} holder 新しい管理者" in task
    listed = next(r for r in queued if r.kind == "handover.list")
    assert f"#{handover_id}" in listed
    bot.clear()
    bot.push("sato", f"/custody handover {handover_id} password")
    assert "異動した本人は記録できません" in bot.pop("sato")
    bot.push("yamada", f"/custody handover {handover_id} holder suzuki")
    reply = bot.pop("yamada")
    assert "鈴木 翔（suzuki）" in reply
    for step in ("password", "twofa", "policy"):
        bot.push("suzuki", f"/custody handover {handover_id} {step}")
        bot.pop("suzuki", kind="handover.task")
    done = bot.pop("yamada", kind="handover.completed")
    assert "完了しました" in done.title

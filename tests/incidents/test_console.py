"""/incident in the console, end to end on the demo directory (TestBot)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.incidents.models import Incident
from handlers.console.testing import TestBot


def _count(factory, model) -> int:
    with factory() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model))


def test_flaming_walkthrough(factory, clock):
    bot = TestBot(factory, clock=clock)
    bot.push("suzuki", "/incident 炎上 kanko-x 花火大会の告知に苦情が殺到しています")
    ack = bot.pop("suzuki", kind="incident.declared")
    with factory() as s:
        n = s.scalar(sa.select(Incident.id))
    assert f"事案#{n}（炎上）を記録しました" in ack.title
    root = bot.pop("#info_policy", kind="incident.opened")
    assert "☐ 職員個人の判断で反論・抗弁をしない" in str(root)
    # 所属長, active deputy, account manager, then 情報政策課
    assert root.message.mentions[:3] == ["yamada", "kato", "sato"]
    assert sorted(root.message.mentions[3:]) == ["ito", "watanabe"]
    assert f"/incident toggle {n} 1" in str(root)
    link = bot.pop("suzuki", kind="incident.reported")
    assert f"/incident show {n}" in str(link)

    bot.push("kato", f"/incident tick {n} 2")
    update = bot.pop("#info_policy", kind="incident.opened")
    assert update.is_update and "☑ 所属長・公式アカウント管理者・情報政策課で協議した" in str(
        update
    )

    bot.push("sato", f"/incident update {n} 「対応中」の書き込みを掲載しました")
    reply = bot.pop("#info_policy", kind="incident.update")
    assert reply.thread is not None and "「対応中」の書き込みを掲載しました" in str(reply)

    bot.pop("sato", kind="incident.ack")
    bot.push("sato", f"/incident close {n} 収束した")  # the manager may not close
    refusal = bot.pop("sato")
    assert "情報政策課または観光課の所属長" in str(refusal)

    bot.push("watanabe", f"/incident status {n} 終了 説明文を掲載し、批判は収まった")
    closed = bot.pop("#info_policy", kind="incident.closed")
    assert "未完了のまま終了したチェック項目" in str(closed)
    assert "説明・訂正・謝罪の要否と内容を決めた" in str(closed)

    bot.push("ito", f"/incident show {n}")
    shown = bot.pop("ito", kind="incident.detail")
    assert "状態: 終了" in str(shown) and "まとめ: 説明文を掲載し、批判は収まった" in str(shown)


def test_bad_input_in_console_changes_nothing(factory, clock):
    bot = TestBot(factory, clock=clock)
    before = (_count(factory, Incident), _count(factory, AuditEvent))
    bot.push("suzuki", "/incident 障害 kanko-x 何か")
    assert "炎上|なりすまし|訂正" in str(bot.pop("suzuki"))
    bot.push("suzuki", "/incident 炎上 no-such-account 何か")
    assert "公式アカウント「no-such-account」は登録されていません" in str(bot.pop("suzuki"))
    bot.push("suzuki", "/incident 炎上")
    prompt = bot.pop("suzuki")
    assert prompt.kind == "incident.prompt" and "kanko-x" in str(prompt)
    bot.push("suzuki", "/incident")
    assert "/incident update 番号 本文" in str(bot.pop("suzuki"))
    assert (_count(factory, Incident), _count(factory, AuditEvent)) == before


def test_comment_is_logged_against_the_account(factory, clock):
    bot = TestBot(factory, clock=clock)
    bot.push(
        "sato", "/incident comment kanko-x イ 返信欄の差別的な書き込み（https://x.example/r/1）"
    )
    recorded = bot.pop("sato", kind="incident.comment_recorded")
    assert "7(1)イ" in str(recorded) and "佐藤 美咲" in str(recorded)

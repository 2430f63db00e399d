"""The city's decisions teach the check (issue 11, item 5): statements, decisions, allowances."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from bot import cli
from bot.audit import verify
from bot.audit.models import AuditEvent
from bot.config import get_settings
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Account, Person
from bot.errors import PermissionDenied, ValidationFailed
from bot.feedback import service
from bot.feedback.models import CheckAllowance
from handlers.console.testing import TestBot

# The 観光案内所's published mobile number: the check blocks mobile numbers (7(1)エ).
PUBLIC_MOBILE = "080-4321-8765"
POST = f"菊まつりの臨時案内所を開設します。お問い合わせは案内所 {PUBLIC_MOBILE} まで。"


@pytest.fixture
def bot(factory, clock):
    return TestBot(factory, clock=clock)


def _person(session, handle: str) -> Person:
    return session.scalars(sa.select(Person).where(Person.handle == handle)).one()


def _statement_approved(bot: TestBot) -> int:
    """sato submits despite the finding, with a statement; the 所属長 approves."""
    bot.push("sato", f"/draft account=kanko-x {POST}")
    refused = bot.pop("sato")
    assert "7(1)エ" in refused and "誤検知" in refused
    bot.push("sato", f"/draft account=kanko-x fp=観光案内所として公開している番号です {POST}")
    receipt = bot.pop("sato")
    assert "決裁待ち" in receipt
    n = receipt.draft_id
    bot.clear()
    bot.push("yamada", f"/approve {n}")
    assert "承認しました" in bot.pop("yamada")
    bot.clear()
    return n


def test_statement_and_decision_are_listed_by_rule(bot, factory):
    n = _statement_approved(bot)
    with factory() as session:
        groups = service.feedback(session)
    assert len(groups) == 1
    group = groups[0]
    assert group.clause == "7(1)エ"
    assert (group.agreed, group.disagreed, group.pending) == (1, 0, 0)
    case = group.cases[0]
    assert case.draft_id == n
    assert case.statement == "観光案内所として公開している番号です"
    assert case.decider is not None and case.decider.handle == "yamada"
    assert any(f["excerpt"] == PUBLIC_MOBILE for f in case.findings)


def test_reviewer_allowance_lets_the_next_post_through(bot, factory, clock):
    n = _statement_approved(bot)
    with factory() as session, session.begin():
        entry = service.add_allowance(
            session,
            actor=_person(session, "watanabe"),
            kind="allow_phrase",
            value=PUBLIC_MOBILE,
            reason="観光案内所の公開番号（市ホームページに掲載）",
            draft_id=n,
            clock=clock,
        )
        entry_id = entry.id
    # The same post now needs no statement: it goes straight to the 所属長.
    bot.push("sato", f"/draft account=kanko-x {POST}")
    receipt = bot.pop("sato")
    assert "決裁待ち" in receipt and "7(1)エ" not in receipt
    # Revoked: blocked again.
    with factory() as session, session.begin():
        service.revoke_allowance(
            session, actor=_person(session, "ito"), allowance_id=entry_id, clock=clock
        )
    bot.clear()
    bot.push("sato", f"/draft account=kanko-x {POST}")
    assert "7(1)エ" in bot.pop("sato")


def test_check_command_uses_the_allowances(bot, factory, clock):
    with factory() as session, session.begin():
        service.add_allowance(
            session,
            actor=_person(session, "watanabe"),
            kind="allow_phrase",
            value=PUBLIC_MOBILE,
            reason="観光案内所の公開番号",
            clock=clock,
        )
    bot.push("sato", f"/check {POST}")
    assert "問題は見つかりませんでした" in bot.pop("sato")


def test_only_info_policy_may_change_the_check(session, clock):
    load_file(session, path=DEMO_FILE, clock=clock)
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    for handle in ("sato", "yamada", "takahashi"):  # author, 所属長, 広報課長
        with pytest.raises(PermissionDenied) as err:
            service.add_allowance(
                session,
                actor=_person(session, handle),
                kind="allow_phrase",
                value="極秘",
                reason="理由",
                clock=clock,
            )
        assert "情報政策課" in err.value.message
    assert session.scalar(sa.select(sa.func.count()).select_from(CheckAllowance)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before


def test_bad_values_refused_in_japanese(session, clock):
    load_file(session, path=DEMO_FILE, clock=clock)
    reviewer = _person(session, "watanabe")
    cases = [
        ("public_number", "12", "理由", "電話番号"),
        ("trusted_domain", "https://evil.example/x", "理由", "ドメイン名"),
        ("allow_phrase", "\u200b \u3000", "理由", "空です"),
        ("allow_phrase", "語句", "\u200b", "理由を入力"),
        ("disable_rule", "規則", "理由", "規則の名前"),
        ("bogus", "x", "理由", "使えません"),
    ]
    for kind, value, reason, expected in cases:
        with pytest.raises(ValidationFailed) as err:
            service.add_allowance(
                session, actor=reviewer, kind=kind, value=value, reason=reason, clock=clock
            )
        assert expected in err.value.message, (kind, value)
    assert session.scalar(sa.select(sa.func.count()).select_from(CheckAllowance)) == 0


def test_one_active_entry_per_value_and_the_record_keeps_only_a_hash(session, clock):
    load_file(session, path=DEMO_FILE, clock=clock)
    reviewer = _person(session, "watanabe")
    first = service.add_allowance(
        session,
        actor=reviewer,
        kind="allow_phrase",
        value="極秘ミッション",
        reason="イベント名",
        clock=clock,
    )
    with pytest.raises(ValidationFailed) as err:
        service.add_allowance(
            session,
            actor=reviewer,
            kind="allow_phrase",
            value="極秘ミッション",
            reason="重複",
            clock=clock,
        )
    assert "すでに登録されています" in err.value.message
    service.revoke_allowance(session, actor=reviewer, allowance_id=first.id, clock=clock)
    with pytest.raises(Exception) as gone:
        service.revoke_allowance(session, actor=reviewer, allowance_id=first.id, clock=clock)
    assert "取り消し済み" in str(gone.value)
    again = service.add_allowance(
        session,
        actor=reviewer,
        kind="allow_phrase",
        value="極秘ミッション",
        reason="再登録",
        clock=clock,
    )
    assert again.id != first.id
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "check_allowance")
    ).all()
    assert [e.action for e in events] == [
        "rules.allowance_added",
        "rules.allowance_revoked",
        "rules.allowance_added",
    ]
    assert all("極秘ミッション" not in json.dumps(e.data, ensure_ascii=False) for e in events)
    assert all(e.text_hash for e in events if e.action == "rules.allowance_added")
    assert verify(session) == []


def test_public_number_and_switched_off_rule(session, clock):
    load_file(session, path=DEMO_FILE, clock=clock)
    reviewer = _person(session, "watanabe")
    text = "観光案内所（0263-99-1234）では、極秘ミッション謎解きの参加賞を配布しています。"
    before = {f.rule for f in service.city_check(session).check(text).findings}
    assert "pii.landline-phone" in before
    service.add_allowance(
        session, actor=reviewer, kind="public_number", value="0263-99-1234", reason="公開番号"
    )
    after = {f.rule for f in service.city_check(session).check(text).findings}
    assert "pii.landline-phone" not in after
    for rule in after:
        service.add_allowance(
            session, actor=reviewer, kind="disable_rule", value=rule, reason="試験的に無効化"
        )
    assert service.city_check(session).check(text).findings == ()


def test_confirmed_registry_accounts_are_trusted_links(session, clock):
    load_file(session, path=DEMO_FILE, clock=clock)
    own = "https://x.com/midori_kanko_demo/status/123"
    other = "https://x.com/someone_else/status/1"
    city = service.city_check(session)
    assert [f.rule for f in city.check(f"詳しくは {own} をご覧ください。").findings] == []
    assert [f.clause for f in city.check(f"詳しくは {other} をご覧ください。").findings] == [
        "7(2)エ"
    ]
    # An account that is not confirmed is not vouched for; once confirmed, it is.
    insta = session.scalars(sa.select(Account).where(Account.code == "kanko-insta")).one()
    insta.url = "https://www.instagram.com/midori_kanko_demo"
    session.flush()
    link = "https://www.instagram.com/midori_kanko_demo/p/abc"
    assert service.city_check(session).check(link).findings
    insta.status = "confirmed"
    session.flush()
    assert not service.city_check(session).check(link).findings


def test_cli_lists_feedback_and_manages_allowances(
    committed_factory, db_url, clock, monkeypatch, capsys
):
    bot = TestBot(committed_factory, clock=clock)
    n = _statement_approved(bot)
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        assert cli.main(["rules", "feedback"]) == 0
        out = capsys.readouterr().out
        assert "7(1)エ" in out and f"下書き#{n} 第1版" in out
        assert "観光案内所として公開している番号です" in out
        assert "承認（所属長も誤検知と判断） 山田 花子（yamada）" in out
        assert cli.main(["rules", "feedback", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data[0]["clause"] == "7(1)エ" and data[0]["agreed"] == 1

        args = ["rules", "allow", "--kind", "allow_phrase", "--value", PUBLIC_MOBILE]
        args += ["--reason", "公開番号", "--draft", str(n)]
        assert cli.main([*args, "--actor", "sato"]) == 1
        assert "情報政策課" in capsys.readouterr().err
        assert cli.main([*args, "--actor", "watanabe"]) == 0
        added = re.search(r"許容設定#(\d+)（許容する語句", capsys.readouterr().out)
        assert added is not None
        assert cli.main(["rules", "allowances"]) == 0
        assert PUBLIC_MOBILE in capsys.readouterr().out
        assert cli.main(["rules", "revoke", added[1], "--actor", "ito"]) == 0
        assert "取り消しました" in capsys.readouterr().out
        assert cli.main(["rules", "allowances"]) == 0
        assert "許容設定はありません" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()

"""Posting rules (4(3) ただし書), changes with history, and the profile checklist (5(4), 5(5))."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from bot.accounts import service
from bot.accounts.messaging import account_detail
from bot.directory.models import Account, ExemptionRule
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tests.accounts.helpers import audit_actions, counts, form, outbox
from tests.people import who


@pytest.fixture
def confirmed(session, org, clock):
    account = service.register_account(
        session, actor=who(session, "sato"), values=form(), clock=clock
    )
    service.submit_registration(session, actor=who(session, "sato"), code="kankou-x", clock=clock)
    service.confirm_registration(
        session, actor=who(session, "hirose"), code="kankou-x", clock=clock
    )
    return account


def test_head_registers_a_rule_that_the_exempt_path_reads(session, confirmed, clock):
    rule = service.register_rule(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        category="4(3)ア",
        rule_text="市HP掲載済みのイベントは、掲載ページURLを添えて投稿する",
        clock=clock,
    )
    assert (rule.category, rule.agreed_by.handle, rule.agreed_at) == ("ア", "yamada", clock.now())
    current = session.scalars(
        sa.select(ExemptionRule).where(ExemptionRule.account_id == confirmed.id)
    ).all()
    assert [r.category for r in current] == ["ア"]
    assert audit_actions(session)[-1] == "account.rule_registered"
    [(_, msg)] = outbox(session, to="sato", kind="account.rule_changed")
    assert "決裁なしで掲載し" in msg.text


def test_active_deputy_may_agree_but_staff_and_expired_deputy_may_not(session, confirmed, clock):
    service.register_rule(
        session,
        actor=who(session, "ito"),
        code="kankou-x",
        category="イ",
        rule_text="結果速報",
        clock=clock,
    )
    before = counts(session)
    with pytest.raises(PermissionDenied, match="所属長（または登録された代理）が取り決める"):
        service.register_rule(
            session,
            actor=who(session, "sato"),
            code="kankou-x",
            category="ウ",
            rule_text="x",
            clock=clock,
        )
    clock.advance(days=8)  # the delegation has ended
    with pytest.raises(PermissionDenied):
        service.register_rule(
            session,
            actor=who(session, "ito"),
            code="kankou-x",
            category="ウ",
            rule_text="x",
            clock=clock,
        )
    # The head of another department is not this account's 所属長.
    with pytest.raises(PermissionDenied, match="観光課」の所属長は山田 課長（yamada）です"):
        service.register_rule(
            session,
            actor=who(session, "kato"),
            code="kankou-x",
            category="ウ",
            rule_text="x",
            clock=clock,
        )
    assert counts(session) == before


def test_replace_and_revoke_keep_the_history(session, confirmed, clock):
    service.register_rule(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        category="ア",
        rule_text="旧ルール",
        clock=clock,
    )
    clock.advance(days=1)
    service.register_rule(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        category="ア",
        rule_text="新ルール",
        clock=clock,
    )
    clock.advance(days=1)
    service.revoke_rule(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        category="ア",
        reason="運用見直し",
        clock=clock,
    )

    assert session.scalars(sa.select(ExemptionRule)).all() == []
    history = service.rule_history(session, code="kankou-x")
    assert [(h.rule_text, h.end_kind) for h in history] == [
        ("旧ルール", "replaced"),
        ("新ルール", "revoked"),
    ]
    assert history[1].end_reason == "運用見直し" and history[1].ended_by.handle == "yamada"
    with pytest.raises(
        NotFound,
        match=re.escape("4(3)アの掲載ルールは登録されていません"),
    ):
        service.revoke_rule(
            session, actor=who(session, "yamada"), code="kankou-x", category="ア", clock=clock
        )


def test_a_rule_seeded_from_the_directory_enters_the_history_when_replaced(
    session, confirmed, clock
):
    session.add(ExemptionRule(account_id=confirmed.id, category="エ", rule_text="防災情報は即時"))
    session.flush()
    service.register_rule(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        category="エ",
        rule_text="防災メールと同文",
        clock=clock,
    )
    history = service.rule_history(session, code="kankou-x")
    assert (history[0].rule_text, history[0].end_kind, history[0].agreed_by_id) == (
        "防災情報は即時",
        "replaced",
        None,
    )


def test_bad_category_or_empty_rule(session, confirmed, clock):
    with pytest.raises(ValidationFailed, match="ア・イ・ウ・エのいずれか"):
        service.register_rule(
            session,
            actor=who(session, "yamada"),
            code="kankou-x",
            category="オ",
            rule_text="x",
            clock=clock,
        )
    with pytest.raises(ValidationFailed, match="本文を入力してください"):
        service.register_rule(
            session,
            actor=who(session, "yamada"),
            code="kankou-x",
            category="ア",
            rule_text="  ",
            clock=clock,
        )


def test_manager_change_is_recorded_and_the_new_manager_told(session, confirmed, clock):
    clock.advance(minutes=5)
    service.change_manager(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        manager="suzuki",
        reason="人事異動",
        clock=clock,
    )
    assert confirmed.manager.handle == "suzuki"
    [event] = [
        e for e in service.account_history(session, code="kankou-x") if e.kind == "manager_changed"
    ]
    assert (event.actor.handle, event.occurred_at, event.data) == (
        "yamada",
        clock.now(),
        {"from": "sato", "to": "suzuki"},
    )
    assert audit_actions(session)[-1] == "account.manager_changed"
    [(_, msg)] = outbox(session, to="suzuki", kind="account.manager_assigned")
    assert "4(1)キ" in msg.text


def test_unknown_manager_changes_nothing(session, confirmed, clock):
    before = counts(session)
    with pytest.raises(ValidationFailed, match="「ghost」は名簿に登録されていません"):
        service.change_manager(
            session, actor=who(session, "yamada"), code="kankou-x", manager="ghost", clock=clock
        )
    with pytest.raises(ValidationFailed, match="「ghost」は名簿に登録されていません"):
        service.set_operators(
            session,
            actor=who(session, "yamada"),
            code="kankou-x",
            operators="tanaka,ghost",
            clock=clock,
        )
    with pytest.raises(PermissionDenied, match=re.escape("管理者（4(1)キ）または所属長")):
        service.change_manager(
            session, actor=who(session, "tanaka"), code="kankou-x", manager="suzuki", clock=clock
        )
    assert counts(session) == before
    assert confirmed.manager.handle == "sato"


def test_operators_replaced(session, confirmed, clock):
    service.set_operators(
        session, actor=who(session, "sato"), code="kankou-x", operators="tanaka、kato", clock=clock
    )
    assert [p.handle for p in confirmed.operators] == ["tanaka", "kato"]
    assert service.account_history(session, code="kankou-x")[-1].data == {
        "from": ["suzuki", "tanaka"],
        "to": ["tanaka", "kato"],
    }


def test_suspend_resume_close_are_recorded_and_pr_head_told(session, confirmed, clock):
    service.suspend_account(
        session, actor=who(session, "sato"), code="kankou-x", reason="システム更新", clock=clock
    )
    assert confirmed.status == "suspended"
    [(_, msg)] = outbox(session, to="hirose", kind="account.status_changed")
    assert "休止" in msg.title and "下書きを作成できません" in msg.text
    with pytest.raises(InvalidTransition, match="休止中」のため、休止できません"):
        service.suspend_account(
            session, actor=who(session, "sato"), code="kankou-x", reason="x", clock=clock
        )
    service.resume_account(session, actor=who(session, "yamada"), code="kankou-x", clock=clock)
    assert confirmed.status == "confirmed"
    with pytest.raises(ValidationFailed, match="閉鎖の理由を入力してください"):
        service.close_account(
            session, actor=who(session, "hirose"), code="kankou-x", reason="", clock=clock
        )
    service.close_account(
        session, actor=who(session, "hirose"), code="kankou-x", reason="事業終了", clock=clock
    )
    assert confirmed.status == "closed"
    with pytest.raises(InvalidTransition, match="閉鎖」のため、再開できません"):
        service.resume_account(session, actor=who(session, "hirose"), code="kankou-x", clock=clock)
    kinds = [e.kind for e in service.account_history(session, code="kankou-x")]
    assert kinds[-3:] == ["suspended", "resumed", "closed"]
    assert audit_actions(session)[-3:] == ["account.suspended", "account.resumed", "account.closed"]
    with pytest.raises(PermissionDenied):
        service.close_account(
            session, actor=who(session, "tanaka"), code="kankou-x", reason="x", clock=clock
        )


def test_checklist_recorded_and_shown(session, confirmed, clock):
    service.set_check(
        session, actor=who(session, "suzuki"), code="kankou-x", item="5(4)", clock=clock
    )
    clock.advance(hours=2)
    service.set_check(
        session,
        actor=who(session, "sato"),
        code="kankou-x",
        item="city_page",
        checked=True,
        clock=clock,
    )
    service.set_check(
        session,
        actor=who(session, "sato"),
        code="kankou-x",
        item="5(4)",
        checked=False,
        clock=clock,
    )
    service.register_rule(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        category="ア",
        rule_text="HP掲載済みのみ",
        clock=clock,
    )
    detail = account_detail(service.account_summary(session, code="kankou-x"))
    fields = {f.label: f.value for f in detail.fields}
    assert fields["5(4) 基本情報欄に運用組織・連絡先を明示している"].startswith(
        "未確認（佐藤 主事（sato）"
    )
    assert fields["5(5) 基本情報欄に市ホームページの当該ページURLを掲載している"].startswith(
        "確認済み（佐藤 主事（sato）"
    )
    assert fields["掲載ルール 4(3)ア"].startswith("HP掲載済みのみ（取り決め: 山田 課長（yamada）")
    assert fields["掲載ルール 4(3)イ"] == "未登録（この区分の投稿も所属長の決裁が必要）"
    assert fields["状態"] == "確認済み（運用中）"
    assert "開設届の確認（広報課長）" in detail.text
    with pytest.raises(ValidationFailed, match=re.escape("5(4)（運用組織・連絡先）か5(5)")):
        service.set_check(
            session, actor=who(session, "sato"), code="kankou-x", item="5(6)", clock=clock
        )
    with pytest.raises(PermissionDenied):
        service.set_check(
            session, actor=who(session, "kato"), code="kankou-x", item="5(4)", clock=clock
        )


def test_accounts_from_the_directory_stay_confirmed_and_show_without_policy(session, org, clock):
    session.add(
        Account(code="kouhou-x", name="松本市広報", media="X", url=None, department=org.kouhou)
    )
    session.flush()
    detail = account_detail(service.account_summary(session, code="kouhou-x"))
    assert {f.label: f.value for f in detail.fields}["状態"] == "確認済み（運用中）"
    assert service.list_accounts(session, statuses=["confirmed"])[0].code == "kouhou-x"

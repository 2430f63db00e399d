"""開設届 (4(2)): submitted to the 広報課長, who alone confirms or returns it, once."""

from __future__ import annotations

import pytest

from bot.accounts import service
from bot.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tests.accounts.helpers import audit_actions, counts, form, outbox
from tests.people import who


@pytest.fixture
def registered(session, org, clock):
    return service.register_account(session, actor=who(session, "sato"), values=form(), clock=clock)


def test_submit_sends_the_registration_to_the_pr_head_with_buttons(session, registered, clock):
    reg = service.submit_registration(
        session, actor=who(session, "sato"), code="kankou-x", clock=clock
    )

    assert registered.status == "submitted"
    [(row, msg)] = outbox(session, to="hirose")
    assert msg.kind == "account.registration"
    assert "4(2)" in msg.text
    labels = {f.label: f.value for f in msg.fields}
    assert labels["ア 管理主体"] == "松本市 産業振興部 観光課"
    assert labels["カ 登録URL"] == "https://x.com/matsumoto_kankou"
    assert labels["キ 担当者"] == "鈴木 主任（suzuki）、田中 主事（tanaka）"
    confirm, ret = msg.actions
    assert (confirm.action_id, confirm.label, confirm.style) == (
        "account.confirm",
        "確認",
        "primary",
    )
    assert (ret.action_id, ret.label, ret.needs_reason) == ("account.return", "差し戻し", True)
    assert confirm.value == {"registration": reg.id, "account": "kankou-x"}
    assert reg.request_messages == {"hirose": row.id}
    assert audit_actions(session) == ["account.registered", "account.submitted"]


def test_pr_head_confirms_once_and_everyone_is_told(session, registered, clock):
    reg = service.submit_registration(
        session, actor=who(session, "sato"), code="kankou-x", clock=clock
    )
    clock.advance(hours=1)
    service.confirm_registration(
        session, actor=who(session, "hirose"), registration_id=reg.id, clock=clock
    )

    assert registered.status == "confirmed"
    assert reg.decision == "confirmed" and reg.decided_by.handle == "hirose"
    # The request is replaced in place, without buttons.
    [(request, _), (update, msg)] = outbox(session, to="hirose")
    assert update.update_of_id == request.id
    assert msg.kind == "account.registration_decided" and msg.actions == []
    assert "確認済み" in msg.text
    # The registrant (also the manager) is told once.
    [(_, notice)] = outbox(session, to="sato")
    assert notice.kind == "account.decision"
    assert "確認しました" in notice.text and "/draft" in notice.text

    # A second click (or a replay) changes nothing.
    before = counts(session)
    with pytest.raises(InvalidTransition, match="すでに確認済みです"):
        service.confirm_registration(
            session, actor=who(session, "hirose"), registration_id=reg.id, clock=clock
        )
    with pytest.raises(InvalidTransition, match="すでに確認済みです"):
        service.return_registration(
            session,
            actor=who(session, "hirose"),
            registration_id=reg.id,
            reason="再考",
            clock=clock,
        )
    assert counts(session) == before
    assert audit_actions(session)[-1] == "account.confirmed"


def test_return_needs_a_reason_and_can_be_resubmitted(session, registered, clock):
    service.submit_registration(session, actor=who(session, "sato"), code="kankou-x", clock=clock)
    before = counts(session)
    with pytest.raises(ValidationFailed, match="差し戻しの理由を入力してください"):
        service.return_registration(
            session, actor=who(session, "hirose"), code="kankou-x", reason=" ", clock=clock
        )
    assert counts(session) == before

    first = service.return_registration(
        session,
        actor=who(session, "hirose"),
        code="kankou-x",
        reason="利用目的を具体的に",
        clock=clock,
    )
    assert registered.status == "returned"
    [(_, notice)] = outbox(session, to="sato", kind="account.decision")
    assert "利用目的を具体的に" in notice.text and "/account submit kankou-x" in notice.text

    with pytest.raises(InvalidTransition, match="「差し戻し」のため、休止できません"):
        service.suspend_account(
            session, actor=who(session, "sato"), code="kankou-x", reason="x", clock=clock
        )

    service.update_registration(
        session,
        actor=who(session, "suzuki"),
        code="kankou-x",
        values={"purpose": "夏祭りの告知"},
        clock=clock,
    )
    second = service.submit_registration(
        session, actor=who(session, "suzuki"), code="kankou-x", clock=clock
    )
    assert second.number == 2 and registered.status == "submitted"
    request = outbox(session, to="hirose", kind="account.registration")[-1][1]
    assert "2回目の提出" in request.text

    # The button on the first (returned) 開設届 is stale: it cannot confirm the second one.
    with pytest.raises(InvalidTransition, match="すでに差し戻しです"):
        service.confirm_registration(
            session, actor=who(session, "hirose"), registration_id=first.id, clock=clock
        )
    assert registered.status == "submitted"
    service.confirm_registration(
        session, actor=who(session, "hirose"), registration_id=second.id, clock=clock
    )
    assert registered.status == "confirmed"


@pytest.mark.parametrize("actor", ["sato", "yamada", "kato"])
def test_only_the_pr_head_may_decide(session, registered, clock, actor):
    service.submit_registration(session, actor=who(session, "sato"), code="kankou-x", clock=clock)
    before = counts(session)
    with pytest.raises(PermissionDenied) as exc:
        service.confirm_registration(
            session, actor=who(session, actor), code="kankou-x", clock=clock
        )
    assert (
        exc.value.message
        == "開設届を確認・差し戻しできるのは広報課長だけです（ガイドライン4(2)）。"
    )
    with pytest.raises(PermissionDenied):
        service.return_registration(
            session, actor=who(session, actor), code="kankou-x", reason="x", clock=clock
        )
    assert counts(session) == before
    assert registered.status == "submitted"


def test_illegal_transitions_are_refused(session, registered, clock):
    with pytest.raises(InvalidTransition, match="開設届はまだ提出されていません"):
        service.confirm_registration(
            session, actor=who(session, "hirose"), code="kankou-x", clock=clock
        )
    with pytest.raises(InvalidTransition, match="登録済み（開設届未提出）」のため、休止できません"):
        service.suspend_account(
            session, actor=who(session, "sato"), code="kankou-x", reason="x", clock=clock
        )
    service.submit_registration(session, actor=who(session, "sato"), code="kankou-x", clock=clock)
    before = counts(session)
    with pytest.raises(InvalidTransition, match="開設届を提出できません"):
        service.submit_registration(
            session, actor=who(session, "sato"), code="kankou-x", clock=clock
        )
    with pytest.raises(InvalidTransition, match="運用ポリシーを修正できません"):
        service.update_registration(
            session,
            actor=who(session, "sato"),
            code="kankou-x",
            values={"purpose": "x"},
            clock=clock,
        )
    assert counts(session) == before


def test_outsiders_cannot_submit(session, registered, clock):
    with pytest.raises(PermissionDenied, match="登録者・管理者・担当者・所属長"):
        service.submit_registration(
            session, actor=who(session, "kato"), code="kankou-x", clock=clock
        )


def test_without_a_pr_head_nothing_is_submitted(session, registered, clock):
    import sqlalchemy as sa

    from bot.directory.models import OrgRole

    session.execute(sa.delete(OrgRole))
    before = counts(session)
    with pytest.raises(InvalidTransition, match="広報課長（pr_head）が名簿に登録されていない"):
        service.submit_registration(
            session, actor=who(session, "sato"), code="kankou-x", clock=clock
        )
    assert counts(session) == before


def test_closing_a_submitted_account_withdraws_the_request(session, registered, clock):
    reg = service.submit_registration(
        session, actor=who(session, "sato"), code="kankou-x", clock=clock
    )
    service.close_account(
        session, actor=who(session, "sato"), code="kankou-x", reason="開設を取りやめ", clock=clock
    )
    assert registered.status == "closed" and reg.decision == "withdrawn"
    update = outbox(session, to="hirose", kind="account.registration_decided")
    assert update and "取り下げ" in update[0][1].text
    with pytest.raises(InvalidTransition):
        service.confirm_registration(
            session, actor=who(session, "hirose"), registration_id=reg.id, clock=clock
        )


@pytest.mark.postgres_only
def test_two_pr_heads_clicking_at_once_decide_once(committed_factory, backend):
    """Two transactions race to decide the same 開設届: exactly one wins."""
    import threading

    import sqlalchemy as sa

    from bot.audit.models import AuditEvent
    from bot.clock import FakeClock
    from bot.db import transaction
    from bot.directory.models import Account, Department, OrgRole, Person

    if backend != "postgresql":
        pytest.skip("needs concurrent writers")
    clock = FakeClock()
    with transaction(committed_factory) as s:
        people = [Person(handle=h, name=h) for h in ("sato", "yamada", "pr1", "pr2")]
        s.add_all(people)
        s.flush()
        s.add(Department(code="kankou", name="観光課", head=people[1]))
        s.add_all(
            [OrgRole(role="pr_head", person=people[2]), OrgRole(role="pr_head", person=people[3])]
        )
    with transaction(committed_factory) as s:
        service.register_account(s, actor=who(s, "sato"), values=form(operators=""), clock=clock)
    with transaction(committed_factory) as s:
        reg_id = service.submit_registration(
            s, actor=who(s, "sato"), code="kankou-x", clock=clock
        ).id

    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def decide(actor: str, decision: str) -> None:
        try:
            with transaction(committed_factory) as s:
                barrier.wait()
                service.decide_registration(
                    s,
                    actor=who(s, actor),
                    decision=decision,
                    registration_id=reg_id,
                    reason="理由",
                    clock=clock,
                )
            results[actor] = "won"
        except InvalidTransition:
            results[actor] = "lost"

    threads = [
        threading.Thread(target=decide, args=("pr1", "confirmed")),
        threading.Thread(target=decide, args=("pr2", "returned")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["lost", "won"]
    with transaction(committed_factory) as s:
        actions = s.scalars(sa.select(AuditEvent.action)).all()
        status = s.scalar(sa.select(Account.status).where(Account.code == "kankou-x"))
    assert len([a for a in actions if a in ("account.confirmed", "account.returned")]) == 1
    assert status == {"won": "confirmed"}.get(results["pr1"], "returned")

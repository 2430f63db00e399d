"""Personnel transfers (人事異動): the April list, the effective-date step, handovers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.custody import service as custody
from bot.custody import transfers
from bot.custody.models import Handover, HandoverStep, Transfer, TransferBatch
from bot.directory.models import Account, Department, Deputy
from bot.drafts import service as drafts
from bot.drafts.models import DraftNotice
from bot.errors import InvalidTransition, PermissionDenied
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.scheduler.service import build_digest, schedule_due
from bot.scheduler.settings import load_settings
from tests.custody.conftest import deployment_plan, jst

TEXT = "みどり市の桜まつりを4月5日に中央公園で開催します。"

# yamada (所属長 of kanko) and kato (its deputy) both move on 4/1; ito becomes 所属長.
APRIL = """person,from,to,effective,role
yamada,kanko,kouhou,2027-04-01,
kato,kanko,johoseisaku,2027-04-01,
ito,johoseisaku,kanko,2027-04-01,head
"""


def messages(session, handle=None, kind=None):
    out = []
    for row in session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)):
        message = OutMessage.from_dict(row.message)
        if (handle is None or row.recipient_key == handle) and (
            kind is None or message.kind == kind
        ):
            out.append((row, message))
    return out


def dept(session, code):
    return session.scalar(sa.select(Department).where(Department.code == code))


def test_april_transfer_moves_pending_approvals_of_head_and_deputy_to_successor(
    session, demo, clock
):
    submitted = drafts.submit(
        session, author=demo.sato, account_code="kanko-x", text=TEXT, clock=clock
    )
    draft = submitted.draft
    clock.set(jst("2027-03-31 10:00"))  # kato's deputy period has begun (2026-04-01)
    plan = transfers.load(session, text=APRIL, kind="csv", origin="april.csv", clock=clock)
    assert len(plan.moves) == 3
    assert any(
        "観光課の所属長が交代します。決裁待ち・事後報告の確認待ち 1件" in line
        for line in plan.lines
    )
    # Still March: nothing has changed yet; yamada may still decide.
    assert dept(session, "kanko").head.handle == "yamada"
    assert (
        session.scalar(
            sa.select(sa.func.count()).select_from(Transfer).where(Transfer.applied_at.is_(None))
        )
        == 3
    )

    # 4/1 00:05 JST, before the worker has run: the leavers have no decision right any more.
    clock.set(jst("2027-04-01 00:05"))
    for leaver in (demo.yamada, demo.kato):
        with pytest.raises(PermissionDenied):
            drafts.decide(session, decider=leaver, draft_id=draft.id, kind="approve", clock=clock)

    applied = transfers.apply_due(session, clock=clock)
    assert len(applied.transfers) == 3 and applied.moved_drafts == [draft.id]
    kanko = dept(session, "kanko")
    session.refresh(kanko)
    assert kanko.head.handle == "ito"
    deputy = session.scalar(
        sa.select(Deputy).where(Deputy.person_id == demo.kato.id, Deputy.department_id == kanko.id)
    )
    assert deputy.active_until == jst("2027-04-01 00:00")
    # The old requests are closed with a note; ito has the request, sato is told.
    closed = messages(session, kind="draft.approval_closed")
    assert {row.recipient_key for row, _ in closed} == {"yamada", "kato"}
    assert all(row.update_of_id is not None for row, _ in closed)
    [(_, request)] = messages(session, "ito", "draft.approval_request")
    assert request.actions[0].value == {"draft_id": draft.id, "version": 1}
    [(_, note)] = messages(session, "sato", "custody.approval_moved")
    assert "伊藤 由紀（ito）" in note.text
    open_notices = session.scalars(
        sa.select(DraftNotice).where(
            DraftNotice.draft_id == draft.id, DraftNotice.closed_at.is_(None)
        )
    ).all()
    assert [n.recipient_id for n in open_notices] == [demo.ito.id]
    # A second run (another worker, a restart) changes nothing.
    assert transfers.apply_due(session, clock=clock).transfers == []
    assert len(messages(session, "ito", "draft.approval_request")) == 1

    # The successor decides; the leavers still cannot.
    clock.set(jst("2027-04-01 09:00"))
    with pytest.raises(PermissionDenied):
        drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)
    decision = drafts.decide(
        session, decider=demo.ito, draft_id=draft.id, kind="approve", clock=clock
    )
    assert decision.decider_id == demo.ito.id
    actions = [e.action for e in session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions.count("directory.transfer_applied") == 3


def test_operator_who_is_also_credential_holder_gets_one_handover_until_done(session, demo, clock):
    custody.update_record(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={
            "holder": "sato",
            "twofa": "on",
            "twofa_method": "sms",
            "password_changed": "2027-01-05",
        },
        clock=clock,
    )
    custody.set_medium(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={
            "label": "ICカード1",
            "kind": "ic_card",
            "holder": "sato",
            "storage": "観光課 金庫",
        },
        clock=clock,
    )
    transfers.load(
        session,
        text="person,from,to,effective\nsato,kanko,kouhou,2027-04-01\n",
        kind="csv",
        origin="t.csv",
        clock=clock,
    )
    clock.set(jst("2027-04-01 08:00"))
    applied = transfers.apply_due(session, clock=clock)
    [handover] = session.scalars(sa.select(Handover)).all()
    assert applied.handovers == [handover.id]
    assert handover.roles == "manager,operator,holder,media"
    assert [s.step for s in handover.steps] == ["holder", "password", "twofa", "media", "policy"]
    account = session.scalar(sa.select(Account).where(Account.code == "kanko-x"))
    session.refresh(account)
    assert account.manager_id is None and [p.handle for p in account.operators] == ["suzuki"]
    [(_, task)] = messages(session, "yamada", "handover.task")
    assert {a.value["step"] for a in task.actions} == {
        "holder",
        "password",
        "twofa",
        "media",
        "policy",
    }

    # Reminded daily (business hours) to the 所属長 while no new holder is named.
    settings = load_settings()
    plan = deployment_plan(settings)
    clock.set(jst("2027-04-02 09:00"))
    schedule_due(session, plan=plan, now=clock.now())
    due = session.execute(
        sa.text("SELECT kind, recipient_key FROM reminders WHERE item_type='handover'")
    ).all()
    assert ("handover.open", "yamada") in [tuple(r) for r in due]
    assert "引継ぎ未完了" in build_digest(session, plan=plan, now=clock.now()).text

    # The leaver cannot record steps; the 所属長 names suzuki, who finishes the rest.
    with pytest.raises(PermissionDenied):
        custody.complete_step(
            session, actor=demo.sato, handover_id=handover.id, step="password", clock=clock
        )
    custody.complete_step(
        session,
        actor=demo.yamada,
        handover_id=handover.id,
        step="holder",
        holder="suzuki",
        clock=clock,
    )
    with pytest.raises(InvalidTransition):
        custody.complete_step(
            session,
            actor=demo.yamada,
            handover_id=handover.id,
            step="holder",
            holder="suzuki",
            clock=clock,
        )
    for step in ("password", "twofa", "media", "policy"):
        custody.complete_step(
            session, actor=demo.suzuki, handover_id=handover.id, step=step, clock=clock
        )
    session.refresh(handover)
    assert handover.completed_at == clock.now()
    record = custody.get_record(session, account=account)
    assert record.holder.handle == "suzuki" and record.password_changed_at == clock.now()
    assert [m.holder.handle for m in custody.media_of(session, account=account)] == ["suzuki"]
    steps = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "handover.step_done")
        .order_by(AuditEvent.seq)
    ).all()
    assert [(e.actor, e.data["step"]) for e in steps] == [
        ("yamada", "holder"),
        ("suzuki", "password"),
        ("suzuki", "twofa"),
        ("suzuki", "media"),
        ("suzuki", "policy"),
    ]
    assert (
        session.scalar(sa.select(AuditEvent.seq).where(AuditEvent.action == "handover.completed"))
        is not None
    )
    # Finished: no more handover reminders.
    clock.advance(days=2)
    assert session.execute(transfers_handover_candidates(plan, clock)).all() == []


def transfers_handover_candidates(plan, clock):
    [rule] = [r for r in plan.rules if r.kind == "handover.open"]
    return rule.candidates(clock.now())


def test_unknown_person_in_transfer_file_applies_nothing(session, demo, clock):
    text = "person,from,to,effective,role\nsato,kanko,kouhou,2027-04-01,\nyamda,kanko,kouhou,2027-04-01,\nito,johoseisaku,nowhere,2027-04-01,\n"
    with pytest.raises(transfers.TransferError) as exc:
        transfers.load(session, text=text, kind="csv", origin="april.csv", clock=clock)
    message = exc.value.message
    assert "何も登録していません" in message
    assert "april.csv: 3行目: 職員「yamda」は名簿にいません" in message
    assert "april.csv: 4行目: 異動先の部署「nowhere」は名簿にありません。" in message
    session.flush()
    assert session.scalar(sa.select(sa.func.count()).select_from(Transfer)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(TransferBatch)) == 0


def test_head_leaving_without_successor_is_refused(session, demo, clock):
    with pytest.raises(transfers.TransferError) as exc:
        transfers.plan(
            session,
            "person,from,to,effective\nyamada,kanko,kouhou,2027-04-01\n",
            kind="csv",
            origin="f.csv",
        )
    assert "2行目: 観光課の所属長「yamada」が異動しますが" in exc.value.message


def test_yaml_list_with_line_numbers_and_reload_is_idempotent(session, demo, clock):
    text = """transfers:
  - person: suzuki
    from: kanko
    to: kouhou
    effective: 2027-04-01
  - person: ito
    from: johoseisaku
    to: kanko
    effective: 2027/4/1
    role: 代理
"""
    first = transfers.load(session, text=text, kind="yaml", origin="t.yaml", clock=clock)
    assert len(first.moves) == 2
    again = transfers.load(session, text=text, kind="yaml", origin="t.yaml", clock=clock)
    assert again.moves == [] and len(again.unchanged) == 2
    bad = text.replace("role: 代理", "role: 部長")
    with pytest.raises(transfers.TransferError) as exc:
        transfers.plan(session, bad, kind="yaml", origin="t.yaml")
    assert "t.yaml: 10行目: 役職「部長」は使えません" in exc.value.message
    # ito becomes a deputy of kanko from 4/1 (and may decide there from then on).
    clock.set(jst("2027-04-01 00:01"))
    transfers.apply_due(session, clock=clock)
    kanko = dept(session, "kanko")
    session.refresh(kanko)
    deputy = next(d for d in kanko.deputies if d.person_id == demo.ito.id)
    assert deputy.active_from == jst("2027-04-01 00:00") and deputy.is_active(clock.now())
    assert not deputy.is_active(clock.now() - timedelta(hours=1))
    # suzuki manages kanko-insta and operates kanko-x: one handover per account.
    handovers = session.scalars(sa.select(Handover).order_by(Handover.id)).all()
    assert sorted((h.account.code, h.roles) for h in handovers) == [
        ("kanko-insta", "manager,operator"),
        ("kanko-x", "operator"),
    ]
    x = next(h for h in handovers if h.account.code == "kanko-x")
    steps = session.scalars(
        sa.select(HandoverStep).where(HandoverStep.handover_id == x.id).order_by(HandoverStep.id)
    )
    assert [s.step for s in steps] == ["password", "policy"]

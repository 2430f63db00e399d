"""Response posts (説明・訂正・謝罪・対応中) go through core's drafts and land on the timeline."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.drafts import decisions
from bot.drafts import service as drafts
from bot.errors import InvalidTransition, PermissionDenied
from bot.incidents import responses, service
from bot.incidents.models import IncidentEvent
from tests.incidents.conftest import snapshot
from tests.people import who

APOLOGY = "先日の観光イベントのお知らせに誤りがありました。お詫びして訂正いたします。"


@pytest.fixture
def incident(session, clock, org):
    return service.declare(
        session,
        type="訂正",
        account_code="kanko_x",
        actor=who(session, "ito"),
        summary="日付の誤り",
        clock=clock,
    )


def test_response_is_checked_routed_to_head_and_decision_recorded(session, clock, org, incident):
    link, result = responses.start_response(
        session,
        incident_id=incident.id,
        actor=who(session, "sato"),
        purpose="謝罪",
        text=APOLOGY,
        clock=clock,
    )
    assert result.draft.state == "pending_approval"
    assert result.approvers[0].handle == "tanaka"
    assert link.draft_id == result.draft.id and link.purpose == "apology"
    linked = incident.events[-1]
    assert linked.kind == "draft_linked" and "決裁待ち" in linked.text
    clock.advance(minutes=15)
    decision = drafts.decide(
        session, decider=org.head, draft_id=result.draft.id, kind="approve", clock=clock
    )
    responses.record_decision(session, decision=decision, clock=clock)
    responses.record_decision(session, decision=decision, clock=clock)  # once only
    assert responses.sync_decisions(session, incident=incident, clock=clock) == 0
    decided = [e for e in incident.events if e.kind == "draft_decided"]
    assert len(decided) == 1
    assert decided[0].text == f"下書き#{result.draft.id}（謝罪）: 承認"
    assert decided[0].actor.handle == "tanaka" and decided[0].at == decision.decided_at


def _decided_events(session):
    return session.scalars(
        sa.select(IncidentEvent).where(IncidentEvent.kind == "draft_decided")
    ).all()


def test_decision_reaches_timeline_through_core_hook(session, clock, org, incident):
    _, result = responses.start_response(
        session,
        incident_id=incident.id,
        actor=who(session, "ito"),
        purpose="訂正",
        text=APOLOGY,
        clock=clock,
    )
    drafts.decide(
        session,
        decider=org.deputy,
        draft_id=result.draft.id,
        kind="request_changes",
        reason="日付を明記してください",
        clock=clock,
    )
    (event,) = _decided_events(session)
    assert "修正依頼" in event.text and "日付を明記" in event.text
    assert responses.sync_decisions(session, incident=incident, clock=clock) == 0


def test_sync_catches_up_when_hook_was_not_called(session, clock, org, incident, monkeypatch):
    monkeypatch.setattr(decisions, "decision_hooks", decisions.DecisionHooks())
    _, result = responses.start_response(
        session,
        incident_id=incident.id,
        actor=who(session, "ito"),
        purpose="訂正",
        text=APOLOGY,
        clock=clock,
    )
    drafts.decide(
        session,
        decider=org.deputy,
        draft_id=result.draft.id,
        kind="request_changes",
        reason="日付を明記してください",
        clock=clock,
    )
    assert _decided_events(session) == []
    assert responses.sync_decisions(session, incident=incident, clock=clock) == 1
    assert responses.sync_decisions(session, incident=incident, clock=clock) == 0
    (event,) = _decided_events(session)
    assert "修正依頼" in event.text and "日付を明記" in event.text


def test_response_refusals_change_nothing(session, clock, org, incident):
    before = snapshot(session)
    with pytest.raises(PermissionDenied):
        responses.start_response(
            session,
            incident_id=incident.id,
            actor=who(session, "kobayashi"),
            purpose="説明",
            text=APOLOGY,
            clock=clock,
        )
    assert snapshot(session) == before
    service.close(
        session,
        incident_id=incident.id,
        actor=who(session, "kato"),
        summary="訂正済み",
        clock=clock,
    )
    before = snapshot(session)
    with pytest.raises(InvalidTransition):
        responses.start_response(
            session,
            incident_id=incident.id,
            actor=who(session, "sato"),
            purpose="説明",
            text=APOLOGY,
            clock=clock,
        )
    assert snapshot(session) == before


def test_respond_command_returns_core_receipt_and_show_syncs(session, clock, org, incident):
    from bot.incidents import commands

    receipt = commands.run(
        session,
        actor=who(session, "sato"),
        text=f"respond {incident.id} 訂正 {APOLOGY}",
        clock=clock,
    )
    assert receipt.kind.startswith("draft.")
    link = session.scalars(sa.select(responses.IncidentDraft)).one()
    drafts.decide(session, decider=org.head, draft_id=link.draft_id, kind="approve", clock=clock)
    shown = commands.run(
        session, actor=who(session, "ito"), text=f"show {incident.id}", clock=clock
    )
    assert f"下書き#{link.draft_id}（訂正）: 承認" in shown.text

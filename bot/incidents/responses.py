"""Response posts for an incident (説明・訂正・謝罪・対応中; 6(1), 6(3)) through core's drafts.

A response is an ordinary draft: it goes through the content check and is routed by the
guideline's rules (the 所属長's 決裁, or an exempt category the department registered,
4(3)). This module only links the draft to the incident and keeps the incident's timeline
in step with the decisions taken on it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.clock import Clock, SystemClock
from bot.directory.models import Person
from bot.drafts import service as drafts
from bot.drafts.messaging import Related
from bot.drafts.models import Decision
from bot.drafts.service import SubmitResult
from bot.drafts.state import label
from bot.errors import InvalidTransition
from bot.guideline import terms as guideline_terms
from bot.incidents import service
from bot.incidents.checklists import PURPOSE_NAMES, kind_of, parse_purpose
from bot.incidents.models import Incident, IncidentDraft
from bot.notify.messages import Action


def start_response(
    session: Session,
    *,
    incident_id: int,
    actor: Person,
    purpose: str,
    text: str,
    planned_at: datetime | None = None,
    exemption: str | None = None,
    evidence: str | None = None,
    false_positive_reason: str | None = None,
    clock: Clock | None = None,
) -> tuple[IncidentDraft, SubmitResult]:
    """Draft a response post on the incident's account, check and route it, and link it."""
    clock = clock or SystemClock()
    incident = service.get(session, incident_id=incident_id)
    terms = guideline_terms.in_force(session)
    code = parse_purpose(purpose, terms)
    if incident.status == "closed":
        raise InvalidTransition(f"事案#{incident.id}は終了しているため、対応投稿は起案できません。")
    service.require_participant(
        session, person=actor, incident=incident, now=clock.now(), doing="対応投稿の起案"
    )
    kind = kind_of(incident).name
    related = Related(
        text=(
            f"事案#{incident.id}（{kind}）への対応投稿（{PURPOSE_NAMES[code]}）です"
            f"（{terms.ref('correction')}）。"
            "経緯は事案の対応スレッドで確認できます。"
        ),
        action=Action(
            "incident.open_thread",
            f"事案#{incident.id}のスレッドを開く",
            {"incident_id": incident.id, "outbox_id": incident.thread_root_id},
        )
        if incident.thread_root_id is not None
        else None,
    )
    result = drafts.submit(
        session,
        author=actor,
        account_code=incident.account.code,
        text=text,
        planned_at=planned_at,
        exemption=exemption,
        evidence=evidence,
        false_positive_reason=false_positive_reason,
        related=related,
        clock=clock,
    )
    route = label(result.draft.state, terms)
    link = service.link_draft(
        session,
        incident_id=incident.id,
        draft_id=result.draft.id,
        purpose=code,
        actor=actor,
        note=f"状態: {route}",
        clock=clock,
    )
    return link, result


def sync_decisions(session: Session, *, incident: Incident, clock: Clock | None = None) -> int:
    """Record on the timeline every decision taken on the incident's response drafts that is
    not recorded yet (a safety net for when core's decide did not call the hook)."""
    links = session.scalars(
        sa.select(IncidentDraft)
        .where(IncidentDraft.incident_id == incident.id)
        .order_by(IncidentDraft.id)
    ).all()
    recorded = 0
    for link in links:
        stmt = sa.select(Decision).where(Decision.draft_id == link.draft_id).order_by(Decision.id)
        if link.decision_id is not None:
            stmt = stmt.where(Decision.id > link.decision_id)
        for decision in session.scalars(stmt).all():
            service.record_draft_decision(
                session,
                draft_id=link.draft_id,
                decision=decision.kind,
                actor=decision.decider,
                reason=decision.reason,
                decision_id=decision.id,
                at=decision.decided_at,
                clock=clock,
            )
            recorded += 1
    return recorded


def record_decision(session: Session, *, decision: Decision, clock: Clock | None = None) -> None:
    """The hook in core's terms: call with the Decision row ``drafts.decide`` returned."""
    service.record_draft_decision(
        session,
        draft_id=decision.draft_id,
        decision=decision.kind,
        actor=decision.decider,
        reason=decision.reason,
        decision_id=decision.id,
        at=decision.decided_at,
        clock=clock,
    )


__all__ = [
    "PURPOSE_NAMES",
    "on_draft_decided",
    "record_decision",
    "start_response",
    "sync_decisions",
]


def on_draft_decided(session: Session, decision: Decision, clock: Clock) -> None:
    """The drafts' decision hook (registered by ``bot.app.wire``): a decision on a
    response draft lands on its incident's timeline, in the same transaction."""
    record_decision(session, decision=decision, clock=clock)

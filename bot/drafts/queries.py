"""Read-only lists for UIs and reminders: my drafts, what waits for me, overdue reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from bot.directory.models import Account, Department, Deputy, Person
from bot.drafts.models import Draft, DraftNotice, DraftVersion
from bot.drafts.state import State, label
from bot.guideline import terms as guideline_terms

# --- queries for UIs and reminders -----------------------------------------------------


@dataclass(frozen=True)
class DraftSummary:
    """One line of a list: enough to render without touching the session again."""

    id: int
    account_code: str
    account_name: str
    author_handle: str
    author_name: str
    state: str
    state_label: str
    version: int
    exemption: str | None
    planned_at: datetime | None
    updated_at: datetime
    excerpt: str
    published_at: datetime | None = None


def _summary(draft: Draft, version: DraftVersion) -> DraftSummary:
    first_line = version.text.strip().splitlines()[0] if version.text.strip() else ""
    excerpt = first_line[:40] + (
        "…" if len(first_line) > 40 or "\n" in version.text.strip() else ""
    )
    return DraftSummary(
        id=draft.id,
        account_code=draft.account.code,
        account_name=draft.account.name,
        author_handle=draft.author.handle,
        author_name=draft.author.name,
        state=draft.state,
        state_label=label(draft.state, guideline_terms.of_record(draft)),
        version=draft.current_version,
        exemption=draft.exemption,
        planned_at=draft.planned_at,
        updated_at=draft.updated_at,
        excerpt=excerpt,
        published_at=draft.published_at,
    )


def _rows() -> Any:
    """Drafts joined with their current version (and account, author loaded)."""
    return (
        sa.select(Draft, DraftVersion)
        .join(
            DraftVersion,
            sa.and_(
                DraftVersion.draft_id == Draft.id, DraftVersion.number == Draft.current_version
            ),
        )
        .options(selectinload(Draft.account), selectinload(Draft.author))
    )


def my_drafts(
    session: Session, *, person: Person, include_closed: bool = True, limit: int = 20
) -> list[DraftSummary]:
    """The person's drafts, newest first, with their states."""
    stmt = _rows().where(Draft.author_id == person.id)
    if not include_closed:
        stmt = stmt.where(
            Draft.state.not_in(
                [
                    s.value
                    for s in (State.REJECTED, State.ACKNOWLEDGED, State.WITHDRAWN, State.PUBLISHED)
                ]
            )
        )
    stmt = stmt.order_by(Draft.updated_at.desc(), Draft.id.desc()).limit(limit)
    return [_summary(d, v) for d, v in session.execute(stmt).all()]


def _departments_decided_by(session: Session, *, person: Person, now: datetime) -> list[int]:
    heads = set(session.scalars(sa.select(Department.id).where(Department.head_id == person.id)))
    for deputy in session.scalars(sa.select(Deputy).where(Deputy.person_id == person.id)):
        if deputy.is_active(now):
            heads.add(deputy.department_id)
    return sorted(heads)


def _waiting_for(
    session: Session, *, person: Person, now: datetime, state: State
) -> list[DraftSummary]:
    departments = _departments_decided_by(session, person=person, now=now)
    if not departments:
        return []
    stmt = (
        _rows()
        .join(Account, Account.id == Draft.account_id)
        .where(
            Account.department_id.in_(departments),
            Draft.state == state.value,
            Draft.author_id != person.id,
        )
        .order_by(Draft.updated_at, Draft.id)
    )
    return [_summary(d, v) for d, v in session.execute(stmt).all()]


def awaiting_decision(session: Session, *, person: Person, now: datetime) -> list[DraftSummary]:
    """Drafts waiting for this person's 決裁 (as 所属長 or active deputy), oldest first."""
    return _waiting_for(session, person=person, now=now, state=State.PENDING_APPROVAL)


def awaiting_acknowledgement(
    session: Session, *, person: Person, now: datetime
) -> list[DraftSummary]:
    """Exempt posts whose after-posting report waits for this person's acknowledgement."""
    return _waiting_for(session, person=person, now=now, state=State.REPORTED)


def overdue_reports(
    session: Session, *, now: datetime, person: Person | None = None
) -> list[DraftSummary]:
    """Exempt posts whose 事後報告 is late (everyone's, or one author's): published, or past
    their planned time, with no report filed. One with no planned time that is not yet
    published is not late: it waits to be published (its state says so)."""
    due = sa.func.coalesce(Draft.published_at, Draft.planned_at)
    stmt = _rows().where(
        Draft.exemption.is_not(None),
        Draft.state.in_([State.EXEMPT.value, State.REPORT_DUE.value]),
        due.is_not(None),
        due < now,
    )
    if person is not None:
        stmt = stmt.where(Draft.author_id == person.id)
    stmt = stmt.order_by(due, Draft.id)
    return [_summary(d, v) for d, v in session.execute(stmt).all()]


def pending_approvals(
    session: Session, *, older_than: datetime | None = None
) -> list[DraftSummary]:
    """Every draft waiting for 決裁 (for reminders), oldest first."""
    stmt = _rows().where(Draft.state == State.PENDING_APPROVAL.value)
    if older_than is not None:
        stmt = stmt.where(Draft.updated_at < older_than)
    return [
        _summary(d, v) for d, v in session.execute(stmt.order_by(Draft.updated_at, Draft.id)).all()
    ]


def unacknowledged_reports(
    session: Session, *, older_than: datetime | None = None
) -> list[DraftSummary]:
    """Every filed report not yet acknowledged (for reminders), oldest first."""
    stmt = _rows().where(Draft.state == State.REPORTED.value)
    if older_than is not None:
        stmt = stmt.where(Draft.updated_at < older_than)
    return [
        _summary(d, v) for d, v in session.execute(stmt.order_by(Draft.updated_at, Draft.id)).all()
    ]


def approval_notices(
    session: Session, *, draft_id: int, open_only: bool = True
) -> list[DraftNotice]:
    """The approval-request messages of a draft (reminders reply in their threads)."""
    stmt = sa.select(DraftNotice).where(
        DraftNotice.draft_id == draft_id, DraftNotice.purpose == "approval"
    )
    if open_only:
        stmt = stmt.where(DraftNotice.closed_at.is_(None))
    return list(session.scalars(stmt.order_by(DraftNotice.id)))

"""After approval or exemption: marking a draft published, the 事後報告 of an exempt post
(4(3) ただし書) and the 所属長's acknowledgement of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit import record
from bot.clock import Clock, SystemClock, format_jst
from bot.directory import service as directory
from bot.directory.models import Person
from bot.drafts import messaging
from bot.drafts.common import (
    MAX_NOTE_CHARS,
    account_in_operation,
    check_url,
    current_version,
    decision_for,
    get_draft,
    load_department,
    move_state,
    open_notices,
    record_and_close,
    rows_updated,
)
from bot.drafts.models import AfterReport, Draft
from bot.drafts.state import Event, State, label, next_state
from bot.errors import InvalidTransition, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.notify.service import enqueue

# --- publish, report, acknowledge ------------------------------------------------------


def _can_act_for_account(session: Session, *, draft: Draft, person: Person) -> None:
    if draft.author_id == person.id or directory.can_post_for(draft.account, person):
        return
    raise PermissionDenied(
        f"下書き #{draft.id} の掲載・報告ができるのは作成者とアカウント「{draft.account.name}」の担当者です。"
    )


def mark_published(
    session: Session,
    *,
    actor: Person,
    draft_id: int,
    url: str,
    published_at: datetime | None = None,
    clock: Clock | None = None,
) -> Draft:
    """Record that the post is online (URL, time). Non-exempt only after approval."""
    clock = clock or SystemClock()
    now = clock.now()
    draft = get_draft(session, draft_id=draft_id)
    _can_act_for_account(session, draft=draft, person=actor)
    state = State(draft.state)
    target = next_state(state, Event.PUBLISH, guideline_terms.in_force(session))
    version = current_version(session, draft=draft)
    if draft.exemption is None:
        decision = decision_for(session, version=version)
        if decision is None or decision.kind != "approve":  # pragma: no cover - state implies it
            raise InvalidTransition(
                f"下書き #{draft.id} の第{version.number}版は承認されていません"
                f"（{guideline_terms.of_record(draft).approval_clause}）。"
            )
    account_in_operation(session, draft=draft, doing="掲載済みとして登録")
    clean_url = check_url(url, draft=draft)
    when = published_at or now
    if when.tzinfo is None:
        raise ValueError("published_at must be timezone-aware")
    move_state(
        session,
        draft=draft,
        from_state=state,
        to_state=target,
        now=now,
        published_url=clean_url,
        published_at=when,
    )
    record(
        session,
        actor=actor.handle,
        action="draft.published",
        subject_type="draft",
        subject_id=draft.id,
        data={"version": version.number, "url": clean_url, "published_at": when.isoformat()},
        text=version.text,
        clock=clock,
    )
    return draft


def file_report(
    session: Session,
    *,
    actor: Person,
    draft_id: int,
    note: str = "",
    url: str | None = None,
    published_at: datetime | None = None,
    clock: Clock | None = None,
) -> AfterReport:
    """File the after-posting report (事後報告) of an exempt post; the 所属長 is asked to ack."""
    clock = clock or SystemClock()
    now = clock.now()
    draft = get_draft(session, draft_id=draft_id)
    _can_act_for_account(session, draft=draft, person=actor)
    state = State(draft.state)
    target = next_state(state, Event.REPORT, guideline_terms.in_force(session))
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationFailed(f"報告が長すぎます（{MAX_NOTE_CHARS:,}文字まで）。")
    values: dict[str, Any] = {}
    if state == State.EXEMPT:
        # Reporting an exempt post that was not marked published records the publication
        # too, which a suspended or closed account must not get. (From report_due the post
        # went online while the account was running: its report is still owed.)
        account_in_operation(session, draft=draft, doing="掲載済みとして登録（事後報告）")
        values["published_url"] = check_url(url, draft=draft)
        values["published_at"] = published_at or now
    elif url:
        values["published_url"] = check_url(url, draft=draft)
    version = current_version(session, draft=draft)
    move_state(session, draft=draft, from_state=state, to_state=target, now=now, **values)
    report = AfterReport(draft_id=draft.id, filed_by_id=actor.id, filed_at=now, note=note)
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        raise InvalidTransition(f"下書き #{draft.id} の事後報告は既に提出されています。") from None
    record(
        session,
        actor=actor.handle,
        action="report.filed",
        subject_type="draft",
        subject_id=draft.id,
        data={
            "version": version.number,
            "report_id": report.id,
            "category": draft.exemption,
            "url": draft.published_url,
        },
        text=version.text,
        clock=clock,
    )
    department = load_department(session, draft.account.department_id)
    open_notices(
        session,
        draft=draft,
        version=version.number,
        purpose="report",
        people=(
            person
            for person in directory.approvers(department, now)
            if person.id not in (actor.id, draft.author_id)
        ),
        message=messaging.report_filed(draft, draft.account, version, report),
        clock=clock,
    )
    session.flush()
    return report


def acknowledge_report(
    session: Session, *, actor: Person, draft_id: int, clock: Clock | None = None
) -> AfterReport:
    """The 所属長 (or an active deputy) acknowledges an after-posting report, once."""
    clock = clock or SystemClock()
    now = clock.now()
    draft = get_draft(session, draft_id=draft_id)
    department = load_department(session, draft.account.department_id)
    approver = guideline_terms.of_record(draft).approver
    if not directory.is_head_or_deputy(department, actor, now):
        raise PermissionDenied(
            f"下書き #{draft.id} の事後報告を確認できるのは{department.name}の{approver}または代理です。"
        )
    if draft.author_id == actor.id:
        raise PermissionDenied(
            f"自分が提出した事後報告は確認できません。{approver}または他の代理が確認します。"
        )
    report = session.scalar(
        sa.select(AfterReport)
        .where(AfterReport.draft_id == draft.id)
        .execution_options(populate_existing=True)
    )
    if report is None:
        raise InvalidTransition(
            f"下書き #{draft.id} の事後報告はまだ提出されていません（現在: {label(draft.state, guideline_terms.in_force(session))}）。"
        )
    moved = rows_updated(
        session,
        sa.update(AfterReport)
        .where(AfterReport.id == report.id, AfterReport.acknowledged_at.is_(None))
        .values(acknowledged_by_id=actor.id, acknowledged_at=now)
        .execution_options(synchronize_session=False),
    )
    if moved != 1:
        session.refresh(report)
        by = session.get(Person, report.acknowledged_by_id) if report.acknowledged_by_id else None
        when = format_jst(report.acknowledged_at) if report.acknowledged_at else ""
        raise InvalidTransition(
            f"下書き #{draft.id} の事後報告は既に{messaging.who(by)}が{when}に確認しています。何も変更していません。"
        )
    session.refresh(report)
    move_state(
        session,
        draft=draft,
        from_state=State(draft.state),
        to_state=next_state(draft.state, Event.ACKNOWLEDGE, guideline_terms.in_force(session)),
        now=now,
    )
    record_and_close(
        session,
        draft=draft,
        actor=actor,
        action="report.acknowledged",
        data={"report_id": report.id, "version": draft.current_version},
        purpose="report",
        message=messaging.report_acknowledged(draft, report, actor, for_author=False),
        now=now,
        clock=clock,
    )
    enqueue(
        session,
        message=messaging.report_acknowledged(draft, report, actor, for_author=True),
        to_person=draft.author,
        clock=clock,
    )
    return report

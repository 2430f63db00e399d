"""Snooze: the recipient puts a reminder off for a while; it comes back once, then the
normal schedule resumes.

Reminder messages carry ``Action("reminder.snooze", value={"reminder_id", "minutes"})``;
the console has ``/snooze <id> [分]``. Both end in ``snooze()``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit import record
from bot.business_calendar import BusinessCalendar, business_calendar
from bot.clock import Clock, SystemClock, format_jst
from bot.directory.models import OrgRole, Person
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.guideline import service as guideline_service
from bot.guideline import terms as guideline_terms
from bot.notify.messages import OutMessage
from bot.scheduler.models import Reminder

MAX_SNOOZE_MINUTES = 7 * 24 * 60
# Channel reminders (e.g. a 炎上 thread) may be snoozed by these org roles.
CHANNEL_SNOOZERS = ("info_policy", "admin")


def snooze(
    session: Session,
    *,
    reminder_id: int,
    person: Person,
    minutes: int,
    clock: Clock | None = None,
    calendar: BusinessCalendar | None = None,
) -> Reminder:
    """Put a reminder off by ``minutes`` (only its recipient may); returns the updated row.

    A business-hours reminder comes back at the next business moment of ``calendar``,
    by default the tenant's (``tenant_calendar``).
    """
    now = (clock or SystemClock()).now()
    if not 1 <= minutes <= MAX_SNOOZE_MINUTES:
        raise ValidationFailed(
            f"スヌーズする時間は1〜{MAX_SNOOZE_MINUTES}分の範囲で指定してください。",
            fields={"minutes": "1以上の分数を指定してください"},
        )
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound(f"リマインダー #{reminder_id} は見つかりません。")
    _check_recipient(session, reminder, person)
    until = now + timedelta(minutes=minutes)
    due = until
    if reminder.business_hours:
        if calendar is None:
            calendar = tenant_calendar(session)
        due = calendar.next_business_moment(until)
    # Conditional: a reminder that is being sent or was closed meanwhile is not touched.
    updated = session.execute(
        sa.update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status.in_(("scheduled", "sent", "snoozed")))
        .values(
            status="snoozed",
            snoozed_until=until,
            due_at=due,
            snooze_count=Reminder.snooze_count + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(updated, "rowcount", 0) != 1:
        session.refresh(reminder)
        _refuse(reminder)
    session.refresh(reminder)
    record(
        session,
        actor=person.handle,
        action="reminder.snoozed",
        subject_type="reminder",
        subject_id=reminder.id,
        data={"minutes": minutes, "until": until.isoformat(), "due_at": due.isoformat()},
        clock=clock,
    )
    return reminder


def tenant_calendar(session: Session) -> BusinessCalendar:
    """The business calendar of the session's tenant: its guideline in force under the
    deployment's explicit ``REMINDER_*`` settings (the same one its reminders run on)."""
    return business_calendar(guideline_service.in_force(session))


def _check_recipient(session: Session, reminder: Reminder, person: Person) -> None:
    if reminder.recipient_kind == "person":
        if reminder.recipient_key != person.handle:
            to = session.scalar(sa.select(Person).where(Person.handle == reminder.recipient_key))
            name = f"{to.name}（{to.handle}）" if to is not None else reminder.recipient_key
            raise PermissionDenied(
                f"リマインダー #{reminder.id} は {name}宛てです。"
                "スヌーズできるのは宛先の方だけです。ご自分宛てのリマインダーの番号を指定してください。"
            )
        return
    allowed = session.scalar(
        sa.select(OrgRole.id).where(
            OrgRole.person_id == person.id, OrgRole.role.in_(CHANNEL_SNOOZERS)
        )
    )
    if allowed is None:
        raise PermissionDenied(
            f"リマインダー #{reminder.id} はチャンネル宛てのため、"
            f"スヌーズできるのは{guideline_terms.in_force(session).incident_desk}の担当者と"
            "管理者だけです。"
        )


def _refuse(reminder: Reminder) -> None:
    if reminder.status == "cancelled":
        raise InvalidTransition(
            f"対象の手続きが済んだため、リマインダー #{reminder.id} はすでに終了しています。"
        )
    if reminder.status == "claimed":
        raise InvalidTransition(
            f"リマインダー #{reminder.id} は送信処理中です。少し待ってからもう一度お試しください。"
        )
    raise InvalidTransition(f"リマインダー #{reminder.id} はスヌーズできない状態です。")


def snooze_confirmation(
    reminder: Reminder,
    *,
    now: datetime | None = None,
    calendar: BusinessCalendar | None = None,
) -> OutMessage:
    """What the person sees after snoozing (``calendar``: the tenant's, for its name of
    working time)."""
    until = reminder.snoozed_until or reminder.due_at
    text = f"{format_jst(until)} まで通知を止めます。"
    if reminder.due_at > until:
        name = calendar.name if calendar is not None else BusinessCalendar.name
        text += f"{name}外のため、次の通知は {format_jst(reminder.due_at)} です。"
    else:
        text += "その時点でまだ手続きが済んでいなければ、もう一度お知らせします。"
    return OutMessage(
        kind="reminder.snoozed",
        title=f"リマインダー #{reminder.id} をスヌーズしました",
        text=text,
    )

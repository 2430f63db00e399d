"""Reminder sources for custody (5(10)) and handovers (人事異動), for ``bot.scheduler``.

Custody rules (``item_type`` "custody", item = the account id), counted from the record's
own timestamps, to the account's manager (the 所属長 when it has none), the 所属長 brought
in ``custody_escalate_after_days`` later (``….esc``), all listed in 情報政策課's digest:

- ``custody.rotation``     the password's last recorded change + ``custody_rotation_days``
- ``custody.2fa_off``      two-factor authentication off, since it was recorded so
- ``custody.personal``     a recovery e-mail / phone that looks personal, since it was set
- ``custody.unconfirmed``  not confirmed for ``custody_unconfirmed_days``
- ``custody.missing``      a confirmed account with no custody record at all (only with
                           ``REMINDER_CUSTODY_MISSING_REMINDERS=true``)

Handover rules (``item_type`` "handover"): ``handover.open`` to the new holder (else the
manager, else the 所属長) daily until every step is done, ``handover.open.esc`` to the 所属長.

Intervals are calendar days (a password is due on a date, not after N business hours), but
the reminders are sent in business hours: ``DaysRule`` keeps ``business_hours`` for when to
send and counts the interval on the wall clock.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from bot.business_calendar import BusinessCalendar
from bot.custody import messaging
from bot.custody.models import CustodyRecord, Handover
from bot.directory.models import Account, Department, Person
from bot.notify.messages import Action, OutMessage
from bot.scheduler.models import Reminder
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.sources import Rendered, Rule, Rules, id_in, snooze_actions

# Anchor of "no record at all": a fixed instant, so the series never restarts by itself.
MISSING_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class DaysRule(Rule):
    """Intervals on the wall clock (days), sent only in business hours."""

    def cutoff(self, now: datetime, duration: timedelta, calendar: BusinessCalendar) -> datetime:
        return now - duration

    def elapsed(self, anchor: datetime, now: datetime, calendar: BusinessCalendar) -> timedelta:
        return max(now - anchor, timedelta(0))


Condition = Callable[[], sa.ColumnElement[bool]]


def _custody_query(
    anchor: sa.ColumnElement[datetime], condition: sa.ColumnElement[bool], *, escalated: bool
) -> sa.Select:
    manager, head = aliased(Person), aliased(Person)
    recipient = head.handle if escalated else sa.func.coalesce(manager.handle, head.handle)
    stmt = (
        sa.select(
            Account.id.label("item_id"),
            anchor.label("anchor_at"),
            recipient.label("recipient_key"),
        )
        .select_from(CustodyRecord)
        .join(Account, Account.id == CustodyRecord.account_id)
        .join(Department, Department.id == Account.department_id)
        .outerjoin(manager, sa.and_(manager.id == Account.manager_id, manager.active))
        .outerjoin(head, sa.and_(head.id == Department.head_id, head.active))
        .where(Account.status != "closed", condition, recipient.is_not(None))
    )
    if escalated:
        stmt = stmt.where(manager.id.is_not(None), manager.id != head.id)
    return stmt


def _missing_query(*, escalated: bool) -> sa.Select:
    manager, head = aliased(Person), aliased(Person)
    recipient = head.handle if escalated else sa.func.coalesce(manager.handle, head.handle)
    has_record = sa.select(CustodyRecord.id).where(CustodyRecord.account_id == Account.id).exists()
    stmt = (
        sa.select(
            Account.id.label("item_id"),
            sa.literal(MISSING_ANCHOR, CustodyRecord.created_at.type).label("anchor_at"),
            recipient.label("recipient_key"),
        )
        .join(Department, Department.id == Account.department_id)
        .outerjoin(manager, sa.and_(manager.id == Account.manager_id, manager.active))
        .outerjoin(head, sa.and_(head.id == Department.head_id, head.active))
        .where(Account.status == "confirmed", ~has_record, recipient.is_not(None))
    )
    if escalated:
        stmt = stmt.where(manager.id.is_not(None), manager.id != head.id)
    return stmt


def _ignore_now(query: Callable[[bool], sa.Select], escalated: bool, now: datetime) -> sa.Select:
    return query(escalated)


class CustodySource:
    """Accounts whose credential custody needs attention (5(10))."""

    item_type = "custody"

    def __init__(self, settings: ReminderSettings) -> None:
        self.settings = settings

    def _specs(self) -> list[tuple[str, str, timedelta, Callable[[bool], sa.Select]]]:
        s = self.settings
        r = CustodyRecord
        flag = s.custody_flag_after_days * DAY
        specs: list[tuple[str, str, timedelta, Callable[[bool], sa.Select]]] = [
            (
                "custody.rotation",
                "パスワード変更期限切れ（{credentials}）",
                s.custody_rotation_days * DAY,
                lambda esc: _custody_query(
                    sa.func.coalesce(r.password_changed_at, r.created_at), sa.true(), escalated=esc
                ),
            ),
            (
                "custody.2fa_off",
                "二要素認証なし（{credentials}）",
                flag,
                lambda esc: _custody_query(
                    sa.func.coalesce(r.twofa_changed_at, r.created_at),
                    r.twofa_enabled.is_(False),
                    escalated=esc,
                ),
            ),
            (
                "custody.personal",
                "復旧先が個人のアドレス・電話（{credentials}）",
                flag,
                lambda esc: _custody_query(
                    sa.func.coalesce(r.recovery_changed_at, r.created_at),
                    sa.or_(r.recovery_email_personal, r.recovery_phone_personal),
                    escalated=esc,
                ),
            ),
            (
                "custody.unconfirmed",
                "認証情報の管理状況が未確認（{credentials}）",
                s.custody_unconfirmed_days * DAY,
                lambda esc: _custody_query(
                    sa.func.coalesce(r.confirmed_at, r.created_at), sa.true(), escalated=esc
                ),
            ),
        ]
        if s.custody_missing_reminders:
            specs.append(
                (
                    "custody.missing",
                    "認証情報の管理記録なし（{credentials}）",
                    flag,
                    lambda esc: _missing_query(escalated=esc),
                )
            )
        return specs

    def rules(self) -> Sequence[Rule]:
        s = self.settings
        repeat = s.custody_repeat_days * DAY
        escalate = s.custody_escalate_after_days * DAY
        rule = Rules("custody", rule_type=DaysRule)
        rules: list[Rule] = []
        for kind, label, first, query in self._specs():
            rules.append(
                rule(kind, label, first, repeat, functools.partial(_ignore_now, query, False))
            )
            rules.append(
                rule(
                    f"{kind}.esc",
                    f"{label}・{{approver}}へ連絡済み",
                    first + escalate,
                    repeat,
                    functools.partial(_ignore_now, query, True),
                )
            )
        return rules

    def titles(self, session: Session, item_ids: Sequence[int]) -> dict[int, str]:
        rows = session.execute(
            sa.select(Account.id, Account.code, Account.name).where(
                id_in(session, Account.id, item_ids)
            )
        )
        return {i: f"「{name}」（{code}）" for i, code, name in rows}

    def render(
        self,
        session: Session,
        reminders: Sequence[Reminder],
        *,
        now: datetime,
        calendar: BusinessCalendar,
    ) -> dict[int, Rendered]:
        ids = sorted({r.item_id for r in reminders})
        accounts = {
            a.id: a
            for a in session.scalars(sa.select(Account).where(id_in(session, Account.id, ids)))
        }
        records = {
            r.account_id: r
            for r in session.scalars(
                sa.select(CustodyRecord).where(id_in(session, CustodyRecord.account_id, ids))
            )
        }
        out: dict[int, Rendered] = {}
        for reminder in reminders:
            account = accounts.get(reminder.item_id)
            if account is None:
                continue
            days = max(int((now - reminder.anchor_at) / DAY), 0)
            message = messaging.custody_reminder(
                account,
                records.get(account.id),
                kind=reminder.kind,
                escalated=reminder.kind.endswith(".esc"),
                days=days,
            )
            out[reminder.id] = Rendered(
                _with(message, snooze_actions(reminder), f"・リマインダー #{reminder.id}")
            )
        return out


def _with(message: OutMessage, actions: list[Action], context: str) -> OutMessage:
    return dataclasses.replace(
        message, actions=[*message.actions, *actions], context=f"{message.context or ''}{context}"
    )


def _handover_query(*, escalated: bool) -> sa.Select:
    holder, manager, head = aliased(Person), aliased(Person), aliased(Person)
    base = sa.func.coalesce(holder.handle, manager.handle, head.handle)
    recipient = head.handle if escalated else base
    stmt = (
        sa.select(
            Handover.id.label("item_id"),
            Handover.created_at.label("anchor_at"),
            recipient.label("recipient_key"),
        )
        .join(Account, Account.id == Handover.account_id)
        .join(Department, Department.id == Account.department_id)
        .outerjoin(holder, sa.and_(holder.id == Handover.new_holder_id, holder.active))
        .outerjoin(manager, sa.and_(manager.id == Account.manager_id, manager.active))
        .outerjoin(head, sa.and_(head.id == Department.head_id, head.active))
        .where(Handover.completed_at.is_(None), recipient.is_not(None))
    )
    if escalated:
        stmt = stmt.where(base != head.handle)
    return stmt


class HandoverSource:
    """Handover tasks after a transfer that are not finished (5(10), 4(1)キ)."""

    item_type = "handover"

    def __init__(self, settings: ReminderSettings) -> None:
        self.settings = settings

    def rules(self) -> Sequence[Rule]:
        s = self.settings
        first, repeat = s.handover_after_days * DAY, s.handover_repeat_days * DAY
        rule = Rules("handover", rule_type=DaysRule)
        return (
            rule(
                "handover.open",
                "引継ぎ未完了（人事異動・{credentials}）",
                first,
                repeat,
                lambda now: _handover_query(escalated=False),
            ),
            rule(
                "handover.open.esc",
                "引継ぎ未完了・{approver}へ連絡済み",
                first + s.handover_escalate_after_days * DAY,
                repeat,
                lambda now: _handover_query(escalated=True),
            ),
        )

    def titles(self, session: Session, item_ids: Sequence[int]) -> dict[int, str]:
        rows = session.execute(
            sa.select(Handover.id, Account.name)
            .join(Account, Account.id == Handover.account_id)
            .where(id_in(session, Handover.id, item_ids))
        )
        return {i: f"「{name}」引継ぎ #{i}" for i, name in rows}

    def render(
        self,
        session: Session,
        reminders: Sequence[Reminder],
        *,
        now: datetime,
        calendar: BusinessCalendar,
    ) -> dict[int, Rendered]:
        ids = sorted({r.item_id for r in reminders})
        handovers = {
            h.id: h
            for h in session.scalars(sa.select(Handover).where(id_in(session, Handover.id, ids)))
        }
        out: dict[int, Rendered] = {}
        for reminder in reminders:
            handover = handovers.get(reminder.item_id)
            if handover is None or handover.completed_at is not None:
                continue
            message = messaging.handover_task(
                handover, reminder=True, escalated=reminder.kind.endswith(".esc")
            )
            out[reminder.id] = Rendered(
                _with(message, snooze_actions(reminder), f"・リマインダー #{reminder.id}")
            )
        return out

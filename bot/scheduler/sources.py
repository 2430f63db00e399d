"""What a reminder source (drafts, incidents, ...) provides to the sweep.

A source declares *rules*; each rule is a SQL query over its own tables that yields the
open items with the timestamp the reminder is counted from, and whom to remind:

    item_id      integer   the item's primary key
    anchor_at    datetime  the item's own timestamp (submitted, planned, filed, last update)
    recipient_key string   a person handle, or a channel key for channel reminders

The sweep turns "anchor + first interval (+ k × repeat) has passed" into timestamp cutoffs
computed once per sweep (business time or wall-clock time), so the database does the work
for every item in one ``INSERT … SELECT``; nothing is looped over in Python. The same query,
filtered to a few item ids, tells at send time whether a reminder still applies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from bot.business_calendar import BusinessCalendar
from bot.notify.messages import Action, OutMessage
from bot.scheduler.models import Reminder

# (now) -> SELECT item_id, anchor_at, recipient_key
CandidateQuery = Callable[[datetime], sa.Select]


@dataclass(frozen=True)
class Rule:
    """One reminder series: which items, from which timestamp, to whom, how often."""

    item_type: str  # "draft" | "incident"
    kind: str  # e.g. "approval.pending"
    label: str  # Japanese, for the digest: "決裁待ち（4(3)）"
    recipient_kind: str  # "person" | "channel"
    first: timedelta  # the first reminder, counted from anchor_at
    repeat: timedelta  # then every ``repeat`` while the item stays open
    business_hours: bool  # False: wall-clock time, sent at any hour (4(3)エ, 炎上)
    candidates: CandidateQuery
    max_occurrences: int = 24

    def cutoff(self, now: datetime, duration: timedelta, calendar: BusinessCalendar) -> datetime:
        """Latest anchor for which ``duration`` has passed by ``now`` on this rule's clock."""
        if self.business_hours:
            return calendar.subtract_business_time(now, duration)
        return now - duration

    def elapsed(self, anchor: datetime, now: datetime, calendar: BusinessCalendar) -> timedelta:
        """How long the item has waited, on this rule's clock."""
        if self.business_hours:
            return calendar.business_time_between(anchor, now)
        return max(now - anchor, timedelta(0))


@dataclass(frozen=True)
class Rules:
    """What a source's rules share, so that each rule is one row of what differs.

    ``rule = Rules("draft")`` then ``rule("approval.pending", "決裁待ち（4(3)）", first,
    repeat, query)``; ``business_hours`` may be set per row, and ``rule_type`` is the ``Rule``
    class the rows are (a source with its own clock subclasses ``Rule``).
    """

    item_type: str
    recipient_kind: str = "person"  # "person" | "channel"
    business_hours: bool = True
    rule_type: type[Rule] = Rule

    def __call__(
        self,
        kind: str,
        label: str,
        first: timedelta,
        repeat: timedelta,
        candidates: CandidateQuery,
        *,
        business_hours: bool | None = None,
    ) -> Rule:
        return self.rule_type(
            item_type=self.item_type,
            kind=kind,
            label=label,
            recipient_kind=self.recipient_kind,
            first=first,
            repeat=repeat,
            business_hours=self.business_hours if business_hours is None else business_hours,
            candidates=candidates,
        )


@dataclass(frozen=True)
class Rendered:
    """The message for one reminder; ``thread_of_id`` replies in an earlier outbox thread."""

    message: OutMessage
    thread_of_id: int | None = None


def id_in(session: Session, column: Any, ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter however many ids.

    A 500-id ``IN`` list is 500 bind parameters: a long statement that the driver re-parses
    on every execution (psycopg caches only short ones) and PostgreSQL re-plans.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(ids), type_=postgresql.ARRAY(sa.Integer)))
    return column.in_(list(ids))


class ReminderSource(Protocol):
    """A family of items that can be overdue (drafts, incidents)."""

    item_type: str

    def rules(self) -> Sequence[Rule]:
        """Every reminder rule of this source."""
        ...

    def render(
        self,
        session: Session,
        reminders: Sequence[Reminder],
        *,
        now: datetime,
        calendar: BusinessCalendar,
    ) -> dict[int, Rendered]:
        """Messages for these reminders (keyed by reminder id); missing ids are cancelled."""
        ...

    def titles(self, session: Session, item_ids: Sequence[int]) -> dict[int, str]:
        """Short Japanese names of items for the digest, e.g. 「市公式X 下書き #12」."""
        ...


def snooze_actions(reminder: Reminder) -> list[Action]:
    """The snooze buttons every reminder to a person carries."""
    return [
        Action("reminder.snooze", "30分後に再通知", {"reminder_id": reminder.id, "minutes": 30}),
        Action("reminder.snooze", "2時間後に再通知", {"reminder_id": reminder.id, "minutes": 120}),
    ]

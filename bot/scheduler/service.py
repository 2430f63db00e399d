"""The sweep: compute what is due from the items' own timestamps, then send each once.

1. ``schedule_due`` — for every rule, one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
   adds a row for each reminder event that is due now. Due-ness is recomputed from the
   items' timestamps on every sweep, so a worker that was down misses nothing, and the
   unique key makes a second computation (a restart, a second worker) add nothing.
2. ``claim_due`` — takes a lease on due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL;
   SQLite has one writer at a time), so two workers never take the same row.
3. ``send_claimed`` — re-checks each row against its rule (the item may have been decided
   meanwhile: then the row is cancelled), marks it sent with a conditional UPDATE, and
   enqueues the message in the same transaction with ``dedupe_key`` = the reminder's key.

Business-hours rules are only sent during business hours: a reminder that falls due at
22:00 waits for the next business moment. 4(3)エ and 炎上 rules run on wall-clock time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, sessionmaker

from bot.audit import record
from bot.business_calendar import BusinessCalendar
from bot.clock import Clock, SystemClock, format_jst
from bot.db import UTCDateTime
from bot.directory.models import Person
from bot.guideline import terms as guideline_terms
from bot.guideline.model import Guideline
from bot.notify.messages import Field, OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import Outgoing, enqueue, enqueue_many, unreachable
from bot.scheduler.models import UNIQUE_KEY, Reminder
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.sources import ReminderSource, Rendered, Rule, id_in

log = logging.getLogger(__name__)

OPEN_STATUSES = ("scheduled", "claimed", "snoozed")
ANALYZE_AFTER_ROWS = 5000


# Builds a deployment's reminder sources over given settings (``bot.app.reminder_sources``).
SourceFactory = Callable[[ReminderSettings], Iterable[ReminderSource]]


@dataclass(frozen=True)
class Plan:
    """Everything a sweep needs: the rules of every source, the calendar, the settings.

    ``make_sources`` (set when the plan was built from a source factory) lets
    ``for_guideline`` build the same sources over a tenant's guideline; a plan over fixed
    source objects serves every tenant as it is.
    """

    settings: ReminderSettings
    calendar: BusinessCalendar
    sources: Mapping[str, ReminderSource]
    make_sources: SourceFactory | None = None

    @property
    def rules(self) -> list[Rule]:
        return [rule for source in self.sources.values() for rule in source.rules()]

    def for_guideline(self, guideline: Guideline) -> Plan:
        """This plan under a guideline file's ``reminders`` and ``calendar``.

        Precedence (docs/reminders.md): built-in default < the file < a setting made
        explicitly for the deployment (``REMINDER_*``). The seed file's values equal the
        defaults, so under it the plan is this one. Values the settings refuse (a file
        loaded before they were checked) are logged and the deployment's are kept.
        """
        if self.make_sources is None:
            return self
        settings = self.settings.for_guideline(guideline)
        if settings is self.settings:
            return self
        return build_plan(settings, self.make_sources)


def build_plan(
    settings: ReminderSettings, sources: Iterable[ReminderSource] | SourceFactory
) -> Plan:
    """A plan over ``sources``: the source objects, or a factory that builds them over
    settings (the deployment's is ``bot.app.reminder_sources``; only such a plan follows
    each tenant's guideline, ``Plan.for_guideline``)."""
    if callable(sources):
        return Plan(
            settings=settings,
            calendar=settings.calendar(),
            sources={s.item_type: s for s in sources(settings)},
            make_sources=sources,
        )
    return Plan(
        settings=settings,
        calendar=settings.calendar(),
        sources={s.item_type: s for s in sources},
    )


# --- 1. schedule -------------------------------------------------------------------------


def _insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def schedule_due(session: Session, *, plan: Plan, now: datetime) -> int:
    """Add a row for every reminder due now (idempotent); returns how many were new."""
    added = unanalyzed = 0
    for rule in plan.rules:
        count = _schedule_rule(session, rule=rule, plan=plan, now=now)
        added += count
        unanalyzed += count
        if unanalyzed >= ANALYZE_AFTER_ROWS and session.get_bind().dialect.name == "postgresql":
            # A burst of new rows leaves the planner believing the table is tiny, and the
            # anti-join in the next rule (or the next sweep) degrades to a quadratic merge
            # join. Fresh statistics keep it a hash/index anti-join.
            session.execute(sa.text("ANALYZE reminders"))
            unanalyzed = 0
    return added


def _schedule_rule(session: Session, *, rule: Rule, plan: Plan, now: datetime) -> int:
    cal = plan.calendar
    # The k-th occurrence is due once anchor + first + k × repeat has passed: as a cutoff on
    # the anchor, computed here once instead of per item.
    cutoffs = [
        rule.cutoff(now, rule.first + k * rule.repeat, cal) for k in range(rule.max_occurrences)
    ]
    gap = rule.cutoff(now, rule.repeat, cal)
    due_at = cal.next_business_moment(now) if rule.business_hours else now

    cand = rule.candidates(now).subquery("cand")
    occurrence = sa.case(
        *[(cand.c.anchor_at <= c, k) for k, c in reversed(list(enumerate(cutoffs)))],
        else_=0,
    )
    prior = aliased(Reminder)
    # No new row while an earlier one for the same series is still waiting, snoozed, or was
    # sent less than one repeat interval ago (a worker back from a long outage sends the
    # latest reminder once, not every one it missed).
    busy = (
        sa.select(prior.id)
        .where(
            prior.item_type == rule.item_type,
            prior.item_id == cand.c.item_id,
            prior.kind == rule.kind,
            prior.anchor_at == cand.c.anchor_at,
            prior.recipient_key == cand.c.recipient_key,
            sa.or_(prior.status.in_(OPEN_STATUSES), prior.sent_at > gap),
        )
        .exists()
    )
    select = sa.select(
        sa.literal(rule.item_type, sa.String),
        cand.c.item_id,
        sa.literal(rule.kind, sa.String),
        cand.c.anchor_at,
        occurrence,
        sa.literal(rule.recipient_kind, sa.String),
        cand.c.recipient_key,
        sa.literal(rule.business_hours, sa.Boolean),
        sa.literal("scheduled", sa.String),
        sa.literal(now, UTCDateTime()),
        sa.literal(due_at, UTCDateTime()),
        sa.literal(0, sa.Integer),
    ).where(cand.c.anchor_at <= cutoffs[0], ~busy)
    columns = [
        "item_type",
        "item_id",
        "kind",
        "anchor_at",
        "occurrence",
        "recipient_kind",
        "recipient_key",
        "business_hours",
        "status",
        "created_at",
        "due_at",
        "snooze_count",
    ]
    stmt = (
        _insert(session)(Reminder)
        .from_select(columns, select)
        .on_conflict_do_nothing(index_elements=list(UNIQUE_KEY))
        # rowcount is not reported for INSERT … SELECT by every driver: count what came back.
        .returning(sa.literal(1))
    )
    return sum(1 for _ in session.execute(stmt))


# --- 2. claim ----------------------------------------------------------------------------


def claim_due(
    session: Session, *, plan: Plan, worker: str, now: datetime, limit: int | None = None
) -> list[int]:
    """Lease up to ``limit`` due rows to ``worker``; returns their ids."""
    limit = limit or plan.settings.batch_size
    lease_until = now + timedelta(seconds=plan.settings.lease_seconds)
    due = sa.or_(
        sa.and_(Reminder.status.in_(("scheduled", "snoozed")), Reminder.due_at <= now),
        # A worker that died mid-send: its lease runs out and another one takes over.
        sa.and_(Reminder.status == "claimed", Reminder.lease_until < now),
    )
    candidates = sa.select(Reminder.id).where(due)
    if not plan.calendar.is_business_moment(now):
        candidates = candidates.where(Reminder.business_hours.is_(False))
    candidates = candidates.order_by(Reminder.due_at, Reminder.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # A MATERIALIZED CTE runs once. As an IN (subquery) the planner may rescan it
        # (a nested loop, chosen once the tenant criteria add an index condition), and with
        # SKIP LOCKED every rescan finds other rows: the batch would exceed ``limit``.
        picked = (
            candidates.with_for_update(skip_locked=True)
            .cte("picked")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        chosen: Any = sa.select(picked.c.id).scalar_subquery()
    else:
        chosen = candidates.scalar_subquery()
    stmt = (
        sa.update(Reminder)
        .where(Reminder.id.in_(chosen))
        .values(status="claimed", claimed_by=worker, lease_until=lease_until)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(stmt).all())


# --- 3. send -----------------------------------------------------------------------------


@dataclass
class SendStats:
    sent: int = 0
    cancelled: int = 0
    lost: int = 0  # taken over by another worker after our lease ran out


def _still_due(
    session: Session, *, plan: Plan, reminders: Sequence[Reminder], now: datetime
) -> set[int]:
    """Ids of reminders whose item still matches its rule (same anchor and recipient)."""
    by_series: dict[tuple[str, str], list[Reminder]] = defaultdict(list)
    for r in reminders:
        by_series[(r.item_type, r.kind)].append(r)
    valid: set[int] = set()
    for (item_type, kind), group in by_series.items():
        item_ids = sorted({r.item_id for r in group})
        current: set[tuple[int, datetime, str]] = set()
        for rule in plan.rules:
            if rule.item_type != item_type or rule.kind != kind:
                continue
            cand = rule.candidates(now).subquery()
            rows = session.execute(
                sa.select(cand.c.item_id, cand.c.anchor_at, cand.c.recipient_key).where(
                    id_in(session, cand.c.item_id, item_ids)
                )
            )
            current.update((i, a, k) for i, a, k in rows)
        valid.update(r.id for r in group if (r.item_id, r.anchor_at, r.recipient_key) in current)
    return valid


def send_claimed(
    session: Session,
    *,
    plan: Plan,
    worker: str,
    ids: Sequence[int],
    now: datetime,
    clock: Clock | None = None,
) -> SendStats:
    """Send (enqueue) the reminders this worker holds; cancel those that no longer apply."""
    stats = SendStats()
    if not ids:
        return stats
    reminders = session.scalars(
        sa.select(Reminder)
        .where(id_in(session, Reminder.id, ids))
        .execution_options(populate_existing=True)
        .order_by(Reminder.id)
    ).all()
    mine = [r for r in reminders if r.status == "claimed" and r.claimed_by == worker]
    stats.lost = len(ids) - len(mine)
    valid = _still_due(session, plan=plan, reminders=mine, now=now)
    rendered: dict[int, Rendered] = {}
    by_type: dict[str, list[Reminder]] = defaultdict(list)
    for r in mine:
        if r.id in valid:
            by_type[r.item_type].append(r)
    for item_type, group in by_type.items():
        source = plan.sources.get(item_type)
        if source is not None:
            rendered.update(source.render(session, group, now=now, calendar=plan.calendar))

    to_cancel = [r.id for r in mine if r.id not in rendered]
    to_send = [r for r in mine if r.id in rendered]
    held = sa.and_(Reminder.status == "claimed", Reminder.claimed_by == worker)
    if to_cancel:
        cancelled = session.scalars(
            sa.update(Reminder)
            .where(id_in(session, Reminder.id, to_cancel), held)
            .values(status="cancelled", lease_until=None)
            .returning(Reminder.id)
            .execution_options(synchronize_session=False)
        ).all()
        stats.cancelled = len(cancelled)
        if cancelled:
            by_id = {r.id: r for r in mine}
            record(
                session,
                actor="system",
                action="reminder.cancelled",
                subject_type="reminder",
                subject_id=min(cancelled),
                data={
                    "reason": "item no longer waiting",
                    "reminders": [_audit_entry(by_id[i]) for i in sorted(cancelled)],
                },
                clock=clock,
            )
    if not to_send:
        return stats
    # The conditional UPDATE is what makes the send ours: a row another worker took over
    # (lease expired) no longer matches, and we do not enqueue it.
    sent_ids = set(
        session.scalars(
            sa.update(Reminder)
            .where(id_in(session, Reminder.id, [r.id for r in to_send]), held)
            .values(status="sent", sent_at=now, lease_until=None, snoozed_until=None)
            .returning(Reminder.id)
            .execution_options(synchronize_session=False)
        ).all()
    )
    stats.lost += len(to_send) - len(sent_ids)
    sending = [r for r in to_send if r.id in sent_ids]
    enqueue_many(
        session,
        items=[
            Outgoing(
                message=rendered[r.id].message,
                to_person=r.recipient_key if r.recipient_kind == "person" else None,
                to_channel=r.recipient_key if r.recipient_kind == "channel" else None,
                thread_of=rendered[r.id].thread_of_id,
                dedupe_key=reminder_key(r),
            )
            for r in sending
        ],
        clock=clock,
    )
    if sending:
        # Link each reminder to its outbox row (found by the dedupe key: also when the key
        # was already used) in one statement instead of one UPDATE per reminder.
        session.execute(
            sa.update(Reminder)
            .where(id_in(session, Reminder.id, [r.id for r in sending]))
            .values(
                outbox_id=sa.select(OutboxMessage.id)
                .where(OutboxMessage.dedupe_key == _reminder_key_sql())
                .scalar_subquery()
            )
            .execution_options(synchronize_session=False)
        )
    stats.sent = len(sending)
    if sending:
        # One audit event per batch, listing every reminder in it: the log stays complete
        # without one hash-chain round trip per message.
        record(
            session,
            actor="system",
            action="reminder.sent",
            subject_type="reminder",
            subject_id=sending[0].id,
            data={"reminders": [_audit_entry(r) for r in sending]},
            clock=clock,
        )
    return stats


def _audit_entry(r: Reminder) -> dict[str, Any]:
    return {
        "id": r.id,
        "item": f"{r.item_type}:{r.item_id}",
        "kind": r.kind,
        "occurrence": r.occurrence,
        "to": r.recipient_key,
        "snooze_count": r.snooze_count,
    }


def reminder_key(reminder: Reminder) -> str:
    """The outbox dedupe key: one message per reminder event (and per snooze re-send)."""
    return f"reminder:{reminder.id}:{reminder.snooze_count}"


def _reminder_key_sql() -> sa.ColumnElement[str]:
    """``reminder_key`` as a SQL expression over the ``reminders`` row."""
    return (
        sa.literal("reminder:", sa.String)
        + sa.cast(Reminder.id, sa.String)
        + sa.literal(":", sa.String)
        + sa.cast(Reminder.snooze_count, sa.String)
    )


# --- the sweep ---------------------------------------------------------------------------


@dataclass
class SweepStats:
    scheduled: int = 0
    sent: int = 0
    cancelled: int = 0
    lost: int = 0
    batches: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def sweep(
    factory: sessionmaker[Session],
    *,
    plan: Plan,
    worker: str,
    clock: Clock | None = None,
    max_batches: int | None = None,
) -> SweepStats:
    """One pass: schedule what is due, then claim and send in batches until none is left.

    Each batch is its own transaction, so a crash loses at most one batch's lease (taken
    over by the next sweep after ``lease_seconds``) and never sends anything twice.
    """
    clock = clock or SystemClock()
    stats = SweepStats()
    now = clock.now()
    with factory() as session, session.begin():
        stats.scheduled = schedule_due(session, plan=plan, now=now)
    while max_batches is None or stats.batches < max_batches:
        with factory() as session, session.begin():
            ids = claim_due(session, plan=plan, worker=worker, now=now)
        if not ids:
            break
        stats.batches += 1
        with factory() as session, session.begin():
            result = send_claimed(session, plan=plan, worker=worker, ids=ids, now=now, clock=clock)
        stats.sent += result.sent
        stats.cancelled += result.cancelled
        stats.lost += result.lost
    if stats.scheduled or stats.sent or stats.cancelled:
        log.info(
            "reminder sweep: %s scheduled, %s sent, %s cancelled",
            stats.scheduled,
            stats.sent,
            stats.cancelled,
        )
    return stats


# --- digest ------------------------------------------------------------------------------


def build_digest(session: Session, *, plan: Plan, now: datetime) -> OutMessage:
    """Everything overdue, and notifications that could not be delivered, for 情報政策課."""
    max_lines = plan.settings.digest_max_lines
    fields: list[Field] = []
    lines: list[str] = []
    total = 0
    fill = guideline_terms.in_force(session).fill  # the rules' labels cite its clauses
    for rule in plan.rules:
        label = fill(rule.label)
        cand = rule.candidates(now).subquery()
        overdue = cand.c.anchor_at <= rule.cutoff(now, rule.first, plan.calendar)
        count = session.scalar(sa.select(sa.func.count()).select_from(cand).where(overdue)) or 0
        if not count:
            continue
        total += count
        fields.append(Field(label, f"{count}件"))
        room = max_lines - len(lines)
        if room <= 0:
            continue
        rows = session.execute(
            sa.select(cand.c.item_id, cand.c.anchor_at, cand.c.recipient_key)
            .where(overdue)
            .order_by(cand.c.anchor_at, cand.c.item_id)
            .limit(room)
        ).all()
        source = plan.sources[rule.item_type]
        titles = source.titles(session, [r[0] for r in rows])
        names = (
            _people_named(session, [r[2] for r in rows]) if rule.recipient_kind == "person" else {}
        )
        for item_id, anchor, recipient in rows:
            waited = rule.elapsed(anchor, now, plan.calendar)
            clock_word = f"{plan.calendar.name}で" if rule.business_hours else ""
            lines.append(
                f"・{label} {titles.get(item_id, f'#{item_id}')}"
                f" — {format_jst(anchor)}から{clock_word}{_hours(waited)}"
                f"（宛先: {names.get(recipient, recipient)}）"
            )
    failed = session.execute(
        sa.select(
            OutboxMessage.id,
            OutboxMessage.recipient_kind,
            OutboxMessage.recipient_key,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
        )
        .where(
            sa.or_(
                OutboxMessage.status == "failed",
                sa.and_(OutboxMessage.status == "pending", OutboxMessage.attempts > 0),
            )
        )
        .order_by(OutboxMessage.id)
    ).all()
    if failed:
        fields.append(Field("配信できていない通知", f"{len(failed)}件"))
        shown_failed = failed[:max_lines]
        people = _people_named(session, [r[2] for r in shown_failed if r[1] == "person"])
        for oid, kind, key, status, attempts, error in shown_failed:
            state = "配信を断念" if status == "failed" else f"再試行中（{attempts}回失敗）"
            who = people.get(key, key) if kind == "person" else f"チャンネル {key}"
            cause = f"原因の記録: {error}" if error else "原因不明"
            lines.append(f"・通知 #{oid} → {who}: {state}（{cause}）")
    shown = len(lines)
    if total + len(failed) > shown:
        lines.append(f"ほか {total + len(failed) - shown}件（一覧は省略しています）")
    unreached, waiting = _unreachable_lines(session, max_lines)
    if unreached:
        fields.append(Field("ボットが連絡できない宛先", f"{unreached}件"))
    if not lines and not waiting:
        text = "期限を過ぎた手続きはありません。"
    else:
        text = "\n".join(
            (
                ["期限を過ぎている手続きと、配信できていない通知の一覧です。", *lines]
                if lines
                else []
            )
            + waiting
        )
    local = now.astimezone(plan.calendar.zone)
    return OutMessage(
        kind="reminder.digest",
        title=f"【日次】未処理の手続き {total}件（{local.month}月{local.day}日）",
        text=text,
        fields=fields,
        context=f"{format_jst(now)} 時点",
    )


def _people_named(session: Session, handles: Sequence[str]) -> dict[str, str]:
    """handle → 「山田 花子（yamada）」, the one way people are named to staff."""
    rows = session.execute(
        sa.select(Person.handle, Person.name).where(Person.handle.in_(sorted(set(handles))))
    )
    return {handle: f"{name}（{handle}）" for handle, name in rows}


def _unreachable_lines(session: Session, max_lines: int) -> tuple[int, list[str]]:
    """People and channels the bot cannot reach yet, with what waits for them.

    Their number, and a heading line and one line each (none when everyone with a message
    is reachable). The fix is on their side (install the app, add the bot
    to the channel), so the digest says so: someone in 情報政策課 can ask them.
    """
    from bot.directory.models import Channel

    waiting = unreachable(session)
    if not waiting:
        return 0, []
    people = _people_named(session, [w.key for w in waiting if w.kind == "person"])
    channels = {
        key: name
        for key, name in session.execute(
            sa.select(Channel.key, Channel.name).where(
                Channel.key.in_([w.key for w in waiting if w.kind == "channel"])
            )
        )
    }
    lines = [
        "ボットがまだ連絡できない宛先です（通知は届け先が分かり次第すぐに送られます）。"
        "アプリを追加するか、ボットをチャンネルに追加するよう依頼してください:"
    ]
    for w in waiting[:max_lines]:
        if w.kind == "person":
            who = f"{people.get(w.key, w.key)}: アプリ未追加"
        else:
            who = f"チャンネル「{channels.get(w.key, w.key)}」: ボット未追加"
        lines.append(f"・{who}、通知{w.waiting}件が{format_jst(w.since)}から待機中")
    if len(waiting) > max_lines:
        lines.append(f"ほか {len(waiting) - max_lines}件")
    return len(waiting), lines


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    if hours < 1:
        return f"{int(span.total_seconds() // 60)}分"
    return f"{hours:.1f}時間"


def send_digest(
    session: Session, *, plan: Plan, clock: Clock | None = None
) -> OutboxMessage | None:
    """Enqueue today's digest once (a second worker or a restart adds nothing)."""
    clock = clock or SystemClock()
    now = clock.now()
    day = now.astimezone(plan.calendar.zone).date().isoformat()
    message = build_digest(session, plan=plan, now=now)
    row = enqueue(
        session,
        message=message,
        to_channel=plan.settings.digest_channel,
        dedupe_key=f"reminder.digest:{day}",
        clock=clock,
    )
    if row is not None:
        record(
            session,
            actor="system",
            action="reminder.digest_sent",
            subject_type="channel",
            subject_id=plan.settings.digest_channel,
            data={"day": day, "outbox_id": row.id},
            clock=clock,
        )
    return row

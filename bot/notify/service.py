"""Enqueue notifications in the caller's transaction; deliver them with retries."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, make_transient_to_detached, sessionmaker

from bot.clock import Clock, SystemClock
from bot.directory.models import Channel, ConversationRef, Person
from bot.errors import new_error_id
from bot.logsafe import where
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.port import Address, DeliveryError, Notifier, SentRef
from bot.tenancy import current_tenant, factory_tenant

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
MAX_ATTEMPTS_BEFORE_FAILED = 50  # about two days of hourly retries; then a human looks
# No address yet (the person never installed the app, the bot is not in the channel): the
# message waits without counting attempts. ``release`` wakes it the moment an address is
# captured; this recheck only covers addresses that arrive another way (a directory load).
UNREACHABLE_RECHECK = timedelta(hours=1)


@dataclass(frozen=True)
class Outgoing:
    """One message for ``enqueue_many``: the arguments of ``enqueue`` as a value.

    ``to_person`` may be a ``Person`` or a person's handle (bulk callers such as the
    reminder sweep have handles, not loaded rows); ``thread_of`` / ``update_of`` may be an
    outbox row or its id.
    """

    message: OutMessage
    to_person: Person | str | None = None
    to_channel: str | None = None
    thread_of: OutboxMessage | int | None = None
    update_of: OutboxMessage | int | None = None
    dedupe_key: str | None = None
    after: OutboxMessage | int | None = None


def enqueue(
    session: Session,
    *,
    message: OutMessage,
    to_person: Person | None = None,
    to_channel: str | None = None,
    thread_of: OutboxMessage | None = None,
    update_of: OutboxMessage | None = None,
    dedupe_key: str | None = None,
    after: OutboxMessage | None = None,
    clock: Clock | None = None,
    flush: bool = True,
) -> OutboxMessage | None:
    """Queue a message for delivery after the caller commits.

    ``after``: deliver only once that message was sent (a follow-up that must not arrive
    before what it talks about). Returns None when ``dedupe_key`` was already used (the
    message was queued before).
    With ``flush=False`` (no ``dedupe_key``) the row is only added to the session: it gets
    its id at the caller's next flush, together with the rows added next to it.
    """
    item = Outgoing(
        message=message,
        to_person=to_person,
        to_channel=to_channel,
        thread_of=thread_of,
        update_of=update_of,
        dedupe_key=dedupe_key,
        after=after,
    )
    if not flush and dedupe_key is None:
        _check_recipient(item)
        row = OutboxMessage(**_values(item, (clock or SystemClock()).now()))
        session.add(row)
        return row
    rows = enqueue_many(session, items=[item], clock=clock)
    return rows[0] if rows else None


def enqueue_many(
    session: Session, *, items: Sequence[Outgoing], clock: Clock | None = None
) -> list[OutboxMessage]:
    """Queue many messages in one statement; returns the rows actually inserted.

    The contract of ``enqueue`` for each item: the caller's transaction, exactly one
    recipient, and a ``dedupe_key`` already used (before, by a concurrent transaction, or
    earlier in ``items``) queues nothing. Match the returned rows to ``items`` by
    ``dedupe_key``.
    """
    if not items:
        return []
    handles: set[str] = set()
    for item in items:
        _check_recipient(item)
        if isinstance(item.to_person, str):
            handles.add(item.to_person)
    if handles:
        known = set(
            session.scalars(
                sa.select(Person.handle).where(Person.handle.in_(sorted(handles)))
            ).all()
        )
        if unknown := handles - known:
            raise ValueError(f"unknown person handle(s): {', '.join(sorted(unknown))}")
    now = (clock or SystemClock()).now()
    values = [_values(item, now) for item in items]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = cast(sa.Table, OutboxMessage.__table__)
    ids: list[int | None] = [None] * len(values)
    keyed = [i for i, v in enumerate(values) if v["dedupe_key"] is not None]
    unkeyed = [i for i, v in enumerate(values) if v["dedupe_key"] is None]
    if keyed:
        # ON CONFLICT DO NOTHING settles a concurrent use of the same key in the database
        # (no check-then-insert). The first item with a key gets the row.
        stmt = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
            .returning(table.c.id, table.c.dedupe_key)
        )
        by_key = dict(
            (key, row_id) for row_id, key in session.execute(stmt, [values[i] for i in keyed])
        )
        for i in keyed:
            ids[i] = by_key.pop(values[i]["dedupe_key"], None)
    if unkeyed:
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        for i, row_id in zip(
            unkeyed, session.scalars(stmt, [values[i] for i in unkeyed]), strict=True
        ):
            ids[i] = row_id
    # One INSERT per kind of item ("insertmanyvalues" pages it) returning only the ids; the
    # rows are then built from the values just written and attached as persistent objects
    # (what reading them back would give, without the round trip and the ORM bulk path).
    rows: list[OutboxMessage] = []
    for v, row_id in zip(values, ids, strict=True):
        if row_id is None:
            continue
        row = OutboxMessage(
            id=row_id,
            last_error=None,
            sent_at=None,
            sent_ref=None,
            unreachable_since=None,
            **v,
        )
        make_transient_to_detached(row)
        session.add(row)
        rows.append(row)
    return rows


def _check_recipient(item: Outgoing) -> None:
    if (item.to_person is None) == (item.to_channel is None):
        raise ValueError("exactly one of to_person / to_channel")


def _values(item: Outgoing, now: datetime) -> dict[str, Any]:
    """The outbox row's columns for one item."""
    return {
        "created_at": now,
        "recipient_kind": "person" if item.to_person is not None else "channel",
        "recipient_key": _recipient_key(item),
        "message": item.message.to_dict(),
        "thread_of_id": _row_id(item.thread_of),
        "update_of_id": _row_id(item.update_of),
        "after_id": _row_id(item.after),
        "dedupe_key": item.dedupe_key,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
    }


def _recipient_key(item: Outgoing) -> str:
    if isinstance(item.to_person, Person):
        return item.to_person.handle
    if isinstance(item.to_person, str):
        return item.to_person
    return str(item.to_channel)


def _row_id(row: OutboxMessage | int | None) -> int | None:
    return row.id if isinstance(row, OutboxMessage) else row


def resolve_address(session: Session, platform: str, kind: str, key: str) -> Address | None:
    """Find how to reach a person/channel on a platform, or None if we cannot (yet)."""
    ref = session.scalar(
        sa.select(ConversationRef).where(
            ConversationRef.platform == platform,
            ConversationRef.owner_kind == kind,
            ConversationRef.owner_key == key,
        )
    )
    if ref is not None:
        return Address(
            platform,
            kind,
            key,
            ref.conversation_id,
            {"service_url": ref.service_url, **(ref.data or {})},
        )
    if platform == "console":
        return Address(platform, kind, key, key)
    if kind == "person":
        person = session.scalar(sa.select(Person).where(Person.handle == key))
        if person is None:
            return None
        if platform == "slack" and person.slack_user_id:
            return Address(platform, kind, key, person.slack_user_id)
        return None
    channel = session.scalar(sa.select(Channel).where(Channel.key == key))
    if channel is None:
        return None
    if platform == "slack" and channel.slack_channel_id:
        return Address(platform, kind, key, channel.slack_channel_id)
    if platform == "teams" and channel.teams_channel_id:
        return Address(platform, kind, key, channel.teams_channel_id)
    return None


def sent_ref(row: OutboxMessage) -> SentRef | None:
    """The platform reference of a delivered message."""
    return SentRef(**row.sent_ref) if row.sent_ref else None


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    waiting: int = 0
    held: int = 0  # due messages of tenants that cannot be reached yet (kept, not tried)


def pending_count(factory: sessionmaker[Session]) -> int:
    """How many messages of the factory's tenant wait in the outbox (pending, any due time)."""
    with factory() as session:
        stmt = sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.status == "pending",
            OutboxMessage.tenant_id == current_tenant(session),
        )
        return int(session.scalar(stmt) or 0)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=10 * 2 ** min(attempts, 12)), MAX_BACKOFF)


# A message being sent is claimed for this long (committed before the platform is called):
# no other process sends it meanwhile, and later messages to the same recipient wait behind
# it. Longer than a send can take with the platform client's own retries; if the process
# dies in the middle, another one sends the message again once the claim runs out.
IN_FLIGHT = timedelta(minutes=10)
# A message waiting for another one (its thread root, the message it updates) looks again
# at least this often, so a parent that was in flight elsewhere does not hold it for long.
PARENT_RECHECK = timedelta(seconds=30)


@dataclass(frozen=True)
class _Send:
    """A message ready to go: everything the platform call needs, read in the claim."""

    row_id: int
    message: OutMessage
    address: Address | None = None
    thread: SentRef | None = None
    update: SentRef | None = None
    claimed_until: datetime | None = None  # the claim this process committed


@dataclass(frozen=True)
class _Outcome:
    """What the platform said about one message: its reference, or why it failed."""

    ref: SentRef | None = None
    error: str | None = None


# Outcomes the platform gave but the database could not record (it went away between the
# send and the write), by database and tenant, then outbox id. Each row stays claimed
# (``IN_FLIGHT``) meanwhile; the next ``deliver_pending`` of this process writes them first,
# so a message that reached the platform is not sent again.
_unrecorded: dict[tuple[str, str], dict[int, tuple[_Send, _Outcome, datetime]]] = {}
_unrecorded_lock = threading.Lock()


def _store_key(factory: sessionmaker[Session]) -> tuple[str, str]:
    bind = factory.kw.get("bind")
    engine = getattr(bind, "engine", bind)
    url = getattr(engine, "url", None)
    where = url.render_as_string(hide_password=True) if url is not None else str(id(factory))
    return where, factory_tenant(factory)


def deliver_pending(
    factory: sessionmaker[Session],
    notifier: Notifier,
    *,
    clock: Clock | None = None,
    limit: int = 100,
) -> DeliveryStats:
    """Deliver due outbox messages, each claimed, sent and recorded on its own.

    Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several web
    processes can run this at once without sending anything twice. Within a conversation
    (one person, one channel) messages go out in the order they were queued: a row waits
    while an earlier one to the same recipient is still pending (retrying after an outage,
    or being sent by another process right now), so a backoff never lets a later message
    overtake an earlier one.

    The claim (``IN_FLIGHT``) is committed before the platform is called and the outcome
    written in a second transaction, so no transaction is held open across a network
    call, and a database that goes away after the platform accepted a message does not
    make it go out twice: the outcome is kept in this process and written first thing
    once the database is back. A database error propagates (the caller logs it).
    """
    clock = clock or SystemClock()
    stats = DeliveryStats()
    _record_unrecorded(factory)
    skip: set[int] = set()
    earlier = aliased(OutboxMessage)
    behind_earlier = (
        sa.select(earlier.id)
        .where(
            earlier.status == "pending",
            earlier.recipient_kind == OutboxMessage.recipient_kind,
            earlier.recipient_key == OutboxMessage.recipient_key,
            earlier.id < OutboxMessage.id,
        )
        .exists()
    )
    for _ in range(limit):
        with factory() as session, session.begin():
            now = clock.now()
            stmt = (
                sa.select(OutboxMessage)
                .where(
                    OutboxMessage.status == "pending",
                    OutboxMessage.next_attempt_at <= now,
                    ~behind_earlier,
                )
                .order_by(OutboxMessage.id)
                .limit(1)
            )
            if skip:
                stmt = stmt.where(OutboxMessage.id.not_in(skip))
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            row = session.scalar(stmt)
            if row is None:
                break
            prepared = _prepare(session, row, notifier, now)
            if isinstance(prepared, _Send):  # claimed, committed before the call
                row.next_attempt_at = row.claimed_until = now + IN_FLIGHT
                prepared = replace(prepared, claimed_until=row.next_attempt_at)
        if not isinstance(prepared, _Send):  # waiting for another message or an address
            stats.waiting += 1
            skip.add(row.id)
            continue
        outcome = _call(notifier, prepared)
        if _record(factory, prepared, outcome, clock.now()) == "sent":
            stats.sent += 1
        else:
            stats.retried += 1
            skip.add(prepared.row_id)
    return stats


def _prepare(
    session: Session, row: OutboxMessage, notifier: Notifier, now: datetime
) -> _Send | str:
    """What sending ``row`` takes, or "waiting" (row updated) when it cannot go yet."""
    message = OutMessage.from_dict(row.message)
    if row.after_id is not None:
        before = session.get(OutboxMessage, row.after_id)
        if before is not None and before.status != "sent":
            return _wait(row, now, "waiting for an earlier message", parent=before)
    if row.update_of_id is not None:
        original = session.get(OutboxMessage, row.update_of_id)
        ref = sent_ref(original) if original is not None else None
        if ref is None:
            return _wait(row, now, "original message not delivered yet", parent=original)
        return _Send(row.id, message, update=ref)
    thread = None
    if row.thread_of_id is not None:
        parent = session.get(OutboxMessage, row.thread_of_id)
        thread = sent_ref(parent) if parent is not None else None
        if thread is None:
            return _wait(row, now, "thread root not delivered yet", parent=parent)
    address = resolve_address(session, notifier.platform, row.recipient_kind, row.recipient_key)
    if address is None:
        return _unreachable(
            row, now, f"no {notifier.platform} address for {row.recipient_kind} {row.recipient_key}"
        )
    return _Send(row.id, message, address=address, thread=thread)


def _call(notifier: Notifier, send: _Send) -> _Outcome:
    """Call the platform (no transaction open); never raises."""
    try:
        if send.update is not None:
            notifier.update(send.update, send.message)
            return _Outcome(ref=send.update)
        assert send.address is not None
        return _Outcome(ref=notifier.send(send.address, send.message, thread=send.thread))
    except DeliveryError as exc:
        return _Outcome(error=str(exc)[:500])
    except Exception as exc:  # a bug or an SDK error: keep the message, log the type only
        log.error(
            "outbox delivery %s failed error_id=%s exc=%s at=%s",
            send.row_id,
            new_error_id(),
            type(exc).__qualname__,
            where(exc) or "-",
        )
        return _Outcome(error=type(exc).__name__)


def _record(factory: sessionmaker[Session], send: _Send, outcome: _Outcome, now: datetime) -> str:
    """Write what the platform said; "sent" or "retry". If the database is gone, keep it."""
    try:
        with factory() as session, session.begin():
            return _apply(session, send, outcome, now)
    except Exception:
        with _unrecorded_lock:
            _unrecorded.setdefault(_store_key(factory), {})[send.row_id] = (send, outcome, now)
        raise


def _record_unrecorded(factory: sessionmaker[Session]) -> None:
    """Write the outcomes a database outage kept from being written (oldest first)."""
    key = _store_key(factory)
    with _unrecorded_lock:
        waiting = _unrecorded.pop(key, {})
    if not waiting:
        return
    try:
        with factory() as session, session.begin():
            for _row_id, (send, outcome, at) in sorted(waiting.items()):
                _apply(session, send, outcome, at)
    except Exception:
        with _unrecorded_lock:
            kept = _unrecorded.setdefault(key, {})
            for row_id, value in waiting.items():
                kept.setdefault(row_id, value)
        raise
    log.info("recorded %d delivery outcome(s) kept through a database outage", len(waiting))


def _apply(session: Session, send: _Send, outcome: _Outcome, now: datetime) -> str:
    row = session.get(OutboxMessage, send.row_id, with_for_update=True)
    if row is None or row.status != "pending" or row.next_attempt_at != send.claimed_until:
        # Not this process's claim any more (it ran out and another process took the
        # message): that process records its own outcome.
        log.warning("outbox %s: the claim ran out before its outcome was written", send.row_id)
        return "retry"
    row.claimed_until = None
    if outcome.error is not None or outcome.ref is None:
        return _fail(row, now, outcome.error or "no reference")
    row.sent_ref = asdict(outcome.ref)
    row.status = "sent"
    row.sent_at = now
    row.attempts += 1
    row.last_error = None
    row.unreachable_since = None
    return "sent"


def _wait(row: OutboxMessage, now: datetime, why: str, *, parent: OutboxMessage | None) -> str:
    """Another message must go first: look again soon, or when that one is next due."""
    later = now + timedelta(seconds=5)
    if parent is not None and parent.status == "pending":
        # Backing off, or being sent by another process right now (claimed for IN_FLIGHT,
        # sent in a moment): follow its next attempt, but look again within half a minute.
        later = max(later, min(parent.next_attempt_at, now + PARENT_RECHECK))
    elif parent is not None and parent.status == "failed":
        later = now + MAX_BACKOFF  # a human looks at the parent; nothing to do before
    row.next_attempt_at = later
    row.last_error = why
    return "waiting"


def _unreachable(row: OutboxMessage, now: datetime, why: str) -> str:
    """No address on this platform yet: wait (no attempt counted) until ``release``."""
    if row.unreachable_since is None:
        row.unreachable_since = now
        log.info("outbox %s waits for an address: %s", row.id, why)
    row.last_error = why
    row.next_attempt_at = now + UNREACHABLE_RECHECK
    return "waiting"


def release(session: Session, *, kind: str, key: str, clock: Clock | None = None) -> int:
    """The recipient ``kind``/``key`` became reachable: make everything waiting for it due.

    Called in the transaction that stores a new address (install, first message, the bot
    added to a channel). Messages threaded under, updating or following the released ones
    are made due too. Returns how many messages were released.

    A message a delivery is sending right now (claimed) is left alone: made due, it would
    be sent a second time by the next delivery. Teams sends its conversation and
    installation updates back to back, each capturing the address.
    """
    now = (clock or SystemClock()).now()
    table = cast(sa.Table, OutboxMessage.__table__)
    # Core statements on the table: the ORM's tenant criteria do not apply, say it here.
    mine = sa.and_(
        table.c.tenant_id == current_tenant(session),
        sa.or_(table.c.claimed_until.is_(None), table.c.claimed_until <= now),
    )
    ids = list(
        session.scalars(
            sa.update(table)
            .where(
                mine,
                table.c.status == "pending",
                table.c.recipient_kind == kind,
                table.c.recipient_key == key,
                table.c.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
            .returning(table.c.id)
        )
    )
    if ids:
        session.execute(
            sa.update(table)
            .where(
                mine,
                table.c.status == "pending",
                table.c.next_attempt_at > now,
                sa.or_(
                    table.c.thread_of_id.in_(ids),
                    table.c.update_of_id.in_(ids),
                    table.c.after_id.in_(ids),
                ),
            )
            .values(next_attempt_at=now)
        )
        log.info("released %d outbox message(s) for %s %s", len(ids), kind, key)
    return len(ids)


@dataclass(frozen=True)
class Unreachable:
    """A person or channel with messages waiting because the bot cannot reach them yet."""

    kind: str  # "person" | "channel"
    key: str
    waiting: int
    since: datetime


def unreachable(session: Session) -> list[Unreachable]:
    """Who has messages waiting for an address (for 情報政策課's digest), oldest first."""
    rows = session.execute(
        sa.select(
            OutboxMessage.recipient_kind,
            OutboxMessage.recipient_key,
            sa.func.count(),
            sa.func.min(OutboxMessage.unreachable_since),
        )
        .where(OutboxMessage.status == "pending", OutboxMessage.unreachable_since.is_not(None))
        .group_by(OutboxMessage.recipient_kind, OutboxMessage.recipient_key)
        .order_by(sa.func.min(OutboxMessage.unreachable_since), OutboxMessage.recipient_key)
    ).all()
    return [
        Unreachable(kind, key, count, since)
        for kind, key, count, since in rows
        if since is not None  # always: the WHERE excludes NULL
    ]


def _fail(row: OutboxMessage, now: datetime, why: str) -> str:
    row.attempts += 1
    row.last_error = why
    row.next_attempt_at = now + _backoff(row.attempts)
    if row.attempts >= MAX_ATTEMPTS_BEFORE_FAILED:
        row.status = "failed"
    log.warning(
        "outbox %s not delivered (attempt %s) error_id=%s: %s",
        row.id,
        row.attempts,
        new_error_id(),
        why,
    )
    return "retry"

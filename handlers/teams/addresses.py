"""Where the bot can reach people and channels on Teams later (proactive messages).

Teams cannot message a user id directly: a proactive message needs the conversation id,
the service URL and the tenant captured when the bot was installed or someone wrote to it.
They are stored as ``bot.directory.models.ConversationRef`` rows (platform ``"teams"``)
that the outbox resolves into ``Address.reference``:

* person: ``owner_key`` = handle, the person found by ``Person.teams_user_id`` = the
  sender's Entra object id (``aadObjectId``). A personal chat gives the full reference. A
  message in a channel gives only the user id, tenant and service URL: stored with an empty
  ``conversation_id`` (never over a personal one), the notifier then creates the 1:1 chat.
* channel: ``owner_key`` = ``Channel.key``, matched by ``Channel.teams_channel_id``.

Upserts are single ``INSERT … ON CONFLICT`` statements (both backends), so two first
messages at once cannot collide. Every capture also releases what the outbox holds for
that person or channel (``bot.notify.service.release``): a message that waited for an
address goes out with the delivery this activity starts. Services take a Session and
never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.audit import record
from bot.clock import Clock, SystemClock
from bot.directory.models import Channel, ConversationRef, Person
from bot.notify.service import release
from bot.tenancy import scoped

from .render import MentionTarget

PLATFORM = "teams"


@dataclass(frozen=True)
class Seen:
    """What an activity tells about where its sender and conversation are."""

    aad_object_id: str | None
    user_id: str  # the "29:…" id in this tenant
    name: str | None
    tenant_id: str | None
    service_url: str
    conversation_id: str  # without ";messageid=…"
    conversation_type: str  # personal | groupChat | channel
    bot_id: str | None = None
    team_id: str | None = None
    channel_id: str | None = None


def person_for(session: Session, *, aad_object_id: str | None) -> Person | None:
    """The active directory person with this Teams (Entra object) id, or None."""
    if not aad_object_id:
        return None
    person = session.scalar(sa.select(Person).where(Person.teams_user_id == aad_object_id))
    return person if person is not None and person.active else None


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ConversationRef)


def _upsert(
    session: Session,
    *,
    kind: str,
    key: str,
    conversation_id: str,
    service_url: str,
    data: dict[str, Any],
    clock: Clock,
    overwrite: bool,
) -> bool:
    """Insert or (if ``overwrite``) refresh a reference; True when something changed."""
    table = ConversationRef.__table__
    values = {
        "platform": PLATFORM,
        "owner_kind": kind,
        "owner_key": key,
        "conversation_id": conversation_id,
        "service_url": service_url,
        "data": data,
        "updated_at": clock.now(),
    }
    stmt = _insert(session).values(**values)
    index = ["tenant_id", "platform", "owner_kind", "owner_key"]
    if overwrite:
        stmt = stmt.on_conflict_do_update(
            index_elements=index,
            set_={
                k: stmt.excluded[k]
                for k in ("conversation_id", "service_url", "data", "updated_at")
            },
            # Only a real change is written (and audited): most messages change nothing.
            where=sa.or_(
                table.c.conversation_id != stmt.excluded.conversation_id,
                table.c.service_url.is_distinct_from(stmt.excluded.service_url),
            ),
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=index)
    result = session.execute(stmt)
    return bool(getattr(result, "rowcount", 0) == 1)


def remember_person(session: Session, *, seen: Seen, clock: Clock | None = None) -> Person | None:
    """Store how to reach the sender; None when they are not in the directory."""
    clock = clock or SystemClock()
    person = person_for(session, aad_object_id=seen.aad_object_id)
    if person is None:
        return None
    personal = seen.conversation_type == "personal"
    data = {
        "user_id": seen.user_id,
        "tenant_id": seen.tenant_id,
        "bot_id": seen.bot_id,
        "conversation_type": "personal",
    }
    changed = _upsert(
        session,
        kind="person",
        key=person.handle,
        # Outside a personal chat only the user id is known: the 1:1 chat is created later.
        conversation_id=seen.conversation_id if personal else "",
        service_url=seen.service_url,
        data=data,
        clock=clock,
        overwrite=personal,
    )
    if changed:
        record(
            session,
            actor=person.handle,
            action="teams.address_saved",
            subject_type="person",
            subject_id=person.handle,
            data={"personal_chat": personal},
            clock=clock,
        )
    # Whatever waited for this person (no address yet, or a backoff) goes out now.
    release(session, kind="person", key=person.handle, clock=clock)
    return person


def channel_for(session: Session, *, ids: Iterable[str | None]) -> Channel | None:
    """The directory channel whose ``teams_channel_id`` is one of ``ids``."""
    wanted = [i for i in ids if i]
    if not wanted:
        return None
    return session.scalar(
        sa.select(Channel).where(Channel.teams_channel_id.in_(wanted)).order_by(Channel.id).limit(1)
    )


def remember_channel(session: Session, *, seen: Seen, clock: Clock | None = None) -> Channel | None:
    """Store how to post in a directory channel the bot was added to or mentioned in."""
    if seen.conversation_type != "channel":
        return None
    clock = clock or SystemClock()
    channel_id = seen.channel_id or seen.conversation_id
    channel = channel_for(session, ids=(channel_id, seen.conversation_id))
    if channel is None:
        return None
    changed = _upsert(
        session,
        kind="channel",
        key=channel.key,
        conversation_id=channel_id,
        service_url=seen.service_url,
        data={"tenant_id": seen.tenant_id, "team_id": seen.team_id, "bot_id": seen.bot_id},
        clock=clock,
        overwrite=True,
    )
    if changed:
        record(
            session,
            actor="system",
            action="teams.address_saved",
            subject_type="channel",
            subject_id=channel.key,
            clock=clock,
        )
    release(session, kind="channel", key=channel.key, clock=clock)
    return channel


def channel_tenant(session: Session, *, conversation_id: str) -> str | None:
    """The tenant id stored with a channel's reference (for deep links), if any."""
    data = session.scalar(
        sa.select(ConversationRef.data).where(
            ConversationRef.platform == PLATFORM,
            ConversationRef.owner_kind == "channel",
            ConversationRef.conversation_id == conversation_id,
        )
    )
    tenant = (data or {}).get("tenant_id")
    return tenant if isinstance(tenant, str) else None


def forget_conversation(
    session: Session, *, conversation_id: str, clock: Clock | None = None
) -> int:
    """The bot was removed from a conversation: drop references to it; returns how many."""
    refs = session.scalars(
        sa.select(ConversationRef).where(
            ConversationRef.platform == PLATFORM,
            ConversationRef.conversation_id == conversation_id,
        )
    ).all()
    for ref in refs:
        record(
            session,
            actor="system",
            action="teams.address_removed",
            subject_type=ref.owner_kind,
            subject_id=ref.owner_key,
            clock=clock,
        )
        session.delete(ref)
    session.flush()
    return len(refs)


def read_mention_targets(
    engine: Engine, *, handles: Sequence[str], tenant: str
) -> dict[str, MentionTarget]:
    """:func:`mention_targets` for a notifier, which runs inside the outbox's transaction.

    ``tenant`` is required: the handles of a message are looked up among the people of
    the tenant whose outbox is being delivered (the same handle exists in many cities).

    On SQLite every transaction starts with ``BEGIN IMMEDIATE`` (``bot.db``), so opening a
    second one while the outbox holds the write lock would wait for itself. In WAL mode a
    read outside any transaction needs no lock: the raw connection (autocommit) does that.
    """
    if not handles:
        return {}
    if engine.dialect.name != "sqlite":
        with Session(engine) as session:
            return mention_targets(scoped(session, tenant), handles=handles)
    people = Person.__table__
    stmt = sa.select(people.c.handle, people.c.name, people.c.teams_user_id).where(
        people.c.tenant_id == tenant,  # raw SQL: not scoped by the ORM
        people.c.handle.in_(list(handles)),
    )
    compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(str(compiled), tuple(compiled.params[k] for k in compiled.positiontup or ()))
        rows = cursor.fetchall()
        cursor.close()
    finally:
        raw.close()
    return {h: MentionTarget(name=n, teams_user_id=t) for h, n, t in rows}


def mention_targets(session: Session, *, handles: Sequence[str]) -> dict[str, MentionTarget]:
    """Names and Teams ids of the people a message mentions."""
    if not handles:
        return {}
    people = session.scalars(sa.select(Person).where(Person.handle.in_(list(handles))))
    return {p.handle: MentionTarget(name=p.name, teams_user_id=p.teams_user_id) for p in people}

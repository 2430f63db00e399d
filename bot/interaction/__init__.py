"""The neutral interaction layer: what every adapter (console, Slack, Teams) shares.

An adapter turns a platform event into an ``Actor`` (platform and platform user id) and
calls a core function, which runs one transaction for the person behind the actor
(``as_person`` / ``run_as``) and returns a ``Reply``: the message to show to that person
(ephemerally) and whether it succeeded. A refusal (``BotError``) rolls everything back
and becomes a Japanese ``error`` reply (``refusal``); any other exception propagates to
the adapter's error handler. Notifications to other people are in the outbox; the
adapter delivers them (``bot.notify.deliver_pending``) after the call.

Nothing here knows a domain (drafts, accounts, incidents): domains import this package,
never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db import transaction
from bot.directory import service as directory
from bot.directory.models import Person
from bot.errors import BotError, ValidationFailed
from bot.notify.messages import FindingView, OutMessage
from bot.notify.service import enqueue

__all__ = [
    "Actor",
    "Reply",
    "as_person",
    "button_int",
    "error",
    "info",
    "refusal",
    "run_as",
    "unsupported",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who is acting: ``platform`` is "slack" | "teams" | "console"; ``user_id`` its id."""

    platform: str
    user_id: str


@dataclass
class Reply:
    """What to show the actor. ``ok`` is False for a refusal (nothing was stored)."""

    ok: bool
    message: OutMessage
    draft_id: int | None = None
    code: str | None = None  # BotError.code on refusal
    fields: dict[str, str] = field(default_factory=dict)  # field -> problem, for forms


def error(message: str, *, findings: list[FindingView] | None = None) -> OutMessage:
    """A refusal shown to the person who asked (first line: title; the rest: text)."""
    return OutMessage(
        kind="error",
        title=message.splitlines()[0],
        text="\n".join(message.splitlines()[1:]),
        findings=findings or [],
    )


def info(title: str, text: str = "", *, kind: str = "info") -> OutMessage:
    """A short confirmation shown to the person who asked."""
    return OutMessage(kind=kind, title=title, text=text)


def refusal(exc: BotError) -> Reply:
    """A refusal as a reply (adapters use this for their own parse errors too)."""
    fields = exc.fields if isinstance(exc, ValidationFailed) else {}
    return Reply(
        ok=False,
        message=error(exc.message, findings=exc.findings or None),
        code=exc.code,
        fields=fields,
    )


def unsupported(action_id: str) -> Reply:
    """The refusal for an action id nobody handles."""
    return refusal(ValidationFailed(f"この操作（{action_id}）には対応していません。"))


def button_int(value: Mapping[str, Any], key: str) -> int:
    """An id from a button's ``value``; ValidationFailed if it is missing or not a number."""
    try:
        return int(value[key])
    except (KeyError, TypeError, ValueError):
        raise ValidationFailed(
            "ボタンの情報が読み取れませんでした。もう一度操作してください。"
        ) from None


def as_person(
    factory: sessionmaker[Session],
    actor: Actor,
    work: Callable[[Session, Person], T],
    *,
    refused: Callable[[Reply], T],
) -> T:
    """Run ``work`` for the registered person behind ``actor`` in one transaction.

    A ``BotError`` rolls everything back; ``refused`` turns its refusal into the result.
    """
    try:
        with transaction(factory) as session:
            person = directory.person_by_platform_id(
                session, platform=actor.platform, user_id=actor.user_id
            )
            return work(session, person)
    except BotError as exc:
        return refused(refusal(exc))


def run_as(
    factory: sessionmaker[Session],
    actor: Actor,
    work: Callable[[Session, Person], OutMessage | Reply],
    *,
    receipt: bool = False,
    clock: Clock | None = None,
) -> Reply:
    """``as_person`` for a ``Reply``: ``work`` returns the message to show, or a ``Reply``
    when it has more to say (a draft id). With ``receipt`` the message also goes to the
    actor through the outbox, in the same transaction.
    """

    def replied(session: Session, person: Person) -> Reply:
        result = work(session, person)
        reply = result if isinstance(result, Reply) else Reply(ok=True, message=result)
        if receipt:
            # Kept and re-sent if the platform refuses the direct reply.
            enqueue(session, message=reply.message, to_person=person, clock=clock)
        return reply

    return as_person(factory, actor, replied, refused=lambda reply: reply)

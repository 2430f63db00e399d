"""Entry points for adapters (Slack, Teams, console): one transaction each, a ``Reply`` back.

Same conventions as ``bot.drafts.api``: the actor is identified by platform and user id, a
refusal (``BotError``) rolls everything back and becomes a Japanese error reply with
per-field problems in ``Reply.fields`` (for modal forms). Notifications are in the outbox.

- The ``/account ...`` text command goes through ``bot.commands.run_command`` like every other.
- ``register`` / ``update``: a submitted form (e.g. a Slack modal built from ``FIELDS``).
- ``handle_action``: the ``account.confirm`` / ``account.return`` buttons of a 開設届.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.accounts import commands, service
from bot.accounts.validation import FIELDS, FormField
from bot.clock import Clock
from bot.db import transaction
from bot.directory import service as directory
from bot.directory.models import Person
from bot.errors import BotError
from bot.interaction import Actor, Reply, button_int, refusal, run_as, unsupported
from bot.notify.messages import OutMessage

ACTION_IDS = ("account.confirm", "account.return")

__all__ = [
    "ACTION_IDS",
    "FIELDS",
    "Actor",
    "FormField",
    "Reply",
    "form_values",
    "handle_action",
    "register",
    "update",
]


def register(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    values: Mapping[str, str],
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """Register an account from a submitted form; ``Reply.fields`` names what is wrong.

    With ``receipt`` the reply is also queued to the registrant in the same transaction.
    """

    def work(session: Session, person: Person) -> OutMessage:
        account = service.register_account(session, actor=person, values=values, clock=clock)
        return commands.registered_reply(account)

    return run_as(factory, actor, work, receipt=receipt, clock=clock)


def update(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    code: str,
    values: Mapping[str, str],
    clock: Clock | None = None,
) -> Reply:
    """Correct a registered or returned account's 運用ポリシー from a submitted form."""

    def work(session: Session, person: Person) -> OutMessage:
        account = service.update_registration(
            session, actor=person, code=code, values=values, clock=clock
        )
        return commands.reply(f"「{account.name}」の運用ポリシーを修正しました")

    return run_as(factory, actor, work)


def form_values(factory: sessionmaker[Session], *, code: str) -> dict[str, str]:
    """An account's current form values, to prefill an edit form (NotFound if unknown)."""
    with transaction(factory) as session:
        return service.form_values(session, account=directory.get_account(session, code=code))


def handle_action(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    action_id: str,
    value: dict[str, Any],
    reason: str | None = None,
    clock: Clock | None = None,
) -> Reply:
    """A 開設届 button: ``account.confirm`` or ``account.return`` (with ``reason``)."""
    try:
        registration_id = button_int(value, "registration")
    except BotError as exc:
        return refusal(exc)
    if action_id not in ACTION_IDS:
        return unsupported(action_id)

    def work(session: Session, person: Person) -> OutMessage:
        if action_id == "account.confirm":
            reg = service.confirm_registration(
                session, actor=person, registration_id=registration_id, clock=clock
            )
            return commands.confirmed_reply(reg)
        reg = service.return_registration(
            session,
            actor=person,
            registration_id=registration_id,
            reason=reason or "",
            clock=clock,
        )
        return commands.returned_reply(reg)

    return run_as(factory, actor, work)

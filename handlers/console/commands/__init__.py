"""Console commands, one module per command; each defines ``register(registry)``.

``REGISTRARS`` lists them in /help order; a new command module is imported here and its
``register`` added to the tuple (see handlers/console/__init__.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from handlers.console.commands import (
    account,
    ack,
    as_user,
    cancel,
    check,
    custody,
    decide,
    draft,
    drafts,
    edit,
    inbox,
    incident,
    published,
    quit,
    report,
    snooze,
    withdraw,
)
from handlers.console.commands import help as help_command
from handlers.console.router import Registry

Registrar = Callable[[Registry], None]

REGISTRARS: tuple[Registrar, ...] = (
    help_command.register,
    as_user.register,
    draft.register,
    check.register,
    decide.register,
    edit.register,
    published.register,
    report.register,
    ack.register,
    withdraw.register,
    drafts.register,
    inbox.register,
    account.register,
    custody.register,
    incident.register,
    snooze.register,
    cancel.register,
    quit.register,
)


def build_registry(registrars: Iterable[Registrar] = REGISTRARS) -> Registry:
    """A registry with every command module's commands."""
    registry = Registry()
    for register in registrars:
        register(registry)
    return registry

"""The composition root: the one place that puts the application together.

Every process (``python -m bot …``, ``python -m handlers.slack``, ``python -m handlers.teams``
and the test fixtures) builds the application here, so nothing is registered as a side
effect of importing a module:

- ``wire()`` registers the cross-domain hooks (today: a decision on an incident's response
  draft lands on the incident's timeline, in the same transaction);
- ``reminder_sources(settings)`` lists the reminder sources this deployment sweeps;
- ``build(database_url)`` wires, migrates and returns the ``App`` (sessions and clock);
- ``Adapters`` is what only an entry point can supply, because ``bot/`` never imports
  ``handlers/``: how to start the console, and how to build a notifier per platform for
  the worker. ``bot/__main__.py`` (``python -m bot``) is that entry point.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.custody.reminders import CustodySource, HandoverSource
from bot.db import make_engine, make_sessionmaker, upgrade
from bot.drafts import service as drafts
from bot.drafts.reminders import DraftSource
from bot.incidents import responses as incident_responses
from bot.incidents.reminders import IncidentSource
from bot.notify.port import Notifier
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.sources import ReminderSource

# ``console(args, factory)`` runs the local console for the parsed ``python -m bot console``
# arguments and returns the exit status.
ConsoleRunner = Callable[[argparse.Namespace, sessionmaker[Session]], int]
# ``factory(settings)`` builds the platform's notifier from the core ``Settings``.
NotifierFactory = Callable[[Any], Notifier]


@dataclass(frozen=True)
class Adapters:
    """Platform parts an entry point passes in (``bot/`` never imports ``handlers/``)."""

    console: ConsoleRunner | None = None
    notifiers: Mapping[str, NotifierFactory] = field(default_factory=dict)


@dataclass(frozen=True)
class App:
    """The running application's shared parts."""

    factory: sessionmaker[Session]
    clock: Clock


def wire() -> None:
    """Register the cross-domain hooks. Idempotent: every entry point calls it once."""
    drafts.on_decision(incident_responses.on_draft_decided)


def reminder_sources(settings: ReminderSettings) -> list[ReminderSource]:
    """Every reminder source of this deployment: drafts (W1–W4), incidents (6(3)),
    credential custody and handovers after personnel transfers (5(10), bot.custody)."""
    return [
        DraftSource(settings),
        IncidentSource(settings),
        CustodySource(settings),
        HandoverSource(settings),
    ]


def build(database_url: str, *, clock: Clock | None = None, migrate: bool = True) -> App:
    """Wire the hooks, migrate the schema (unless ``migrate`` is False) and open sessions."""
    wire()
    if migrate:
        upgrade(database_url)
    return App(factory=make_sessionmaker(make_engine(database_url)), clock=clock or SystemClock())

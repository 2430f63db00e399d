"""The composition root: the one place that puts the application together.

Every process (``python -m bot …``, ``python -m handlers.slack``, ``python -m handlers.teams``
and the test fixtures) builds the application here, so nothing is registered as a side
effect of importing a module:

- ``wire()`` registers the cross-domain hooks (today: a decision on an incident's response
  draft lands on the incident's timeline, in the same transaction);
- ``reminder_sources(settings)`` lists the reminder sources this deployment sweeps;
- ``worker_jobs(worker)`` lists the worker's jobs (reminders, digest, outbox, personnel
  transfers, audit checkpoints and the daily head) and ``schedule_jobs`` adds them;
- ``build(database_url)`` wires, migrates and returns the ``App`` (sessions and clock);
- ``Adapters`` is what only an entry point can supply, because ``bot/`` never imports
  ``handlers/``: how to start the console, and how to build a notifier per platform for
  the worker. ``bot/__main__.py`` (``python -m bot``) is that entry point.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
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
from bot.scheduler.worker import Job, Worker, add_jobs

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
    drafts.decision_hooks.register(incident_responses.on_draft_decided)


def reminder_sources(settings: ReminderSettings) -> list[ReminderSource]:
    """Every reminder source of this deployment: drafts (W1–W4), incidents (6(3)),
    credential custody and handovers after personnel transfers (5(10), bot.custody)."""
    return [
        DraftSource(settings),
        IncidentSource(settings),
        CustodySource(settings),
        HandoverSource(settings),
    ]


SWEEP_JOB = "reminders.sweep"
DIGEST_JOB = "reminders.digest"
OUTBOX_JOB = "outbox.deliver"
CHECKPOINT_JOB = "audit.checkpoint"
HEAD_JOB = "audit.head"
TRANSFERS_JOB = "directory.transfers"


def worker_jobs(worker: Worker, *, start: datetime | None = None) -> list[Job]:
    """The worker's jobs in this deployment, in the calendar's time zone.

    The interval jobs run first at ``start`` (default: now), the outbox a second later and
    the audit checkpoint two: a worker that was down for hours anchors the chain at once.
    """
    settings = worker.plan.settings
    zone = worker.plan.calendar.zone
    first = start or SystemClock().now()
    return [
        Job(
            SWEEP_JOB,
            "reminders: schedule and send what is due",
            worker.sweep,
            IntervalTrigger(seconds=settings.sweep_interval_seconds, timezone=zone),
            next_run_time=first,
        ),
        Job(
            # Transfers take effect at 00:00 JST; checked with every sweep interval.
            TRANSFERS_JOB,
            "directory: apply personnel transfers on their effective date",
            worker.transfers,
            IntervalTrigger(seconds=settings.sweep_interval_seconds, timezone=zone),
            next_run_time=first,
        ),
        Job(
            DIGEST_JOB,
            "reminders: daily digest to 情報政策課",
            worker.digest,
            CronTrigger.from_crontab(settings.digest_cron, timezone=zone),
            # A worker (re)started within the hour after the digest time still sends it;
            # the dedupe key keeps it to one per day.
            misfire_grace_time=3600,
        ),
        Job(
            OUTBOX_JOB,
            "outbox: deliver pending notifications",
            worker.deliver,
            IntervalTrigger(seconds=settings.outbox_interval_seconds, timezone=zone),
            next_run_time=first + timedelta(seconds=1),
        ),
        Job(
            CHECKPOINT_JOB,
            "audit: sign the chain head (at least hourly)",
            worker.checkpoint,
            IntervalTrigger(minutes=worker.audit.checkpoint_minutes, timezone=zone),
            next_run_time=first + timedelta(seconds=2),
        ),
        Job(
            HEAD_JOB,
            "audit: the daily copy of the head to 情報政策課",
            worker.publish_head,
            CronTrigger.from_crontab(worker.audit.head_cron, timezone=zone),
            misfire_grace_time=3600,
        ),
    ]


def schedule_jobs(
    scheduler: BaseScheduler, worker: Worker, *, start: datetime | None = None
) -> None:
    """Add this deployment's worker jobs to ``scheduler`` (replacing any earlier ones)."""
    add_jobs(scheduler, worker_jobs(worker, start=start))


def build(database_url: str, *, clock: Clock | None = None, migrate: bool = True) -> App:
    """Wire the hooks, migrate the schema (unless ``migrate`` is False) and open sessions."""
    wire()
    if migrate:
        upgrade(database_url)
    return App(factory=make_sessionmaker(make_engine(database_url)), clock=clock or SystemClock())

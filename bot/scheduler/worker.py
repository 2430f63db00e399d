"""The ``worker`` process (Procfile ``worker: python -m bot worker``): APScheduler 3.x.

Jobs have fixed ids and live in APScheduler's in-memory job store: the schedule that must
survive a restart is not APScheduler's but the reminder rows and the items' own timestamps,
which every sweep reads afresh. Several workers may run at once (a rolling deploy, a
mistake): claims and dedupe keys keep every reminder and digest single.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.db import transaction
from bot.notify.port import Notifier
from bot.notify.service import DeliveryStats, deliver_pending
from bot.scheduler.service import Plan, SweepStats, send_digest, sweep

log = logging.getLogger(__name__)

SWEEP_JOB = "reminders.sweep"
DIGEST_JOB = "reminders.digest"
OUTBOX_JOB = "outbox.deliver"


def worker_id() -> str:
    """A name for this process in ``claimed_by`` (host and pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass
class Worker:
    """The three jobs, callable directly (tests, ``--once``) or from the scheduler."""

    factory: sessionmaker[Session]
    plan: Plan
    notifier: Notifier
    clock: Clock
    name: str

    def sweep(self) -> SweepStats:
        return sweep(self.factory, plan=self.plan, worker=self.name, clock=self.clock)

    def digest(self) -> bool:
        with transaction(self.factory) as session:
            return send_digest(session, plan=self.plan, clock=self.clock) is not None

    def deliver(self) -> DeliveryStats:
        total = DeliveryStats()
        while True:
            stats = deliver_pending(self.factory, self.notifier, clock=self.clock)
            total.sent += stats.sent
            total.retried += stats.retried
            total.waiting += stats.waiting
            if stats.sent == 0:
                return total

    def run_once(self, *, digest: bool = False) -> tuple[SweepStats, DeliveryStats]:
        stats = self.sweep()
        if digest:
            self.digest()
        return stats, self.deliver()


def _guarded(name: str, func: Any) -> Any:
    def job() -> None:
        try:
            func()
        except Exception:  # keep the scheduler alive; the next run retries
            log.exception("job %s failed", name)

    job.__name__ = name.replace(".", "_")
    return job


def schedule_jobs(
    scheduler: BaseScheduler, worker: Worker, *, start: datetime | None = None
) -> None:
    """Add the worker's jobs to ``scheduler`` under fixed ids (replacing any earlier ones)."""
    settings = worker.plan.settings
    zone = worker.plan.calendar.zone
    first = start or SystemClock().now()
    scheduler.add_job(
        _guarded(SWEEP_JOB, worker.sweep),
        IntervalTrigger(seconds=settings.sweep_interval_seconds, timezone=zone),
        id=SWEEP_JOB,
        name="reminders: schedule and send what is due",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        next_run_time=first,
    )
    scheduler.add_job(
        _guarded(DIGEST_JOB, worker.digest),
        CronTrigger.from_crontab(settings.digest_cron, timezone=zone),
        id=DIGEST_JOB,
        name="reminders: daily digest to 情報政策課",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        # A worker (re)started within the hour after the digest time still sends it; the
        # dedupe key keeps it to one per day.
        misfire_grace_time=3600,
    )
    scheduler.add_job(
        _guarded(OUTBOX_JOB, worker.deliver),
        IntervalTrigger(seconds=settings.outbox_interval_seconds, timezone=zone),
        id=OUTBOX_JOB,
        name="outbox: deliver pending notifications",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        next_run_time=first + timedelta(seconds=1),
    )


def build_scheduler(worker: Worker) -> BlockingScheduler:
    """A blocking scheduler with the worker's jobs, in the calendar's time zone."""
    scheduler = BlockingScheduler(timezone=worker.plan.calendar.zone)
    schedule_jobs(scheduler, worker)
    return scheduler

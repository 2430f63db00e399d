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
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.settings import AuditSettings
from bot.clock import Clock, SystemClock, format_jst
from bot.custody.transfers import apply_due
from bot.db import transaction
from bot.errors import is_unavailable
from bot.notify.port import Notifier
from bot.notify.service import DeliveryStats, deliver_pending
from bot.scheduler.service import Plan, SweepStats, send_digest, sweep

log = logging.getLogger(__name__)

SWEEP_JOB = "reminders.sweep"
DIGEST_JOB = "reminders.digest"
OUTBOX_JOB = "outbox.deliver"
CHECKPOINT_JOB = "audit.checkpoint"
HEAD_JOB = "audit.head"
TRANSFERS_JOB = "directory.transfers"


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
    audit: AuditSettings = field(default_factory=AuditSettings)

    def transfers(self) -> int:
        """Apply the personnel transfers whose date has come (idempotent, bot.custody)."""
        with transaction(self.factory) as session:
            return len(apply_due(session, clock=self.clock).transfers)

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

    def checkpoint(self) -> bool:
        """Sign the audit chain's head; on a chain that does not verify, alert 情報政策課."""
        from bot.audit import keys
        from bot.audit.checkpoints import ChainBroken, alert_message, write_checkpoint
        from bot.notify.service import enqueue

        if keys.current_signer() is None:
            return False
        try:
            with transaction(self.factory) as session:
                write_checkpoint(session, reason="hourly", clock=self.clock)
            return True
        except ChainBroken as exc:
            first = exc.problems[0]
            log.error(
                "audit chain does not verify at seq %s (%s): not signed", first.seq, first.kind
            )
            day = format_jst(self.clock.now()).split(" ")[0]
            with transaction(self.factory) as session:
                enqueue(
                    session,
                    message=alert_message(exc.problems),
                    to_channel=self.audit.head_channel,
                    dedupe_key=f"audit.alert:{day}:{first.seq}:{first.kind}",
                    clock=self.clock,
                )
            return False

    def publish_head(self) -> bool:
        """Today's copy of the head to 情報政策課's channel (once a day)."""
        from bot.audit.checkpoints import publish_head

        with transaction(self.factory) as session:
            row = publish_head(session, channel=self.audit.head_channel, clock=self.clock)
        return row is not None

    def run_once(self, *, digest: bool = False) -> tuple[SweepStats, DeliveryStats]:
        self.transfers()
        stats = self.sweep()
        if digest:
            self.digest()
        return stats, self.deliver()


def _guarded(name: str, func: Any) -> Any:
    def job() -> None:
        try:
            func()
        except Exception as exc:  # keep the scheduler alive; the next run retries
            if is_unavailable(exc):
                # Expected while the database is down: one line per run, no traceback.
                # The pool's pre-ping reconnects on the first run after it is back.
                log.warning("job %s: database unavailable (%s)", name, type(exc).__name__)
                return
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
        # Transfers take effect at 00:00 JST; checked with every sweep interval.
        _guarded(TRANSFERS_JOB, worker.transfers),
        IntervalTrigger(seconds=settings.sweep_interval_seconds, timezone=zone),
        id=TRANSFERS_JOB,
        name="directory: apply personnel transfers on their effective date",
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
    scheduler.add_job(
        _guarded(CHECKPOINT_JOB, worker.checkpoint),
        IntervalTrigger(minutes=worker.audit.checkpoint_minutes, timezone=zone),
        id=CHECKPOINT_JOB,
        name="audit: sign the chain head (at least hourly)",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        # One at start too: a worker that was down for hours anchors the chain at once.
        next_run_time=first + timedelta(seconds=2),
    )
    scheduler.add_job(
        _guarded(HEAD_JOB, worker.publish_head),
        CronTrigger.from_crontab(worker.audit.head_cron, timezone=zone),
        id=HEAD_JOB,
        name="audit: the daily copy of the head to 情報政策課",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
    )


def build_scheduler(worker: Worker) -> BlockingScheduler:
    """A blocking scheduler with the worker's jobs, in the calendar's time zone."""
    scheduler = BlockingScheduler(timezone=worker.plan.calendar.zone)
    schedule_jobs(scheduler, worker)
    return scheduler

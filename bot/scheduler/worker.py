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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.settings import AuditSettings
from bot.clock import Clock, format_jst
from bot.custody.transfers import apply_due
from bot.db import transaction
from bot.errors import is_unavailable, new_error_id
from bot.guideline import service as guideline_service
from bot.logsafe import where
from bot.notify.port import Notifier, PerTenantNotifier
from bot.notify.service import DeliveryStats, deliver_pending, pending_count
from bot.scheduler.service import Plan, SweepStats, send_digest, sweep
from bot.tenancy import for_tenant, tenant_ids

log = logging.getLogger(__name__)


def worker_id() -> str:
    """A name for this process in ``claimed_by`` (host and pid)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass
class Worker:
    """The jobs, callable directly (tests, ``--once``) or from the scheduler.

    One worker serves every tenant of the deployment: each job runs once per tenant
    (``bot.tenancy.tenant_ids``), in sessions of that tenant, so reminders, the outbox,
    transfers and audit checkpoints never mix two cities. ``notifier_for(tenant)`` gives
    the notifier of a tenant (its own Slack token: ``PerTenantNotifier.for_tenant``), or
    None while the tenant has no credentials: its messages then stay in the outbox; they
    are never sent with another tenant's. Without ``notifier_for``, ``notifier`` serves all.

    ``plan`` is the deployment's; each tenant's sweep and digest run on
    ``plan_for(factory)``: that plan under the tenant's guideline in force (its
    ``reminders`` and ``calendar``, ``Plan.for_guideline``), looked up afresh on every run,
    so a new version loaded for one tenant counts from its next sweep and no other's.
    """

    factory: sessionmaker[Session]
    plan: Plan
    notifier: Notifier
    clock: Clock
    name: str
    audit: AuditSettings = field(default_factory=AuditSettings)
    notifier_for: Callable[[str], Notifier | None] | None = None
    # Plans under a guideline, by the file's SHA-256 (content-addressed: tenants with the
    # same file share one, and its calendar's holidays are computed once).
    _plans: dict[str, Plan] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.notifier_for is None and isinstance(self.notifier, PerTenantNotifier):
            self.notifier_for = self.notifier.for_tenant

    def plan_for(self, factory: sessionmaker[Session]) -> Plan:
        """The plan of the tenant ``factory`` works for: under its guideline in force."""
        if self.plan.make_sources is None:
            return self.plan  # fixed sources: one plan for every tenant
        with factory() as session:
            guideline = guideline_service.in_force(session)
        key = guideline.sha256
        plan = self._plans.get(key) if key else None
        if plan is None:
            plan = self.plan.for_guideline(guideline)
            if key:
                self._plans[key] = plan
        return plan

    def tenants(self) -> list[tuple[str, sessionmaker[Session]]]:
        """Every tenant with a session factory of its own (the default tenant first)."""
        with self.factory() as session:
            ids = tenant_ids(session)
        return [(t, for_tenant(self.factory, t)) for t in ids]

    def transfers(self) -> int:
        """Apply the personnel transfers whose date has come (idempotent, bot.custody)."""
        applied = 0
        for _tenant, factory in self.tenants():
            with transaction(factory) as session:
                applied += len(apply_due(session, clock=self.clock).transfers)
        return applied

    def sweep(self) -> SweepStats:
        total = SweepStats()
        for _tenant, factory in self.tenants():
            plan = self.plan_for(factory)
            stats = sweep(factory, plan=plan, worker=self.name, clock=self.clock)
            for name in ("scheduled", "sent", "cancelled", "lost", "batches"):
                setattr(total, name, getattr(total, name) + getattr(stats, name))
            for key, value in stats.extra.items():
                total.extra[key] = total.extra.get(key, 0) + value
        return total

    def digest(self) -> bool:
        sent = False
        for _tenant, factory in self.tenants():
            plan = self.plan_for(factory)
            with transaction(factory) as session:
                sent = send_digest(session, plan=plan, clock=self.clock) is not None or sent
        return sent

    def deliver(self) -> DeliveryStats:
        total = DeliveryStats()
        for tenant, factory in self.tenants():
            notifier = self.notifier_for(tenant) if self.notifier_for else self.notifier
            if notifier is None:
                held = pending_count(factory)
                total.held += held
                if held:
                    log.warning(
                        "outbox of tenant %s: %d message(s) kept, not sent: "
                        "no %s installation for this tenant's workspace",
                        tenant,
                        held,
                        self.notifier.platform,
                    )
                continue
            while True:
                stats = deliver_pending(factory, notifier, clock=self.clock)
                total.sent += stats.sent
                total.retried += stats.retried
                total.waiting += stats.waiting
                if stats.sent == 0:
                    break
        return total

    def checkpoint(self) -> bool:
        """Sign each tenant's audit chain head (True if every one was signed)."""
        results = [self._checkpoint(factory) for _tenant, factory in self.tenants()]
        return bool(results) and all(results)

    def _checkpoint(self, factory: sessionmaker[Session]) -> bool:
        """Sign the audit chain's head; on a chain that does not verify, alert 情報政策課."""
        from bot.audit import keys
        from bot.audit.checkpoints import ChainBroken, alert_message, write_checkpoint
        from bot.notify.service import enqueue

        if keys.current_signer() is None:
            return False
        try:
            with transaction(factory) as session:
                write_checkpoint(session, reason="hourly", clock=self.clock)
            return True
        except ChainBroken as exc:
            first = exc.problems[0]
            log.error(
                "audit chain does not verify at seq %s (%s): not signed", first.seq, first.kind
            )
            day = format_jst(self.clock.now()).split(" ")[0]
            with transaction(factory) as session:
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

        published = False
        for _tenant, factory in self.tenants():
            with transaction(factory) as session:
                row = publish_head(session, channel=self.audit.head_channel, clock=self.clock)
            published = row is not None or published
        return published

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
            # One line per failed run with an error id; no traceback (it quotes data).
            if is_unavailable(exc):
                # Expected while the database is down. The pool's pre-ping reconnects on
                # the first run after it is back.
                log.warning(
                    "job %s: database unavailable error_id=%s exc=%s",
                    name,
                    new_error_id(),
                    type(exc).__qualname__,
                )
                return
            log.error(
                "job %s failed error_id=%s exc=%s at=%s",
                name,
                new_error_id(),
                type(exc).__qualname__,
                where(exc) or "-",
            )

    job.__name__ = name.replace(".", "_")
    return job


@dataclass(frozen=True)
class Job:
    """One job of the worker: a fixed id, a name for the log, what to run and when.

    ``next_run_time`` and ``misfire_grace_time`` are left to APScheduler when None. The
    composition root (``bot.app.worker_jobs``) lists the jobs of a deployment.
    """

    id: str
    name: str
    run: Callable[[], object]
    trigger: BaseTrigger
    next_run_time: datetime | None = None
    misfire_grace_time: int | None = None


def add_jobs(scheduler: BaseScheduler, jobs: Iterable[Job]) -> None:
    """Add ``jobs`` to ``scheduler`` under their fixed ids (replacing any earlier ones).

    A job never runs twice at once in one process and a backlog of missed runs runs once;
    a failing run is logged and the next one retries.
    """
    for job in jobs:
        timing: dict[str, Any] = {}
        if job.next_run_time is not None:
            timing["next_run_time"] = job.next_run_time
        if job.misfire_grace_time is not None:
            timing["misfire_grace_time"] = job.misfire_grace_time
        scheduler.add_job(
            _guarded(job.id, job.run),
            job.trigger,
            id=job.id,
            name=job.name,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            **timing,
        )


def build_scheduler(worker: Worker, jobs: Iterable[Job]) -> BlockingScheduler:
    """A blocking scheduler with ``jobs``, in the worker's calendar's time zone."""
    scheduler = BlockingScheduler(timezone=worker.plan.calendar.zone)
    add_jobs(scheduler, jobs)
    return scheduler

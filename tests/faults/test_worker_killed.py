"""kill -9 the worker in the middle of a sweep of 1,000 due reminders (issue 17, item 5).

A real ``python -m bot worker`` process on PostgreSQL, killed with SIGKILL while it is
half-way through the batches; a new worker started after the dead one's leases ran out
sends the rest. Every reminder is sent exactly once: one outbox row per reminder, one
delivery per outbox row, one audit entry per reminder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.audit import verify
from bot.audit.models import AuditEvent
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from tests.scheduler.conftest import jst, make_draft, make_world

ROOT = Path(__file__).resolve().parents[2]
DUE = 1000
# Thirteen o'clock on a Wednesday: each draft submitted at nine has waited four business
# hours for its 決裁 (one reminder each; the deputy escalation comes later).
FIRST_RUN = "2026-11-25T14:00+09:00"
# After the dead worker's leases (REMINDER_LEASE_SECONDS, below) have run out.
SECOND_RUN = "2026-11-25T14:10+09:00"


def _env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REMINDER_", "AUDIT_"))}
    env.update(
        DATABASE_URL=db_url,
        BOT_PLATFORM="console",
        # Ten reminders per batch: a hundred transactions, so "half-way" lasts long enough
        # to be seen and killed.
        REMINDER_BATCH_SIZE="10",
        REMINDER_LEASE_SECONDS="300",
        PYTHONPATH=str(ROOT),
    )
    return env


def _sent(factory) -> int:
    with factory() as session:
        return session.scalar(
            sa.select(sa.func.count()).select_from(Reminder).where(Reminder.status == "sent")
        )


def test_worker_killed_mid_sweep_sends_every_reminder_exactly_once(
    committed_factory, db_url, backend, tmp_path
):
    if backend != "postgresql":
        pytest.skip("the fault test runs on PostgreSQL (row leases with SKIP LOCKED)")
    with committed_factory() as session, session.begin():
        world = make_world(session)
        for _ in range(DUE):
            make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    env = _env(db_url)
    cmd = [sys.executable, "-m", "bot", "worker", "--once"]

    with open(tmp_path / "first.out", "w") as out, open(tmp_path / "first.err", "w") as err:
        first = subprocess.Popen(
            [*cmd, "--at", FIRST_RUN, "--name", "doomed"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=err,
        )
    deadline = time.monotonic() + 120
    while _sent(committed_factory) < DUE // 5:
        assert first.poll() is None, (tmp_path / "first.err").read_text()
        assert time.monotonic() < deadline, "the first worker made no progress"
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    killed_at = _sent(committed_factory)
    assert DUE // 5 <= killed_at < DUE, "the sweep had already finished: not killed mid-sweep"
    with committed_factory() as session:
        # The dead worker left a claim behind (its lease is still running) or was between
        # batches; either way nothing was delivered yet (delivery follows the sweep).
        assert (
            session.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == "sent")
            )
            == 0
        )

    second = subprocess.run(
        [*cmd, "--at", SECOND_RUN, "--name", "heir"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert second.returncode == 0, second.stderr
    first_out = (tmp_path / "first.out").read_text()
    delivered = first_out.count("[reminder.") + second.stdout.count("[reminder.")
    assert delivered == DUE  # each message reached the platform once

    with committed_factory() as session:
        reminders = session.execute(
            sa.select(Reminder.id, Reminder.status, Reminder.outbox_id)
        ).all()
        assert len(reminders) == DUE
        assert {status for _, status, _ in reminders} == {"sent"}
        outbox_ids = [o for _, _, o in reminders]
        assert None not in outbox_ids and len(set(outbox_ids)) == DUE
        rows = session.execute(
            sa.select(OutboxMessage.status, OutboxMessage.attempts).where(
                OutboxMessage.dedupe_key.like("reminder:%")
            )
        ).all()
        assert len(rows) == DUE
        assert set(rows) == {("sent", 1)}
        # The audit log lists each reminder once: the killed batch's transaction left nothing.
        listed = [
            entry["id"]
            for data in session.scalars(
                sa.select(AuditEvent.data).where(AuditEvent.action == "reminder.sent")
            )
            for entry in data["reminders"]
        ]
        assert sorted(listed) == sorted(r for r, _, _ in reminders)
        assert verify(session) == []

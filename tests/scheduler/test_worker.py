"""The worker process: two at once send each reminder once; bad configuration stops it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app import (
    CHECKPOINT_JOB,
    DIGEST_JOB,
    HEAD_JOB,
    OUTBOX_JOB,
    SWEEP_JOB,
    TRANSFERS_JOB,
    schedule_jobs,
)
from bot.cli import main
from bot.clock import FakeClock
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from bot.scheduler.notifiers import PrintNotifier, make_notifier
from bot.scheduler.worker import Worker

from .conftest import jst, make_draft, make_world

ROOT = Path(__file__).resolve().parents[2]
DRAFTS = 120


def _worker_env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REMINDER_")}
    env.update(
        DATABASE_URL=db_url,
        BOT_PLATFORM="console",
        # Small batches: the two workers interleave many claims instead of one each.
        REMINDER_BATCH_SIZE="3",
        PYTHONPATH=str(ROOT),
    )
    return env


def test_two_worker_processes_send_each_reminder_once(committed_factory, db_url, tmp_path):
    with committed_factory() as session, session.begin():
        world = make_world(session)
        for i in range(DRAFTS):
            make_draft(session, world, submitted=jst("2026-11-25 09:00"))
            if i % 2:
                make_draft(
                    session,
                    world,
                    state="exempt",
                    exemption="イ",
                    submitted=jst("2026-11-25 08:00"),
                    planned_at=jst("2026-11-25 09:00"),
                )
    expected = DRAFTS + DRAFTS // 2  # approval reminders + missing-report reminders

    cmd = [sys.executable, "-m", "bot", "worker", "--once", "--at", "2026-11-25T13:00+09:00"]
    env = _worker_env(db_url, tmp_path)
    # Output goes to files, not pipes: a worker blocked on a full pipe would hold its
    # database transaction open and stall the other one.
    names = ("worker-a", "worker-b")
    procs = []
    for name in names:
        with open(tmp_path / f"{name}.out", "w") as out, open(tmp_path / f"{name}.err", "w") as err:
            procs.append(
                subprocess.Popen(
                    [*cmd, "--name", name], cwd=tmp_path, env=env, stdout=out, stderr=err
                )
            )
    for p in procs:
        p.wait(timeout=300)
    outputs = [
        ((tmp_path / f"{n}.out").read_text(), (tmp_path / f"{n}.err").read_text()) for n in names
    ]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err

    sent = [int(re.search(r"送信 (\d+)件", out)[1]) for out, _ in outputs]
    delivered = sum(out.count("[reminder.") for out, _ in outputs)
    assert sum(sent) == expected
    assert delivered == expected  # each message reached the platform once
    with committed_factory() as session:
        rows = session.execute(sa.select(Reminder.status, Reminder.claimed_by)).all()
        assert len(rows) == expected
        assert {status for status, _ in rows} == {"sent"}
        outbox_rows = session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("reminder:%"))
        ).all()
        assert len(outbox_rows) == expected
        assert {o.status for o in outbox_rows} == {"sent"}

    # And running both again changes nothing.
    again = [
        subprocess.run(
            [*cmd, "--name", n], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        for n in ("worker-a", "worker-b")
    ]
    assert all("送信 0件" in r.stdout for r in again)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REMINDER_TIMEZONE", "Asia/Tokio"),
        ("REMINDER_APPROVAL_ESCALATE_AFTER_HOURS", "-8"),
        ("REMINDER_DIGEST_CRON", "0 9 * *"),
    ],
)
def test_worker_refuses_to_start_on_bad_configuration(monkeypatch, capsys, variable, value):
    monkeypatch.setenv(variable, value)
    called = []
    monkeypatch.setattr("bot.scheduler.cli.upgrade", lambda url: called.append(url))
    assert main(["worker"]) == 2
    err = capsys.readouterr().err
    assert variable in err and "ワーカーを起動できません" in err
    assert called == []  # refused before touching the database


def test_worker_refuses_an_unknown_platform(monkeypatch, capsys):
    monkeypatch.setenv("BOT_PLATFORM", "line")
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        assert main(["worker"]) == 2
    finally:
        get_settings.cache_clear()
    assert "BOT_PLATFORM" in capsys.readouterr().err


def test_jobs_have_fixed_ids(factory, plan):
    worker = Worker(
        factory=factory, plan=plan, notifier=PrintNotifier(), clock=FakeClock(), name="t"
    )
    scheduler = BlockingScheduler(timezone=plan.calendar.zone)
    schedule_jobs(scheduler, worker, start=jst("2026-11-25 09:00"))
    schedule_jobs(scheduler, worker, start=jst("2026-11-25 09:00"))  # replaces, no duplicates
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        SWEEP_JOB,
        DIGEST_JOB,
        OUTBOX_JOB,
        CHECKPOINT_JOB,
        HEAD_JOB,
        TRANSFERS_JOB,
    }
    digest = jobs[DIGEST_JOB].trigger
    fire = digest.get_next_fire_time(None, jst("2026-11-27 10:00"))  # Friday after 09:00
    assert fire == jst("2026-11-30 09:00")  # next weekday morning


def test_console_falls_back_to_printing(capsys):
    notifier = make_notifier("console", None, {})
    assert notifier.platform == "console"

"""One reminder sweep over 100,000 open items: wall time and peak memory.

    python benchmarks/bench_reminders.py [--items 100000] [--due 1000] [--backend sqlite|postgresql|both]

Creates the items with bulk inserts (not timed), then times one ``sweep()`` — schedule
every due reminder with one set-based ``INSERT … SELECT`` per rule, then claim and send
(enqueue + audit) what is due — on a fresh database per backend. Peak memory is the
tracemalloc peak of Python allocations during the sweep, and the process's peak RSS
(``ru_maxrss``) for the whole run. Targets: < 1 s and < 200 MB.

Scenarios: ``--due`` items fall due now (the rest are open but not yet due) — the sweep
scans all open items either way; sending is what costs per due item.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
import sqlalchemy.orm

from bot.clock import FakeClock
from bot.db import make_engine, make_sessionmaker, upgrade
from bot.directory.models import Account, Department, Person
from bot.drafts.models import Draft, DraftVersion
from bot.scheduler.drafts import DraftSource
from bot.scheduler.models import Reminder
from bot.scheduler.service import build_plan, sweep
from bot.scheduler.settings import ReminderSettings

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=JST)  # a Wednesday afternoon
DUE_AT = datetime(2026, 11, 25, 9, 0, tzinfo=JST)  # 4 business hours before NOW
NOT_YET = datetime(2026, 11, 25, 12, 0, tzinfo=JST)
PG_ADMIN = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def populate(url: str, items: int, due: int) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        head = conn.execute(
            sa.insert(Person).values(handle="head", name="所属長", active=True).returning(Person.id)
        ).scalar_one()
        author = conn.execute(
            sa.insert(Person).values(handle="author", name="職員", active=True).returning(Person.id)
        ).scalar_one()
        dept = conn.execute(
            sa.insert(Department).values(code="d", name="課", head_id=head).returning(Department.id)
        ).scalar_one()
        account = conn.execute(
            sa.insert(Account)
            .values(code="a", name="公式X", media="X", department_id=dept, status="confirmed")
            .returning(Account.id)
        ).scalar_one()
        text_hash = hashlib.sha256(b"x").hexdigest()
        chunk = 10_000
        for start in range(0, items, chunk):
            ids = range(start + 1, min(start + chunk, items) + 1)
            drafts = []
            versions = []
            for i in ids:
                submitted = DUE_AT if i <= due else NOT_YET
                drafts.append(
                    {
                        "id": i,
                        "account_id": account,
                        "author_id": author,
                        "state": "pending_approval",
                        "current_version": 1,
                        "photo_people": "none",
                        "photo_consent": False,
                        "created_at": submitted,
                        "updated_at": submitted,
                    }
                )
                versions.append(
                    {
                        "draft_id": i,
                        "number": 1,
                        "text": "本文",
                        "text_hash": text_hash,
                        "verdict": "ok",
                        "findings": [],
                        "created_at": submitted,
                    }
                )
            conn.execute(sa.insert(Draft), drafts)
            conn.execute(sa.insert(DraftVersion), versions)
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def measure(url: str, label: str, max_batches: int | None = None) -> dict[str, float]:
    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    plan = build_plan(settings, [DraftSource(settings)])
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    # Warm the connection pool and the holiday tables (not part of a sweep's cost).
    with factory() as s:
        s.execute(sa.text("SELECT 1"))
    plan.calendar.is_business_day(NOW.date())
    sa.orm.configure_mappers()  # once per process, done by any running worker long before
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    stats = sweep(factory, plan=plan, worker="bench", clock=FakeClock(NOW), max_batches=max_batches)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with factory() as s:
        rows = s.scalar(sa.select(sa.func.count()).select_from(Reminder))
    # Second sweep a minute later: nothing new (the steady state of a running worker).
    started2 = time.perf_counter()
    stats2 = sweep(
        factory,
        plan=plan,
        worker="bench",
        clock=FakeClock(NOW + timedelta(minutes=1)),
        max_batches=max_batches,
    )
    elapsed2 = time.perf_counter() - started2
    engine.dispose()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<11} sweep {elapsed:6.3f} s  scheduled {stats.scheduled:>6}  sent {stats.sent:>6}"
        f"  rows {rows:>6}  tracemalloc peak {peak / 2**20:6.1f} MB  max RSS {rss_mb:6.1f} MB"
        f"  | next sweep {elapsed2:6.3f} s (sent {stats2.sent})"
    )
    return {"seconds": elapsed, "peak_mb": peak / 2**20, "rss_mb": rss_mb}


def sqlite_url(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'bench.sqlite3'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument(
        "--max-batches",
        type=int,
        default=None,
        help="send at most this many batches per sweep (0: schedule only)",
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(f"{args.items} open drafts, {args.due} of them due now")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                url = sqlite_url(Path(tmp))
                upgrade(url)
                populate(url, args.items, args.due)
                measure(url, "sqlite", args.max_batches)
            continue
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
        try:
            upgrade(url)
            populate(url, args.items, args.due)
            measure(url, "postgresql", args.max_batches)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""One reminder sweep over 100,000 open items: wall time and peak memory.

    python benchmarks/bench_reminders.py [--items 100000] [--due 1000] [--runs 3]
                                         [--backend sqlite|postgresql|both] [--max-batches N]

Creates the items once per backend with bulk inserts (not timed) in a template database,
then, for each run, copies it to a fresh database and times one ``sweep()`` — schedule every
due reminder with one set-based ``INSERT … SELECT`` per rule, then claim and send (enqueue +
audit) what is due — in a fresh child process (the worker's situation: imports done, nothing
cached yet), followed by a second sweep a minute later (the steady state). Prints every run
and the median. Memory is measured in one more run on its own, because tracemalloc slows
Python down about threefold: the tracemalloc peak of Python allocations during the sweep,
and the child's peak RSS (``ru_maxrss``). Targets: < 1 s and < 200 MB.

Scenarios: ``--due`` items fall due now (the rest are open but not yet due) — the sweep
scans all open items either way; sending is what costs per due item.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
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
from bot.drafts.reminders import DraftSource
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
        # What autovacuum does to a table in service within a minute of a bulk load: planner
        # statistics, and hint bits / visibility map set once (otherwise the first sweep
        # pays for writing every freshly loaded page back).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def measure(url: str, *, max_batches: int | None, trace: bool) -> dict[str, float]:
    """One timed sweep and the next one (run in a child process)."""
    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    plan = build_plan(settings, [DraftSource(settings)])
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    # Warm the connection pool and the holiday tables (not part of a sweep's cost).
    with factory() as s:
        s.execute(sa.text("SELECT 1"))
        server_pid = s.scalar(sa.text("SELECT pg_backend_pid()")) if _is_pg(engine) else None
    plan.calendar.is_business_day(NOW.date())
    sa.orm.configure_mappers()  # once per process, done by any running worker long before
    gc.collect()
    if trace:
        tracemalloc.start()
    server_cpu = _server_cpu(server_pid)
    cpu = time.process_time()
    started = time.perf_counter()
    stats = sweep(factory, plan=plan, worker="bench", clock=FakeClock(NOW), max_batches=max_batches)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    server_cpu = _server_cpu(server_pid) - server_cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
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
    return {
        "seconds": elapsed,
        "cpu": cpu,
        "server_cpu": server_cpu,
        "next_seconds": elapsed2,
        "scheduled": stats.scheduled,
        "sent": stats.sent,
        "next_sent": stats2.sent,
        "rows": rows or 0,
        "peak_mb": peak / 2**20,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _is_pg(engine: sa.Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by a local PostgreSQL backend (0 if it cannot be read).

    The machine is shared, so wall time depends on the load; CPU time (this process and its
    server backend) shows what the sweep itself costs.
    """
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(url: str, *, max_batches: int | None, trace: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--measure", url]
    if max_batches is not None:
        args += ["--max-batches", str(max_batches)]
    if trace:
        args.append("--trace")
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


class SqliteBackend:
    name = "sqlite"

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.template = tmp / "template.sqlite3"

    def create_template(self, items: int, due: int) -> None:
        url = f"sqlite:///{self.template}"
        upgrade(url)
        populate(url, items, due)

    def fresh_copy(self, n: int) -> str:
        target = self.tmp / f"run{n}.sqlite3"
        shutil.copy(self.template, target)
        return f"sqlite:///{target}"

    def cleanup(self) -> None:
        pass


class PostgresBackend:
    name = "postgresql"

    def __init__(self) -> None:
        self.admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        self.prefix = f"bench_{uuid.uuid4().hex[:8]}"
        self.databases: list[str] = []

    def _create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as conn:
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
        self.databases.append(name)
        return sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)

    def create_template(self, items: int, due: int) -> None:
        url = self._create(f"{self.prefix}_tpl")
        upgrade(url)
        populate(url, items, due)

    def fresh_copy(self, n: int) -> str:
        # The copy keeps the template's planner statistics and visibility map.
        return self._create(f"{self.prefix}_{n}", template=f"{self.prefix}_tpl")

    def cleanup(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.databases):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


def bench(backend: SqliteBackend | PostgresBackend, args: argparse.Namespace) -> None:
    backend.create_template(args.items, args.due)
    runs = []
    for n in range(args.runs):
        result = run_child(backend.fresh_copy(n), max_batches=args.max_batches, trace=False)
        runs.append(result)
        print(
            f"{backend.name:<11} run {n + 1}: sweep {result['seconds']:6.3f} s"
            f" (CPU {result['cpu']:5.2f} s + server {result['server_cpu']:5.2f} s)"
            f"  scheduled {result['scheduled']:>6}  sent {result['sent']:>6}"
            f"  rows {result['rows']:>6}  | next sweep {result['next_seconds']:6.3f} s"
            f" (sent {result['next_sent']})",
            flush=True,
        )
    memory = run_child(backend.fresh_copy(args.runs), max_batches=args.max_batches, trace=True)
    median = statistics.median(r["seconds"] for r in runs)
    median_next = statistics.median(r["next_seconds"] for r in runs)
    median_cpu = statistics.median(r["cpu"] + r["server_cpu"] for r in runs)
    print(
        f"{backend.name:<11} median of {args.runs}: sweep {median:6.3f} s"
        f" (CPU incl. server {median_cpu:5.2f} s)"
        f"  next sweep {median_next:6.3f} s  tracemalloc peak {memory['peak_mb']:6.1f} MB"
        f"  max RSS {max(r['rss_mb'] for r in [*runs, memory]):6.1f} MB",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--max-batches",
        type=int,
        default=None,
        help="send at most this many batches per sweep (0: schedule only)",
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, max_batches=args.max_batches, trace=args.trace)))
        return 0
    print(f"{args.items} open drafts, {args.due} of them due now; load {os.getloadavg()[0]:.1f}")
    names = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            backend = SqliteBackend(Path(tmp)) if name == "sqlite" else PostgresBackend()
            try:
                bench(backend, args)
            finally:
                backend.cleanup()
    print(f"load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

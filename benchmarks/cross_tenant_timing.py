"""Does another city's existing id answer faster or slower than an id nobody has? (issue 15)

    python -m benchmarks.cross_tenant_timing                       # SQLite and PostgreSQL
    python -m benchmarks.cross_tenant_timing --backends postgresql --rounds 3000

Issue 15 item 5 asks that a user of tenant A trying tenant B's ids gets nothing, "no
timing difference worth naming". ``tests/tenancy/test_cross_tenant.py`` and
``tests/teams/test_cross_tenant.py`` prove the answers are identical; this measures the
time, which a test must not.

Set-up (a scratch database per backend, built by the migrations, dropped afterwards):
tenants town-a and city-b load the same demo directory; B has a pending draft, a
published draft, an incident and an account code A does not have (made through the
console, as a user would). Then, acting as A's users, through the neutral core every
adapter calls (``bot.commands.run_command``, ``bot.actions.run_action``), each operation
is run ``--rounds`` times with three ids, in a shuffled order:

- ``theirs``: B's existing id (or account code);
- ``nowhere``: an id no tenant has;
- ``nowhere2``: another id no tenant has (the noise floor: two ids that are *equally*
  absent; a difference between theirs and nowhere smaller than between nowhere and
  nowhere2 is noise).

Printed per operation: the median and p90 of each, in microseconds, and the differences
of the medians (theirs − nowhere, nowhere2 − nowhere). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bot.actions import run_action
from bot.app import wire
from bot.clock import FakeClock
from bot.commands import run_command
from bot.db import make_engine, make_sessionmaker, transaction, upgrade
from bot.directory.models import Account, Department, Person
from bot.incidents import service as incidents
from bot.interaction import Actor
from bot.tenancy import ensure_tenant, for_tenant
from handlers.console.testing import TestBot

DEFAULT_PG = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
NOWHERE, NOWHERE2 = 987_654, 876_543


@contextmanager
def scratch(backend: str, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'timing.sqlite3'}"
            upgrade(url)
            yield url
        return
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"bench_xtenant_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def seed(url: str, clock: FakeClock) -> tuple[object, dict[str, int]]:
    """Tenants A and B as the cross-tenant tests build them; B's ids."""
    factory = make_sessionmaker(make_engine(url))
    with transaction(factory) as s:
        ensure_tenant(s, tenant_id="town-a", name="A町", clock=clock)
        ensure_tenant(s, tenant_id="city-b", name="B市", clock=clock)
    fa, fb = for_tenant(factory, "town-a"), for_tenant(factory, "city-b")
    b = TestBot(fb, clock=clock)
    b.push("sato", "/draft account=kanko-x planned=2026-12-01T10:00 桜まつりを4月5日に開催します。")
    pending = b.pop("sato").draft_id
    b.push("sato", "/draft account=kanko-x planned=2026-12-02T10:00 紅葉まつりを開催します。")
    published = b.pop("sato").draft_id
    b.push("yamada", f"/approve {published}")
    b.push("sato", f"/published {published} https://x.com/midori_kanko_demo/status/9")
    with transaction(fb) as s:
        sato = s.scalars(sa.select(Person).where(Person.handle == "sato")).one()
        incident = incidents.declare(
            s, type="炎上", account_code="kanko-x", actor=sato, summary="批判が集まっています"
        )
        dept = s.scalars(sa.select(Department)).first()
        assert dept is not None
        s.add(Account(code="b-only", name="B市だけの広報", media="X", department_id=dept.id))
        incident_id = incident.id
    TestBot(fa, clock=clock)  # A's own demo directory
    assert pending is not None and published is not None
    return fa, {"pending": pending, "published": published, "incident": incident_id}


def operations(
    fa: object, ids: dict[str, int], clock: FakeClock
) -> dict[str, Callable[[str], object]]:
    """Each operation as a function of which id it names: theirs, nowhere, nowhere2."""

    def pick(key: str, which: str) -> int:
        return {"theirs": ids[key], "nowhere": NOWHERE, "nowhere2": NOWHERE2}[which]

    def code(which: str) -> str:
        return {"theirs": "b-only", "nowhere": "zz-none", "nowhere2": "zz-gone"}[which]

    def command(user: str, name: str, text: Callable[[str], str]) -> Callable[[str], object]:
        return lambda which: run_command(
            fa,  # type: ignore[arg-type]
            actor=Actor("console", user),
            command=name,
            text=text(which),
            clock=clock,
        )

    def action(
        user: str, action_id: str, value: Callable[[str], dict], inputs: dict | None = None
    ) -> Callable[[str], object]:
        return lambda which: run_action(
            fa,  # type: ignore[arg-type]
            actor=Actor("console", user),
            action_id=action_id,
            value=value(which),
            inputs=inputs or {},
            clock=clock,
        )

    return {
        "/incident show N": command(
            "watanabe", "incident", lambda w: f"show {pick('incident', w)}"
        ),
        "/account show CODE": command("watanabe", "account", lambda w: f"show {code(w)}"),
        "/custody show CODE": command("watanabe", "custody", lambda w: f"show {code(w)}"),
        "button draft.approve": action(
            "yamada", "draft.approve", lambda w: {"draft_id": pick("pending", w), "version": 1}
        ),
        "button report.acknowledge": action(
            "yamada", "report.acknowledge", lambda w: {"draft_id": pick("published", w)}
        ),
        "button incident.close": action(
            "watanabe",
            "incident.close",
            lambda w: {"incident_id": pick("incident", w)},
            {"reason": "収束しました"},
        ),
    }


def measure(op: Callable[[str], object], rounds: int, rng: random.Random) -> dict[str, list[float]]:
    kinds = ["theirs", "nowhere", "nowhere2"]
    for kind in kinds * 20:  # warm-up: caches, statement compilation
        op(kind)
    order = kinds * rounds
    rng.shuffle(order)
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for kind in order:
        start = time.perf_counter_ns()
        op(kind)
        times[kind].append((time.perf_counter_ns() - start) / 1000)
    return times


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--rounds", type=int, default=1000, help="calls per id and operation")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    wire()
    rng = random.Random(args.seed)
    for backend in args.backends.split(","):
        clock = FakeClock()
        with scratch(backend, args.pg_url) as url:
            fa, ids = seed(url, clock)
            print(f"\n{backend}: {args.rounds} calls per id, shuffled (µs)")
            header = (
                f"{'operation':28} {'theirs p50':>10} {'nowhere p50':>11} {'nowhere2 p50':>12}"
                f" {'theirs p90':>10} {'nowhere p90':>11}"
                f" {'theirs−nowhere':>14} {'nowhere2−nowhere':>16}"
            )
            print(header)
            for name, op in operations(fa, ids, clock).items():
                t = measure(op, args.rounds, rng)
                med = {k: statistics.median(v) for k, v in t.items()}
                print(
                    f"{name:28} {med['theirs']:10.0f} {med['nowhere']:11.0f}"
                    f" {med['nowhere2']:12.0f} {p90(t['theirs']):10.0f} {p90(t['nowhere']):11.0f}"
                    f" {med['theirs'] - med['nowhere']:+14.0f}"
                    f" {med['nowhere2'] - med['nowhere']:+16.0f}"
                )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

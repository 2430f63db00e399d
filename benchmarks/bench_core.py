"""Benchmark the workflow core: submit-and-route latency, and ``audit verify`` time.

Not a test: it prints numbers. Run from the repository root::

    python benchmarks/bench_core.py                      # SQLite and PostgreSQL
    python benchmarks/bench_core.py --backends sqlite --submits 200
    python benchmarks/bench_core.py --profile pyinstrument   # where submit spends its time

What is measured (issue 3, item 8):

- **submit-and-route**: one ``bot.drafts.api.submit_draft`` call per transaction, as an
  adapter makes it: the person look-up, the content check, the draft and its version, the
  routing (approval requests to the 所属長 and the active deputy, or an exempt post), the
  outbox rows and the audit records, and the commit. Delivery (platform calls) is not
  included. The database already holds ``--drafts`` drafts (default 10,000) with their
  versions, outbox rows and audit events, seeded in bulk through SQLAlchemy Core.
- **audit verify**: ``bot.audit.verify`` over ``--audit-events`` events (default 100,000)
  seeded with a correct hash chain, in a database of its own.

Each backend gets a fresh database (a temporary SQLite file; a temporary PostgreSQL
database at ``--pg-url``) built by the migrations, and it is dropped afterwards.
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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.audit import text_hash, verify
from bot.audit.models import AuditEvent
from bot.audit.service import GENESIS, chain_hash
from bot.db import make_engine, make_sessionmaker, transaction, upgrade
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Account, Person
from bot.drafts import api
from bot.drafts.models import Draft, DraftNotice, DraftVersion
from bot.interaction import Actor
from bot.notify.models import OutboxMessage

DEFAULT_PG = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BATCH = 2_000

# Realistic posts of the demo account (観光課); none of them is blocked by the check.
TEXTS = (
    "【みどり市観光課】{d}日（日）10時から、みどり公園で秋の収穫祭を開催します。"
    "地元の野菜や果物の販売、ステージイベントもあります。詳しくは市ホームページをご覧ください。",
    "本日の紅葉情報です。みどり山の中腹まで色づいてきました。見頃は来週末ごろの見込みです。"
    "お出かけの際は、公共交通機関をご利用ください。#みどり市 #紅葉",
    "明日は雨の予報のため、{d}日の朝市は中止します。次回は来月第1日曜日の予定です。",
    "観光案内所の年末年始の開所時間のお知らせです。12月29日から1月3日までは、"
    "10時から15時まで開所します。",
    "みどり川の遊歩道で桜の植樹会を行いました。ご参加いただいた{d}名の皆さん、ありがとうございました。",
    "市民ギャラリーで写真展「みどりの四季」を開催中です。入場無料。月曜休館。会期は{d}日までです。",
)


def _text(rng: random.Random) -> str:
    return rng.choice(TEXTS).format(d=rng.randint(1, 28)) + f"（No.{rng.randint(1, 10**6)}）"


# --- databases ---------------------------------------------------------------------------


@contextmanager
def fresh_database(backend: str, pg_url: str) -> Iterator[str]:
    """A new, migrated database of the backend; dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            upgrade(url)
            yield url
        return
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"bench_core_{os.getpid()}_{uuid.uuid4().hex[:6]}"
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


def _analyze(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")


# --- bulk seeding ----------------------------------------------------------------------


def _audit_rows(
    start_seq: int, prev: str, count: int, *, t0: datetime
) -> tuple[list[dict[str, Any]], str]:
    """``count`` audit events continuing a chain, shaped like the workflow's own."""
    rows: list[dict[str, Any]] = []
    for i in range(count):
        seq = start_seq + i
        submitted = i % 2 == 0
        draft_id = str(seq // 2 + 1)
        data: dict[str, Any] = (
            {
                "account": "kanko-x",
                "version": 1,
                "verdict": "ok",
                "findings": [],
                "exemption": None,
                "evidence_given": False,
                "photo_people": "none",
                "photo_consent": False,
                "planned_at": None,
                "false_positive_statement": False,
            }
            if submitted
            else {"version": 1, "approvers": ["yamada", "kato"]}
        )
        row = {
            "seq": seq,
            "occurred_at": t0 + timedelta(seconds=seq, microseconds=seq % 997),
            "actor": "sato" if submitted else "system",
            "action": "draft.submitted" if submitted else "draft.approval_requested",
            "subject_type": "draft",
            "subject_id": draft_id,
            "text_hash": text_hash(draft_id) if submitted else None,
            "data": data,
            "prev_hash": prev,
        }
        row["hash"] = prev = chain_hash(
            prev,
            seq=seq,
            occurred_at=row["occurred_at"],
            actor=row["actor"],
            action=row["action"],
            subject_type=row["subject_type"],
            subject_id=row["subject_id"],
            text_hash=row["text_hash"],
            data=data,
        )
        rows.append(row)
    return rows, prev


def seed_audit(engine: Engine, count: int) -> float:
    """Append ``count`` chained events after whatever the log holds; returns seconds."""
    started = time.perf_counter()
    t0 = datetime(2026, 4, 1, tzinfo=UTC)
    table = AuditEvent.__table__
    with engine.begin() as conn:
        last = conn.execute(
            sa.select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1)
        ).first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        remaining = count
        while remaining:
            n = min(BATCH * 5, remaining)
            rows, prev = _audit_rows(seq, prev, n, t0=t0)
            conn.execute(sa.insert(table), rows)
            seq += n
            remaining -= n
    return time.perf_counter() - started


def seed_drafts(engine: Engine, count: int) -> float:
    """``count`` drafts pending approval, each with its version, notices and outbox rows."""
    started = time.perf_counter()
    rng = random.Random(7)
    t0 = datetime(2026, 4, 1, tzinfo=UTC)
    with engine.begin() as conn:
        account_id = conn.scalar(sa.select(Account.id).where(Account.code == "kanko-x"))
        people = dict(conn.execute(sa.select(Person.handle, Person.id)).all())
        states = ["pending_approval", "approved", "published", "changes_requested", "withdrawn"]
        done = 0
        while done < count:
            n = min(BATCH, count - done)
            times = [t0 + timedelta(minutes=done + i) for i in range(n)]
            draft_rows = [
                {
                    "account_id": account_id,
                    "author_id": people["sato" if i % 3 else "suzuki"],
                    "state": states[i % len(states)],
                    "current_version": 1,
                    "photo_people": "none",
                    "photo_consent": False,
                    "created_at": t,
                    "updated_at": t,
                }
                for i, t in enumerate(times)
            ]
            ids = conn.scalars(
                sa.insert(Draft.__table__).returning(
                    Draft.__table__.c.id, sort_by_parameter_order=True
                ),
                draft_rows,
            ).all()
            texts = [_text(rng) for _ in ids]
            conn.execute(
                sa.insert(DraftVersion.__table__),
                [
                    {
                        "draft_id": draft_id,
                        "number": 1,
                        "text": text,
                        "text_hash": text_hash(text),
                        "verdict": "ok",
                        "findings": [],
                        "created_at": t,
                    }
                    for draft_id, text, t in zip(ids, texts, times, strict=True)
                ],
            )
            outbox_rows = [
                {
                    "created_at": t,
                    "recipient_kind": "person",
                    "recipient_key": handle,
                    "message": {"kind": "draft.approval_request", "title": f"#{draft_id}"},
                    "status": "sent",
                    "attempts": 1,
                    "next_attempt_at": t,
                }
                for draft_id, t in zip(ids, times, strict=True)
                for handle in ("yamada", "kato")
            ]
            outbox_ids = conn.scalars(
                sa.insert(OutboxMessage.__table__).returning(
                    OutboxMessage.__table__.c.id, sort_by_parameter_order=True
                ),
                outbox_rows,
            ).all()
            conn.execute(
                sa.insert(DraftNotice.__table__),
                [
                    {
                        "draft_id": ids[j // 2],
                        "version": 1,
                        "purpose": "approval",
                        "recipient_id": people[("yamada", "kato")[j % 2]],
                        "outbox_id": outbox_id,
                    }
                    for j, outbox_id in enumerate(outbox_ids)
                ],
            )
            done += n
    seed_audit(engine, 2 * count)
    _analyze(engine)
    return time.perf_counter() - started


# --- measurements ----------------------------------------------------------------------


@dataclass
class Latencies:
    samples: list[float]
    wall: float
    cpu: float  # this process's CPU time over all samples (the server's is not included)

    def pct(self, p: float) -> float:
        ordered = sorted(self.samples)
        k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[k] * 1000

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.wall


def bench_submit(
    url: str, *, drafts: int, submits: int, warmup: int, profile: str | None
) -> tuple[Latencies, float]:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        load_file(session, path=DEMO_FILE)
    seeded = seed_drafts(engine, drafts)
    rng = random.Random(11)
    actor = Actor("console", "sato")

    def one() -> None:
        # One in five posts claims the registered 4(3)イ exemption; the rest go to 決裁.
        exempt = rng.random() < 0.2
        draft = api.NewDraft(account="kanko-x", text=_text(rng), exemption="イ" if exempt else None)
        reply = api.submit_draft(factory, actor=actor, draft=draft)
        if not reply.ok:
            raise SystemExit(f"submit refused: {reply.message.title} {reply.message.text}")

    for _ in range(warmup):
        one()
    samples: list[float] = []
    with _profiler(profile):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(submits):
            t = time.perf_counter()
            one()
            samples.append(time.perf_counter() - t)
        wall = time.perf_counter() - wall_start
        cpu = time.process_time() - cpu_start
    engine.dispose()
    return Latencies(samples, wall, cpu), seeded


def bench_verify(
    url: str, *, events: int, rounds: int
) -> tuple[list[float], list[float], float, int]:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    seeded = seed_audit(engine, events)
    _analyze(engine)
    times: list[float] = []
    cpu: list[float] = []
    problems = 0
    for _ in range(rounds):
        with factory() as session:
            t, c = time.perf_counter(), time.process_time()
            problems = len(verify(session))
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    engine.dispose()
    return times, cpu, seeded, problems


@contextmanager
def _profiler(kind: str | None) -> Iterator[None]:
    if kind is None:
        yield
        return
    if kind == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    import cProfile
    import pstats

    prof = cProfile.Profile(time.process_time)  # CPU time: waiting on the server is not ours
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(45)


def _timed(label: str, fn: Callable[[], Any]) -> Any:
    print(f"  {label} …", file=sys.stderr, flush=True)
    return fn()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument("--submits", type=int, default=1_000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--audit-events", type=int, default=100_000)
    parser.add_argument("--verify-rounds", type=int, default=3)
    parser.add_argument("--skip-submit", action="store_true")
    parser.add_argument("--skip-verify", action="store_true")
    parser.add_argument("--profile", choices=("pyinstrument", "cprofile"))
    args = parser.parse_args(argv)

    submit_rows: list[str] = []
    verify_rows: list[str] = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        print(f"[{backend}]", file=sys.stderr, flush=True)
        if not args.skip_submit:
            with fresh_database(backend, args.pg_url) as url:
                lat, seeded = _timed(
                    f"seed {args.drafts:,} drafts, then {args.submits:,} submits",
                    lambda url=url: bench_submit(
                        url,
                        drafts=args.drafts,
                        submits=args.submits,
                        warmup=args.warmup,
                        profile=args.profile,
                    ),
                )
            submit_rows.append(
                f"| {backend} | {args.drafts:,} | {len(lat.samples):,} | {lat.throughput:,.0f}/s"
                f" | {lat.pct(50):.1f} | {lat.pct(90):.1f} | {lat.pct(99):.1f}"
                f" | {max(lat.samples) * 1000:.1f} | {lat.cpu / len(lat.samples) * 1000:.1f}"
                f" | {seeded:.1f} s |"
            )
        if not args.skip_verify:
            with fresh_database(backend, args.pg_url) as url:
                times, cpu, seeded, problems = _timed(
                    f"seed {args.audit_events:,} audit events, verify x{args.verify_rounds}",
                    lambda url=url: bench_verify(
                        url, events=args.audit_events, rounds=args.verify_rounds
                    ),
                )
            verify_rows.append(
                f"| {backend} | {args.audit_events:,} | {min(times):.2f} s"
                f" | {statistics.median(times):.2f} s | {min(cpu):.2f} s | {problems}"
                f" | {seeded:.1f} s |"
            )

    load = os.getloadavg()
    print(
        f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} ({os.cpu_count()} CPUs)"
    )
    if submit_rows:
        print("\nsubmit-and-route (one transaction per submit, check included, delivery excluded)")
        print(
            "| backend | drafts stored | submits | throughput | p50 ms | p90 ms | p99 ms | max ms"
            " | client CPU ms/submit | seeding |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        print("\n".join(submit_rows))
    if verify_rows:
        print("\naudit verify")
        print("| backend | events | best | median | client CPU | problems | seeding |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        print("\n".join(verify_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

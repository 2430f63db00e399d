"""Benchmark ``audit verify`` on a large *signed* audit log (issue 17, item 4).

Not a test: it prints numbers. Run from the repository root::

    python -m benchmarks.audit_verify                     # 100,000 rows, SQLite and PostgreSQL
    python -m benchmarks.audit_verify --rows 20000 --backends sqlite

Each backend gets a fresh database built by the migrations (a temporary SQLite file; a
temporary database on ``--pg-url``, dropped afterwards). The log is written the way the
processes write it: ``bot.audit.record_many`` with an Ed25519 signing key (every row hashed
into the chain and signed), in transactions of ``--batch`` rows, with a signed checkpoint
every ``--checkpoint-every`` rows (``write_checkpoint``, which itself verifies the rows since
the previous checkpoint). Then it times:

- the full verify (``bot.audit.check``: the chain, every row's signature, every checkpoint);
- the tail verify the hourly checkpoint job runs (``tail_only=True``) after 1,000 new rows.

Rows up to the latest valid checkpoint are covered by its signed head (the chain must end
in it), so verify checks the signatures of the rows after it only; ``--checkpoint-every 0``
writes no checkpoint, and then every row's signature is checked (the worst case).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bot.audit import Entry, check, keys, record_many
from bot.audit.checkpoints import write_checkpoint
from bot.db import make_engine, make_sessionmaker, upgrade


def _entries(start: int, count: int) -> list[Entry]:
    return [
        Entry(
            actor=f"person:{(start + i) % 97}",
            action="draft.approved" if (start + i) % 3 else "draft.submitted",
            subject_type="draft",
            subject_id=start + i,
            data={"version": 1 + (start + i) % 4, "account": "kanko-x", "via": "slack"},
            text=f"本文 {start + i}",
        )
        for i in range(count)
    ]


def run(url: str, *, rows: int, batch: int, checkpoint_every: int) -> None:
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    signer = keys.Signer.generate()
    ring = keys.KeyRing.of([signer.public])
    keys.use(signer)
    try:
        started = time.perf_counter()
        written = 0
        while written < rows:
            n = min(batch, rows - written)
            with factory() as session, session.begin():
                record_many(session, _entries(written, n))
                written += n
                if checkpoint_every and (written % checkpoint_every == 0 or written == rows):
                    write_checkpoint(session, reason="bench", signer=signer, keyring=ring)
        seeded = time.perf_counter() - started
        with factory() as session:
            count = session.scalar(sa.text("SELECT count(*) FROM audit_events"))
            checkpoints = session.scalar(sa.text("SELECT count(*) FROM audit_checkpoints"))
            t0 = time.perf_counter()
            report = check(session, keyring=ring)
            full = time.perf_counter() - t0
        assert not report.problems, report.problems[:3]
        with factory() as session, session.begin():
            record_many(session, _entries(rows, 1000))
        with factory() as session:
            t0 = time.perf_counter()
            tail = check(session, keyring=ring, tail_only=True)
            tail_s = time.perf_counter() - t0
        assert not tail.problems, tail.problems[:3]
    finally:
        keys.reset()
        engine.dispose()
    name = url.split(":", 1)[0].split("+")[0]
    print(
        f"{name:10s} rows={count:,} checkpoints={checkpoints} "
        f"seed={seeded:.1f}s ({count / seeded:,.0f} rows/s, signed) "
        f"verify={full:.2f}s ({count / full:,.0f} rows/s) "
        f"tail-verify(1,000 new rows)={tail_s * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--checkpoint-every", type=int, default=10_000, help="0: none")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    options = {"rows": args.rows, "batch": args.batch, "checkpoint_every": args.checkpoint_every}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                run(f"sqlite:///{Path(tmp) / 'audit.sqlite3'}", **options)
        elif backend == "postgresql":
            admin = sa.create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
            db = f"bench_audit_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{db}"')
            try:
                url = sa.engine.make_url(args.pg_url).set(database=db)
                run(url.render_as_string(hide_password=False), **options)
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                admin.dispose()
        else:
            sys.exit(f"unknown backend {backend!r}")


if __name__ == "__main__":
    main()

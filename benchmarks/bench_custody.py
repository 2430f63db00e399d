"""The April transfer list and the secret check: how long they take.

    python benchmarks/bench_custody.py [--people 2000] [--departments 80] [--moves 400]
                                       [--backend sqlite|postgresql|both]

Builds a city (``--departments`` departments with a 所属長 and a deputy each, ``--people``
staff, two official accounts per department with a custody record, a medium and 20 drafts
waiting for 決裁) in a fresh database, then times, on the same transfer list (``--moves``
moves, every fourth department's 所属長 and deputy among them, each head with a successor):

- ``plan``: validating the whole list and describing what will change (``--dry-run``);
- ``load``: storing it (effective date in the future: nothing applied yet);
- ``apply``: the effective-date step (heads replaced, deputies ended, pending approvals
  moved, handover tasks opened, outbox and audit rows written);
- ``apply again``: the step run a second time (must do nothing);
- ``looks_secret``: the secret check on 1,000 typical field values (µs per value).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from bot.clock import FakeClock
from bot.custody import transfers
from bot.custody.models import CustodyMedium, CustodyRecord
from bot.custody.secrets import looks_secret
from bot.db import make_engine, make_sessionmaker, transaction, upgrade
from bot.directory.models import Account, Department, Deputy, Person
from bot.drafts.models import Draft, DraftNotice, DraftVersion
from bot.notify.models import OutboxMessage

PG_ADMIN = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def build_city(factory, args, now):  # type: ignore[no-untyped-def]
    with transaction(factory) as s:
        people = [Person(handle=f"p{i:05d}", name=f"職員 {i}") for i in range(args.people)]
        s.add_all(people)
        s.flush()
        depts = []
        for d in range(args.departments):
            dept = Department(code=f"d{d:03d}", name=f"第{d}課", head_id=people[d].id)
            depts.append(dept)
        s.add_all(depts)
        s.flush()
        for d, dept in enumerate(depts):
            s.add(Deputy(department_id=dept.id, person_id=people[args.departments + d].id))
            for k in range(2):
                staff = people[2 * args.departments + 2 * d + k]
                account = Account(
                    code=f"a{d:03d}-{k}",
                    name=f"第{d}課 公式{k}",
                    media="X",
                    department_id=dept.id,
                    manager_id=staff.id,
                    status="confirmed",
                )
                account.operators = [staff]
                s.add(account)
                s.flush()
                s.add(
                    CustodyRecord(
                        account_id=account.id, holder_id=staff.id, created_at=now, updated_at=now
                    )
                )
                s.add(
                    CustodyMedium(
                        account_id=account.id,
                        kind="ic_card",
                        label="ICカード",
                        holder_id=staff.id,
                        storage="金庫",
                        updated_at=now,
                    )
                )
                for _ in range(10):
                    draft = Draft(
                        account_id=account.id,
                        author_id=staff.id,
                        state="pending_approval",
                        created_at=now,
                        updated_at=now,
                    )
                    s.add(draft)
                    s.flush()
                    s.add(
                        DraftVersion(
                            draft_id=draft.id,
                            number=1,
                            text="桜まつりを開催します。",
                            text_hash="0" * 64,
                            verdict="ok",
                            created_at=now,
                        )
                    )
                    row = OutboxMessage(
                        recipient_kind="person",
                        recipient_key=people[d].handle,
                        message={"kind": "draft.approval_request", "title": "決裁"},
                        status="sent",
                        attempts=1,
                        created_at=now,
                        next_attempt_at=now,
                    )
                    s.add(row)
                    s.flush()
                    s.add(
                        DraftNotice(
                            draft_id=draft.id,
                            version=1,
                            purpose="approval",
                            recipient_id=people[d].id,
                            outbox_id=row.id,
                        )
                    )
    return depts


def transfer_list(args) -> str:  # type: ignore[no-untyped-def]
    lines = ["person,from,to,effective,role"]
    used = 0
    n = args.departments
    for d in range(0, n, 4):  # head and deputy leave; a staff member succeeds
        nxt = (d + 1) % n
        lines.append(f"p{d:05d},d{d:03d},d{nxt:03d},2027-04-01,")
        lines.append(f"p{n + d:05d},d{d:03d},d{nxt:03d},2027-04-01,")
        successor = 2 * n + 2 * d + 1
        lines.append(f"p{successor:05d},d{d:03d},d{d:03d},2027-04-01,head")
        used += 3
    # Staff moves (managers / operators / holders of the other departments' accounts).
    d = 1
    while used < args.moves and d < n:
        if d % 4:
            staff = 2 * n + 2 * d
            lines.append(f"p{staff:05d},d{d:03d},d{(d + 2) % n:03d},2027-04-01,")
            used += 1
        d += 1
    # Plain staff with no account ties, to reach the requested size.
    p = 4 * n
    while used < args.moves and p < args.people:
        lines.append(f"p{p:05d},d{p % n:03d},d{(p + 1) % n:03d},2027-04-01,")
        used += 1
        p += 1
    return "\n".join(lines) + "\n"


def run(url: str, args) -> None:  # type: ignore[no-untyped-def]
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    clock = FakeClock(datetime(2027, 3, 25, 1, 0, tzinfo=UTC))
    build_city(factory, args, clock.now())
    text = transfer_list(args)
    moves = text.count("\n") - 1

    # Staff without ties are not in the list validation's way: "from" is free for them.
    t0 = time.perf_counter()
    with factory() as s:
        plan = transfers.plan(s, text, kind="csv", origin="april.csv")
    t_plan = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction(factory) as s:
        transfers.load(s, text=text, kind="csv", origin="april.csv", clock=clock)
    t_load = time.perf_counter() - t0
    clock.set(datetime(2027, 3, 31, 15, 1, tzinfo=UTC))  # 4/1 00:01 JST
    t0 = time.perf_counter()
    with transaction(factory) as s:
        applied = transfers.apply_due(s, clock=clock)
    t_apply = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction(factory) as s:
        again = transfers.apply_due(s, clock=clock)
    t_again = time.perf_counter() - t0
    assert again.transfers == []
    with factory() as s:
        outbox = s.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    print(
        f"{engine.dialect.name}: {moves} moves, {len(plan.lines)} preview lines; "
        f"plan {t_plan:.2f} s, load {t_load:.2f} s, apply {t_apply:.2f} s "
        f"({len(applied.transfers)} transfers, {len(applied.handovers)} handovers, "
        f"{len(applied.moved_drafts)} drafts moved; outbox {outbox} rows), "
        f"apply again {t_again * 1000:.1f} ms"
    )
    engine.dispose()


def bench_secrets() -> None:
    values = [
        "観光課 金庫（2段目）",
        "情報政策課 保管庫 No.3",
        "kanko-sns@city.example.lg.jp",
        "0263-34-3000",
        "ICカード1",
        "Kanko2026!",
        "パスワード: abcd1234",
        "abcd-1234 efgh-5678",
        "sato",
        "2027-04-01",
    ] * 100
    looks_secret(values[0])  # load the content check once
    t0 = time.perf_counter()
    hits = sum(looks_secret(v) for v in values)
    elapsed = time.perf_counter() - t0
    print(
        f"looks_secret: {elapsed / len(values) * 1e6:.0f} µs per value ({hits} of {len(values)} refused)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--departments", type=int, default=80)
    parser.add_argument("--moves", type=int, default=400)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    bench_secrets()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.sqlite3", args)
    if args.backend in ("postgresql", "both"):
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"bench_custody_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            run(sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(False), args)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


if __name__ == "__main__":
    main()

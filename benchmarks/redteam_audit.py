"""The insider's campaign against ``python -m bot audit verify`` (issue 17, item 4), from outside.

Independent of ``tests/audit``: the log is written by the real command-line processes
(``python -m bot directory load``, alternating two directory files, each load one signed
row; ``python -m bot audit checkpoint`` for the signed checkpoints), with the signing key in
a key file the insider never sees. The insider then has the database: the append-only
triggers switched off, raw SQL, and the chain's (public) hash function to recompute hashes.
Each attack runs on a fresh copy of the pristine log, and ``python -m bot audit verify``
runs as a subprocess with only the public key (``AUDIT_TRUSTED_KEYS``), as an auditor would.

The pristine log has 22 rows and checkpoints at 8 and 16. Two set-ups:

- ``head``: a checkpoint at the head (22) too, as right after ``audit export`` or the hourly job;
- ``published``: no checkpoint after 16, and ``--expect-head 22:…`` given — the head copied
  from the daily message to 情報政策課 (outside the database).

(And, to state the limit, ``bare``: no checkpoint after 16 and no ``--expect-head``.)

Row attacks run at several positions — inside the first checkpointed segment (5), just after
a checkpoint (9), on a checkpointed row (16), between the last checkpoint and the head (19)
— so the row named is tested across segment boundaries. For each attack: detected (exit
status not 0) and the first row or range named equals the one attacked.

    python -m benchmarks.redteam_audit [--postgres ADMIN_URL]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[1])
ROWS = 22
CHECKPOINTS = (8, 16)
NAMED = re.compile(r"連番 (\d+)(?:〜(\d+))?")


def bot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# ------------------------------------------------------------------ the log, written by processes
def build_log(url: str, work: Path) -> tuple[dict[str, str], str]:
    """Write the pristine log; returns the auditor's environment (public key only)."""
    key = work / "audit.pem"
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": url}
    out = bot(base, "audit", "keygen", str(key))
    public = re.search(r"公開鍵: (\S+)", out.stdout + out.stderr)
    assert public, out.stdout + out.stderr
    writer = base | {"AUDIT_SIGNING_KEY_FILE": str(key)}
    demo = ROOT / "bot" / "directory" / "demo.yaml"
    other = work / "directory-b.yaml"
    text = demo.read_text(encoding="utf-8")
    other.write_text(text.replace("佐藤 美咲", "佐藤 美咲子"), encoding="utf-8")
    assert other.read_text(encoding="utf-8") != text
    for n in range(1, ROWS + 1):
        done = bot(writer, "directory", "load", str(demo if n % 2 else other))
        assert done.returncode == 0, done.stderr
        if n in CHECKPOINTS:
            done = bot(writer, "audit", "checkpoint")
            assert done.returncode == 0, done.stderr
    auditor = base | {"AUDIT_TRUSTED_KEYS": public.group(1)}
    ok = bot(auditor, "audit", "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    head = re.search(r"現在のヘッド: (\d+:[0-9a-f]{64})", ok.stdout + ok.stderr)
    assert head and head.group(1).startswith(f"{ROWS}:"), ok.stdout
    return auditor | {"_writer_key": str(key)}, head.group(1)


# ------------------------------------------------------------------ copies of the pristine log
class Backend:
    def __init__(self, url: str, admin: str | None, work: Path) -> None:
        self.url, self.admin, self.work = url, admin, work
        self.copies: list[str] = []

    def copy(self, tag: str) -> str:
        if self.admin is None:
            path = self.work / f"copy-{tag}-{uuid.uuid4().hex[:6]}.sqlite3"
            shutil.copy(sa.engine.make_url(self.url).database or "", path)
            return f"sqlite:///{path}"
        source = sa.engine.make_url(self.url).database
        name = f"{source}_{uuid.uuid4().hex[:6]}"
        engine = sa.create_engine(self.admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        engine.dispose()
        self.copies.append(name)
        return sa.engine.make_url(self.admin).set(database=name).render_as_string(False)

    def drop_copies(self) -> None:
        if self.admin is None:
            return
        engine = sa.create_engine(self.admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for name in self.copies:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()
        self.copies.clear()


# ------------------------------------------------------------------ the insider
class Insider:
    """Raw SQL with the triggers off; the public hash function to recompute the chain."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url)
        self.pg = self.engine.dialect.name == "postgresql"
        with self.engine.begin() as conn:
            for table in ("audit_events", "audit_checkpoints"):
                if self.pg:
                    conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                else:
                    for kind in ("update", "delete"):
                        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{kind}")

    def sql(self, statement: str, **params: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text(statement), params)

    def rows(self) -> list:
        sys.path.insert(0, str(ROOT))
        from bot.audit.models import AuditEvent

        with Session(self.engine) as s:
            rows = s.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()
            s.expunge_all()
            return list(rows)

    def renumber(self, from_seq: int, delta: int) -> None:
        self.sql("UPDATE audit_events SET seq = -seq WHERE seq >= :s", s=from_seq)
        self.sql("UPDATE audit_events SET seq = -seq + :d WHERE seq < 0", d=delta)

    def rechain(self, from_seq: int = 1) -> None:
        from bot.audit.service import _chain_hash

        prev = None
        for row in self.rows():
            if row.seq >= from_seq:
                row.prev_hash = prev or "0" * 64
                new = _chain_hash(row.prev_hash, row)
                self.sql(
                    "UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s",
                    p=row.prev_hash,
                    h=new,
                    s=row.seq,
                )
                prev = new
            else:
                prev = row.hash

    def append(self, *, seq: int | None = None, prev: str | None = None, actor: str = "mallory"):
        from bot.audit.models import AuditEvent
        from bot.audit.service import _chain_hash

        rows = self.rows()
        last = rows[-1] if rows else None
        template = rows[0]
        event = AuditEvent(
            tenant_id=template.tenant_id,
            seq=seq if seq is not None else (last.seq + 1 if last else 1),
            occurred_at=(last or template).occurred_at + timedelta(seconds=30),
            actor=actor,
            action="draft.approved",
            subject_type="draft",
            subject_id="3",
            text_hash=None,
            data={"approver": actor},
            prev_hash=prev if prev is not None else (last.hash if last else "0" * 64),
        )
        event.hash = _chain_hash(event.prev_hash, event)
        with Session(self.engine) as s, s.begin():
            s.execute(
                sa.insert(AuditEvent.__table__),
                [{c.key: getattr(event, c.key) for c in AuditEvent.__table__.columns}],
            )

    def swap(self, a: int, b: int) -> None:
        self.sql("UPDATE audit_events SET seq = -1 WHERE seq = :a", a=a)
        self.sql("UPDATE audit_events SET seq = :a WHERE seq = :b", a=a, b=b)
        self.sql("UPDATE audit_events SET seq = :b WHERE seq = -1", b=b)

    def hash_of(self, seq: int) -> str:
        return next(r.hash for r in self.rows() if r.seq == seq)

    def close(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True)
class Attack:
    name: str
    do: Callable[[Insider], None]
    first: int
    end: int | None = None  # a range named (deletions)


def row_attacks(k: int) -> list[Attack]:
    def insert_mid(x: Insider) -> None:
        before = x.hash_of(k - 1)
        x.renumber(k, +1)
        x.append(seq=k, prev=before)

    def rechain_delete(x: Insider) -> None:
        x.sql("DELETE FROM audit_events WHERE seq = :k", k=k)
        x.renumber(k + 1, -1)
        x.rechain(k)

    return [
        Attack(
            f"edit actor @{k}",
            lambda x: x.sql("UPDATE audit_events SET actor='tanaka' WHERE seq=:k", k=k),
            k,
        ),
        Attack(
            f"edit data @{k}",
            lambda x: x.sql("""UPDATE audit_events SET data='{"added": 0}' WHERE seq=:k""", k=k),
            k,
        ),
        Attack(
            f"backdate @{k}",
            lambda x: x.sql(
                "UPDATE audit_events SET occurred_at = '2020-01-01 00:00:00' WHERE seq=:k", k=k
            ),
            k,
        ),
        Attack(
            f"edit text hash @{k}",
            lambda x: x.sql("UPDATE audit_events SET text_hash=:h WHERE seq=:k", h="a" * 64, k=k),
            k,
        ),
        Attack(
            f"delete a middle row @{k}",
            lambda x: x.sql("DELETE FROM audit_events WHERE seq=:k", k=k),
            k,
            k,
        ),
        Attack(
            f"delete a middle range @{k}..{k + 2}",
            lambda x: x.sql("DELETE FROM audit_events WHERE seq BETWEEN :a AND :b", a=k, b=k + 2),
            k,
            k + 2,
        ),
        Attack(f"reorder @{k},{k + 1}", lambda x: x.swap(k, k + 1), k),
        Attack(
            f"bogus hash @{k}",
            lambda x: x.sql("UPDATE audit_events SET hash=:h WHERE seq=:k", h="f" * 64, k=k),
            k,
        ),
        Attack(
            f"bogus prev_hash @{k}",
            lambda x: x.sql("UPDATE audit_events SET prev_hash=:h WHERE seq=:k", h="e" * 64, k=k),
            k,
        ),
        Attack(f"insert mid-chain @{k}", insert_mid, k),
        Attack(
            f"re-chain after an edit @{k}",
            lambda x: (
                x.sql("UPDATE audit_events SET actor='tanaka' WHERE seq=:k", k=k),
                x.rechain(k),
            ),
            k,
        ),
        Attack(f"re-chain after a deletion @{k}", rechain_delete, k),
        Attack(f"re-chain after a reorder @{k}", lambda x: (x.swap(k, k + 1), x.rechain(k)), k),
    ]


def tail_attacks() -> list[Attack]:
    def truncate_write_on(x: Insider) -> None:
        x.sql("DELETE FROM audit_events WHERE seq >= 19")
        for _ in range(4):
            x.append()

    return [
        Attack(
            "delete the first row", lambda x: x.sql("DELETE FROM audit_events WHERE seq=1"), 1, 1
        ),
        Attack(
            "delete the last row",
            lambda x: x.sql(f"DELETE FROM audit_events WHERE seq={ROWS}"),
            ROWS,
            ROWS,
        ),
        Attack(
            "delete the last five rows",
            lambda x: x.sql(f"DELETE FROM audit_events WHERE seq > {ROWS - 5}"),
            ROWS - 4,
            ROWS,
        ),
        Attack("delete every row", lambda x: x.sql("DELETE FROM audit_events"), 1, ROWS),
        Attack("truncate the tail and write on", truncate_write_on, 19),
        Attack("append a row with a valid chain hash", lambda x: x.append(), ROWS + 1),
    ]


# The issue's 19, at the first position (as the issue counted them).
ISSUE_19 = [
    "edit actor @5", "edit data @5", "backdate @5", "edit text hash @5",
    "delete a middle row @5", "delete a middle range @5..7", "delete the first row",
    "reorder @5,6", "bogus hash @5", "bogus prev_hash @5", "insert mid-chain @5",
    "delete the last row", "delete the last five rows", "delete every row",
    "truncate the tail and write on", "append a row with a valid chain hash",
    "re-chain after an edit @5", "re-chain after a deletion @5", "re-chain after a reorder @5",
]  # fmt: skip


@dataclass
class Outcome:
    attack: Attack
    setup: str
    code: int
    named: tuple[int, int | None] | None
    first_line: str

    @property
    def detected(self) -> bool:
        return self.code != 0

    @property
    def right(self) -> bool:
        if self.named is None:
            return False
        first, end = self.named
        want_end = self.attack.end
        return first == self.attack.first and (end or first) == (want_end or self.attack.first)


def run_attack(
    backend: Backend, pristine: str, env: dict, head: str, setup: str, attack: Attack
) -> Outcome:
    url = backend.copy(setup)
    try:
        x = Insider(url)
        if setup != "head":  # only the checkpoints at 8 and 16
            x.sql(f"DELETE FROM audit_checkpoints WHERE seq = {ROWS}")
        attack.do(x)
        x.close()
        args = ["audit", "verify"]
        if setup == "published":
            args += ["--expect-head", head]
        done = bot(
            {k: v for k, v in env.items() if not k.startswith("_")} | {"DATABASE_URL": url}, *args
        )
        text = done.stdout + done.stderr
        problems = [
            ln
            for ln in text.splitlines()
            if NAMED.search(ln) or ("チェックポイント" in ln and "不一致" in ln)
        ]
        first = next((ln for ln in text.splitlines() if NAMED.search(ln)), "")
        m = NAMED.search(first)
        named = (int(m.group(1)), int(m.group(2)) if m.group(2) else None) if m else None
        return Outcome(
            attack,
            setup,
            done.returncode,
            named,
            (first or (problems[:1] or [text.strip()[:200]])[0]).strip(),
        )
    finally:
        if backend.admin is None:
            Path(sa.engine.make_url(url).database or "").unlink(missing_ok=True)


def campaign(
    url: str, admin: str | None, work: Path, done: Callable[[list[Outcome]], None]
) -> list[Outcome]:
    """Run every attack in every set-up; ``done`` gets each set-up's outcomes as it ends."""
    env, head = build_log(url, work)
    writer_key = env["_writer_key"]
    backend = Backend(url, admin, work)
    # The pristine log with a checkpoint at the head too ("head" set-up) is made by a copy.
    bot(
        {"PATH": env["PATH"], "DATABASE_URL": url, "AUDIT_SIGNING_KEY_FILE": writer_key},
        "audit",
        "checkpoint",
    )
    attacks = [a for k in (5, 9, 16, 19) for a in row_attacks(k)] + tail_attacks()
    outcomes: list[Outcome] = []
    try:
        for setup in ("head", "published", "bare"):
            mine = [run_attack(backend, url, env, head, setup, attack) for attack in attacks]
            outcomes += mine
            backend.drop_copies()
            done(mine)
    finally:
        backend.drop_copies()
    return outcomes


def report(db: str, outcomes: list[Outcome]) -> None:
    for setup in sorted({o.setup for o in outcomes}):
        mine = [o for o in outcomes if o.setup == setup]
        issue = [o for o in mine if o.attack.name in ISSUE_19]
        print(
            f"{db} {setup:9}: the issue's 19 -> detected {sum(o.detected for o in issue)}/{len(issue)}, "
            f"right row {sum(o.right for o in issue)}/{len(issue)}; all {len(mine)} (4 positions) -> "
            f"detected {sum(o.detected for o in mine)}, right row {sum(o.right for o in mine)}",
            flush=True,
        )
        for o in mine:
            if not (o.detected and o.right):
                print(
                    f"    MISS {o.attack.name}: exit {o.code}, named {o.named}, want {o.attack.first}..{o.attack.end or o.attack.first}: {o.first_line[:160]}"
                )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", metavar="ADMIN_URL", help="run on private databases on this server"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.postgres is None:
            url = f"sqlite:///{work / 'pristine.sqlite3'}"
            campaign(url, None, work, lambda found: report("sqlite", found))
            return
        name = f"redteam_audit_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(args.postgres).set(database=name).render_as_string(False)
        try:
            campaign(url, args.postgres, work, lambda found: report("postgresql", found))
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


if __name__ == "__main__":
    main()

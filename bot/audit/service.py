"""Append to, verify and export the hash-chained audit log."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit.models import AuditEvent
from bot.clock import Clock, SystemClock, to_jst

GENESIS = "0" * 64
# Any constant works; it only has to be the same in every process.
_PG_CHAIN_LOCK = 0x5E5_A0D17


def text_hash(text: str) -> str:
    """SHA-256 of a text version: the audit log names versions by hash, not by content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_hash(
    prev_hash: str,
    *,
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    text_hash: str | None,
    data: dict[str, Any],
) -> str:
    """The hash of one event: SHA-256 over the previous hash and the event's canonical JSON."""
    fields: dict[str, Any] = {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "text_hash": text_hash,
        "data": data,
    }
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical.encode()).hexdigest()


def _chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return chain_hash(
        prev_hash,
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        text_hash=event.text_hash,
        data=event.data,
    )


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    data: dict[str, Any] | None = None,
    text: str | None = None,
    clock: Clock | None = None,
) -> AuditEvent:
    """Append one event to the log, in the caller's transaction.

    The chain is extended under a lock (an advisory transaction lock on PostgreSQL; SQLite
    already serialises writers), and ``seq`` is the primary key, so two writers can never
    fork the chain. ``text`` is hashed, never stored.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    last = session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    now = (clock or SystemClock()).now()
    # Round-trip precision: SQLite and PostgreSQL both keep microseconds.
    event = AuditEvent(
        seq=seq,
        occurred_at=now,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        text_hash=text_hash(text) if text is not None else None,
        data=_jsonable(data or {}),
        prev_hash=prev,
    )
    event.hash = _chain_hash(prev, event)
    session.add(event)
    session.flush()
    return event


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    return result


@dataclass(frozen=True)
class Problem:
    """One place where the chain does not hold."""

    seq: int
    kind: str  # "edited" | "inserted" | "deleted"
    detail: str


def verify(session: Session, *, batch: int = 5000) -> list[Problem]:
    """Walk the whole chain and name every row that was edited, inserted or deleted."""
    problems: list[Problem] = []
    prev_hash = GENESIS
    expected_seq = 1
    last_seq = 0
    while True:
        rows = session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq)
            .limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            gap = row.seq != expected_seq
            if gap:
                problems.append(
                    Problem(
                        row.seq,
                        "deleted",
                        f"seq {expected_seq}〜{row.seq - 1} の行が削除されています",
                    )
                )
            if _chain_hash(row.prev_hash, row) != row.hash:
                problems.append(
                    Problem(row.seq, "edited", "行の内容が記録時のハッシュと一致しません")
                )
            elif row.prev_hash != prev_hash and not gap:
                problems.append(
                    Problem(row.seq, "inserted", "直前の行のハッシュと連結していません")
                )
            prev_hash = row.hash
            expected_seq = row.seq + 1
            last_seq = row.seq
        session.expunge_all()
    return problems


def iter_events(
    session: Session, *, start: datetime | None = None, end: datetime | None = None
) -> Iterator[AuditEvent]:
    """Events in order, optionally within [start, end)."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.seq)
    if start is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= start)
    if end is not None:
        stmt = stmt.where(AuditEvent.occurred_at < end)
    yield from session.scalars(stmt.execution_options(yield_per=1000))


EXPORT_COLUMNS = (
    "seq",
    "occurred_at_jst",
    "actor",
    "action",
    "subject_type",
    "subject_id",
    "text_hash",
    "data",
    "prev_hash",
    "hash",
)


def _export_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at_jst": to_jst(event.occurred_at).isoformat(),
        "actor": event.actor,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "text_hash": event.text_hash or "",
        "data": event.data,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def export(events: Iterator[AuditEvent], fmt: str) -> str:
    """Render events as CSV (UTF-8 with BOM, CRLF: opens in Excel) or JSON."""
    rows = [_export_row(e) for e in events]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
            writer.writerow(row)
        return "\ufeff" + buf.getvalue()
    raise ValueError(f"unknown export format: {fmt}")

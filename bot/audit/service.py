"""Append to, verify and export the hash-chained audit log."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit import keys
from bot.audit.models import AuditEvent
from bot.clock import Clock, SystemClock, to_jst
from bot.db import canonical_json
from bot.tenancy import DEFAULT_TENANT, current_tenant

GENESIS = "0" * 64
# Any constant works; it only has to be the same in every process.
_PG_CHAIN_LOCK = 0x5E5_A0D17


def text_hash(text: str) -> str:
    """SHA-256 of a text version: the audit log names versions by hash, not by content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False), built once.
_encode = canonical_json
_encode_str = json.encoder.encode_basestring  # what _encode does for a str, minus a call


def _utc_iso(when: datetime | str) -> str:
    """``when`` in UTC as 2026-04-01T00:00:00.000000Z (microseconds always present)."""
    if isinstance(when, str):
        # SQLite's stored text, naive UTC: "2026-04-01 00:00:00.000000".
        if len(when) == 26 and when[10] == " ":
            return f"{when[:10]}T{when[11:]}Z"
        when = datetime.fromisoformat(when)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.isoformat(timespec="microseconds") + "Z"


def _digest(
    prev_hash: str,
    seq: int,
    occurred_at: str,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    text_hash: str | None,
    data_json: str,
    tenant: str = DEFAULT_TENANT,
) -> str:
    # The canonical form is the JSON object of the fields with sorted keys, no whitespace,
    # UTF-8: exactly what json.dumps(..., sort_keys=True, separators=(",", ":"),
    # ensure_ascii=False) gives, written out by hand (keys in sorted order) because this
    # runs for every row ``audit verify`` reads. Each tenant has its own chain; a tenant
    # other than the default is part of the hashed object ("tenant", in key order), so
    # a chain moved to another tenant no longer verifies, while the default tenant's
    # hashes are those written before tenancy existed.
    tenant_part = "" if tenant == DEFAULT_TENANT else f'"tenant":{_encode_str(tenant)},'
    canonical = (
        f'{{"action":{_encode_str(action)},"actor":{_encode_str(actor)},"data":{data_json},'
        f'"occurred_at":"{occurred_at}","seq":{int(seq)},'
        f'"subject_id":{_encode_str(subject_id)},"subject_type":{_encode_str(subject_type)},'
        f"{tenant_part}"
        f'"text_hash":{"null" if text_hash is None else _encode_str(text_hash)}}}'
    )
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


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
    tenant: str = DEFAULT_TENANT,
) -> str:
    """The hash of one event: SHA-256 over the previous hash and the event's canonical JSON."""
    return _digest(
        prev_hash,
        seq,
        _utc_iso(occurred_at),
        actor,
        action,
        subject_type,
        subject_id,
        text_hash,
        _encode(data),
        tenant,
    )


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
        tenant=event.tenant_id or DEFAULT_TENANT,  # None: not stamped yet (default session)
    )


@dataclass(frozen=True)
class Entry:
    """One event to append with ``record_many`` (the arguments of ``record``)."""

    actor: str
    action: str
    subject_type: str
    subject_id: str | int
    data: dict[str, Any] | None = None
    text: str | None = None


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
    """Append one event to the log, in the caller's transaction. ``text`` is hashed, never stored."""
    entry = Entry(actor, action, subject_type, subject_id, data, text)
    return record_many(session, [entry], clock=clock)[0]


def record_many(
    session: Session, entries: Sequence[Entry], *, clock: Clock | None = None
) -> list[AuditEvent]:
    """Append several events in order, with one lock, one read and one INSERT.

    Events go to the chain of the session's tenant (bot.tenancy). The chain is extended
    under a lock (a per-tenant advisory transaction lock on PostgreSQL, taken
    in its own statement so that the read of the last row that follows sees every chain
    extension committed before we got the lock; SQLite already serialises writers), and
    ``seq`` is the primary key, so two writers can never fork the chain.
    """
    if not entries:
        return []
    tenant = current_tenant(session)
    if session.get_bind().dialect.name == "postgresql":
        # audit_chain_head() (migrations 0008, 0017) takes the tenant's advisory
        # transaction lock, then reads the tenant's last row with a snapshot taken after
        # the lock: one round trip.
        last = session.execute(_PG_HEAD, {"t": tenant}).first()
    else:
        last = session.execute(_LAST).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    # Round-trip precision: SQLite and PostgreSQL both keep microseconds.
    now = (clock or SystemClock()).now()
    signer = keys.current_signer()
    events: list[AuditEvent] = []
    for entry in entries:
        seq += 1
        event = AuditEvent(
            tenant_id=tenant,
            seq=seq,
            occurred_at=now,
            actor=entry.actor,
            action=entry.action,
            subject_type=entry.subject_type,
            subject_id=str(entry.subject_id),
            text_hash=text_hash(entry.text) if entry.text is not None else None,
            data=_jsonable(entry.data or {}),
            prev_hash=prev,
        )
        event.hash = prev = _chain_hash(event.prev_hash, event)
        if signer is not None:
            event.key_id = signer.key_id
            event.signature = signer.sign(keys.event_message(event.hash))
        events.append(event)
    # A plain INSERT of all rows (no unit of work: nothing in the log is ever updated).
    table = cast(sa.Table, AuditEvent.__table__)
    columns = [c.key for c in table.columns]
    session.execute(sa.insert(table), [{k: getattr(e, k) for k in columns} for e in events])
    return events


_LAST = sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
_PG_HEAD = sa.text("SELECT seq, hash FROM audit_chain_head(:k, :t)").bindparams(k=_PG_CHAIN_LOCK)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    return result


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


# The CSV is read by staff and the public (5(11)): its header row is Japanese; the JSON keys
# stay the column names above, for programs.
EXPORT_HEADERS = {
    "seq": "連番",
    "occurred_at_jst": "日時（日本時間）",
    "actor": "操作者",
    "action": "操作",
    "subject_type": "対象の種類",
    "subject_id": "対象の番号",
    "text_hash": "本文のハッシュ値",
    "data": "記録内容",
    "prev_hash": "直前の行のハッシュ値",
    "hash": "この行のハッシュ値",
}
# Problem.kind as ``audit verify`` prints it.
PROBLEM_LABELS = {
    "edited": "改変",
    "inserted": "挿入",
    "deleted": "削除",
    "rewritten": "書き換え",
    "forged": "偽造",
    "checkpoint": "チェックポイント",
}


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


def export(events: Iterator[AuditEvent], fmt: str, *, head: Any = None) -> str:
    """Render events as CSV (UTF-8 with BOM, CRLF: opens in Excel) or JSON.

    ``head`` (bot.audit.checkpoints.PublishedHead): the chain head signed at export time,
    carried by the file so that a copy of it exists outside the database. JSON becomes
    ``{"head": …, "events": […]}``; CSV gets a last row with action ``audit.head``.
    """
    rows = [_export_row(e) for e in events]
    if fmt == "json":
        if head is None:
            return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        doc = {"head": head.to_dict(), "events": rows}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
        writer.writerow(EXPORT_HEADERS)
        for row in rows:
            row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
            writer.writerow(row)
        if head is not None:
            writer.writerow(
                {
                    "seq": "",
                    "occurred_at_jst": to_jst(head.created_at).isoformat(),
                    "actor": "system",
                    "action": "audit.head",
                    "subject_type": "chain",
                    "subject_id": str(head.seq),
                    "text_hash": "",
                    "data": json.dumps(head.to_dict(), ensure_ascii=False, sort_keys=True),
                    "prev_hash": "",
                    "hash": head.hash,
                }
            )
        return "\ufeff" + buf.getvalue()
    raise ValueError(f"unknown export format: {fmt}")

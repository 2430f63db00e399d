"""The audit log is append-only and hash-chained (5(11)): tampering is detected and named."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from bot.audit import record, text_hash, verify
from bot.audit.models import AuditEvent
from bot.audit.service import _chain_hash, export, iter_events


def _fill(session, clock, n=5):
    for i in range(n):
        record(
            session,
            actor="sato",
            action="draft.submitted",
            subject_type="draft",
            subject_id=i,
            data={"n": i, "note": "日本語"},
            text=f"本文{i}",
            clock=clock,
        )
        clock.advance(minutes=1)


def _disable_guard(session, backend):
    if backend == "postgresql":
        session.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"))
    else:
        session.execute(sa.text("DROP TRIGGER audit_events_no_update"))
        session.execute(sa.text("DROP TRIGGER audit_events_no_delete"))


def test_chain_verifies_and_stores_only_text_hash(session, clock):
    _fill(session, clock)
    assert verify(session) == []
    rows = list(iter_events(session))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].text_hash == text_hash("本文0")
    assert all(r.prev_hash == p.hash for p, r in itertools.pairwise(rows))


def test_database_refuses_update_and_delete(session, clock):
    _fill(session, clock, 2)
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(sa.text("UPDATE audit_events SET actor='x' WHERE seq=1"))
    with pytest.raises(DatabaseError), session.begin_nested():
        session.execute(sa.text("DELETE FROM audit_events WHERE seq=1"))
    assert verify(session) == []


@pytest.mark.parametrize(
    "tamper,seq,kind",
    [
        ("UPDATE audit_events SET actor='tanaka' WHERE seq=3", 3, "edited"),
        ("UPDATE audit_events SET data='{\"n\": 99}' WHERE seq=2", 2, "edited"),
        ("DELETE FROM audit_events WHERE seq=4", 5, "deleted"),
    ],
)
def test_verify_names_the_tampered_row(session, clock, backend, tamper, seq, kind):
    _fill(session, clock)
    _disable_guard(session, backend)
    session.execute(sa.text(tamper))
    session.expire_all()
    problems = verify(session)
    assert [(p.seq, p.kind) for p in problems] == [(seq, kind)]


def test_verify_detects_row_forged_outside_the_chain(session, clock, backend):
    """A forger who writes a self-consistent row but cannot know the chain is caught."""
    _fill(session, clock, 3)
    _disable_guard(session, backend)
    session.execute(sa.text("DELETE FROM audit_events WHERE seq=3"))
    session.expire_all()
    forged = AuditEvent(
        seq=3,
        occurred_at=clock.now(),
        actor="mallory",
        action="draft.approved",
        subject_type="draft",
        subject_id="1",
        text_hash=None,
        data={},
        prev_hash="f" * 64,
    )
    forged.hash = _chain_hash(forged.prev_hash, forged)
    session.add(forged)
    session.flush()
    session.expire_all()
    assert [(p.seq, p.kind) for p in verify(session)] == [(3, "inserted")]


def test_export_csv_opens_in_excel_and_json_roundtrips(session, clock):
    start = clock.now()
    _fill(session, clock, 3)
    out = export(iter_events(session, start=start, end=start + timedelta(minutes=2)), "csv")
    assert out.startswith("\ufeff")  # BOM: Excel detects UTF-8
    assert "\r\n" in out
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 2
    assert json.loads(rows[0]["data"])["note"] == "日本語"
    assert rows[0]["occurred_at_jst"].endswith("+09:00")
    data = json.loads(export(iter_events(session), "json"))
    assert [d["seq"] for d in data] == [1, 2, 3]

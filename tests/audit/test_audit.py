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
        ("DELETE FROM audit_events WHERE seq=4", 4, "deleted"),  # the missing row itself
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
        tenant_id="default",
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
    assert list(rows[0]) == [
        "連番",
        "日時（日本時間）",
        "操作者",
        "操作",
        "対象の種類",
        "対象の番号",
        "本文のハッシュ値",
        "記録内容",
        "直前の行のハッシュ値",
        "この行のハッシュ値",
    ]
    assert json.loads(rows[0]["記録内容"])["note"] == "日本語"
    assert rows[0]["日時（日本時間）"].endswith("+09:00")
    data = json.loads(export(iter_events(session), "json"))
    assert [d["seq"] for d in data] == [1, 2, 3]


def _reference_hash(prev_hash, event):
    """The canonical form as first written (json.dumps of a dict): hashes must not change."""
    from datetime import UTC

    fields = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": event.actor,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "text_hash": event.text_hash,
        "data": event.data,
    }
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    import hashlib

    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical.encode()).hexdigest()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"note": '日本語\n"引用"\\', "n": [1, 2.5, None, True], "z": {"b": 1, "a": "\u2028"}},
        {"findings": [{"rule": "personal.phone", "clause": "7(1)ク", "start": 0, "end": 13}]},
    ],
)
def test_chains_written_before_the_fast_canonical_form_still_verify(session, clock, data):
    """Logs written by earlier versions keep verifying: same bytes, same hashes."""
    clock.advance(microseconds=-clock.now().microsecond)  # a whole second: no fraction
    event = record(
        session,
        actor="佐藤",
        action="draft.submitted",
        subject_type="draft",
        subject_id=7,
        data=data,
        text="本文",
        clock=clock,
    )
    assert event.hash == _reference_hash(event.prev_hash, event)
    assert verify(session) == []


def test_events_recorded_together_are_chained_in_order(session, clock):
    from bot.audit import Entry, record_many

    _fill(session, clock, 2)
    events = record_many(
        session,
        [
            Entry("sato", "draft.submitted", "draft", 9, {"version": 1}, text="本文"),
            Entry("system", "draft.approval_requested", "draft", 9, {"approvers": ["yamada"]}),
        ],
        clock=clock,
    )
    assert [e.seq for e in events] == [3, 4]
    assert events[1].prev_hash == events[0].hash
    assert [e.action for e in iter_events(session)][-2:] == [
        "draft.submitted",
        "draft.approval_requested",
    ]
    assert verify(session) == []


def test_verify_names_a_row_whose_time_was_overwritten_with_garbage(session, clock, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL's timestamptz column cannot hold text that is not a time")
    _fill(session, clock, 3)
    _disable_guard(session, backend)
    session.execute(sa.text("UPDATE audit_events SET occurred_at='yesterday' WHERE seq=2"))
    assert [(p.seq, p.kind) for p in verify(session)] == [(2, "edited")]


def test_data_stored_in_another_json_layout_still_verifies(session, clock, backend):
    """Rows written before JSON was stored compactly (spaces, \\u escapes) keep verifying."""
    _fill(session, clock, 3)
    _disable_guard(session, backend)
    session.execute(
        sa.text("UPDATE audit_events SET data=:d WHERE seq=2"),
        {"d": '{"note": "\\u65e5\\u672c\\u8a9e", "n": 1}'},
    )
    assert verify(session) == []


def test_a_writer_waiting_for_the_chain_lock_continues_after_the_committed_row(
    committed_factory, backend, clock
):
    """audit_chain_head() reads the last row only after the lock is granted: a writer that
    waited for another one's commit chains onto that commit instead of colliding with it."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time (BEGIN IMMEDIATE)")
    import threading

    def append(session, actor):
        record(session, actor=actor, action="test", subject_type="t", subject_id=1, clock=clock)

    with committed_factory() as setup, setup.begin():
        append(setup, "first")
    first = committed_factory()
    first.begin()
    append(first, "a")  # holds the chain lock until it commits
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with committed_factory() as s, s.begin():
                append(s, "b")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    waiter = threading.Thread(target=second)
    waiter.start()
    waiting = 0
    with committed_factory() as probe:  # wait until the second writer queues for the lock
        for _ in range(20_000):
            waiting = probe.scalar(
                sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            )
            probe.rollback()
            if waiting:
                break
    assert waiting, "the second writer never waited for the chain lock"
    first.commit()
    first.close()
    waiter.join(timeout=30)
    assert not errors
    with committed_factory() as s:
        assert [e.actor for e in iter_events(s)] == ["first", "a", "b"]
        assert verify(s) == []

"""Migration 0017 on a database with data: every row belongs to the default tenant after it,
the foreign keys still hold, and the audit chain written before tenancy still verifies."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit.service import chain_hash, text_hash
from bot.audit.verify import verify
from bot.db import make_engine, upgrade
from bot.directory.models import Account, Person
from tests.conftest import PG_ADMIN_URL, _pg_admin


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    admin = _pg_admin()
    name = f"bot_mig_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL not reachable")
    yield sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _old_rows(conn: sa.Connection) -> None:
    """A directory, an account with an operator and two audit rows, as 0016 stored them."""
    conn.execute(
        sa.text(
            "INSERT INTO people (id, handle, name, active) VALUES "
            "(1, 'sato', '佐藤', true), (2, 'suzuki', '鈴木', true)"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO departments (id, code, name, head_id) VALUES (1, 'kouhou', '広報課', 2)"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO accounts (id, code, name, media, department_id, manager_id, status) "
            "VALUES (1, 'city_x', '市公式X', 'X', 1, 2, 'confirmed')"
        )
    )
    conn.execute(sa.text("INSERT INTO account_operators (account_id, person_id) VALUES (1, 1)"))
    prev = "0" * 64
    when = datetime(2026, 4, 1, tzinfo=UTC)
    table = sa.table(
        "audit_events",
        *(
            sa.column(c)
            for c in (
                "seq",
                "occurred_at",
                "actor",
                "action",
                "subject_type",
                "subject_id",
                "text_hash",
                "data",
                "prev_hash",
                "hash",
            )
        ),
    )
    sqlite = conn.dialect.name == "sqlite"
    for seq in (1, 2):
        row = dict(
            seq=seq,
            occurred_at=when,
            actor="sato",
            action="draft.created",
            subject_type="draft",
            subject_id=str(seq),
            text_hash=text_hash("本文"),
            data={"n": seq},
        )
        digest = chain_hash(prev, **row)
        data_json = f'{{"n":{seq}}}'
        stored = {
            # As the app's engine stores them: naive UTC text and canonical JSON on SQLite.
            "occurred_at": when.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
            if sqlite
            else when,
            "data": sa.func.json(sa.literal(data_json))
            if sqlite
            else sa.cast(sa.literal(data_json), sa.JSON),
        }
        conn.execute(sa.insert(table).values(**{**row, **stored}, prev_hash=prev, hash=digest))
        prev = digest


def test_existing_rows_belong_to_the_default_tenant_and_the_chain_still_verifies(fresh_url):
    upgrade(fresh_url, "0016")
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as conn:
            _old_rows(conn)
        upgrade(fresh_url)
        with engine.connect() as conn:
            for table in ("people", "departments", "accounts", "account_operators", "audit_events"):
                owners = set(conn.scalars(sa.text(f"SELECT tenant_id FROM {table}")))
                assert owners == {"default"}, table
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with Session(engine) as session:
            assert verify(session) == []
            account = session.get(Account, 1)
            assert [p.handle for p in account.operators] == ["sato"]
            assert session.scalars(sa.select(Person.handle).order_by(Person.id)).all() == [
                "sato",
                "suzuki",
            ]
        # The log is still append-only after SQLite rebuilt its table.
        with pytest.raises(sa.exc.DatabaseError), engine.begin() as conn:
            conn.execute(sa.text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1"))
    finally:
        engine.dispose()

"""PostgreSQL row-level security, the second line (migration 0018): with the ORM's tenant
criteria bypassed (raw SQL as the application's role, app.tenant_id = A), tenant B's rows
are invisible and cannot be changed or written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from bot.db import make_engine
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Person
from bot.tenancy import ensure_tenant, tenant_session

SET_TENANT = sa.text("SELECT set_config('app.tenant_id', :t, true)")


@pytest.fixture
def app_role_url(db_url: str, backend: str) -> Iterator[str]:
    """A login role like the one the application must run as: no superuser, no BYPASSRLS,
    not the tables' owner; only ordinary privileges."""
    if backend != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    role = f"bot_app_{uuid.uuid4().hex[:8]}"
    admin = make_engine(db_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
        conn.exec_driver_sql(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}")
    yield (
        sa.engine.make_url(db_url)
        .set(username=role, password=None)
        .render_as_string(hide_password=False)
    )
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {role}")
        conn.exec_driver_sql(f"DROP ROLE {role}")
    admin.dispose()


@pytest.fixture
def two_cities(committed_factory, clock):
    with committed_factory() as s, s.begin():
        ensure_tenant(s, tenant_id="town-a", name="A町", clock=clock)
        ensure_tenant(s, tenant_id="city-b", name="B市", clock=clock)
    for tenant in ("town-a", "city-b"):
        with tenant_session(committed_factory, tenant) as s, s.begin():
            load_file(s, path=DEMO_FILE, clock=clock)
    with committed_factory() as s:
        counts = dict(
            s.execute(sa.text("SELECT tenant_id, count(*) FROM people GROUP BY tenant_id")).all()
        )
    assert counts["town-a"] == counts["city-b"] > 0  # the superuser sees both
    return counts


def test_raw_sql_as_the_app_role_sees_and_changes_only_its_own_tenant(app_role_url, two_cities):
    engine = make_engine(app_role_url)
    try:
        with engine.connect() as conn, conn.begin():
            conn.execute(SET_TENANT, {"t": "town-a"})
            # No tenant condition at all: the policy filters.
            assert conn.scalar(sa.text("SELECT count(*) FROM people")) == two_cities["town-a"]
            assert (
                conn.scalar(sa.text("SELECT count(*) FROM people WHERE tenant_id = 'city-b'")) == 0
            )
            assert (
                conn.scalar(sa.text("SELECT count(*) FROM audit_events WHERE tenant_id = 'city-b'"))
                == 0
            )
            b_id = conn.scalar(sa.text("SELECT min(id) FROM accounts WHERE tenant_id = 'city-b'"))
            assert b_id is None  # not even its id can be read
            changed = conn.execute(
                sa.text("UPDATE accounts SET name = '乗っ取り' WHERE tenant_id = 'city-b'")
            )
            assert changed.rowcount == 0
            gone = conn.execute(sa.text("DELETE FROM channels WHERE tenant_id = 'city-b'"))
            assert gone.rowcount == 0
        # Writing a row for another tenant is refused (WITH CHECK).
        with (
            pytest.raises(sa.exc.ProgrammingError, match="row-level security"),
            engine.connect() as conn,
            conn.begin(),
        ):
            conn.execute(SET_TENANT, {"t": "town-a"})
            conn.execute(
                sa.text(
                    "INSERT INTO people (tenant_id, handle, name, active) "
                    "VALUES ('city-b', 'mole', '潜入', true)"
                )
            )
        # A connection that never names a tenant works for the default tenant only.
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM people")) == 0
    finally:
        engine.dispose()


def test_the_app_role_through_the_orm_works_for_the_sessions_tenant(
    app_role_url, two_cities, clock
):
    """The session sets app.tenant_id at every transaction begin (after_begin)."""
    engine = make_engine(app_role_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with tenant_session(factory, "city-b") as b:
            handles = b.scalars(sa.select(Person.handle)).all()
            assert len(handles) == two_cities["city-b"]
            # Raw SQL inside a B session: still B only.
            assert b.scalar(sa.text("SELECT count(DISTINCT tenant_id) FROM people")) == 1
        with tenant_session(factory, "town-a") as a, a.begin():
            a.add(Person(handle="newcomer", name="新人"))
            a.flush()
            from bot.audit import record

            record(
                a, actor="system", action="test.event", subject_type="t", subject_id=1, clock=clock
            )
    finally:
        engine.dispose()

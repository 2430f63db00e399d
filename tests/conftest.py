"""Shared fixtures: every database test runs on SQLite *and* PostgreSQL.

- ``db_url`` / ``engine``: a fresh database per backend per test session, built with the
  Alembic migrations (never ``create_all``).
- ``session``: a Session inside a transaction that is rolled back after the test.
- ``factory``: a sessionmaker bound to that same rolled-back transaction, for code that
  opens its own sessions (``with factory() as s, s.begin(): ...`` becomes a SAVEPOINT).
- ``committed_factory``: a real sessionmaker for tests that need other connections or
  processes to see the data (races, workers); the tables are wiped afterwards.

PostgreSQL is expected at ``TEST_POSTGRES_URL`` (default: the local trust-auth server). If
it is unreachable the PostgreSQL half is skipped locally, but fails under CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.app import wire
from bot.clock import FakeClock
from bot.db import Base, make_engine, upgrade
from tests.wording import RECORDER

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _pg_admin() -> Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session", autouse=True)
def scrubbed_logs() -> Iterator[None]:
    """Log records are scrubbed as the entry points have them (bot/logsafe.py)."""
    from bot import logsafe

    logsafe.install()
    yield
    logsafe.uninstall()


WORDING = RECORDER


def pytest_configure(config: pytest.Config) -> None:
    WORDING.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    WORDING.uninstall()


@pytest.fixture(autouse=True)
def staff_read_japanese(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every message a test renders is checked for English (tests/wording.py): a test
    whose messages contain words outside the allow-list fails at teardown, naming them."""
    WORDING.test = request.node.nodeid
    seen = len(WORDING.offenders)
    yield
    WORDING.test = "(outside a test)"
    found = WORDING.offenders[seen:]
    if found:
        shown = "\n\n".join(f"{words}:\n{text}" for _, words, text in found[:5])
        pytest.fail(
            f"{len(found)} message(s) staff read contain English words "
            f"(tests/wording.py ALLOWED lists commands and identifiers):\n{shown}",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    tests = {test for test, _, _ in WORDING.offenders}
    terminalreporter.write_line(
        f"wording: {WORDING.count} messages rendered, "
        f"{len(WORDING.offenders)} with English words (in {len(tests)} tests); "
        f"by surface: {WORDING.summary()}"
    )
    report = os.environ.get("WORDING_REPORT")  # a file to list every offender in
    if report:
        with open(report, "w", encoding="utf-8") as out:
            for test, words, text in WORDING.offenders:
                out.write(f"### {test} {words}\n{text}\n\n")


@pytest.fixture(scope="session", autouse=True)
def wired() -> None:
    """The application wired as every entry point wires it (``bot.app.wire``)."""
    wire()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        url = f"sqlite:///{path}"
        upgrade(url)
        yield url
        return
    admin = _pg_admin()
    name = f"bot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def backend(engine: Engine) -> str:
    """ "sqlite" or "postgresql"."""
    return engine.dialect.name


@pytest.fixture
def connection(engine: Engine) -> Iterator[sa.Connection]:
    conn = engine.connect()
    trans = conn.begin()
    yield conn
    if trans.is_active:
        trans.rollback()
    conn.close()


@pytest.fixture
def factory(connection: sa.Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s:
        yield s


@pytest.fixture
def committed_factory(engine: Engine) -> Iterator[sessionmaker[Session]]:
    yield sessionmaker(bind=engine, expire_on_commit=False)
    wipe(engine)


def wipe(engine: Engine) -> None:
    """Empty every table (the audit log too, bypassing its append-only triggers).

    The default tenant stays: the migration created it and every deployment has it.
    """
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name != "tenants"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            conn.exec_driver_sql("DELETE FROM tenants WHERE id <> 'default'")
            return
        for log in ("audit_events", "audit_checkpoints"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {log}_no_delete")
        for t in tables:
            conn.exec_driver_sql(f'DELETE FROM "{t}"')
        for log in ("audit_events", "audit_checkpoints"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {log}_no_delete BEFORE DELETE ON {log} "
                f"BEGIN SELECT RAISE(ABORT, '{log} is append-only'); END"
            )
        conn.exec_driver_sql("DELETE FROM tenants WHERE id <> 'default'")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()

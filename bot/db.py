"""Database plumbing: declarative base, portable column types, engines, sessions, migrations.

Services receive a ``Session`` and never commit: the caller owns the transaction
(``with session.begin(): ...``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from bot.config import get_settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so values are stored as
    naive UTC and made aware again on the way out. Naive input is refused: a naive time
    in this codebase is always a bug.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Compact JSON with sorted keys and UTF-8 text (no \u escapes). SQLite stores JSON columns
# in this form, which is also the audit log's canonical form: ``audit verify`` can then hash
# the stored text as it is instead of parsing and re-encoding every row.
canonical_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode

# JSON that becomes JSONB on PostgreSQL.
JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime, dict[str, Any]: JSONType}  # noqa: RUF012


# SQLite serialises writers; a busy machine can hold the write lock for a while.
SQLITE_BUSY_SECONDS = 60
# Seconds to wait for PostgreSQL to answer a new connection (libpq's connect_timeout).
PG_CONNECT_TIMEOUT = 5


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the per-backend settings this project relies on."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_SECONDS)
        kwargs.setdefault("json_serializer", canonical_json)
        engine = sa.create_engine(url, **kwargs)
        _sqlite_tweaks(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # A server that accepts the connection but never answers (a host gone from the
    # network, a proxy in front of a dead server) must not hold a request forever: libpq
    # waits indefinitely by default.
    kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", PG_CONNECT_TIMEOUT)
    return sa.create_engine(url, **kwargs)


def _sqlite_tweaks(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN; take it over
    # (the recipe from SQLAlchemy's SQLite dialect docs) and turn on foreign keys.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Wait for other writers first: even switching the journal mode needs the lock.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of
        # failing half-way with "database is locked".
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory; sessions do not expire objects on commit (we render after it)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def configured_sessionmaker() -> sessionmaker[Session]:
    """A session factory for the database the environment names (``DATABASE_URL``).

    Its sessions work for the tenant this process acts for (``--tenant`` on the command
    line, ``bot.tenancy.acting_for``; the default tenant otherwise).
    """
    from bot.tenancy import acting_tenant, for_tenant

    return for_tenant(make_sessionmaker(make_engine(get_settings().database_url)), acting_tenant())


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session and run one transaction in it (commit on success, rollback on error)."""
    with factory() as session, session.begin():
        yield session


def alembic_config(url: str) -> Any:
    """An Alembic Config pointing at the bundled migrations and the given database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Bring the schema up to date (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def upgrade_engine(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema up to date on an existing engine/connection (tests)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

"""Many municipalities in one deployment: which tenant a Session works for (issue 15 item 5).

A *tenant* is one municipality (or prefecture) with its own guideline file, directory,
accounts, drafts, incidents and audit chain. The seam is deliberately small:

- ``DEFAULT_TENANT`` (``"default"``): the tenant every single-tenant deployment is. The
  migration creates it, every tenant-owned column defaults to it, and a Session that was
  never told otherwise works for it, so a deployment with one city needs no configuration.
- A Session knows its tenant through ``session.info["tenant_id"]`` (``TENANT_KEY``). Set
  it with ``tenant_session(factory, t)`` (a new Session), ``for_tenant(factory, t)`` (a
  session factory whose every Session works for ``t``: hand it to a CLI, a worker sweep
  or a request handler) or ``scoped(session, t)`` (an existing Session, before it starts
  a transaction). Read it with ``current_tenant(session)``.
- ``tenants`` is the table of known tenants (``Tenant``; ``ensure_tenant`` adds one).

Everything else keys off ``current_tenant``: the ORM scoping events (every SELECT,
ORM UPDATE/DELETE and new object of a ``TenantOwned`` model), PostgreSQL's row-level
security setting (``app.tenant_id``), the guideline in force and the audit chain. A
caller therefore picks the tenant once, where the request enters (the Slack workspace,
the Teams tenant id, ``--tenant`` on the command line), and services never take a tenant
argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    mapped_column,
    sessionmaker,
    with_loader_criteria,
)

from bot.clock import Clock
from bot.db import Base

DEFAULT_TENANT = "default"
TENANT_KEY = "tenant_id"

# Tenant ids appear in URLs, file names and SQL settings: keep them to a plain slug.
TENANT_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class Tenant(Base):
    """One municipality served by this deployment."""

    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<Tenant {self.id}>"


def connection_tenant(context: Any) -> str:
    """Column default for ``tenant_id``: the tenant of the session using this connection.

    The ORM stamps ``tenant_id`` on new objects itself (``_stamp_new_objects``); this default
    covers rows no object stands for: Core ``insert()`` statements and the rows of plain
    association tables such as ``account_operators``. The session events write the
    tenant into ``Connection.info`` before they execute anything.
    """
    return str(context.connection.info.get(TENANT_KEY, DEFAULT_TENANT))


class TenantOwned:
    """Mixin for every table that belongs to one tenant.

    ``tenant_id`` is NOT NULL with the server default ``'default'`` (so rows written
    before tenancy, and single-tenant deployments, belong to the default tenant), refers
    to ``tenants.id`` and is indexed. The scoping events (bot.tenant_scope) filter every
    query of a ``TenantOwned`` model by the session's tenant (see "Scoping" below).
    """

    tenant_id: Mapped[str] = mapped_column(
        sa.String(64),
        sa.ForeignKey("tenants.id"),
        index=True,
        default=connection_tenant,
        server_default=DEFAULT_TENANT,
    )


class TenantError(ValueError):
    """A tenant id that is malformed, unknown, or changed in the middle of a transaction."""


def check_tenant_id(tenant_id: str) -> str:
    """Return ``tenant_id`` if it is a valid slug, else raise ``TenantError``."""
    if not isinstance(tenant_id, str) or not TENANT_ID_PATTERN.fullmatch(tenant_id):
        raise TenantError(
            f"テナントIDが正しくありません: {tenant_id!r}"
            "（英小文字・数字・ハイフン・下線の64文字以内で指定してください）"
        )
    return tenant_id


def current_tenant(session: Session) -> str:
    """The tenant this Session works for (``DEFAULT_TENANT`` unless it was told otherwise)."""
    tenant = session.info.get(TENANT_KEY)
    return DEFAULT_TENANT if tenant is None else str(tenant)


def scoped(session: Session, tenant_id: str) -> Session:
    """Make ``session`` work for ``tenant_id`` and return it.

    Allowed before the Session's first transaction, or when the tenant does not change:
    switching tenants inside a transaction would mix two cities' rows in one unit of work
    (and PostgreSQL's ``app.tenant_id`` is set once per transaction).
    """
    check_tenant_id(tenant_id)
    if current_tenant(session) != tenant_id and session.in_transaction():
        raise TenantError(
            f"transaction already open for tenant {current_tenant(session)!r}; "
            f"open a new session for {tenant_id!r}"
        )
    session.info[TENANT_KEY] = tenant_id
    return session


def tenant_session(factory: sessionmaker[Session], tenant_id: str) -> Session:
    """A new Session from ``factory`` that works for ``tenant_id``."""
    return factory(info={TENANT_KEY: check_tenant_id(tenant_id)})


def for_tenant(factory: sessionmaker[Session], tenant_id: str) -> sessionmaker[Session]:
    """A session factory like ``factory`` whose every Session works for ``tenant_id``.

    ``factory`` itself is left as it is (other tenants keep using it).
    """
    check_tenant_id(tenant_id)
    kw = dict(factory.kw)
    kw["info"] = {**kw.get("info", {}), TENANT_KEY: tenant_id}
    return sessionmaker(class_=factory.class_, **kw)


def factory_tenant(factory: sessionmaker[Session]) -> str:
    """The tenant the Sessions of ``factory`` work for."""
    return str(factory.kw.get("info", {}).get(TENANT_KEY, DEFAULT_TENANT))


# The tenant a command-line process acts for (``python -m bot … --tenant T``).
_ACTING: ContextVar[str] = ContextVar("bot_acting_tenant", default=DEFAULT_TENANT)


def acting_tenant() -> str:
    """The tenant this process acts for (``configured_sessionmaker`` binds it)."""
    return _ACTING.get()


@contextmanager
def acting_for(tenant_id: str) -> Iterator[str]:
    """Act for ``tenant_id`` inside the block (the CLI wraps each command in it)."""
    token = _ACTING.set(check_tenant_id(tenant_id))
    try:
        yield tenant_id
    finally:
        _ACTING.reset(token)


def ensure_tenant(session: Session, *, tenant_id: str, name: str, clock: Clock) -> Tenant:
    """The tenant ``tenant_id``, created with ``name`` if it does not exist yet."""
    check_tenant_id(tenant_id)
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        tenant = Tenant(id=tenant_id, name=name, created_at=clock.now())
        session.add(tenant)
        session.flush()
    return tenant


def tenant_ids(session: Session) -> list[str]:
    """Every known tenant, the default first (the worker sweeps them in this order)."""
    ids = list(session.scalars(sa.select(Tenant.id).order_by(Tenant.id)))
    if DEFAULT_TENANT in ids:
        ids.remove(DEFAULT_TENANT)
        ids.insert(0, DEFAULT_TENANT)
    return ids


# --- Scoping: one place for every query -------------------------------------------------
#
# SQLAlchemy's documented multi-tenancy recipe: a ``do_orm_execute`` listener adds
# ``with_loader_criteria(TenantOwned, tenant_id == t)`` to every ORM SELECT (including
# lazy and relationship loads) and every ORM-enabled UPDATE/DELETE, and ``before_flush``
# stamps the tenant on new objects. The listeners are registered on the ``Session``
# class when this module is imported (every model module imports it), not in
# ``bot.app.wire()``: scoping must not depend on an entry point remembering to turn it on.
#
# What this does not cover, and is scoped by hand: Core statements on a ``Table``
# (``sa.update(Model.__table__)``, ``sa.text(...)``); their INSERTs get the tenant from
# ``connection_tenant``. On PostgreSQL, row-level security (migration 0018) refuses other
# tenants' rows to anything that slips through.


def _remember_on_connection(session: Session) -> str:
    """Write the session's tenant where column defaults (``connection_tenant``) read it."""
    tenant = current_tenant(session)
    session.connection().info[TENANT_KEY] = tenant
    return tenant


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    tenant = _remember_on_connection(state.session)
    if state.is_column_load:
        return  # refreshes an object already loaded (under this criteria) by primary key
    # INSERT … SELECT (the reminder sweep's ``insert(Reminder).from_select``): the criteria
    # reach the embedded SELECT's entities too, so it copies only this tenant's rows.
    if state.is_select or state.is_update or state.is_delete or state.is_insert:
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantOwned,
                lambda cls: cls.tenant_id == tenant,
                include_aliases=True,
            )
        )


@event.listens_for(Session, "before_flush")
def _stamp_new_objects(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    tenant = _remember_on_connection(session)
    for obj in session.new:
        if isinstance(obj, TenantOwned):
            if obj.tenant_id is None:
                obj.tenant_id = tenant
            elif obj.tenant_id != tenant:
                raise TenantError(
                    f"{type(obj).__name__} of tenant {obj.tenant_id!r} added to a session "
                    f"of tenant {tenant!r}"
                )
    for obj in session.dirty:
        if isinstance(obj, TenantOwned) and obj.tenant_id != tenant:
            raise TenantError(
                f"{type(obj).__name__} moved to tenant {obj.tenant_id!r} in a session "
                f"of tenant {tenant!r}"
            )


@event.listens_for(Session, "after_begin")
def _begin_for_tenant(session: Session, _tx: SessionTransaction, connection: sa.Connection) -> None:
    tenant = current_tenant(session)
    connection.info[TENANT_KEY] = tenant
    if connection.dialect.name == "postgresql":
        # Transaction-local (is_local=true): read by the row-level security policies.
        connection.execute(_SET_TENANT, {"t": tenant})


_SET_TENANT = sa.text("SELECT set_config('app.tenant_id', :t, true)")

"""The append-only, hash-chained audit log: the public record of 5(11)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base
from bot.tenancy import DEFAULT_TENANT, TenantOwned, connection_tenant


class AuditEvent(TenantOwned, Base):
    """One recorded event. ``hash`` covers every other column and the previous row's hash."""

    __tablename__ = "audit_events"

    # Each tenant has its own chain: seq counts from 1 per tenant.
    tenant_id: Mapped[str] = mapped_column(
        sa.String(64),
        sa.ForeignKey("tenants.id"),
        primary_key=True,
        default=connection_tenant,
        server_default=DEFAULT_TENANT,
    )
    seq: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(sa.String(64))  # person handle, or "system"
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[str] = mapped_column(sa.String(64))
    text_hash: Mapped[str | None] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Ed25519 signature of ``hash`` by the writing process's key (bot.audit.keys), and that
    # key's id; both None when the process has no key. Not covered by ``hash``.
    key_id: Mapped[str | None] = mapped_column(sa.String(16))
    signature: Mapped[str | None] = mapped_column(sa.String(88))


class AuditCheckpoint(TenantOwned, Base):
    """A signed statement: at ``created_at`` the chain had ``seq`` rows ending in ``head_hash``.

    Written at least hourly by the worker and at every export (bot.audit.checkpoints). The
    signature covers every column but ``id`` and ``reason``.
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"))
    head_hash: Mapped[str] = mapped_column(sa.String(64))
    key_id: Mapped[str] = mapped_column(sa.String(16))
    signature: Mapped[str] = mapped_column(sa.String(88))
    reason: Mapped[str] = mapped_column(sa.String(16))  # hourly | export | daily | manual

"""The transactional outbox: notifications are written in the same transaction as the
state change that caused them, then delivered (and retried) by a dispatcher."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base
from bot.tenancy import TenantOwned


class OutboxMessage(TenantOwned, Base):
    __tablename__ = "outbox"
    __table_args__ = (
        sa.CheckConstraint("recipient_kind in ('person','channel')", name="recipient_kind"),
        sa.CheckConstraint("status in ('pending','sent','failed')", name="status"),
        # The worker sweeps one tenant at a time.
        sa.Index("ix_outbox_due", "tenant_id", "status", "next_attempt_at"),
        sa.UniqueConstraint("tenant_id", "dedupe_key"),
        # Per-conversation order: "is an earlier message to this recipient still pending?"
        sa.Index(
            "ix_outbox_pending_conversation",
            "recipient_kind",
            "recipient_key",
            "id",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    recipient_kind: Mapped[str] = mapped_column(sa.String(16))
    recipient_key: Mapped[str] = mapped_column(sa.String(64))  # person handle or channel key
    message: Mapped[dict[str, Any]]  # OutMessage.to_dict()
    # Reply in the thread started by another outbox message / replace another one's content.
    thread_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox.id"))
    update_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox.id"))
    # Deliver only once this other message was sent (e.g. "the thread now exists").
    after_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox.id"))
    # Same key twice enqueues once (e.g. a reminder occurrence, a Slack retry).
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    # Set while the recipient has no address on the platform yet (never installed the app,
    # bot not in the channel): the message waits without counting attempts until released.
    unreachable_since: Mapped[datetime | None]
    # Set while a delivery is sending the message (the claim, committed before the platform
    # is called; equal to ``next_attempt_at`` then), cleared when the outcome is written.
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_ref: Mapped[dict[str, Any] | None] = mapped_column(
        sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    )

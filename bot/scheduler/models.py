"""One row per reminder event: the schedule's memory across restarts and workers.

The unique key is (item_type, item_id, kind, anchor_at, occurrence, recipient): the
n-th reminder of one kind about one item, counted from the item's own timestamp (the
anchor: when the version was submitted, the planned time, when the report was filed, the
last incident update). A new anchor (an edited draft, a fresh incident update) starts a new
series; the same event can never get a second row, whoever computes it and however often.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base
from bot.tenancy import TenantOwned

STATUSES = ("scheduled", "claimed", "sent", "snoozed", "cancelled")
UNIQUE_KEY = ("item_type", "item_id", "kind", "anchor_at", "occurrence", "recipient_key")


class Reminder(TenantOwned, Base):
    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint(*UNIQUE_KEY, name="uq_reminders_event"),
        sa.CheckConstraint(
            "status in ('scheduled','claimed','sent','snoozed','cancelled')", name="status"
        ),
        sa.CheckConstraint("recipient_kind in ('person','channel')", name="recipient_kind"),
        sa.CheckConstraint(
            "item_type in ('draft','incident','custody','handover')", name="item_type"
        ),
        # The worker sweeps one tenant at a time.
        sa.Index("ix_reminders_due", "tenant_id", "status", "due_at"),
        sa.Index("ix_reminders_item", "item_type", "item_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "draft" | "incident" | "custody" | "handover" (bot.custody.reminders)
    item_type: Mapped[str] = mapped_column(sa.String(16))
    item_id: Mapped[int]
    # e.g. "approval.pending", "approval.escalated", "exempt.unreported", ...
    kind: Mapped[str] = mapped_column(sa.String(32))
    anchor_at: Mapped[datetime]
    occurrence: Mapped[int]  # 0 = the first reminder, 1.. = repeats
    recipient_kind: Mapped[str] = mapped_column(sa.String(8))  # person | channel
    recipient_key: Mapped[str] = mapped_column(sa.String(64))  # person handle | channel key
    # False for 4(3)エ emergency items and 炎上: they ignore the business calendar.
    business_hours: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="scheduled")
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    # A worker's lease while it sends; an expired lease is taken over by another worker.
    claimed_by: Mapped[str | None] = mapped_column(sa.String(64))
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    snooze_count: Mapped[int] = mapped_column(default=0)
    # The outbox message of the latest send (kept to update it or thread on it).
    outbox_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox.id"))

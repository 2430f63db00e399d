"""outbox: an index for delivering in the queued order within each conversation

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:00:00

Delivery asks, for each candidate row, whether an earlier message to the same recipient is
still pending (bot.notify.service.deliver_pending): a partial index over pending rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_pending_conversation",
        "outbox",
        ["recipient_kind", "recipient_key", "id"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending_conversation", table_name="outbox")

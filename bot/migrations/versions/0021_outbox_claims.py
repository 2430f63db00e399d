"""outbox: a claim (a send in progress) is recorded apart from the next attempt

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 02:20:00

``claimed_until``: set when a delivery claims a message (committed before the platform is
called), cleared when its outcome is written. ``release`` (an address captured) leaves a
claimed message alone: it used to make it due at once, so a second delivery sent it again
while the first one's send was still in progress (the Agents Playground's back-to-back
conversation and installation updates posted an incident root twice).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_until", bot.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_until")

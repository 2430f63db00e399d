"""tenants: the municipalities one deployment serves (issue 15 item 5)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 15:20:00

The default tenant is inserted here, so every existing row (and every single-tenant
deployment) belongs to ``default`` without configuration.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tenants = op.create_table(
        "tenants",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", bot.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
    )
    op.bulk_insert(
        tenants, [{"id": "default", "name": "default", "created_at": datetime.now(UTC)}]
    )


def downgrade() -> None:
    op.drop_table("tenants")

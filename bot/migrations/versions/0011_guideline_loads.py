"""guideline_loads: each guideline version loaded, with the file, who and when

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guideline_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("loaded_by_id", sa.Integer(), nullable=True),
        sa.Column("loaded_by_name", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["loaded_by_id"], ["people.id"], name=op.f("fk_guideline_loads_loaded_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guideline_loads")),
    )
    op.create_index(op.f("ix_guideline_loads_sha256"), "guideline_loads", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_guideline_loads_sha256"), table_name="guideline_loads")
    op.drop_table("guideline_loads")

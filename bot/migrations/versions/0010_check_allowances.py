"""check_allowances: what 情報政策課 allows the content check, recorded as data

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_allowances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "kind in ('allow_phrase','public_number','trusted_domain','disable_rule')",
            name=op.f("ck_check_allowances_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_check_allowances_draft_id_drafts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["people.id"], name=op.f("fk_check_allowances_created_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["people.id"], name=op.f("fk_check_allowances_revoked_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_allowances")),
    )
    op.create_index(
        "uq_check_allowances_active",
        "check_allowances",
        ["kind", "value"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_check_allowances_active", table_name="check_allowances")
    op.drop_table("check_allowances")

"""guideline versions on records; exemption categories are the guideline's labels

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 16:05:00

* ``guideline_version`` / ``guideline_sha256`` on drafts (the version the exemption was
  claimed under), draft_versions (the version the text was checked under: its findings
  cite that version's clause ids), decisions and incidents. Rows written before are NULL
  and read with the guideline in force (there was only the seed city's until now).
* The exemption category is the label the guideline file writes (ア…, 甲, 乙), so the
  CHECK constraints that allowed only ア〜エ go; the code validates the label against the
  guideline in force. Stored values are unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

RECORDS = ("drafts", "draft_versions", "decisions", "incidents")
CATEGORY_CHECKS = {
    "drafts": ("exemption", "exemption in ('ア','イ','ウ','エ')"),
    "exemption_rules": ("category", "category in ('ア','イ','ウ','エ')"),
    "exemption_rule_history": ("category", "category in ('ア','イ','ウ','エ')"),
}


def upgrade() -> None:
    for table in RECORDS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("guideline_version", sa.String(64), nullable=True))
            batch.add_column(sa.Column("guideline_sha256", sa.String(64), nullable=True))
    for table, (column, _condition) in CATEGORY_CHECKS.items():
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
            batch.alter_column(column, type_=sa.String(8), existing_type=sa.String(1))


def downgrade() -> None:
    for table, (column, condition) in CATEGORY_CHECKS.items():
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.String(1), existing_type=sa.String(8))
            batch.create_check_constraint(column, condition)
    for table in RECORDS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("guideline_sha256")
            batch.drop_column("guideline_version")

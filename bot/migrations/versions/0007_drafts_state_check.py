"""drafts.state may only hold a state of the state machine (bot.drafts.state.State)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 04:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Written out, not imported: a migration must keep meaning what it meant when written.
# A later change to the state machine adds a migration that replaces this constraint.
STATES = (
    "pending_approval",
    "changes_requested",
    "rejected",
    "approved",
    "published",
    "exempt",
    "report_due",
    "reported",
    "acknowledged",
    "withdrawn",
)


def upgrade() -> None:
    condition = "state in (" + ",".join(f"'{s}'" for s in STATES) + ")"
    with op.batch_alter_table("drafts") as batch:
        batch.create_check_constraint("state", condition)


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_constraint("ck_drafts_state", type_="check")

"""CHECK constraints on the remaining enum-like columns

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:40:00

accounts.status (the registry's state machine), outbox.status, reminders.item_type,
org_roles.role and exemption_rule_history.end_kind could hold any string: a typo in code
or a hand-written UPDATE went unnoticed until something read the row. The database now
refuses a value the code does not know, as it already did for drafts.state (0007) and
incidents.status (0003).
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Written out, not imported: a migration must keep meaning what it meant when written.
# Adding a value later is a new migration that replaces the constraint.
CHECKS = {
    "accounts": {
        "status": "status in ('registered','submitted','confirmed','returned','suspended','closed')",
    },
    "outbox": {"status": "status in ('pending','sent','failed')"},
    "reminders": {"item_type": "item_type in ('draft','incident')"},
    "org_roles": {"role": "role in ('pr_head','info_policy','admin')"},
    "exemption_rule_history": {
        "end_kind": "end_kind is null or end_kind in ('revoked','replaced')",
    },
}


def upgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, condition in checks.items():
                batch.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name in checks:
                batch.drop_constraint(f"ck_{table}_{name}", type_="check")

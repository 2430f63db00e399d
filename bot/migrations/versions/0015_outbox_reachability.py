"""outbox: wait for an address without counting attempts; deliver one message after another

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 12:20:00

* ``unreachable_since``: set while the recipient has no address on the platform yet (the
  bot was never installed by the person / added to the channel). Such a message waits
  without counting attempts and is released when the address is captured.
* ``after_id``: deliver this message only once that other one was sent (e.g. "the
  incident thread now exists" goes to the reporter after the thread root was posted).

Messages the old code gave up on only because no address existed (50 attempts) are put
back to waiting, so a person who installs the app later still gets them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("unreachable_since", bot.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("after_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_outbox_after_id_outbox", "outbox", ["after_id"], ["id"])
    op.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, unreachable_since = created_at"
        " WHERE status = 'failed' AND last_error LIKE 'no % address for %'"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_after_id_outbox", type_="foreignkey")
        batch.drop_column("after_id")
        batch.drop_column("unreachable_since")

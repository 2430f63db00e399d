"""audit_chain_head(): lock the audit chain and read its last row in one round trip (PostgreSQL)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 04:30:00

Appending to the hash chain needs the chain's last row while no other transaction can
extend it. The function takes the transaction-level advisory lock and only then reads the
last row; being VOLATILE, its query runs with a snapshot taken after the lock was granted,
so it sees every extension committed before. (In a single SQL statement the snapshot
would be taken before the lock wait, and could miss a row committed meanwhile.) SQLite
serialises writers itself and needs nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
CREATE FUNCTION audit_chain_head(lock_key bigint, OUT seq bigint, OUT hash varchar)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN QUERY
        SELECT e.seq::bigint, e.hash FROM audit_events AS e ORDER BY e.seq DESC LIMIT 1;
END
$$
"""
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS audit_chain_head(bigint)")

"""tenant_id on every tenant-owned table; per-city unique keys; one audit chain per tenant

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 15:50:00

Every table that holds a city's data gets ``tenant_id`` (NOT NULL, server default
``'default'``, referring to ``tenants.id``, indexed), so existing rows belong to the
default tenant and a single-tenant deployment sees no change. Keys a city chooses become
unique per tenant: person handles and platform user ids, department, account and channel
keys, account URLs, conversation references, outbox dedupe keys and check allowances.
Integer ids stay global (``事案#12`` is unique in the deployment); the ORM scoping refuses
another tenant's id as "not found".

The audit log's primary key becomes (tenant_id, seq): each tenant has its own chain,
verified and exported on its own. ``audit_chain_head(lock_key, tenant)`` locks and reads
one tenant's chain (PostgreSQL); the one-argument function is kept for old processes
during a rolling upgrade (it reads the default tenant's chain).

SQLite rebuilds tables to add a foreign key or drop a unique constraint. A rebuild drops a
table other tables refer to, so foreign keys are switched off around it (SQLite's
documented ALTER TABLE procedure) and checked with ``PRAGMA foreign_key_check`` before the
commit; the audit tables' append-only triggers are created again afterwards.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Written out, not imported: a migration keeps meaning what it meant when written.
TABLES = (
    "audit_checkpoints",
    "audit_events",
    "channels",
    "conversation_refs",
    "outbox",
    "people",
    "transfer_batches",
    "departments",
    "guideline_loads",
    "org_roles",
    "reminders",
    "accounts",
    "deputies",
    "transfers",
    "account_checks",
    "account_events",
    "account_operators",
    "account_policies",
    "account_registrations",
    "custody_media",
    "custody_records",
    "drafts",
    "exemption_rule_history",
    "exemption_rules",
    "handovers",
    "incidents",
    "after_reports",
    "check_allowances",
    "draft_notices",
    "draft_versions",
    "handover_steps",
    "incident_checklist_items",
    "incident_drafts",
    "incident_events",
    "moderated_comments",
    "decisions",
    "incident_event_edits",
)

# table -> [(old unique constraint name, old columns)]; the new one leads with tenant_id.
UNIQUES: dict[str, list[tuple[str, ...]]] = {
    "people": [("handle",), ("slack_user_id",), ("teams_user_id",)],
    "departments": [("code",)],
    "accounts": [("code",), ("url",)],
    "channels": [("key",)],
    "conversation_refs": [("platform", "owner_kind", "owner_key")],
    "account_policies": [("url_key",)],
    "outbox": [("dedupe_key",)],
}

# table -> (index name, old columns); recreated with tenant_id first (the worker sweeps
# one tenant at a time).
DUE_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "outbox": ("ix_outbox_due", ("status", "next_attempt_at")),
    "reminders": ("ix_reminders_due", ("status", "due_at")),
}

PG_CHAIN_HEAD = """
CREATE FUNCTION audit_chain_head(lock_key bigint, tenant varchar, OUT seq bigint, OUT hash varchar)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- One lock per tenant: tenants append to their own chains without waiting on each other.
    PERFORM pg_advisory_xact_lock(lock_key::int, hashtext(tenant));
    RETURN QUERY
        SELECT e.seq::bigint, e.hash FROM audit_events AS e
        WHERE e.tenant_id = tenant ORDER BY e.seq DESC LIMIT 1;
END
$$
"""

SQLITE_TRIGGERS = ("audit_events", "audit_checkpoints")


def _uq(table: str, columns: tuple[str, ...]) -> str:
    return f"uq_{table}_" + "_".join(columns)


def _tenant_column() -> sa.Column:
    return sa.Column(
        "tenant_id", sa.String(64), nullable=False, server_default=sa.text("'default'")
    )


def _sqlite_foreign_keys(on: bool) -> None:
    # PRAGMA foreign_keys is ignored inside a transaction: end the migration's transaction,
    # switch, and begin again (the connection runs pysqlite in autocommit mode, bot.db).
    if not on:
        op.execute("COMMIT")
        op.execute("PRAGMA foreign_keys=OFF")
        op.execute("BEGIN IMMEDIATE")
        return
    bad = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise RuntimeError(f"foreign key violations after the rebuild: {bad[:5]}")
    op.execute("COMMIT")
    op.execute("PRAGMA foreign_keys=ON")
    op.execute("BEGIN IMMEDIATE")


def _sqlite_append_only_triggers() -> None:
    for log in SQLITE_TRIGGERS:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS {log}_no_{verb.lower()}")
            op.execute(
                f"CREATE TRIGGER {log}_no_{verb.lower()} BEFORE {verb} ON {log} "
                f"BEGIN SELECT RAISE(ABORT, '{log} is append-only'); END"
            )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(False)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(_tenant_column())
            batch.create_foreign_key(
                f"fk_{table}_tenant_id_tenants", "tenants", ["tenant_id"], ["id"]
            )
            if table != "audit_events":  # its primary key leads with tenant_id
                batch.create_index(f"ix_{table}_tenant_id", ["tenant_id"])
            for columns in UNIQUES.get(table, []):
                batch.drop_constraint(_uq(table, columns), type_="unique")
                batch.create_unique_constraint(
                    _uq(table, ("tenant_id", *columns)), ["tenant_id", *columns]
                )
            if table in DUE_INDEXES:
                name, columns = DUE_INDEXES[table]
                batch.drop_index(name)
                batch.create_index(name, ["tenant_id", *columns])
            if table == "audit_events":
                batch.drop_constraint("pk_audit_events", type_="primary")
                batch.create_primary_key("pk_audit_events", ["tenant_id", "seq"])
    op.drop_index("uq_check_allowances_active", table_name="check_allowances")
    op.create_index(
        "uq_check_allowances_active",
        "check_allowances",
        ["tenant_id", "kind", "value"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    if sqlite:
        _sqlite_append_only_triggers()
        _sqlite_foreign_keys(True)
    else:
        op.execute(PG_CHAIN_HEAD)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS audit_chain_head(bigint, varchar)")
    else:
        _sqlite_foreign_keys(False)
    op.drop_index("uq_check_allowances_active", table_name="check_allowances")
    op.create_index(
        "uq_check_allowances_active",
        "check_allowances",
        ["kind", "value"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            if table == "audit_events":
                batch.drop_constraint("pk_audit_events", type_="primary")
                batch.create_primary_key("pk_audit_events", ["seq"])
            if table in DUE_INDEXES:
                name, columns = DUE_INDEXES[table]
                batch.drop_index(name)
                batch.create_index(name, list(columns))
            for columns in UNIQUES.get(table, []):
                batch.drop_constraint(_uq(table, ("tenant_id", *columns)), type_="unique")
                batch.create_unique_constraint(_uq(table, columns), list(columns))
            if table != "audit_events":
                batch.drop_index(f"ix_{table}_tenant_id")
            batch.drop_constraint(f"fk_{table}_tenant_id_tenants", type_="foreignkey")
            batch.drop_column("tenant_id")
    if sqlite:
        _sqlite_append_only_triggers()
        _sqlite_foreign_keys(True)

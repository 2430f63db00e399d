"""PostgreSQL row-level security on every tenant-owned table: the second line (issue 15 item 5)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 16:30:00

The ORM scopes every query by the session's tenant (bot/tenancy.py). Should a query slip
past it (raw SQL, a Core statement someone forgot to scope), PostgreSQL refuses the rows
itself: each tenant table gets ROW LEVEL SECURITY, FORCEd so that the table's owner is
bound too, and one policy that lets a transaction see and write only the rows of the
tenant in ``app.tenant_id``. The application sets that setting at the start of every
transaction (``set_config('app.tenant_id', t, true)``, an ``after_begin`` event); a
connection that never set it sees the default tenant, so a single-tenant deployment needs
nothing. ``nullif(…, '')``: once set in a session, the setting reads as an empty string
(not NULL) after the transaction that set it.

Superusers and roles with BYPASSRLS are not bound by any policy: the application must
connect as a role that is neither (docs/tenancy.md). Migrations, run by the owner or a
superuser, still see every tenant's rows only if that role bypasses RLS.

SQLite has no row-level security; nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# Written out, not imported: the tenant-owned tables as of 0017.
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

POLICY = "tenant_isolation"
TENANT = "coalesce(nullif(current_setting('app.tenant_id', true), ''), 'default')"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} "
            f"USING (tenant_id = {TENANT}) WITH CHECK (tenant_id = {TENANT})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")

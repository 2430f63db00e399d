"""Schema guarantees that hold whatever the code does (migrations 0007, 0009; models == migrations)."""

from __future__ import annotations

import importlib.util

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.db import MIGRATIONS_DIR
from bot.drafts.models import Draft
from bot.drafts.state import State
from bot.incidents import service as incidents
from bot.scheduler.models import Reminder
from tests.drafts.test_drafts import submit


def test_the_migration_lists_every_state_of_the_state_machine():
    path = MIGRATIONS_DIR / "versions" / "0007_drafts_state_check.py"
    spec = importlib.util.spec_from_file_location("m0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.STATES) == {s.value for s in State}, "a new state needs a migration"


def test_the_database_refuses_a_state_the_machine_does_not_know(session, demo, clock):
    draft = submit(session, demo, clock).draft
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.update(Draft).where(Draft.id == draft.id).values(state="approvd"))
    session.refresh(draft)
    assert draft.state == "pending_approval"


# Each enum-like column with a value the code never writes (migration 0009 and earlier).
BOGUS = [
    ("accounts", "status", "bogus"),
    ("outbox", "status", "delivered"),
    ("reminders", "item_type", "account"),
    ("org_roles", "role", "mayor"),
    ("incidents", "status", "solved"),
    ("drafts", "state", "approvd"),
]


@pytest.mark.parametrize(("table", "column", "value"), BOGUS)
def test_the_database_refuses_a_value_the_code_does_not_know(
    session, demo, clock, table, column, value
):
    draft = submit(session, demo, clock).draft  # a draft and its outbox rows
    incidents.declare(
        session, type="炎上", account_code=draft.account.code, actor=demo.sato, summary="批判"
    )
    now = clock.now()
    session.add(
        Reminder(
            item_type="draft",
            item_id=draft.id,
            kind="approval.pending",
            anchor_at=now,
            occurrence=0,
            recipient_kind="person",
            recipient_key="sato",
            created_at=now,
            due_at=now,
        )
    )
    session.flush()
    meta = sa.MetaData()
    t = sa.Table(table, meta, autoload_with=session.connection())
    row_id = session.scalar(sa.select(t.c.id).limit(1))
    assert row_id is not None, table
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.update(t).where(t.c.id == row_id).values({column: value}))
    assert value not in set(session.scalars(sa.select(t.c[column])))


def test_the_models_and_the_migrations_agree(engine):
    """Alembic finds nothing to autogenerate: the models describe the migrated schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import bot.models  # noqa: F401  (every table on Base.metadata)
    from bot.db import Base

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        # Autogenerate does not compare CHECK constraints: compare their names.
        inspector = sa.inspect(conn)
        for table in Base.metadata.sorted_tables:
            declared = {
                c.name
                for c in table.constraints
                if isinstance(c, sa.CheckConstraint) and c.name is not None
            }
            found = {c["name"] for c in inspector.get_check_constraints(table.name)}
            assert declared == found, table.name

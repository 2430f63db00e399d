"""Schema guarantees that hold whatever the code does (migrations 0007, 0008)."""

from __future__ import annotations

import importlib.util

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.db import MIGRATIONS_DIR
from bot.drafts.models import Draft
from bot.drafts.state import State
from tests.core.test_drafts import submit


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

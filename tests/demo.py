"""Fixtures for workflow tests: the demo directory loaded in the rolled-back session."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Person


@dataclass
class Demo:
    """The demo people by handle (see bot/directory/demo.yaml)."""

    people: dict[str, Person]

    def __getattr__(self, handle: str) -> Person:
        try:
            return self.people[handle]
        except KeyError:
            raise AttributeError(handle) from None


@pytest.fixture
def demo(session, clock) -> Demo:
    load_file(session, path=DEMO_FILE, clock=clock)
    session.flush()
    return Demo({p.handle: p for p in session.scalars(sa.select(Person))})

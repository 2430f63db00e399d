"""Test shorthand: the directory's resolved person for a handle (services take a Person)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.directory import service as directory
from bot.directory.models import Person


def who(session: Session, handle: str) -> Person:
    """The active person with this handle (NotFound otherwise), as adapters resolve it."""
    return directory.get_person(session, handle=handle)

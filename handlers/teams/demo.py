"""Demo mode (``serve --demo``): the demo directory, and ``/as <handle>`` for one chat user.

The Agents Playground (and a test tenant) has one or two users; to try a whole flow they
must be the author first and the 所属長 next. ``/as yamada`` links the sender's Teams id to
the demo person ``yamada`` (taking it from whoever had it). Never enabled outside demo mode.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.audit import record
from bot.clock import Clock, SystemClock
from bot.db import transaction
from bot.directory import service as directory
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Person

# Demo mode without CLIENT_ID: a made-up bot id and a token nobody can verify. Only for the
# Agents Playground, which emulates Bot Connector locally and does not check tokens.
DEMO_BOT_ID = "00000000-0000-0000-0000-00000000de70"


# Said to someone the demo directory does not know yet (welcome, help, a refusal): in the
# Playground nobody can be registered, and without this the only way on is the docs.
# A template: ``{approver}`` is the guideline's (``TeamsCore.demo_hint``).
DEMO_HINT = (
    "デモモードです。/as sato（観光課の公式アカウント管理者）または /as yamada（観光課の"
    "{approver}）と送ると、名簿の職員として操作できます。"
)


def demo_token(scope: str | list[str], tenant_id: str | None = None) -> str:
    """An unsigned-looking JWT the SDK can read the expiry of (demo mode only).

    The SDK asks with one scope or a list of scopes (``TokenScope``); both become ``aud``.
    """
    import jwt

    claims = {"aud": scope, "appid": DEMO_BOT_ID, "exp": int(time.time()) + 3600}
    return jwt.encode(claims, "demo-only-not-a-secret-0123456789abcdef", algorithm="HS256")


def load_demo_directory(factory: sessionmaker[Session], *, clock: Clock | None = None) -> bool:
    """Load ``bot/directory/demo.yaml`` into an empty database; True if it was loaded."""
    with transaction(factory) as session:
        if not directory.is_empty(session):
            return False
        load_file(session, path=DEMO_FILE, clock=clock or SystemClock())
        return True


def act_as(
    session: Session, *, handle: str, teams_user_id: str, clock: Clock | None = None
) -> Person:
    """Link ``teams_user_id`` to the demo person ``handle`` (demo mode only)."""
    person = directory.get_person(session, handle=handle.strip())
    session.execute(
        sa.update(Person)
        .where(Person.teams_user_id == teams_user_id, Person.id != person.id)
        .values(teams_user_id=None)
    )
    person.teams_user_id = teams_user_id
    session.flush()
    record(
        session,
        actor=person.handle,
        action="teams.demo_identity",
        subject_type="person",
        subject_id=person.handle,
        clock=clock,
    )
    return person

"""A small directory for incident tests: one department, its head and deputy, an account
with manager and operator, two 情報政策課 members, and a staff member from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.directory.models import Account, Channel, Department, Deputy, OrgRole, Person
from bot.incidents.models import (
    Incident,
    IncidentChecklistItem,
    IncidentDraft,
    IncidentEvent,
    IncidentEventEdit,
    ModeratedComment,
)
from bot.notify.models import OutboxMessage
from tests.scheduler.conftest import settings, world  # noqa: F401  (fixture re-export for the reminder tests)


@dataclass
class Org:
    head: Person
    deputy: Person
    manager: Person
    operator: Person
    policy1: Person
    policy2: Person
    stranger: Person
    other_head: Person
    account: Account
    department: Department


@pytest.fixture
def org(session, clock) -> Org:
    return build_org(session, clock)


def build_org(session, clock) -> Org:
    """Load the test directory into ``session``."""

    def person(handle: str, name: str) -> Person:
        p = Person(handle=handle, name=name)
        session.add(p)
        return p

    head = person("tanaka", "田中 部長")
    deputy = person("suzuki", "鈴木 次長")
    manager = person("sato", "佐藤 主査")
    operator = person("ito", "伊藤 主事")
    policy1 = person("kato", "加藤（情報政策課）")
    policy2 = person("yamada", "山田（情報政策課）")
    stranger = person("kobayashi", "小林（市民課）")
    other_head = person("watanabe", "渡辺 課長（市民課）")
    dept = Department(code="kanko", name="観光課", head=head)
    other = Department(code="shimin", name="市民課", head=other_head)
    session.add_all([dept, other])
    session.flush()
    session.add(
        Deputy(
            department=dept,
            person=deputy,
            active_from=clock.now() - timedelta(days=1),
            active_until=clock.now() + timedelta(days=30),
        )
    )
    account = Account(
        code="kanko_x",
        name="観光課公式X",
        media="X",
        department=dept,
        manager=manager,
        operators=[operator],
    )
    session.add(account)
    session.add_all(
        [OrgRole(role="info_policy", person=policy1), OrgRole(role="info_policy", person=policy2)]
    )
    session.add(Channel(key="info_policy", name="情報政策課"))
    session.flush()
    return Org(
        head, deputy, manager, operator, policy1, policy2, stranger, other_head, account, dept
    )


TABLES: list[Any] = [
    Incident,
    IncidentChecklistItem,
    IncidentEvent,
    IncidentEventEdit,
    IncidentDraft,
    ModeratedComment,
    OutboxMessage,
    AuditEvent,
]


def snapshot(session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables incidents touch, for "nothing changed" assertions."""
    session.flush()
    session.expire_all()
    result = {}
    for model in TABLES:
        table = model.__table__
        rows = session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        result[table.name] = [tuple(r) for r in rows]
    return result

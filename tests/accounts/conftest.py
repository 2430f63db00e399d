"""A small directory for registry tests: two departments, their heads, staff, 広報課長."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.directory.models import Department, Deputy, OrgRole, Person


@dataclass
class Org:
    kankou: Department
    kouhou: Department


@pytest.fixture
def org(session, clock) -> Org:
    people = {
        h: Person(handle=h, name=n)
        for h, n in [
            ("yamada", "山田 課長"),  # head of 観光課
            ("ito", "伊藤 課長補佐"),  # deputy of 観光課
            ("sato", "佐藤 主事"),
            ("suzuki", "鈴木 主任"),
            ("tanaka", "田中 主事"),
            ("hirose", "広瀬 広報課長"),
            ("kato", "加藤 係長"),  # head of 広報課
        ]
    }
    session.add_all(people.values())
    session.flush()
    kankou = Department(code="kankou", name="観光課", head=people["yamada"])
    kouhou = Department(code="kouhou", name="広報課", head=people["kato"])
    session.add_all([kankou, kouhou])
    session.flush()
    session.add(
        Deputy(
            department=kankou,
            person=people["ito"],
            active_from=clock.now() - timedelta(days=1),
            active_until=clock.now() + timedelta(days=7),
        )
    )
    session.add(OrgRole(role="pr_head", person=people["hirose"]))
    session.flush()
    return Org(kankou=kankou, kouhou=kouhou)

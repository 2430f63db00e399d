"""A small city for reminder tests: one department, its head, a deputy, an author."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.directory.models import Account, Channel, Department, Deputy, OrgRole, Person
from bot.drafts.models import AfterReport, Draft, DraftVersion
from bot.drafts.reminders import DraftSource
from bot.notify.models import OutboxMessage
from bot.scheduler.service import Plan, build_plan
from bot.scheduler.settings import ReminderSettings

JST = ZoneInfo("Asia/Tokyo")


def jst(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=JST)


@dataclass
class World:
    author: Person
    head: Person
    deputy: Person
    former_deputy: Person
    info: Person
    department: Department
    account: Account


def make_world(session: Session, *, suffix: str = "") -> World:
    def person(handle: str, name: str) -> Person:
        p = Person(handle=handle + suffix, name=name, active=True)
        session.add(p)
        return p

    author = person("sato", "佐藤 花子")
    head = person("tanaka", "田中 一郎")
    deputy = person("suzuki", "鈴木 次郎")
    former = person("kato", "加藤 三郎")
    info = person("ito", "伊藤 四郎")
    session.flush()
    department = Department(code="kanko" + suffix, name="観光課", head_id=head.id)
    session.add(department)
    session.flush()
    session.add_all(
        [
            Deputy(department_id=department.id, person_id=deputy.id),
            Deputy(
                department_id=department.id,
                person_id=former.id,
                active_until=jst("2026-04-01 00:00"),
            ),
            OrgRole(role="info_policy", person_id=info.id),
        ]
    )
    if session.scalar(sa.select(Channel).where(Channel.key == "info_policy")) is None:
        session.add(Channel(key="info_policy", name="情報政策課"))
    account = Account(
        code="kanko-x" + suffix, name="観光課公式X", media="X", department_id=department.id
    )
    session.add(account)
    session.flush()
    return World(author, head, deputy, former, info, department, account)


def make_draft(
    session: Session,
    world: World,
    *,
    state: str = "pending_approval",
    submitted: datetime,
    exemption: str | None = None,
    planned_at: datetime | None = None,
) -> Draft:
    draft = Draft(
        account_id=world.account.id,
        author_id=world.author.id,
        state=state,
        current_version=1,
        exemption=exemption,
        planned_at=planned_at,
        photo_people="none",
        photo_consent=False,
        created_at=submitted,
        updated_at=submitted,
    )
    session.add(draft)
    session.flush()
    add_version(session, draft, at=submitted)
    return draft


def add_version(session: Session, draft: Draft, *, at: datetime) -> DraftVersion:
    number = (
        session.scalar(
            sa.select(sa.func.max(DraftVersion.number)).where(DraftVersion.draft_id == draft.id)
        )
        or 0
    ) + 1
    text = f"本文 第{number}版"
    version = DraftVersion(
        draft_id=draft.id,
        number=number,
        text=text,
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
        verdict="ok",
        findings=[],
        created_at=at,
    )
    session.add(version)
    draft.current_version = number
    draft.updated_at = at
    session.flush()
    return version


def file_report(session: Session, draft: Draft, *, at: datetime) -> AfterReport:
    report = AfterReport(draft_id=draft.id, filed_by_id=draft.author_id, filed_at=at, note="")
    session.add(report)
    draft.state = "reported"
    session.flush()
    return report


def outbox(session: Session, *, kind_prefix: str = "reminder") -> list[OutboxMessage]:
    rows = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [r for r in rows if r.message["kind"].startswith(kind_prefix)]


def sent_to(session: Session, handle: str, kind: str | None = None) -> list[OutboxMessage]:
    return [
        r
        for r in outbox(session)
        if r.recipient_key == handle and (kind is None or r.message["kind"] == kind)
    ]


@pytest.fixture
def settings() -> ReminderSettings:
    # Explicit values: the tests do not depend on the environment or a .env file.
    return ReminderSettings(
        _env_file=None,  # type: ignore[call-arg]
        approval_after_hours=4,
        approval_escalate_after_hours=8.75,
        approval_repeat_hours=4,
        exempt_report_after_hours=1,
        exempt_report_repeat_hours=4,
        report_ack_after_hours=8.75,
        report_ack_repeat_hours=8.75,
        flaming_stale_after_minutes=30,
        flaming_repeat_minutes=30,
        emergency_after_minutes=60,
        emergency_repeat_minutes=60,
    )


@pytest.fixture
def plan(settings: ReminderSettings) -> Plan:
    return build_plan(settings, [DraftSource(settings)])


@pytest.fixture
def world(session: Session) -> World:
    return make_world(session)


HOUR = timedelta(hours=1)

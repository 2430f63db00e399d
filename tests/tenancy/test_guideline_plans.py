"""Each tenant is reminded on its own guideline: the file's ``reminders`` and ``calendar``
(issue 15), in one worker sweep over one database, on SQLite and PostgreSQL.

Tenant ``seed`` loads the shipped seed file (松本市: 決裁待ち after 4 business hours,
08:30–17:15); tenant ``town`` loads さくら町's shipped file (2 hours) with other working
hours (09:00–17:00) and one closed day of its own (11-26), written for this test.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.app import reminder_sources
from bot.business_calendar import BusinessCalendar
from bot.clock import FakeClock
from bot.directory.loader import DEMO_FILE, load_file
from bot.drafts import api as drafts_api
from bot.guideline import service
from bot.guideline.loader import DATA_DIR, default_guideline, parse
from bot.interaction import Actor
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from bot.scheduler.notifiers import PrintNotifier
from bot.scheduler.service import build_digest, build_plan
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.snooze import snooze, snooze_confirmation, tenant_calendar
from bot.scheduler.worker import Worker
from bot.tenancy import ensure_tenant, for_tenant, tenant_session

JST = ZoneInfo("Asia/Tokyo")
SEED, TOWN = "seed", "town"
SEED_FILE = DATA_DIR / "matsumoto-1.00.yaml"
SAKURA = (DATA_DIR / "sakura-town-2.1.yaml").read_text(encoding="utf-8")
SHIPPED_CALENDAR = """calendar:
  working_time_name: 勤務時間
  start: "08:30"
  end: "17:15"
  days: [mon, tue, wed, thu, fri]
  holidays: JP
  closed_days: ["12-29..01-03"]
"""
# さくら町 with its own hours and a closed day (a 町制記念日), as a town would write them.
TOWN_CALENDAR = """calendar:
  working_time_name: 開庁時間
  start: "09:00"
  end: "17:00"
  days: [mon, tue, wed, thu, fri]
  holidays: JP
  closed_days: ["12-29..01-03", "11-26"]
"""
assert SHIPPED_CALENDAR in SAKURA
TOWN_FILE = SAKURA.replace(SHIPPED_CALENDAR, TOWN_CALENDAR).replace("第2.1版", "第2.1版（試験）")


def jst(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=JST)


def load(factory, tenant: str, text: str, clock: FakeClock) -> None:
    with tenant_session(factory, tenant) as s, s.begin():
        service.record_load(
            s, raw=text.encode("utf-8"), source=f"{tenant}.yaml", actor="system", clock=clock
        )


@pytest.fixture
def towns(factory):
    """Both tenants, the demo directory in each, and their guideline files loaded."""
    clock = FakeClock(jst("2026-11-24 08:00"))
    with factory() as s, s.begin():
        ensure_tenant(s, tenant_id=SEED, name="松本市", clock=clock)
        ensure_tenant(s, tenant_id=TOWN, name="さくら町", clock=clock)
    for tenant in (SEED, TOWN):
        with tenant_session(factory, tenant) as s, s.begin():
            load_file(s, path=DEMO_FILE, clock=clock)
    load(factory, SEED, SEED_FILE.read_text(encoding="utf-8"), clock)
    load(factory, TOWN, TOWN_FILE, clock)
    return factory


def submit(factory, tenant: str, at: datetime) -> int:
    reply = drafts_api.submit_draft(
        for_tenant(factory, tenant),
        actor=Actor("console", "sato"),
        draft=drafts_api.NewDraft(text="秋の観光ガイドを配布します。", account="kanko-x"),
        clock=FakeClock(at),
    )
    assert reply.ok and reply.draft_id is not None
    return reply.draft_id


def make_worker(factory, settings: ReminderSettings | None = None) -> Worker:
    settings = settings or ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    return Worker(
        factory=factory,
        plan=build_plan(settings, reminder_sources),
        notifier=PrintNotifier(io.StringIO()),
        clock=FakeClock(jst("2026-11-24 08:00")),
        name="w1",
    )


def pending_sent(factory, tenant: str) -> list[tuple[int, datetime]]:
    """(draft, sent_at) of the 決裁待ち reminders sent to the 所属長 in ``tenant``."""
    with tenant_session(factory, tenant) as s:
        rows = s.execute(
            sa.select(Reminder.item_id, Reminder.sent_at)
            .where(Reminder.kind == "approval.pending", Reminder.status == "sent")
            .order_by(Reminder.id)
        ).all()
    return [(i, t) for i, t in rows]


def at(worker: Worker, when: str) -> None:
    worker.clock = FakeClock(jst(when))
    worker.sweep()


def test_one_sweep_reminds_each_tenant_as_its_file_says(towns):
    # Wednesday, before either office opens.
    seed_draft, town_draft = (
        submit(towns, SEED, jst("2026-11-25 08:00")),
        submit(towns, TOWN, jst("2026-11-25 08:00")),
    )
    worker = make_worker(towns)
    # The town's 2 hours, counted from the seed city's 08:30, would be up at 10:30: they
    # count from the town's own 09:00 opening.
    at(worker, "2026-11-25 10:59")
    assert pending_sent(towns, SEED) == pending_sent(towns, TOWN) == []
    at(worker, "2026-11-25 11:00")  # 09:00 + 2 h
    assert pending_sent(towns, TOWN) == [(town_draft, jst("2026-11-25 11:00"))]
    assert pending_sent(towns, SEED) == []
    at(worker, "2026-11-25 12:29")
    assert pending_sent(towns, SEED) == []
    at(worker, "2026-11-25 12:30")  # 08:30 + 4 h, the seed file's (and the defaults')
    assert pending_sent(towns, SEED) == [(seed_draft, jst("2026-11-25 12:30"))]
    assert len(pending_sent(towns, TOWN)) == 1  # its repeat is 4 hours, too

    # The reminder counts waiting time in the town's words for it.
    for tenant, waited in ((TOWN, "開庁時間で約2時間"), (SEED, "勤務時間で約4時間")):
        with tenant_session(towns, tenant) as s:
            [message] = s.scalars(
                sa.select(OutboxMessage.message)
                .join(Reminder, Reminder.outbox_id == OutboxMessage.id)
                .where(Reminder.kind == "approval.pending")
            )
            assert waited in str(message), message


def test_a_closed_day_holds_only_its_own_tenants_reminder(towns):
    # Wednesday 16:00. The seed city: 1.25 h on Wednesday, due Thursday 11:15. The town:
    # 1 h on Wednesday; Thursday 11-26 is its closed day, so due Friday 10:00 (without the
    # closed day it would have been Thursday 10:00).
    seed_draft = submit(towns, SEED, jst("2026-11-25 16:00"))
    town_draft = submit(towns, TOWN, jst("2026-11-25 16:00"))
    worker = make_worker(towns)
    at(worker, "2026-11-26 12:00")
    assert pending_sent(towns, SEED) == [(seed_draft, jst("2026-11-26 12:00"))]
    assert pending_sent(towns, TOWN) == []
    at(worker, "2026-11-27 09:59")
    assert pending_sent(towns, TOWN) == []
    at(worker, "2026-11-27 10:00")
    assert pending_sent(towns, TOWN) == [(town_draft, jst("2026-11-27 10:00"))]


def test_a_new_version_counts_from_the_next_sweep_for_its_tenant_only(towns):
    seed_draft = submit(towns, SEED, jst("2026-11-25 09:00"))
    town_draft = submit(towns, TOWN, jst("2026-11-25 09:00"))
    worker = make_worker(towns)
    at(worker, "2026-11-25 10:30")
    assert pending_sent(towns, SEED) == pending_sent(towns, TOWN) == []

    # The same worker, not restarted: the town loads a version reminding after 1 hour.
    faster = TOWN_FILE.replace("approval_after_hours: 2.0", "approval_after_hours: 1.0")
    assert faster != TOWN_FILE
    load(
        towns,
        TOWN,
        faster.replace("第2.1版（試験）", "第2.2版（試験）"),
        FakeClock(jst("2026-11-25 10:30")),
    )
    at(worker, "2026-11-25 10:31")
    assert pending_sent(towns, TOWN) == [(town_draft, jst("2026-11-25 10:31"))]
    assert pending_sent(towns, SEED) == []  # still 4 hours: due 13:00
    at(worker, "2026-11-25 12:59")
    assert pending_sent(towns, SEED) == []
    at(worker, "2026-11-25 13:00")
    assert pending_sent(towns, SEED) == [(seed_draft, jst("2026-11-25 13:00"))]


def test_an_explicit_setting_overrides_every_file(towns):
    # The operator's REMINDER_APPROVAL_AFTER_HOURS=3 (here as the settings' keyword, which
    # counts as explicitly set the same way): both tenants 3 business hours, each on its
    # own calendar (the seed city from 08:30, the town from 09:00).
    submit(towns, SEED, jst("2026-11-25 08:00"))
    submit(towns, TOWN, jst("2026-11-25 08:00"))
    settings = ReminderSettings(_env_file=None, approval_after_hours=3)  # type: ignore[call-arg]
    worker = make_worker(towns, settings)
    at(worker, "2026-11-25 11:30")
    assert len(pending_sent(towns, SEED)) == 1 and pending_sent(towns, TOWN) == []
    at(worker, "2026-11-25 12:00")
    assert len(pending_sent(towns, TOWN)) == 1


def test_the_env_override_is_what_counts_as_explicit(monkeypatch):
    for key in [k for k in __import__("os").environ if k.startswith("REMINDER_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("REMINDER_BUSINESS_START", "08:00")
    town = parse(TOWN_FILE.encode("utf-8"), source="town.yaml")
    settings = ReminderSettings(_env_file=None).for_guideline(town)  # type: ignore[call-arg]
    assert settings.business_start == "08:00"  # the operator's
    assert settings.business_end == "17:00"  # the file's
    assert settings.approval_after_hours == 2.0  # the file's
    assert settings.approval_repeat_hours == 4.0  # the default: the file does not say
    # Derived settings remember what was explicit: under the seed file again, only the
    # operator's start differs from the defaults.
    again = settings.for_guideline(default_guideline())
    assert (again.business_start, again.business_end, again.approval_after_hours) == (
        "08:00",
        "17:15",
        4.0,
    )


def test_the_seed_file_leaves_the_deployment_plan_as_it_is():
    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    plan = build_plan(settings, reminder_sources)
    assert plan.for_guideline(default_guideline()) is plan
    assert plan.calendar == BusinessCalendar()
    # A plan over fixed source objects serves every tenant as it is.
    fixed = build_plan(settings, reminder_sources(settings))
    town = parse(TOWN_FILE.encode("utf-8"), source="town.yaml")
    assert fixed.for_guideline(town) is fixed
    assert plan.for_guideline(town).calendar.opens.hour == 9


def test_check_snooze_and_digest_use_the_tenants_calendar(towns):
    # /check on Wednesday 17:05: working time in the seed city, after hours in the town.
    now = FakeClock(jst("2026-11-25 17:05"))
    seed = drafts_api.check_text(
        text="紅葉がきれいです。", clock=now, factory=for_tenant(towns, SEED)
    )
    town = drafts_api.check_text(
        text="紅葉がきれいです。", clock=now, factory=for_tenant(towns, TOWN)
    )
    assert seed.message is not None and town.message is not None
    assert "平日 08:30〜17:15" in seed.message.text and "現在は勤務時間中です" in seed.message.text
    assert "平日 09:00〜17:00（日本時間、祝日・閉庁日を除く）" in town.message.text
    assert "現在は開庁時間外です" in town.message.text

    # Snooze to Wednesday 16:50 + 30 min: the town's reminder comes back at its next
    # opening, Friday 09:00 (Thursday is closed); the seed city's at 17:20 → Thursday 08:30.
    submit(towns, SEED, jst("2026-11-25 09:00"))
    submit(towns, TOWN, jst("2026-11-25 09:00"))
    worker = make_worker(towns)
    at(worker, "2026-11-25 16:50")
    due = {}
    for tenant in (SEED, TOWN):
        with tenant_session(towns, tenant) as s, s.begin():
            [reminder] = s.scalars(
                sa.select(Reminder).where(Reminder.kind == "approval.pending")
            ).all()
            head = reminder.recipient_key
            from bot.directory.models import Person

            person = s.scalar(sa.select(Person).where(Person.handle == head))
            snoozed = snooze(
                s,
                reminder_id=reminder.id,
                person=person,
                minutes=30,
                clock=FakeClock(jst("2026-11-25 16:50")),
            )
            due[tenant] = snoozed.due_at
            text = snooze_confirmation(snoozed, calendar=tenant_calendar(s)).text
            assert ("開庁時間外のため" if tenant == TOWN else "勤務時間外のため") in text
    assert due == {SEED: jst("2026-11-26 08:30"), TOWN: jst("2026-11-27 09:00")}

    # The digest: each tenant's overdue items counted on its own calendar. Thursday 10:00:
    # the seed city's draft has waited 8.25 h on Wednesday + 1.5 h; the town's 8 h on
    # Wednesday, and its Thursday is closed.
    worker.clock = FakeClock(jst("2026-11-26 10:00"))
    for tenant, waited in ((SEED, "勤務時間で9.8時間"), (TOWN, "開庁時間で8.0時間")):
        factory = for_tenant(towns, tenant)
        with factory() as s:
            digest = build_digest(s, plan=worker.plan_for(factory), now=worker.clock.now())
        assert waited in digest.text, digest.text


def test_guideline_check_refuses_unknown_reminders_and_holiday_countries():
    import json

    from bot.guideline.loader import GuidelineError

    schema = json.loads((DATA_DIR.parent / "guideline.schema.json").read_text(encoding="utf-8"))
    # The file may set exactly the scheduler's intervals (a name not among them would be
    # ignored silently by ReminderSettings.for_guideline).
    assert set(schema["properties"]["reminders"]["properties"]) == {
        k for k in ReminderSettings.model_fields if k.endswith(("_hours", "_minutes"))
    }
    misspelt = TOWN_FILE.replace("approval_after_hours: 2.0", "approval_wait_hours: 2.0")
    with pytest.raises(GuidelineError) as info:
        parse(misspelt.encode("utf-8"), source="bad.yaml")
    assert "approval_wait_hours" in str(info.value)
    # A two-letter country the holidays package does not know passes the schema.
    nowhere = TOWN_FILE.replace("holidays: JP", "holidays: XX")
    with pytest.raises(GuidelineError) as info:
        parse(nowhere.encode("utf-8"), source="bad.yaml")
    assert "calendar.holidays: 国コード「XX」の祝日は holidays パッケージにありません" in str(
        info.value
    )


def test_worker_plans_are_shared_by_file(towns):
    worker = make_worker(towns)
    seed = worker.plan_for(for_tenant(towns, SEED))
    town = worker.plan_for(for_tenant(towns, TOWN))
    assert seed is worker.plan  # the seed file: the deployment's own plan
    assert town is worker.plan_for(for_tenant(towns, TOWN))  # cached by the file's hash
    assert town.settings.approval_after_hours == 2.0
    assert worker.plan_for(for_tenant(towns, "default")) is worker.plan  # nothing loaded
    assert timedelta(hours=2) in {r.first for r in town.rules}

"""The worker's reminder sweep, tenant by tenant: each tenant's items are reminded in that
tenant, to its own people (issue 15 item 5).

The sweep schedules with ``INSERT … SELECT`` (bot.scheduler.service): the SELECT inside the
INSERT must be scoped like any other ORM query, or the first tenant swept (the default)
writes rows for every city's items, stamped with its own tenant, and the unique key then
keeps each city's own sweep from adding its reminders. Checked as the database owner
(the test's connection), where PostgreSQL's row-level security does not help.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.app import reminder_sources
from bot.clock import FakeClock
from bot.directory.loader import DEMO_FILE, load_file
from bot.drafts import api as drafts_api
from bot.interaction import Actor
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from bot.scheduler.notifiers import PrintNotifier
from bot.scheduler.service import build_plan
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.worker import Worker
from bot.tenancy import ensure_tenant, for_tenant, tenant_session

JST = ZoneInfo("Asia/Tokyo")
SUBMITTED = datetime(2026, 11, 24, 9, 0, tzinfo=JST)  # a Tuesday
SWEPT = datetime(2026, 11, 25, 15, 0, tzinfo=JST)  # the next afternoon
CITIES = ("town-a", "city-b")


def test_each_city_is_reminded_of_its_own_drafts_in_its_own_tenant(factory):
    clock = FakeClock(SUBMITTED)
    with factory() as s, s.begin():
        ensure_tenant(s, tenant_id="town-a", name="A町", clock=clock)
        ensure_tenant(s, tenant_id="city-b", name="B市", clock=clock)
    drafts: dict[str, int] = {}
    for tenant in CITIES:
        with tenant_session(factory, tenant) as s, s.begin():
            load_file(s, path=DEMO_FILE, clock=clock)
        reply = drafts_api.submit_draft(
            for_tenant(factory, tenant),
            actor=Actor("console", "sato"),
            draft=drafts_api.NewDraft(text="秋の観光ガイドを配布します。", account="kanko-x"),
            clock=clock,
        )
        assert reply.ok
        assert reply.draft_id is not None
        drafts[tenant] = reply.draft_id

    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    worker = Worker(
        factory=factory,
        plan=build_plan(settings, reminder_sources(settings)),
        notifier=PrintNotifier(io.StringIO()),
        clock=FakeClock(SWEPT),
        name="w1",
    )
    stats = worker.sweep()

    with factory() as s:  # the default tenant swept first, and has no drafts
        assert s.scalars(sa.select(Reminder)).all() == []
    for tenant in CITIES:
        with tenant_session(factory, tenant) as s:
            reminders = s.scalars(sa.select(Reminder).where(Reminder.status == "sent")).all()
            # The 所属長, and (a business day on) the deputy: of this city's directory.
            assert {(r.item_id, r.kind, r.recipient_key) for r in reminders} == {
                (drafts[tenant], "approval.pending", "yamada"),
                (drafts[tenant], "approval.escalated", "kato"),
            }
            outbox = s.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("reminder:%"))
            ).all()
            assert sorted((m.recipient_key, m.tenant_id) for m in outbox) == [
                ("kato", tenant),
                ("yamada", tenant),
            ]
    assert stats.sent == 4 and stats.cancelled == 0

    # A minute later nothing is due again anywhere.
    worker.clock = FakeClock(SWEPT + timedelta(minutes=1))
    assert worker.sweep().scheduled == 0

"""炎上 with no status update: reminded in the incident thread, at any hour (6(3))."""

from __future__ import annotations

from bot.app import reminder_sources
from bot.drafts.reminders import DraftSource
from bot.incidents import service as incidents
from bot.incidents.reminders import IncidentSource
from bot.scheduler.service import build_plan, sweep
from bot.scheduler.snooze import snooze
from tests.people import who
from tests.scheduler.conftest import jst, outbox


def run(factory, plan, clock, when):
    clock.set(jst(when))
    return sweep(factory, plan=plan, worker="w", clock=clock)


def test_quiet_flaming_thread_is_reminded_at_night(session, factory, settings, world, clock):
    plan = build_plan(settings, [DraftSource(settings), IncidentSource(settings)])
    clock.set(jst("2026-11-07 21:00"))  # Saturday night
    incident = incidents.declare(
        session,
        type="炎上",
        account_code="kanko-x",
        actor=who(session, "sato"),
        summary="批判が拡散",
        clock=clock,
    )
    session.flush()

    assert run(factory, plan, clock, "2026-11-07 21:29").sent == 0
    assert run(factory, plan, clock, "2026-11-07 21:30").sent == 1

    [msg] = outbox(session, kind_prefix="incident.reminder")
    assert msg.recipient_kind == "channel" and msg.recipient_key == "info_policy"
    assert msg.thread_of_id == incident.thread_root_id  # a reply in the incident's thread
    assert "6(3)" in msg.message["text"]
    assert "sato" in msg.message["mentions"]
    assert "reminder.snooze" in [a["action_id"] for a in msg.message["actions"]]

    # A status update restarts the clock: nothing at 21:45, the next one at 22:15.
    clock.set(jst("2026-11-07 21:45"))
    incidents.post_update(
        session, incident_id=incident.id, actor=who(session, "sato"), text="事実確認中", clock=clock
    )
    session.flush()
    assert run(factory, plan, clock, "2026-11-07 22:00").sent == 0
    assert run(factory, plan, clock, "2026-11-07 22:15").sent == 1

    # 情報政策課 may snooze a channel reminder; the author of the post may not.
    reminder_id = msg.message["actions"][-1]["value"]["reminder_id"]
    snooze(session, reminder_id=reminder_id, person=world.info, minutes=30, clock=clock)


def test_closed_incident_is_not_reminded(session, factory, settings, world, clock):
    plan = build_plan(settings, [IncidentSource(settings)])
    clock.set(jst("2026-11-25 10:00"))
    incident = incidents.declare(
        session,
        type="炎上",
        account_code="kanko-x",
        actor=who(session, "sato"),
        summary="批判",
        clock=clock,
    )
    incident.status = "closed"
    session.flush()
    assert run(factory, plan, clock, "2026-11-25 12:00").sent == 0
    assert outbox(session, kind_prefix="incident.reminder") == []


def test_the_deployment_sweeps_drafts_incidents_custody_and_handovers(settings):
    plan = build_plan(settings, reminder_sources(settings))
    assert set(plan.sources) == {"draft", "incident", "custody", "handover"}

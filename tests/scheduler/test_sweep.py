"""The sweep: who is reminded, when, and never twice (W3)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.clock import FakeClock
from bot.drafts.reminders import DraftSource
from bot.scheduler.models import Reminder
from bot.scheduler.service import build_plan, sweep

from .conftest import HOUR, add_version, file_report, jst, make_draft, outbox, sent_to


def run(factory, plan, clock, when, worker="w1"):
    clock.set(jst(when))
    return sweep(factory, plan=plan, worker=worker, clock=clock)


def test_approver_is_reminded_after_four_business_hours(session, factory, plan, world, clock):
    draft = make_draft(session, world, submitted=jst("2026-11-25 09:00"))

    assert run(factory, plan, clock, "2026-11-25 12:59").sent == 0
    stats = run(factory, plan, clock, "2026-11-25 13:00")

    assert stats.sent == 1
    [msg] = sent_to(session, "tanaka")
    body = msg.message
    assert body["kind"] == "reminder.approval"
    assert f"下書き #{draft.id}" in body["title"]
    assert "4(3)により所属長の決裁が必要です" in body["text"]
    action_ids = [a["action_id"] for a in body["actions"]]
    assert action_ids[:3] == ["draft.approve", "draft.request_changes", "draft.reject"]
    assert "reminder.snooze" in action_ids
    # The author is not reminded, and the draft text is not in the message.
    assert sent_to(session, "sato") == []
    assert "本文" not in str(body)
    # Sweeping again a minute later changes nothing.
    assert run(factory, plan, clock, "2026-11-25 13:01").sent == 0
    assert len(outbox(session)) == 1


def test_friday_evening_waits_for_monday(session, factory, plan, world, clock):
    make_draft(session, world, submitted=jst("2026-11-06 15:00"))  # Fri: 2h15 left that day

    for when in ("2026-11-06 17:14", "2026-11-06 22:00", "2026-11-07 10:00", "2026-11-09 10:14"):
        assert run(factory, plan, clock, when).sent == 0, when
    assert run(factory, plan, clock, "2026-11-09 10:15").sent == 1


def test_due_at_night_goes_out_at_the_next_business_moment(session, factory, plan, world, clock):
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))  # due 13:00
    # The worker was down all afternoon and comes back at 22:00.
    stats = run(factory, plan, clock, "2026-11-25 22:00")
    assert (stats.scheduled, stats.sent) == (1, 0)
    row = session.scalar(sa.select(Reminder))
    assert row.due_at == jst("2026-11-26 08:30")

    assert run(factory, plan, clock, "2026-11-26 08:29").sent == 0
    assert run(factory, plan, clock, "2026-11-26 08:30").sent == 1
    assert len(sent_to(session, "tanaka")) == 1


def test_decided_before_sending_is_cancelled(session, factory, plan, world, clock):
    draft = make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-25 22:00")  # scheduled for tomorrow 08:30
    draft.state = "approved"
    session.flush()

    stats = run(factory, plan, clock, "2026-11-26 08:30")

    assert (stats.sent, stats.cancelled) == (0, 1)
    assert outbox(session) == []
    assert session.scalar(sa.select(Reminder.status)) == "cancelled"


def test_escalation_reaches_active_deputies_only(session, factory, plan, world, clock):
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-25 13:00")  # head, occurrence 0
    run(factory, plan, clock, "2026-11-26 08:30")  # head, occurrence 1 (8h)
    assert sent_to(session, "suzuki") == []

    # 8.75 business hours = Thursday 09:00.
    run(factory, plan, clock, "2026-11-26 09:00")

    [escalated] = sent_to(session, "suzuki")
    assert escalated.message["kind"] == "reminder.approval_escalated"
    assert "代理" in escalated.message["title"]
    assert sent_to(session, "kato") == []  # delegation ended in April
    assert len(sent_to(session, "tanaka")) == 2


def test_author_who_heads_the_department_is_not_asked_to_approve(
    session, factory, plan, world, clock
):
    world.account.department.head_id = world.author.id
    session.flush()
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-26 12:00")
    assert sent_to(session, "sato") == []
    assert len(sent_to(session, "suzuki")) == 1  # the deputy decides instead


def test_an_edit_starts_a_new_series(session, factory, plan, world, clock):
    draft = make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-25 13:00")
    add_version(session, draft, at=jst("2026-11-25 14:00"))  # re-routed for approval

    assert run(factory, plan, clock, "2026-11-25 17:00").sent == 0  # old series is over
    assert run(factory, plan, clock, "2026-11-26 09:45").sent == 1  # 4h after 14:00
    first, second = sent_to(session, "tanaka")
    assert "第1版" in first.message["title"] and "第2版" in second.message["title"]


def test_exempt_post_without_report_reminds_the_author(session, factory, plan, world, clock):
    make_draft(
        session,
        world,
        state="exempt",
        exemption="ア",
        submitted=jst("2026-11-25 08:00"),
        planned_at=jst("2026-11-25 10:00"),
    )
    assert run(factory, plan, clock, "2026-11-25 10:59").sent == 0
    assert run(factory, plan, clock, "2026-11-25 11:00").sent == 1
    [msg] = sent_to(session, "sato")
    assert msg.message["kind"] == "reminder.report_missing"
    assert "4(3)ただし書" in msg.message["text"]
    assert sent_to(session, "tanaka") == []


def test_emergency_items_ignore_the_calendar(session, factory, plan, world, clock):
    # A 4(3)エ disaster post planned for Saturday night: reminded one hour later, at night.
    make_draft(
        session,
        world,
        state="report_due",
        exemption="エ",
        submitted=jst("2026-11-07 22:30"),
        planned_at=jst("2026-11-07 23:00"),
    )
    assert run(factory, plan, clock, "2026-11-07 23:59").sent == 0
    assert run(factory, plan, clock, "2026-11-08 00:00").sent == 1
    assert "掲載済みの登録はありますが" in sent_to(session, "sato")[0].message["text"]
    # Repeats every hour, also at night.
    assert run(factory, plan, clock, "2026-11-08 01:00").sent == 1


def test_report_not_acknowledged_reminds_the_head(session, factory, plan, world, clock):
    draft = make_draft(
        session, world, state="report_due", exemption="イ", submitted=jst("2026-11-24 09:00")
    )
    report = file_report(session, draft, at=jst("2026-11-25 10:00"))

    assert run(factory, plan, clock, "2026-11-26 09:59").sent == 0
    assert run(factory, plan, clock, "2026-11-26 10:00").sent == 1
    [msg] = sent_to(session, "tanaka", "reminder.report_unacknowledged")
    ack = next(a for a in msg.message["actions"] if a["action_id"] == "report.acknowledge")
    assert ack["value"] == {"draft_id": draft.id, "report_id": report.id}
    # The author is no longer asked for a report.
    assert sent_to(session, "sato") == []


def test_every_send_is_in_the_audit_log(session, factory, plan, world, clock):
    draft = make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-25 13:00")
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reminder.sent"))
    assert event.actor == "system"
    [entry] = event.data["reminders"]
    assert entry["item"] == f"draft:{draft.id}"
    assert entry["kind"] == "approval.pending" and entry["to"] == "tanaka"


def test_restart_misses_nothing_and_resends_nothing(session, factory, settings, world, clock):
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    make_draft(session, world, submitted=jst("2026-11-25 10:00"))
    first = build_plan(settings, [DraftSource(settings)])
    assert run(factory, first, clock, "2026-11-25 13:00", worker="a").sent == 1

    # "Restart": new plan, new source objects, another worker id; the process was down
    # from 13:00 to 15:30, when the second draft fell due (14:00).
    second = build_plan(settings, [DraftSource(settings)])
    assert run(factory, second, clock, "2026-11-25 15:30", worker="b").sent == 1
    assert run(factory, second, clock, "2026-11-25 15:31", worker="b").sent == 0
    assert len(sent_to(session, "tanaka")) == 2
    keys = [r.dedupe_key for r in outbox(session)]
    assert len(keys) == len(set(keys))


def test_a_long_outage_sends_the_latest_reminder_once(session, factory, plan, world, clock):
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    # Down for three business days: occurrences 0..n were all "missed".
    stats = run(factory, plan, clock, "2026-11-30 10:00")
    assert len(sent_to(session, "tanaka")) == 1
    assert len(sent_to(session, "suzuki")) == 1
    assert stats.sent == 2
    row = session.scalar(sa.select(Reminder).where(Reminder.kind == "approval.pending"))
    assert row.occurrence > 1
    # The next one comes one repeat interval later, not at once.
    assert run(factory, plan, clock, "2026-11-30 13:59").sent == 0
    assert run(factory, plan, clock, "2026-11-30 14:00").sent == 2


def test_outbox_dedupe_key_is_the_reminder_key(session, factory, plan, world, clock):
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-25 13:00")
    row = session.scalar(sa.select(Reminder))
    [msg] = outbox(session)
    assert msg.dedupe_key == f"reminder:{row.id}:0"
    assert row.outbox_id == msg.id
    assert row.status == "sent" and row.sent_at == jst("2026-11-25 13:00")


def test_each_reminder_of_a_batch_is_linked_to_its_own_message(
    session, factory, plan, world, clock
):
    for hour in ("08:30", "08:45", "09:00"):
        make_draft(session, world, submitted=jst(f"2026-11-25 {hour}"))
    assert run(factory, plan, clock, "2026-11-25 13:00").sent == 3
    by_key = {m.dedupe_key: m for m in outbox(session)}
    reminders = session.scalars(sa.select(Reminder).order_by(Reminder.id)).all()
    assert len(reminders) == len(by_key) == 3
    for r in reminders:
        msg = by_key[f"reminder:{r.id}:0"]
        assert r.outbox_id == msg.id
        assert f"下書き #{r.item_id}" in msg.message["title"]


def test_expired_lease_is_taken_over(session, factory, plan, world, clock):
    from bot.scheduler.service import claim_due

    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    clock.set(jst("2026-11-25 13:00"))
    with factory() as s, s.begin():
        from bot.scheduler.service import schedule_due

        schedule_due(s, plan=plan, now=clock.now())
        assert claim_due(s, plan=plan, worker="dead", now=clock.now())  # then it dies
    assert run(factory, plan, clock, "2026-11-25 13:01").sent == 0  # lease still held
    clock_later = "2026-11-25 13:06"  # lease_seconds = 300
    assert run(factory, plan, clock, clock_later).sent == 1
    assert len(outbox(session)) == 1


def test_fake_clock_only(clock):
    # Guard: the shared clock fixture is a FakeClock (no test here waits for real time).
    assert isinstance(clock, FakeClock)
    before = clock.now()
    clock.advance(hours=3)
    assert clock.now() - before == 3 * HOUR
    assert timedelta(0) < 3 * HOUR


def test_outbox_message_matches_the_kernel_serialisation(session, factory, plan, world, clock):
    from bot.notify.messages import OutMessage

    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-25 13:00")
    [msg] = outbox(session)
    assert OutMessage.from_dict(msg.message).to_dict() == msg.message

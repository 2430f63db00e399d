"""Snooze from the reminder itself, and the daily digest to 情報政策課."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from bot.scheduler.service import send_digest, sweep
from bot.scheduler.snooze import snooze, snooze_confirmation

from .conftest import jst, make_draft, outbox, sent_to


def run(factory, plan, clock, when):
    clock.set(jst(when))
    return sweep(factory, plan=plan, worker="w", clock=clock)


@pytest.fixture
def reminded(session, factory, plan, world, clock):
    """A draft whose approver got the first reminder at 13:00; returns the reminder id."""
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    run(factory, plan, clock, "2026-11-25 13:00")
    [msg] = sent_to(session, "tanaka")
    button = next(a for a in msg.message["actions"] if a["action_id"] == "reminder.snooze")
    assert set(button["value"]) == {"reminder_id", "minutes"}
    return button["value"]["reminder_id"]


def test_recipient_snoozes_and_is_reminded_again_once(
    session, factory, plan, world, clock, reminded
):
    clock.set(jst("2026-11-25 13:05"))
    row = snooze(
        session,
        reminder_id=reminded,
        person=world.head,
        minutes=30,
        clock=clock,
        calendar=plan.calendar,
    )
    session.flush()
    assert row.status == "snoozed" and row.snoozed_until == jst("2026-11-25 13:35")
    confirmation = snooze_confirmation(row)
    assert "2026年11月25日 13:35" in confirmation.text

    assert run(factory, plan, clock, "2026-11-25 13:34").sent == 0
    assert run(factory, plan, clock, "2026-11-25 13:35").sent == 1
    assert run(factory, plan, clock, "2026-11-25 13:36").sent == 0
    first, again = sent_to(session, "tanaka")
    assert again.dedupe_key != first.dedupe_key
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reminder.snoozed"))
    assert event.actor == "tanaka" and event.data["minutes"] == 30


def test_snooze_holds_back_the_next_repeat(session, factory, plan, world, clock, reminded):
    clock.set(jst("2026-11-25 13:10"))
    snooze(
        session,
        reminder_id=reminded,
        person=world.head,
        minutes=24 * 60,
        clock=clock,
        calendar=plan.calendar,
    )
    session.flush()
    # The 4-hourly repeat (due Thursday 08:30) waits for the snooze to end.
    assert run(factory, plan, clock, "2026-11-26 09:00").sent == 1  # the deputy (escalation)
    assert len(sent_to(session, "tanaka")) == 1


def test_snooze_into_the_evening_waits_for_the_morning(
    session, factory, plan, world, clock, reminded
):
    clock.set(jst("2026-11-25 17:00"))
    row = snooze(
        session,
        reminder_id=reminded,
        person=world.head,
        minutes=60,
        clock=clock,
        calendar=plan.calendar,
    )
    assert row.due_at == jst("2026-11-26 08:30")
    assert "勤務時間外" in snooze_confirmation(row).text


def test_only_the_recipient_may_snooze(session, world, clock, reminded, plan):
    with pytest.raises(PermissionDenied) as info:
        snooze(
            session,
            reminder_id=reminded,
            person=world.author,
            minutes=30,
            clock=clock,
            calendar=plan.calendar,
        )
    assert "（tanaka）宛て" in info.value.message
    assert session.get(Reminder, reminded).status == "sent"


@pytest.mark.parametrize("minutes", [0, -5, 7 * 24 * 60 + 1])
def test_snooze_length_must_be_sensible(session, world, clock, reminded, plan, minutes):
    with pytest.raises(ValidationFailed) as info:
        snooze(
            session,
            reminder_id=reminded,
            person=world.head,
            minutes=minutes,
            clock=clock,
            calendar=plan.calendar,
        )
    assert "分の範囲" in info.value.message


def test_unknown_and_finished_reminders_are_refused(session, factory, plan, world, clock, reminded):
    with pytest.raises(NotFound):
        snooze(session, reminder_id=reminded + 999, person=world.head, minutes=30, clock=clock)
    session.execute(sa.update(Reminder).values(status="cancelled"))
    with pytest.raises(InvalidTransition) as info:
        snooze(
            session,
            reminder_id=reminded,
            person=world.head,
            minutes=30,
            clock=clock,
            calendar=plan.calendar,
        )
    assert "終了しています" in info.value.message


def test_snoozed_reminder_for_a_decided_draft_is_dropped(
    session, factory, plan, world, clock, reminded
):
    clock.set(jst("2026-11-25 13:05"))
    snooze(
        session,
        reminder_id=reminded,
        person=world.head,
        minutes=30,
        clock=clock,
        calendar=plan.calendar,
    )
    session.execute(sa.text("UPDATE drafts SET state = 'approved'"))
    stats = run(factory, plan, clock, "2026-11-25 13:40")
    assert (stats.sent, stats.cancelled) == (0, 1)


def test_digest_lists_overdue_items_and_failed_notifications(session, factory, plan, world, clock):
    make_draft(session, world, submitted=jst("2026-11-24 09:00"))
    make_draft(session, world, submitted=jst("2026-11-25 08:45"))  # not overdue at 09:00
    session.add(
        OutboxMessage(
            created_at=jst("2026-11-24 10:00"),
            recipient_kind="person",
            recipient_key="tanaka",
            message={"kind": "draft.approval_request", "title": "x"},
            status="failed",
            attempts=50,
            next_attempt_at=jst("2026-11-24 10:00"),
            last_error="channel_not_found",
        )
    )
    session.flush()
    clock.set(jst("2026-11-25 09:00"))

    row = send_digest(session, plan=plan, clock=clock)

    assert row.recipient_kind == "channel" and row.recipient_key == "info_policy"
    body = row.message
    assert body["kind"] == "reminder.digest"
    assert "決裁待ち（4(3)）" in body["text"]
    assert body["text"].count("決裁待ち（4(3)）") == 1
    assert "→ 田中 一郎（tanaka）: 配信を断念（原因の記録: channel_not_found）" in body["text"]
    assert "さん" not in body["text"]  # people are named 「名前（handle）」, not 「tanaka さん」
    shown = [(f["label"], f["value"]) for f in body["fields"]]
    assert ("配信できていない通知", "1件") in shown
    # A second worker, or a restart, the same day: no second digest.
    assert send_digest(session, plan=plan, clock=clock) is None
    assert len(outbox(session, kind_prefix="reminder.digest")) == 1
    clock.set(jst("2026-11-26 09:00"))
    assert send_digest(session, plan=plan, clock=clock) is not None

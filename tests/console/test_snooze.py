"""In the console, a reminder's snooze button is the /snooze command."""

from __future__ import annotations

from bot.scheduler.service import sweep
from handlers.console.testing import TestBot
from tests.scheduler.conftest import jst, make_draft


def test_snooze_from_the_console(session, factory, plan, world, clock, monkeypatch):
    monkeypatch.delenv("REMINDER_SNOOZE_DEFAULT_MINUTES", raising=False)
    make_draft(session, world, submitted=jst("2026-11-25 09:00"))
    session.commit()  # visible to the console's sessions (a SAVEPOINT in this test)
    clock.set(jst("2026-11-25 13:00"))
    sweep(factory, plan=plan, worker="w", clock=clock)
    bot = TestBot(factory, clock=clock, seed_demo=False)

    bot.push("tanaka", "/help")  # any command delivers the outbox
    reminder = bot.pop("tanaka", kind="reminder.approval")
    button = next(a for a in reminder.message.actions if a.action_id == "reminder.snooze")
    rid = button.value["reminder_id"]

    bot.push("sato", f"/snooze {rid} 30")
    refused = bot.pop("sato", kind="error")
    assert "宛先の方だけ" in refused.message.title + refused.message.text

    bot.push("tanaka", f"/snooze {rid} 30")
    done = bot.pop("tanaka", kind="reminder.snoozed")
    assert "13:30 まで通知を止めます" in done.message.text

    clock.set(jst("2026-11-25 13:30"))
    sweep(factory, plan=plan, worker="w", clock=clock)
    bot.push("tanaka", "/help")
    again = bot.pop("tanaka", kind="reminder.approval")
    assert again.message.title == reminder.message.title

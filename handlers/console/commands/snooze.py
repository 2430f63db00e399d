"""/snooze: put a reminder off for a while (the reminder's own 「再通知」 buttons do the same)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.db import transaction
from bot.directory.models import Person
from bot.errors import NotFound
from bot.guideline import service as guideline_service
from bot.interaction.args import number
from bot.scheduler.settings import load_settings
from bot.scheduler.snooze import snooze, snooze_confirmation, tenant_calendar
from handlers.console.router import Context, Registry


def _number(token: str, what: str) -> int:
    return number(token, what=what, example="30")


def handle(ctx: Context, args: str) -> None:
    parts = args.split()
    if not parts or len(parts) > 2:
        ctx.usage("snooze", "リマインダーの番号を指定してください。")
        return
    reminder_id = _number(parts[0], "リマインダーの番号")
    minutes = _number(parts[1].removesuffix("分"), "分数") if len(parts) == 2 else None
    with transaction(ctx.factory) as session:
        person = session.scalar(sa.select(Person).where(Person.handle == ctx.user))
        if person is None:
            raise NotFound(f"利用者「{ctx.user}」は名簿に登録されていません。")
        if minutes is None:
            # The tenant's guideline may set it (reminders.snooze_default_minutes).
            in_force = guideline_service.in_force(session)
            minutes = load_settings().for_guideline(in_force).snooze_default_minutes
        calendar = tenant_calendar(session)
        reminder = snooze(
            session,
            reminder_id=reminder_id,
            person=person,
            minutes=minutes,
            clock=ctx.clock,
            calendar=calendar,
        )
        message = snooze_confirmation(reminder, calendar=calendar)
    ctx.reply(message)


def register(registry: Registry) -> None:
    registry.command(
        "snooze",
        handle,
        summary="リマインダーを一時停止する（宛先の本人のみ）",
        usage="/snooze 番号 [分]　例: /snooze 12 30（省略時は60分）",
        aliases=("スヌーズ",),
    )
    registry.action("reminder.snooze", "/snooze {reminder_id} {minutes}")

"""/ack: the 所属長 acknowledges an after-posting report."""

from __future__ import annotations

from bot.drafts import api
from bot.interaction.args import leading_draft_id
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.answer(
        api.acknowledge_report(
            ctx.factory,
            actor=ctx.actor,
            draft_id=leading_draft_id(args),
            clock=ctx.clock,
        )
    )


def register(registry: Registry) -> None:
    registry.command(
        "ack",
        handle,
        summary="事後報告を確認する（{approver}・代理）",
        usage="/ack 番号　例: /ack 2",
        aliases=("確認",),
    )
    registry.action("report.acknowledge", "/ack {draft_id}")

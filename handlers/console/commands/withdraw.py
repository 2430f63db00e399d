"""/withdraw: the author takes back a draft that has not been published."""

from __future__ import annotations

from bot.drafts import api
from bot.interaction.args import leading_draft_id
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.answer(
        api.withdraw_draft(
            ctx.factory,
            actor=ctx.actor,
            draft_id=leading_draft_id(args),
            clock=ctx.clock,
        )
    )


def register(registry: Registry) -> None:
    registry.command(
        "withdraw",
        handle,
        summary="下書きを取り下げる（掲載前のみ）",
        usage="/withdraw 番号",
        aliases=("取り下げ",),
    )

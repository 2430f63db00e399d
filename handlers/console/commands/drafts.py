"""/drafts: my drafts with their states, and after-posting reports that are overdue."""

from __future__ import annotations

from bot.drafts import api
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.answer(api.my_drafts(ctx.factory, actor=ctx.actor, clock=ctx.clock))


def register(registry: Registry) -> None:
    registry.command(
        "drafts",
        handle,
        summary="自分の下書きと状態、遅れている事後報告を表示する",
        usage="/drafts",
        aliases=("一覧",),
    )

"""/inbox: what waits for my decision or acknowledgement (所属長・代理)."""

from __future__ import annotations

from bot.drafts import api
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.answer(api.inbox(ctx.factory, actor=ctx.actor, clock=ctx.clock))


def register(registry: Registry) -> None:
    registry.command(
        "inbox",
        handle,
        summary="自分の決裁・確認を待っているものを表示する",
        usage="/inbox",
        aliases=("受信箱", "決裁待ち"),
    )

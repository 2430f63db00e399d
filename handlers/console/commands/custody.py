"""/custody: credential custody of official accounts and handovers after transfers (5(10)).

Thin: the grammar and the replies live in ``bot.custody.commands`` so that every chat
adapter shares them.
"""

from __future__ import annotations

from bot.custody import api, commands
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.answer(api.custody_command(ctx.factory, actor=ctx.actor, text=args, clock=ctx.clock))


def register(registry: Registry) -> None:
    registry.command(
        "custody",
        handle,
        summary="認証情報の管理（誰が管理し、復旧先・二要素認証・媒体はどうか）と異動の引継ぎ（{credentials}）",
        usage=commands.USAGE,
        aliases=("認証情報",),
    )
    registry.action("custody.confirm", "/custody confirm {account}")
    registry.action("custody.edit", "/custody set {account} 項目=値 …")
    registry.action("handover.step", "/custody handover {handover} {step}")
    registry.action("handover.holder", "/custody handover {handover} holder 新しい管理者")

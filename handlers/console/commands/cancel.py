"""/cancel: abandon a multi-line entry (the app reads it while collecting the lines).

Typed while no entry is being read, it says so: nothing is waiting to be abandoned.
"""

from __future__ import annotations

from bot.interaction import info
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.reply(
        info(
            "取りやめる入力はありません",
            "/cancel は、複数行の入力中（本文を入力してください、と表示された後）に、"
            "その入力を取りやめるときに使います。",
        )
    )


def register(registry: Registry) -> None:
    registry.command(
        "cancel",
        handle,
        summary="複数行の入力を取りやめる（何も送信・保存しません）",
        usage="/cancel（複数行の入力中に、1行に /cancel だけを入力します）",
        aliases=("取消", "取り消し", "やめる"),
    )

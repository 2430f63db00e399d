"""/quit: end the console session (during a multi-line entry: abandon the entry only)."""

from __future__ import annotations

from bot.interaction import info
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.reply(info("コンソールを終了します"))
    ctx.quit()


def register(registry: Registry) -> None:
    registry.command(
        "quit",
        handle,
        summary="コンソールを終了する（複数行の入力中は、その入力だけを取りやめる）",
        usage="/quit（複数行の入力中に /cancel でもその入力を取りやめます）",
        aliases=("exit", "終了"),
    )

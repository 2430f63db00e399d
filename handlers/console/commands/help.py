"""/help: the list of commands."""

from __future__ import annotations

from bot.interaction import info
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    name = args.strip().lstrip("/")
    fill = ctx.terms().fill  # summaries and usages name the guideline's own clauses and roles
    if name:
        cmd = ctx.registry.find(name)
        if cmd is not None:
            ctx.reply(info(f"/{cmd.name}: {fill(cmd.summary)}", f"使い方: {fill(cmd.usage)}"))
            return
    lines = [
        f"/{c.name:<10} {fill(c.summary)}"
        + ("（別名: " + "、".join(f"/{a}" for a in c.aliases) + "）" if c.aliases else "")
        for c in ctx.registry.order
    ]
    lines.append("")
    lines.append(
        "/help コマンド名 で使い方を表示します。複数行の入力中は /cancel で取りやめ、"
        "/quit で終了します。"
    )
    ctx.reply(info("コマンドの一覧", "\n".join(lines)))


def register(registry: Registry) -> None:
    registry.command(
        "help",
        handle,
        summary="この一覧を表示する",
        usage="/help [コマンド名]",
        aliases=("ヘルプ",),
    )

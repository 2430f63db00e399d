"""/help: the list of commands."""

from __future__ import annotations

from bot.interaction import info
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    name = args.strip().lstrip("/")
    fill = ctx.terms().fill  # summaries and usages name the guideline's own clauses and roles
    title = "コマンドの一覧"
    if name:
        cmd = ctx.registry.find(name)
        if cmd is not None:
            ctx.reply(info(f"/{cmd.name}: {fill(cmd.summary)}", f"使い方: {fill(cmd.usage)}"))
            return
        title = f"「/{name}」というコマンドはありません。コマンドの一覧"
    lines = [
        f"/{c.name:<10} {fill(c.summary)}"
        + ("（別名: " + "、".join(f"/{a}" for a in c.aliases) + "）" if c.aliases else "")
        for c in ctx.registry.order
    ]
    lines.append("")
    lines.append(
        "/help コマンド名 で、そのコマンドの使い方を表示します。"
        "複数行の入力中に /cancel（または /quit）を入力すると、その入力だけを取りやめます。"
    )
    ctx.reply(info(title, "\n".join(lines)))


def register(registry: Registry) -> None:
    registry.command(
        "help",
        handle,
        summary="この一覧を表示する",
        usage="/help [コマンド名]",
        aliases=("ヘルプ",),
    )

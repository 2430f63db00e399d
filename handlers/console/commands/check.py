"""/check: the content check, privately, with the section-7 reminders (W6). Stores nothing."""

from __future__ import annotations

from bot.drafts import api
from handlers.console.router import Context, NeedsBody, Registry


def handle(ctx: Context, args: str) -> None:
    if not args.strip() and "\n" not in args:
        raise NeedsBody()
    ctx.answer(api.check_text(text=args, clock=ctx.clock, factory=ctx.factory))


def register(registry: Registry) -> None:
    registry.command(
        "check",
        handle,
        summary="文章をチェックする（保存されません。個人アカウントの留意点つき、{personal}）",
        usage="/check 本文（本文を省くと複数行で入力）",
        aliases=("チェック",),
    )

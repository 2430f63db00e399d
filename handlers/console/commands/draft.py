"""/draft: write a post for an official account; it is checked and routed (W1, 4(3))."""

from __future__ import annotations

from bot.drafts import api
from bot.drafts.commands import DRAFT_USAGE, parse_draft
from handlers.console.router import Context, NeedsBody, Registry

USAGE = (
    DRAFT_USAGE + "\n"
    "　本文を省くと、続く行を本文として受け付けます（「.」だけの行で送信、/cancel で取りやめ）。\n"
    "　例: /draft account=kanko-x planned=2026-12-01T10:00 桜まつりを開催します。"
)


def handle(ctx: Context, args: str) -> None:
    draft = parse_draft(args)
    if not draft.text.strip() and "\n" not in args:
        raise NeedsBody()
    ctx.answer(api.submit_draft(ctx.factory, actor=ctx.actor, draft=draft, clock=ctx.clock))


def register(registry: Registry) -> None:
    registry.command(
        "draft",
        handle,
        summary="公式アカウントの投稿を作成し、チェックして決裁へ回す（{approval}）",
        usage=USAGE,
        aliases=("下書き",),
    )

"""/edit: a new version of a draft; it is checked and routed again (approval never carries over)."""

from __future__ import annotations

from bot.drafts import api
from bot.drafts.commands import EDIT_USAGE, parse_edit
from handlers.console.router import Context, NeedsBody, Registry


def handle(ctx: Context, args: str) -> None:
    revision = parse_edit(args)
    if not revision.text.strip() and "\n" not in args:
        raise NeedsBody()
    ctx.answer(api.edit_draft(ctx.factory, actor=ctx.actor, revision=revision, clock=ctx.clock))


def register(registry: Registry) -> None:
    registry.command(
        "edit",
        handle,
        summary="下書きを修正して送り直す（新しい版として再チェック・再決裁）",
        usage=EDIT_USAGE + "（本文を省くと複数行で入力）",
        aliases=("修正",),
    )
    registry.action("draft.edit", "/edit {draft_id} 修正後の本文")

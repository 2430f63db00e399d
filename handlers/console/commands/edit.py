"""/edit: a new version of a draft; it is checked and routed again (approval never carries over)."""

from __future__ import annotations

from typing import Any

from bot.drafts import api
from handlers.console.commands._args import draft_id, split_options, when
from handlers.console.commands.draft import parse_photo
from handlers.console.router import Context, NeedsBody, Registry

OPTIONS = {"planned", "exempt", "evidence", "photo", "consent", "fp"}


def handle(ctx: Context, args: str) -> None:
    head, sep, rest = args.partition("\n") if "\n" in args.split(" ", 1)[0] else args.partition(" ")
    number = draft_id(head)
    options, body = split_options(rest, OPTIONS)
    if not body.strip() and sep != "\n" and "\n" not in rest:
        raise NeedsBody()
    changes: dict[str, Any] = {}
    if "planned" in options:
        changes["planned_at"] = when(options["planned"], what="掲載予定")
    if "exempt" in options:
        changes["exemption"] = options["exempt"]
    if "evidence" in options:
        changes["evidence"] = options["evidence"]
    if "photo" in options or "consent" in options:
        changes["photo_people"], changes["photo_consent"] = parse_photo(options)
    ctx.answer(
        api.edit_draft(
            ctx.factory,
            actor=ctx.actor,
            draft_id=number,
            text=body,
            changes=changes,
            false_positive_reason=options.get("fp"),
            clock=ctx.clock,
        )
    )


def register(registry: Registry) -> None:
    registry.command(
        "edit",
        handle,
        summary="下書きを修正して送り直す（新しい版として再チェック・再決裁）",
        usage="/edit 番号 [planned=…] [exempt=…] [fp=…] 修正後の本文（本文を省くと複数行で入力）",
        aliases=("修正",),
    )
    registry.action("draft.edit", "/edit {draft_id} 修正後の本文")

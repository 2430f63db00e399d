"""/report: the after-posting report (事後報告) of an exempt post, to the 所属長 (4(3))."""

from __future__ import annotations

from bot.drafts import api
from bot.interaction.args import draft_id, first_word, split_options
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    head, rest = first_word(args)
    options, note = split_options(rest, {"url"})
    ctx.answer(
        api.file_report(
            ctx.factory,
            actor=ctx.actor,
            draft_id=draft_id(head),
            note=note,
            url=options.get("url"),
            clock=ctx.clock,
        )
    )


def register(registry: Registry) -> None:
    registry.command(
        "report",
        handle,
        summary="決裁不要で掲載した投稿の事後報告を{approver}へ提出する（{approval}ただし書）",
        usage="/report 番号 [url=掲載先URL] 報告内容　例: /report 2 url=https://x.com/… 予定どおり掲載しました",
        aliases=("事後報告",),
    )
    registry.action("draft.report", "/report {draft_id} 報告内容")

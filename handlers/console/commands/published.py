"""/published: record that a post is online (URL and time)."""

from __future__ import annotations

from bot.drafts import api
from bot.interaction.args import draft_id, when
from handlers.console.router import Context, Registry

USAGE = "/published 番号 URL [掲載日時]　例: /published 1 https://x.com/midori/status/1"


def handle(ctx: Context, args: str) -> None:
    words = args.split()
    if len(words) < 2:
        ctx.usage("published", "下書きの番号と掲載先のURLを指定してください。")
        return
    at = when(" ".join(words[2:]), what="掲載日時") if len(words) > 2 else None
    ctx.answer(
        api.mark_published(
            ctx.factory,
            actor=ctx.actor,
            draft_id=draft_id(words[0]),
            url=words[1],
            published_at=at,
            clock=ctx.clock,
        )
    )


def register(registry: Registry) -> None:
    registry.command(
        "published",
        handle,
        summary="掲載済みとして記録する（URL・日時）",
        usage=USAGE,
        aliases=("掲載",),
    )
    registry.action("draft.publish", "/published {draft_id} 掲載先のURL")

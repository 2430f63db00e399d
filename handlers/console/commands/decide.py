"""/approve, /changes, /reject: the 所属長's 決裁 on a draft (4(3), W2)."""

from __future__ import annotations

from collections.abc import Callable

from bot.drafts import api
from bot.drafts.commands import parse_decision
from handlers.console.router import Context, Registry


def _decider(kind: str) -> Callable[[Context, str], None]:
    def handle(ctx: Context, args: str) -> None:
        line = parse_decision(args)
        ctx.answer(
            api.decide(
                ctx.factory,
                actor=ctx.actor,
                draft_id=line.draft_id,
                kind=kind,
                version=line.version,
                reason=line.reason,
                clock=ctx.clock,
            )
        )

    return handle


def register(registry: Registry) -> None:
    registry.command(
        "approve",
        _decider("approve"),
        summary="下書きを承認する（{approver}・代理）",
        usage="/approve 番号 [v版] [コメント]　例: /approve 1",
        aliases=("承認",),
    )
    registry.command(
        "changes",
        _decider("request_changes"),
        summary="下書きを差し戻す（理由が必要）",
        usage="/changes 番号 [v版] 理由　例: /changes 1 日付を確認してください",
        aliases=("差し戻し",),
    )
    registry.command(
        "reject",
        _decider("reject"),
        summary="下書きを却下する（理由が必要）",
        usage="/reject 番号 [v版] 理由　例: /reject 1 掲載の時期ではありません",
        aliases=("却下",),
    )
    registry.action("draft.approve", "/approve {draft_id} v{version}")
    registry.action("draft.request_changes", "/changes {draft_id} v{version}")
    registry.action("draft.reject", "/reject {draft_id} v{version}")

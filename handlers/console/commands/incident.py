"""/incident: 炎上・なりすまし・訂正 escalations and the 6(2) log (guideline section 6).

The text is parsed by ``bot.incidents.commands`` through ``bot.commands.run_command``, as
on Slack and Teams; this module only shows the reply.
"""

from __future__ import annotations

from bot.commands import run_command
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    ctx.answer(
        run_command(ctx.factory, actor=ctx.actor, command="incident", text=args, clock=ctx.clock)
    )


def register(registry: Registry) -> None:
    registry.command(
        "incident",
        handle,
        summary="炎上・なりすまし・訂正を報告し、対応スレッドで管理する（{incidents}）",
        usage="/incident 炎上|なりすまし|訂正 アカウント 概要またはURL（/incident help で一覧）",
        aliases=("インシデント",),
    )
    registry.action("incident.toggle", "/incident toggle {incident_id} {item}")
    registry.action("incident.update", "/incident update {incident_id} 本文")
    # The one status a button sets is 収束 (終了 has its own button, asking for the summary).
    registry.action("incident.status", "/incident status {incident_id} 収束")
    registry.action("incident.close", "/incident close {incident_id} まとめ")
    registry.action(
        "incident.respond", "/incident respond {incident_id} 説明|訂正|謝罪|対応中 本文"
    )
    registry.action("incident.open_thread", "/incident show {incident_id}")

"""/incident: 炎上・なりすまし・訂正 escalations and the 6(2) log (guideline section 6).

The text is parsed by ``bot.incidents.commands`` (shared with Slack's slash command); this
module only opens the transaction and shows the reply.
"""

from __future__ import annotations

from bot.db import transaction
from bot.directory import service as directory
from bot.incidents import commands
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    with transaction(ctx.factory) as session:
        person = directory.get_person(session, handle=ctx.user)
        reply = commands.run(session, actor=person, text=args, clock=ctx.clock)
    ctx.reply(reply)


def register(registry: Registry) -> None:
    registry.command(
        "incident",
        handle,
        summary="炎上・なりすまし・訂正を報告し、対応スレッドで管理する（6）",
        usage="/incident 炎上|なりすまし|訂正 アカウント 概要またはURL（/incident help で一覧）",
        aliases=("インシデント",),
    )
    registry.action("incident.toggle", "/incident toggle {incident_id} {item}")
    registry.action("incident.update", "/incident update {incident_id}")
    registry.action("incident.status", "/incident status {incident_id} {status}")
    registry.action("incident.close", "/incident close {incident_id}")
    registry.action(
        "incident.respond", "/incident respond {incident_id} 説明|訂正|謝罪|対応中 本文"
    )
    registry.action("incident.open_thread", "/incident show {incident_id}")

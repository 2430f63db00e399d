"""Install, uninstall and membership changes: where the bot learns how to reach people.

Every stored reference carries its service URL: Teams may use different ones per region,
and a proactive message must go to the one the conversation lives on.
"""

import logging

from microsoft_teams.api import ConversationUpdateActivity, InstalledActivity, UninstalledActivity
from microsoft_teams.apps import ActivityContext, App

from .. import errors
from ..convert import reference_from
from . import Deps

logger = logging.getLogger("handlers.teams.lifecycle")

WELCOME = (
    "SNSガイドラインボットです。投稿前のチェック、所属長への決裁依頼、"
    "インシデント対応をお手伝いします。`help` と送ると使い方を表示します。"
)


def register(app: App, deps: Deps) -> None:
    """Listen for installation and conversation updates."""

    @app.on_install_add
    async def on_install(ctx: ActivityContext[InstalledActivity]) -> None:
        reference = reference_from(ctx.activity)
        logger.info("installed in %s %s", reference.conversation_type, reference.conversation_id)
        try:
            await deps.call(deps.core.remember_address, user=reference.user, reference=reference)
        except Exception as exc:
            errors.report(exc, where="install")
            return
        if reference.conversation_type == "personal":
            await ctx.send(WELCOME)

    @app.on_install_remove
    async def on_uninstall(ctx: ActivityContext[UninstalledActivity]) -> None:
        reference = reference_from(ctx.activity)
        logger.info("uninstalled from %s", reference.conversation_id)
        try:
            await deps.call(deps.core.forget_address, reference=reference)
        except Exception as exc:
            errors.report(exc, where="uninstall")

    @app.on_conversation_update
    async def on_conversation_update(ctx: ActivityContext[ConversationUpdateActivity]) -> None:
        activity = ctx.activity
        bot_id = activity.recipient.id
        added = any(m.id == bot_id for m in activity.members_added or [])
        removed = any(m.id == bot_id for m in activity.members_removed or [])
        if not (added or removed):
            return
        reference = reference_from(
            activity, with_user=activity.conversation.conversation_type == "personal"
        )
        try:
            if added:
                await deps.call(
                    deps.core.remember_address, user=reference.user, reference=reference
                )
            else:
                await deps.call(deps.core.forget_address, reference=reference)
        except Exception as exc:
            errors.report(exc, where="conversation_update")

"""Install, uninstall and membership changes: where the bot learns how to reach people.

Every stored reference carries its service URL: Teams may use different ones per region,
and a proactive message must go to the one the conversation lives on.
"""

import logging

# Imported from the subpackage: mypy cannot follow the package root's computed __all__.
from microsoft_teams.api.activities import (
    ConversationUpdateActivity,
    InstalledActivity,
    UninstalledActivity,
)
from microsoft_teams.apps import ActivityContext, App

from bot.interaction import info

from .. import errors
from ..convert import seen_from, to_activity
from . import Deps

logger = logging.getLogger("handlers.teams.lifecycle")


def register(app: App, deps: Deps) -> None:
    """Listen for installation and conversation updates."""

    @app.on_install_add
    async def on_install(ctx: ActivityContext[InstalledActivity]) -> None:
        seen = seen_from(ctx.activity)
        logger.info("installed in %s %s", seen.conversation_type, seen.conversation_id)
        try:
            known = await deps.call(deps.core.remember, seen=seen)
        except Exception as exc:
            errors.report(exc, where="install")
            return
        if seen.conversation_type == "personal":
            try:
                text = await deps.call(deps.core.welcome, known=known)
                await ctx.send(to_activity(info("ようこそ", text, kind="teams.welcome")))
            except Exception as exc:  # never a 500: the address is stored either way
                logger.warning("welcome to %s failed: %s", seen.conversation_id, type(exc).__name__)
        deps.deliverer.kick()  # messages that waited for this address

    @app.on_install_remove
    async def on_uninstall(ctx: ActivityContext[UninstalledActivity]) -> None:
        seen = seen_from(ctx.activity)
        logger.info("uninstalled from %s", seen.conversation_id)
        try:
            await deps.call(deps.core.forget, conversation_id=seen.conversation_id)
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
        seen = seen_from(activity)
        try:
            if added:
                await deps.call(deps.core.remember, seen=seen)
                deps.deliverer.kick()
            else:
                await deps.call(deps.core.forget, conversation_id=seen.conversation_id)
        except Exception as exc:
            errors.report(exc, where="conversation_update")

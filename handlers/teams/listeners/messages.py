"""Message activities: text commands (``/draft``, ``/check``, ``/incident``, ``/account``…)."""

import logging
from dataclasses import replace
from typing import Any

# Imported from the subpackage: mypy cannot follow the package root's computed __all__.
from microsoft_teams.api.activities import MessageActivity
from microsoft_teams.api.activities.utils.strip_mentions_text import StripMentionsTextOptions
from microsoft_teams.apps import ActivityContext, App

from bot.interaction import info
from bot.notify.messages import OutMessage

from .. import errors
from ..commands import parse
from ..convert import seen_from
from ..core_adapter import Answer, with_registration_note
from . import Deps

logger = logging.getLogger("handlers.teams.messages")


def register(app: App, deps: Deps) -> None:
    """Listen for messages."""

    @app.on_message
    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        activity = ctx.activity
        in_group = activity.conversation.conversation_type in ("channel", "groupChat")
        if in_group and not activity.is_recipient_mentioned():
            # Only reachable with RSC "read all messages" permissions: not for us.
            logger.debug("ignored channel message %s without a mention", activity.id)
            return
        # Remove the bot's own mention; other mentions stay part of the text.
        activity.strip_mentions_text(StripMentionsTextOptions(account_id=activity.recipient.id))
        seen = seen_from(activity)
        command = parse(activity.text)
        if activity.id and not await deps.call(deps.core.first_delivery, activity_id=activity.id):
            # Bot Connector re-sends an activity it got no answer for: run it once only.
            logger.info("duplicate message activity %s ignored", activity.id)
            return
        try:
            # The first message from someone is also where we learn how to reach them.
            known = await deps.call(deps.core.remember, seen=seen)
            if command is None:
                guide = await deps.call(deps.core.help_text)
                answer = Answer(
                    ok=False,
                    message=info("コマンドが認識できませんでした", guide, kind="error"),
                )
            else:
                logger.info("command=%s activity=%s", command.name, activity.id)
                answer = await deps.call(deps.core.command, seen=seen, command=command)
                if not known and command.name == "help":
                    note = await deps.call(deps.core.not_registered)
                    answer = Answer(ok=True, message=with_registration_note(answer.message, note))
            if (
                not known
                and deps.core.demo
                and answer.message is not None
                and (not answer.ok or (command is not None and command.name == "help"))
            ):
                # Not in the demo directory yet: say how to become someone in it.
                message = answer.message
                hint = await deps.call(deps.core.demo_hint)
                answer = replace(answer, message=replace(message, text=f"{message.text}\n\n{hint}"))
        except Exception as exc:
            await _send(
                ctx, errors.report(exc, where=f"command:{command.name if command else '?'}")
            )
            return
        # Replies are for the person who asked (the core's "ephemeral" reply): in a
        # channel or group chat a targeted message (preview) with a 1:1 fallback, and
        # forms and cards with buttons straight to the 1:1 chat (``private``).

        async def queue(message: OutMessage) -> bool:
            queued: bool = await deps.call(deps.core.queue_for, seen=seen, message=message)
            return queued

        await deps.private.send(
            ctx.send,
            seen=seen,
            recipient=activity.from_,
            card=answer.card,
            message=answer.message,
            queue=queue,
        )
        deps.deliverer.kick()


async def _send(ctx: ActivityContext[MessageActivity], out: Any) -> None:
    """Answer in the conversation; a connector failure is logged, never a 500 (which
    would make Bot Connector send the activity again)."""
    try:
        await ctx.send(out)
    except Exception as exc:
        logger.warning("reply to %s failed: %s", ctx.activity.id, type(exc).__name__)

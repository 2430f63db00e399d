"""Message activities: text commands (``/draft``, ``/check``, ``/incident``, ``/account``, help)."""

import logging

from microsoft_teams.api import MessageActivity
from microsoft_teams.api.activities.utils.strip_mentions_text import StripMentionsTextOptions
from microsoft_teams.apps import ActivityContext, App

from .. import errors
from ..commands import HELP_TEXT, CommandError, parse_command
from ..convert import reference_from, to_activity, user_from
from ..port import Reply
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
        try:
            command = parse_command(activity.text)
        except CommandError as exc:
            await ctx.send(exc.message)
            return
        logger.info("command=%s sub=%s activity=%s", command.name, command.sub, activity.id)
        if command.name == "help":
            await ctx.send(HELP_TEXT)
            return
        user = user_from(activity)
        reference = reference_from(activity)
        try:
            # The first message from someone is also where we learn how to reach them.
            await deps.call(deps.core.remember_address, user=user, reference=reference)
            reply: Reply = await deps.call(
                deps.core.handle_command,
                user=user,
                command=command,
                conversation=reference,
                activity_id=activity.id,
            )
        except Exception as exc:
            await ctx.send(errors.report(exc, where=f"command:{command.name}"))
            return
        private_for = activity.from_ if reply.private and in_group else None
        await ctx.send(to_activity(reply, private_for=private_for))

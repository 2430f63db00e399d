"""``adaptiveCard/action`` invokes: a click on an ``Action.Execute`` button.

The core decides (right approver? already decided? stale version?) and returns a
:class:`CardUpdate`. A card for ``everyone`` is returned in the invoke response (the
clicker sees it at once) *and* written over the original message, because Teams applies
an invoke response card only for the person who clicked. A refusal goes to the clicker only.
"""

import logging

from microsoft_teams.api import (
    AdaptiveCardActionCardResponse,
    AdaptiveCardActionMessageResponse,
    AdaptiveCardInvokeActivity,
    AdaptiveCardInvokeResponse,
)
from microsoft_teams.apps import ActivityContext, App

from .. import errors
from ..cards import render
from ..convert import card_action_data, reference_from, to_activity, user_from
from ..port import ActionRequest, CardUpdate, Reply, Verb
from . import Deps

logger = logging.getLogger("handlers.teams.card_actions")

STALE_BUTTON = "このボタンは使えなくなりました。最新のカードから操作してください。"


def register(app: App, deps: Deps) -> None:
    """Listen for Action.Execute clicks."""

    @app.on_card_action
    async def on_card_action(
        ctx: ActivityContext[AdaptiveCardInvokeActivity],
    ) -> AdaptiveCardInvokeResponse:
        activity = ctx.activity
        verb = activity.value.action.verb
        if verb not in Verb.ALL:
            logger.warning("unknown verb on invoke %s", activity.id)
            return AdaptiveCardActionMessageResponse(value=STALE_BUTTON)
        reference = reference_from(activity)
        request = ActionRequest(
            user=user_from(activity),
            verb=verb,
            data=card_action_data(activity.value),
            activity_id=activity.id,
            message_id=activity.reply_to_id,
            conversation=reference,
        )
        logger.info("action verb=%s activity=%s", verb, activity.id)
        try:
            update: CardUpdate = await deps.call(deps.core.handle_action, request=request)
        except Exception as exc:
            return AdaptiveCardActionMessageResponse(
                value=errors.report(exc, where=f"action:{verb}")
            )
        if update.view is None:
            return AdaptiveCardActionMessageResponse(value=update.message or "受け付けました。")
        if update.scope == "everyone" and activity.reply_to_id:
            message = to_activity(Reply(text=update.message, view=update.view))
            message.id = activity.reply_to_id  # an id makes ctx.send a PUT (update)
            try:
                await deps.notifier.with_retries(
                    "update_card", reference.conversation_id, lambda: ctx.send(message)
                )
            except Exception as exc:
                # The clicker still gets the new card below; others keep the old one until
                # the core's next update. Type only: messages may quote user text.
                logger.warning("card update for everyone failed: %s", type(exc).__name__)
        return AdaptiveCardActionCardResponse(value=render(update.view))

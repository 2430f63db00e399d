"""``adaptiveCard/action`` invokes: a click on an ``Action.Execute`` button.

The core decides (right approver? already decided? stale version?). On success the
clicker gets the core's reply as the new card at once; the card everyone sees is replaced
by the core's own update (``enqueue(update_of=…)``), which the outbox delivers right after
as a ``PUT`` of the original message (an invoke response card only changes the card for
the person who clicked). A refusal is a message to the clicker only; the card stays.
"""

import logging

# Imported from the subpackages: mypy cannot follow the package root's computed __all__.
from microsoft_teams.api.activities import AdaptiveCardInvokeActivity
from microsoft_teams.api.models import (
    AdaptiveCardActionCardResponse,
    AdaptiveCardActionMessageResponse,
    AdaptiveCardInvokeResponse,
)
from microsoft_teams.apps import ActivityContext, App

from .. import errors
from ..convert import card_action_data, seen_from
from ..core_adapter import Answer
from ..render import render_card
from . import Deps

logger = logging.getLogger("handlers.teams.card_actions")


def register(app: App, deps: Deps) -> None:
    """Listen for Action.Execute clicks."""

    @app.on_card_action
    async def on_card_action(
        ctx: ActivityContext[AdaptiveCardInvokeActivity],
    ) -> AdaptiveCardInvokeResponse:
        activity = ctx.activity
        verb = activity.value.action.verb or ""
        seen = seen_from(activity)
        logger.info("action verb=%s activity=%s", verb, activity.id)
        try:
            await deps.call(deps.core.remember, seen=seen)
            answer: Answer = await deps.call(
                deps.core.action,
                seen=seen,
                verb=verb,
                data=card_action_data(activity.value),
                activity_id=activity.id or "",
            )
        except Exception as exc:
            return AdaptiveCardActionMessageResponse(
                value=errors.report(exc, where=f"action:{verb[:40]}")
            )
        deps.deliverer.kick()
        if answer.card is not None:
            return AdaptiveCardActionCardResponse(value=answer.card)
        assert answer.message is not None
        if not answer.ok:
            message = answer.message
            text = message.title + (f"\n{message.text}" if message.text else "")
            return AdaptiveCardActionMessageResponse(value=text)
        return AdaptiveCardActionCardResponse(value=render_card(answer.message))

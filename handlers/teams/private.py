"""Replies only one person should see, wherever they wrote or clicked.

In a personal chat the reply is simply a message in that chat. In a channel or group chat
the SDK offers *targeted* messages (``with_recipient(..., is_targeted=True)``,
``create_targeted``), flagged preview by the SDK: Microsoft documents that they disappear
after 24 hours and are refused with 403 ``BotNotInConversationRoster`` when the bot is not
in the roster, and the SDK has an open report of 400s. So:

* what must last (a form, a card with buttons, a link) never goes into a targeted
  message: it goes to the person's 1:1 chat with the bot;
* a short receipt is targeted; when that call fails, it goes to the 1:1 chat instead;
* when the 1:1 chat cannot be reached either, an ``OutMessage`` is queued in the outbox
  for the person (retried, released when they become reachable); only what the core
  cannot queue (a card for someone not in the directory) is logged as lost.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_teams.api import Account
from microsoft_teams.api.activities import MessageActivityInput
from microsoft_teams.cards import AdaptiveCard
from microsoft_teams.common.experimental import ExperimentalWarning

from bot.notify.messages import OutMessage

from .addresses import Seen
from .convert import card_activity
from .notifier import Connector
from .render import render_card

logger = logging.getLogger("handlers.teams.private")

Send = Callable[[MessageActivityInput], Awaitable[Any]]
Queue = Callable[[OutMessage], Awaitable[bool]]


def lasting(card: AdaptiveCard) -> bool:
    """Whether a card holds something to act on later (buttons, inputs, links)."""
    return bool(card.actions) or "Input." in card.model_dump_json(by_alias=True)


class PrivateReplies:
    """Deliver a reply to one person: their chat, targeted, or their 1:1 chat."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector

    async def send(
        self,
        send: Send,
        *,
        seen: Seen,
        recipient: Account,
        card: AdaptiveCard | None = None,
        message: OutMessage | None = None,
        queue: Queue | None = None,
    ) -> str:
        """Deliver ``card`` (or ``message`` rendered); returns where it went:
        ``chat`` | ``targeted`` | ``personal`` | ``queued`` | ``lost``."""
        if card is None:
            assert message is not None
            card = render_card(message)
        if seen.conversation_type == "personal":
            try:
                await send(card_activity(card))
                return "chat"
            except Exception as exc:
                logger.warning("reply in %s failed: %s", seen.conversation_id, type(exc).__name__)
                return await self._queue(message, queue)
        if not lasting(card):
            try:
                await send(self._targeted(card, recipient))
                return "targeted"
            except Exception as exc:  # preview API: 400, 403 BotNotInConversationRoster…
                logger.warning(
                    "targeted reply in %s failed (%s): sending it to the 1:1 chat",
                    seen.conversation_id,
                    type(exc).__name__,
                )
        try:
            await self.to_personal_chat(seen, card_activity(card))
            return "personal"
        except Exception as exc:
            logger.warning("1:1 chat with %s failed: %s", seen.user_id, type(exc).__name__)
        return await self._queue(message, queue)

    async def to_personal_chat(self, seen: Seen, activity: MessageActivityInput) -> None:
        """Post ``activity`` in the bot's 1:1 chat with the sender (created if needed;
        Teams returns the existing one)."""
        conversation_id = await self.connector.open_personal_chat(
            user_id=seen.user_id, tenant_id=seen.tenant_id, service_url=seen.service_url
        )
        await self.connector.send(conversation_id, activity, service_url=seen.service_url)

    @staticmethod
    def _targeted(card: AdaptiveCard, recipient: Account) -> MessageActivityInput:
        activity = card_activity(card)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExperimentalWarning)
            activity.with_recipient(recipient, is_targeted=True)
        return activity

    @staticmethod
    async def _queue(message: OutMessage | None, queue: Queue | None) -> str:
        if message is not None and queue is not None:
            try:
                if await queue(message):
                    return "queued"
            except Exception as exc:
                logger.error("queueing a reply failed: %s", type(exc).__name__)
        logger.error("a reply could not be delivered and cannot be queued")
        return "lost"

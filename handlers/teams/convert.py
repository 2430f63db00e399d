"""Translate between SDK activities and what the core and the renderer use."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

# Imported from the subpackages: mypy cannot follow the package root's computed __all__.
from microsoft_teams.api.activities import MessageActivityInput
from microsoft_teams.api.models import Account, ActivityBase
from microsoft_teams.cards import AdaptiveCard
from microsoft_teams.common.experimental import ExperimentalWarning

from bot.notify.messages import OutMessage

from .addresses import Seen
from .render import MentionTarget, render_card

_CONVERSATION_TYPES = ("personal", "groupChat", "channel")


def base_conversation_id(conversation_id: str) -> str:
    """Channel conversation ids carry ``;messageid=<root>`` inside a thread: drop it."""
    return conversation_id.split(";", 1)[0]


def tenant_of(activity: ActivityBase) -> str | None:
    """Tenant id from the conversation, falling back to ``channelData.tenant``."""
    if activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    channel_data = activity.channel_data
    tenant = getattr(channel_data, "tenant", None) if channel_data else None
    return getattr(tenant, "id", None)


def seen_from(activity: ActivityBase) -> Seen:
    """Who sent ``activity`` and where: what the directory and the outbox need."""
    conversation = activity.conversation
    channel_data = activity.channel_data
    team = getattr(channel_data, "team", None) if channel_data else None
    channel = getattr(channel_data, "channel", None) if channel_data else None
    kind = conversation.conversation_type or "personal"
    sender = activity.from_
    return Seen(
        aad_object_id=sender.aad_object_id,
        user_id=sender.id,
        name=sender.name,
        tenant_id=tenant_of(activity),
        service_url=(activity.service_url or "").rstrip("/"),
        conversation_id=base_conversation_id(conversation.id),
        conversation_type=kind if kind in _CONVERSATION_TYPES else "personal",
        bot_id=activity.recipient.id if activity.recipient else None,
        team_id=getattr(team, "id", None),
        channel_id=getattr(channel, "id", None),
    )


def to_activity(
    message: OutMessage,
    *,
    mentions: Mapping[str, MentionTarget] | None = None,
    private_for: Account | None = None,
    notify_mentions: bool = True,
) -> MessageActivityInput:
    """``message`` as an outgoing activity carrying its card; ``private_for`` targets one person.

    Targeted messages (visible to one member of a group chat or channel) are a preview
    feature of Teams; personal chats need no targeting.
    """
    card = render_card(message, mentions=mentions, notify_mentions=notify_mentions)
    return card_activity(card, private_for=private_for)


def card_activity(
    card: AdaptiveCard, *, private_for: Account | None = None
) -> MessageActivityInput:
    """An outgoing message holding ``card``; ``private_for`` targets one person."""
    activity = MessageActivityInput()
    activity.add_card(card)
    if private_for is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExperimentalWarning)
            activity.with_recipient(private_for, is_targeted=True)
    return activity


def thread_link(channel_id: str, message_id: str, *, tenant_id: str | None = None) -> str:
    """A Teams deep link to a channel message (the incident thread root)."""
    channel = quote(base_conversation_id(channel_id), safe="")
    query = {"parentMessageId": message_id}
    if tenant_id:
        query["tenantId"] = tenant_id
    return f"https://teams.microsoft.com/l/message/{channel}/{quote(message_id)}?{urlencode(query)}"


def card_action_data(value: Any) -> dict[str, Any]:
    """``value.action.data`` as a plain dict (Teams merges the card inputs into it)."""
    data = getattr(getattr(value, "action", None), "data", None)
    return dict(data) if isinstance(data, dict) else {}

"""Translate between SDK activities and the port's plain data."""

from __future__ import annotations

import warnings
from typing import Any

from microsoft_teams.api import Account, ActivityBase, MessageActivityInput
from microsoft_teams.common.experimental import ExperimentalWarning

from .cards import render
from .port import ConversationRef, ConversationType, Reply, TeamsUser

_CONVERSATION_TYPES: dict[str, ConversationType] = {
    "personal": "personal",
    "groupChat": "groupChat",
    "channel": "channel",
}


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


def user_from(activity: ActivityBase) -> TeamsUser:
    """The sender as the core knows people: Entra object id first."""
    sender = activity.from_
    return TeamsUser(
        teams_user_id=sender.id,
        aad_object_id=sender.aad_object_id,
        name=sender.name,
        tenant_id=tenant_of(activity),
    )


def reference_from(activity: ActivityBase, *, with_user: bool = True) -> ConversationRef:
    """Where to reach this conversation later. Channel references point at the channel."""
    conversation = activity.conversation
    channel_data = activity.channel_data
    team = getattr(channel_data, "team", None) if channel_data else None
    channel = getattr(channel_data, "channel", None) if channel_data else None
    kind = _CONVERSATION_TYPES.get(conversation.conversation_type or "personal", "personal")
    return ConversationRef(
        service_url=(activity.service_url or "").rstrip("/"),
        conversation_id=base_conversation_id(conversation.id),
        conversation_type=kind,
        tenant_id=tenant_of(activity),
        bot_id=activity.recipient.id if activity.recipient else None,
        user=user_from(activity) if with_user else None,
        team_id=getattr(team, "id", None),
        channel_id=getattr(channel, "id", None),
    )


def to_activity(reply: Reply, *, private_for: Account | None = None) -> MessageActivityInput:
    """Render a :class:`Reply` as an outgoing message; ``private_for`` targets one person.

    Targeted messages (visible to one member of a group chat or channel) are a preview
    feature of Teams; personal chats need no targeting.
    """
    activity = MessageActivityInput()
    if reply.text:
        activity.text = reply.text
    if reply.view is not None:
        activity.add_card(render(reply.view))
    if private_for is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExperimentalWarning)
            activity.with_recipient(private_for, is_targeted=True)
    return activity


def card_action_data(value: Any) -> dict[str, Any]:
    """``value.action.data`` as a plain dict (Teams merges the card inputs into it)."""
    data = getattr(getattr(value, "action", None), "data", None)
    return dict(data) if isinstance(data, dict) else {}

"""``adaptiveCard/action`` invokes: a click on an ``Action.Execute`` button.

Teams applies the invoke response to the clicked card for the person who clicked only: a
card response replaces it, a message response leaves it as it is and shows the text. The
core decides (right approver? already decided? stale version?); what the clicker sees
depends on the card the button was on (``render.KIND_KEY`` in the button's data):

* **Decisions** (an approval request, an account request, anything not listed below, and
  cards sent before buttons carried their kind): the reply replaces the card for the
  clicker at once, and the core's own ``enqueue(update_of=…)`` replaces it for everyone
  right after (a ``PUT`` of the original message).
* **Control cards** that must stay (``CONTROL_KINDS``: the incident root in the channel,
  notices that carry a reason or a next step): the card is never replaced by a receipt.
  The incident root comes back re-rendered with its new state (the ``PUT`` for everyone
  follows with the same content, so the order of the two does not matter); other control
  cards get a message response and stay as they are. Receipts with more than a line (a
  new draft's findings, a next-step button), forms (修正する) and links (スレッドを開く)
  go to the clicker as a new message (``private.PrivateReplies``: their chat, or their
  1:1 chat when the click was in a channel), never in place of the card.

A refusal is always a message response: only the clicker sees it and the card stays.
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
from microsoft_teams.cards import AdaptiveCard

from bot.notify.messages import OutMessage

from .. import errors
from ..convert import card_action_data, seen_from
from ..core_adapter import Answer
from ..render import card_kind, render_card, split_action_data
from . import Deps

logger = logging.getLogger("handlers.teams.card_actions")

INCIDENT_ROOT = "incident.opened"
# Cards that stay when a button on them is clicked (see the module docstring).
CONTROL_KINDS = frozenset(
    {
        INCIDENT_ROOT,
        "incident.reported",  # スレッドを開く
        "incident.reminder",  # 状況を報告
        "draft.decided",  # the decision with its reason: 修正する / 掲載しました
        "draft.receipt",  # the findings: 投稿しました（事後報告）
        "draft.published",  # 事後報告する
    }
)
# Buttons that only show something (a link, a form): the card they are on stays.
KEEP_CARD_VERBS = frozenset({"incident.open_thread", "draft.edit"})
# Replies that only confirm what the re-rendered root or its thread already shows.
_SHOWN_ON_THE_ROOT = frozenset({"incident.ack"})


def _text(message: OutMessage) -> str:
    return message.title + (f"\n{message.text}" if message.text else "")


def _one_line(message: OutMessage) -> bool:
    return not (message.actions or message.fields or message.findings or message.quote)


def register(app: App, deps: Deps) -> None:
    """Listen for Action.Execute clicks."""

    @app.on_card_action
    async def on_card_action(
        ctx: ActivityContext[AdaptiveCardInvokeActivity],
    ) -> AdaptiveCardInvokeResponse:
        activity = ctx.activity
        verb = activity.value.action.verb or ""
        seen = seen_from(activity)
        data = card_action_data(activity.value)
        kind = card_kind(data)
        logger.info("action verb=%s on=%s activity=%s", verb, kind, activity.id)
        try:
            await deps.call(deps.core.remember, seen=seen)
            answer: Answer = await deps.call(
                deps.core.action,
                seen=seen,
                verb=verb,
                data=data,
                activity_id=activity.id or "",
            )
        except Exception as exc:
            return AdaptiveCardActionMessageResponse(
                value=errors.report(exc, where=f"action:{verb[:40]}")
            )
        deps.deliverer.kick()
        if answer.card is None and not answer.ok:
            assert answer.message is not None
            return AdaptiveCardActionMessageResponse(value=_text(answer.message))
        # A link or a form never replaces the card it was asked for from, whatever it is.
        if kind not in CONTROL_KINDS and verb not in KEEP_CARD_VERBS:
            if answer.card is not None:
                return AdaptiveCardActionCardResponse(value=answer.card)
            assert answer.message is not None
            return AdaptiveCardActionCardResponse(value=render_card(answer.message))

        async def queue(message: OutMessage) -> bool:
            queued: bool = await deps.call(deps.core.queue_for, seen=seen, message=message)
            deps.deliverer.kick()
            return queued

        async def elsewhere(
            *, card: AdaptiveCard | None = None, message: OutMessage | None = None
        ) -> str:
            return await deps.private.send(
                ctx.send,
                seen=seen,
                recipient=activity.from_,
                card=card,
                message=message,
                queue=queue,
            )

        if answer.card is not None:  # a form or a link: a new message, the card stays
            where = await elsewhere(card=answer.card)
            note = "下に表示しました" if where == "chat" else "ボットとの個人チャットに送りました"
            if where in ("queued", "lost"):
                note = "表示できませんでした。時間をおいてもう一度押してください"
            # Teams sends the button's title along (not in the SDK's model).
            title = getattr(activity.value.action, "title", None) or "操作"
            return AdaptiveCardActionMessageResponse(value=f"{title}: {note}。")
        message = answer.message
        assert message is not None
        if kind == INCIDENT_ROOT:
            value, _ = split_action_data(data)
            current = await _incident_root(deps, value.get("incident_id"))
            if message.kind not in _SHOWN_ON_THE_ROOT:
                await elsewhere(message=message)
            if current is not None:
                return AdaptiveCardActionCardResponse(value=current)
            return AdaptiveCardActionMessageResponse(value=_text(message))
        if not _one_line(message):
            await elsewhere(message=message)
        return AdaptiveCardActionMessageResponse(value=_text(message))


async def _incident_root(deps: Deps, incident_id: object) -> AdaptiveCard | None:
    """The incident root card as it is now, for the clicker (names, no new mentions)."""
    try:
        number = int(str(incident_id))
    except ValueError:
        return None
    message: OutMessage | None = await deps.call(deps.core.incident_card, incident_id=number)
    if message is None:
        return None
    targets = await deps.call(deps.core.mention_targets, handles=message.mentions)
    return render_card(message, mentions=targets, notify_mentions=False)

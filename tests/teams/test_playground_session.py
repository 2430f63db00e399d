"""A two-user Microsoft 365 Agents Playground session, replayed through ``/api/messages``.

One Playground instance per user (issue 12): Alex Wilber and Megan Bowen, the users of
the Playground's default configuration (``.m365agentsplayground.yml``: tenant, bot id,
``user-id-0`` / ``user-id-1`` with their Entra object ids), against the demo core
(``serve --demo``). Alex becomes the account operator (``/as sato``), Megan the 所属長
(``/as yamada``). The activities below have the shape the Playground sends (conversation
update when a chat opens, messages, ``adaptiveCard/action`` invokes); ids the bot chose
(message ids of the cards) are taken from what the stand-in connector recorded, as the
Playground would show them.

The path: Alex /draft → the approval card in Megan's chat, delivered with Alex's own
activity → Megan approves → the request is replaced for everyone and Alex is told; then
/incident → the root in 情報政策課's channel, Alex told when it exists → every button on
the root, clicked by one or the other, leaves the root intact for both.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FakeClock
from handlers.teams.core_adapter import TeamsCore

from .conftest import INFO_POLICY_CHANNEL
from .harness import Bot, LoopThread, StubConnector, Views, card_of, executes, payload, texts_of
from .test_cards_stay import CHANNEL_ROOT, assert_root_intact

TENANT = "00000000-0000-0000-0000-0000000000001"
BOT = {"id": "00000000-0000-0000-0000-00000000000011", "name": "Test Bot"}
ALEX = {
    "id": "user-id-0",
    "name": "Alex Wilber",
    "aadObjectId": "00000000-0000-0000-0000-0000000000020",
}
MEGAN = {
    "id": "user-id-1",
    "name": "Megan Bowen",
    "aadObjectId": "00000000-0000-0000-0000-0000000000021",
}
CHATS = {"user-id-0": "personal-chat-alex", "user-id-1": "personal-chat-megan"}
_ids = itertools.count(1)


class Instance:
    """One Playground instance: one user, their personal chat with the bot."""

    def __init__(self, bot: Bot, stub: StubConnector, user: dict[str, str]) -> None:
        self.bot, self.stub, self.user = bot, stub, user
        self.chat = CHATS[user["id"]]

    def _base(self, kind: str, conversation: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "type": kind,
            "id": f"pg-{next(_ids)}",
            "timestamp": "2026-12-03T01:00:00.000Z",
            "serviceUrl": self.stub.base_url,
            "channelId": "msteams",
            "from": self.user,
            "recipient": BOT,
            "conversation": conversation
            or {"id": self.chat, "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "ja-JP",
        }

    def open(self) -> None:
        """The Playground opens the chat: a conversation update adding user and bot."""
        activity = self._base("conversationUpdate")
        activity["membersAdded"] = [{"id": self.user["id"]}, {"id": BOT["id"]}]
        assert self.bot.send(activity).status_code == 200

    def say(self, text: str) -> None:
        activity = self._base("message")
        activity["text"] = text
        assert self.bot.send(activity).status_code == 200

    def click(
        self,
        views: Views,
        title: str,
        *,
        reply_to: str,
        conversation: dict[str, Any] | None = None,
        **inputs: str,
    ) -> dict[str, Any]:
        """Click the button ``title`` on the card this user sees now."""
        card = views.of(self.user["id"])
        action = next(a for t, a in executes(card).items() if t.startswith(title))
        data = dict(action["data"])
        for name, value in inputs.items():
            data[data.get("_p", "") + name] = value
        activity = self._base("invoke", conversation)
        activity.update(
            name="adaptiveCard/action",
            replyToId=reply_to,
            value={"action": {"type": "Action.Execute", "verb": action["verb"], "data": data}},
        )
        return views.click(self.bot, self.user["id"], activity)

    def cards(self) -> list[tuple[str, dict[str, Any]]]:
        """(message id, card) of everything the bot posted in this user's chat."""
        return [
            (c.response_id or "", card_of(c))
            for c in self.stub.of("POST", f"/v3/conversations/{self.chat}/activities")
            if c.status == 200
        ]

    def texts(self) -> str:
        return "\n".join(texts_of(card) for _, card in self.cards())


@pytest.fixture
def demo_bot(
    loop: LoopThread, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> Iterator[Bot]:
    running = Bot(loop, stub, TeamsCore(city, clock=clock, demo=True)).start()
    yield running
    running.stop()


def test_two_playground_users_draft_approve_and_work_an_incident(
    demo_bot: Bot, stub: StubConnector
) -> None:
    bot = demo_bot
    alex, megan = Instance(bot, stub, ALEX), Instance(bot, stub, MEGAN)
    bot.send(payload("conversation_update_bot_added", stub))  # 情報政策課's team
    alex.open()
    megan.open()
    alex.say("/as sato")
    megan.say("/as yamada")
    assert "として操作します" in alex.texts() and "として操作します" in megan.texts()

    # Alex drafts; the approval card reaches Megan with the delivery of Alex's activity.
    alex.say("/draft account=kanko-x 本日、市役所本庁舎で防災訓練を行います。")
    assert "所属長の決裁（4(3)）を依頼しました" in alex.texts()
    request_id, request = next((i, c) for i, c in megan.cards() if "【決裁依頼】" in texts_of(c))

    # Megan approves: her card changes at once, the request is replaced for everyone, Alex is told.
    views = Views(stub, request_id, request)
    decided = megan.click(views, "承認", reply_to=request_id)
    assert decided["type"] == "application/vnd.microsoft.card.adaptive"
    assert "【承認済み】" in texts_of(views.of(MEGAN["id"]))
    assert "承認" in alex.texts() and "掲載しました" in str(alex.cards()[-1][1])

    # Alex reports an incident: told what is queued, then that the thread exists.
    alex.say("/incident 炎上 kanko-x 防災訓練の投稿に批判が集中しています")
    told = alex.texts()
    assert "対応スレッドの作成を依頼しました" in told
    assert "対応スレッドを作成しました" in told  # after the root was posted (bot is in the team)
    (root,) = stub.of("POST", CHANNEL_ROOT)
    root_id = root.response_id or ""
    thread = {
        "id": f"{INFO_POLICY_CHANNEL};messageid={root_id}",
        "conversationType": "channel",
        "isGroup": True,
        "tenantId": TENANT,
    }
    views = Views(stub, root_id, card_of(root))
    assert_root_intact(views.of(ALEX["id"]))

    def both_intact(*, closed: bool = False) -> None:
        for user in (ALEX, MEGAN):
            assert_root_intact(views.of(user["id"]), closed=closed)

    megan.click(views, "☐ 1", reply_to=root_id, conversation=thread)
    both_intact()
    alex.click(views, "☐ 2", reply_to=root_id, conversation=thread)
    both_intact()
    alex.click(views, "状況を報告", reply_to=root_id, conversation=thread, reason="削除を検討中")
    both_intact()
    megan.click(views, "☑ 1", reply_to=root_id, conversation=thread)  # untick
    both_intact()
    assert "1. ☐" in texts_of(views.of(ALEX["id"]))
    megan.click(views, "収束にする", reply_to=root_id, conversation=thread)
    both_intact()
    alex.click(
        views,
        "説明・訂正・謝罪等の投稿を起案",
        reply_to=root_id,
        conversation=thread,
        purpose="説明",
        text="ご意見を受け止め、投稿内容を確認しています。",
    )
    both_intact()
    megan.click(views, "終了する", reply_to=root_id, conversation=thread, reason="説明を掲載し収束")
    both_intact(closed=True)
    assert "終了しました" in texts_of(views.of(ALEX["id"]))

"""The whole W1/W4 path through HTTP and the connector stub, as the issue asks.

The fake core queues proactive work in ``outbox``; ``deliver`` plays the core's delivery
worker, sending each item through the notifier to the stored reference.
"""

from __future__ import annotations

from handlers.teams.fake_core import FakeCore
from handlers.teams.port import Reply, ThreadRef

from .harness import Bot, StubConnector, card_of, payload, texts_of


def deliver(bot: Bot, core: FakeCore, threads: dict[str, ThreadRef]) -> list[str]:
    sent = []
    while core.outbox:
        item = core.outbox.pop(0)
        ref = core.addresses[item.to]
        if item.thread:
            thread = bot.run(bot.notifier.start_thread(ref, item.reply))
            threads[item.to] = thread
            sent.append(thread.root_message_id)
        else:
            sent.append(bot.run(bot.notifier.send(ref, item.reply)))
    return sent


def test_draft_approval_by_the_right_person_and_incident_thread(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    threads: dict[str, ThreadRef] = {}
    author_install = payload(
        "installation_update_add",
        stub,
        id="f:install-author",
        **{"from": {"id": "29:1author", "name": "山田 太郎", "aadObjectId": "aad-author"}},
        conversation={
            "conversationType": "personal",
            "tenantId": "tenant-city",
            "id": "a:1personal-author",
        },
    )
    bot.post(author_install)
    bot.post(payload("installation_update_add", stub))  # the 所属長
    bot.post(payload("conversation_update_bot_added", stub))  # 情報政策課's team
    stub.calls.clear()

    # 1. The author drafts; the approval request goes to the 所属長's chat.
    bot.post(
        payload("message_personal", stub, text="/draft 本日、市役所本庁舎で防災訓練を行います。")
    )
    (request_id,) = deliver(bot, core, threads)
    ack, approval = stub.activities()
    assert ack.body["text"] == "所属長に決裁を依頼しました。"
    assert approval.path == "/v3/conversations/a:1personal-head/activities"
    card = card_of(approval)
    verbs = [a["verb"] for a in card["actions"]]
    assert verbs == ["draft.approve", "draft.request_changes", "draft.reject"]
    assert "本日、市役所本庁舎で防災訓練を行います。" in texts_of(card)

    # 2. The author cannot approve their own draft; the 所属長 can, once.
    data = card["actions"][0]["data"]
    invoke = payload("invoke_card_action", stub, replyToId=request_id, id="f:self")
    invoke["value"]["action"]["data"] = data
    invoke["from"] = {"id": "29:1author", "name": "山田 太郎", "aadObjectId": "aad-author"}
    refused = bot.post(invoke).json()
    assert refused["type"] == "application/vnd.microsoft.activity.message"

    invoke = payload("invoke_card_action", stub, replyToId=request_id, id="f:head")
    invoke["value"]["action"]["data"] = data
    decided = bot.post(invoke).json()
    assert "承認されました" in texts_of(decided["value"])
    (put,) = stub.of("PUT")
    assert put.path.endswith(f"/activities/{request_id}")

    # 3. The author is told.
    deliver(bot, core, threads)
    told = stub.activities()[-1]
    assert told.path == "/v3/conversations/a:1personal-author/activities"
    assert "承認されました" in texts_of(card_of(told))

    # 4. An incident opens a thread in 情報政策課's channel and continues in it.
    bot.post(
        payload(
            "message_personal",
            stub,
            id="1700000000009",
            text="/incident 炎上 防災訓練の投稿に批判が集中",
        )
    )
    (root_id,) = deliver(bot, core, threads)
    thread = threads["channel:19:johoseisaku-general@thread.tacv2"]
    bot.run(
        bot.notifier.reply_in_thread(thread, Reply(text="所属長・管理者と協議を開始しました。"))
    )
    root, reply = stub.activities()[-2:]
    assert root.path == "/v3/conversations/19:johoseisaku-general@thread.tacv2/activities"
    assert "インシデント対応（炎上・6(3)）" in texts_of(card_of(root))
    assert reply.path.endswith(f";messageid={root_id}/activities")

"""Proactive sends through the notifier: stored references, threads, retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from handlers.teams.fake_core import FakeCore
from handlers.teams.port import ConversationRef, ReminderView, Reply, TeamsUser

from handlers.teams.notifier import DeliveryError, parse_retry_after

from .harness import Bot, StubConnector, card_of, payload, texts_of


def _stored(bot: Bot, stub: StubConnector, core: FakeCore) -> ConversationRef:
    bot.post(payload("installation_update_add", stub))
    stub.calls.clear()
    return core.addresses["user:aad-head"]


def test_send_to_a_stored_reference_uses_its_service_url(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    stored = _stored(bot, stub, core)
    # Another region's service URL: the path prefix proves the stored URL is used.
    ref = ConversationRef.from_dict({**stored.to_dict(), "service_url": stub.base_url + "/apac"})
    reminder = ReminderView("r-1", "決裁待ち", "決裁待ちの投稿案が1件あります。")

    message_id = bot.run(bot.notifier.send(ref, Reply(view=reminder)))

    (call,) = stub.activities()
    assert call.path == "/apac/v3/conversations/a:1personal-head/activities"
    assert call.body["from"]["id"] == "00000000-0000-0000-0000-00000000b07"
    assert "スヌーズ（1時間後）" in texts_of(card_of(call))
    assert message_id.isdigit()


def test_429_then_success_is_retried_after_retry_after(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    ref = _stored(bot, stub, core)
    stub.script("POST", "/activities", (429, {"Retry-After": "7"}))

    bot.run(bot.notifier.send(ref, Reply(text="リマインドです。")))

    assert len(stub.activities()) == 2
    assert bot.sleep.delays == [7.0]


def test_5xx_backs_off_exponentially_then_succeeds(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    ref = _stored(bot, stub, core)
    stub.script("POST", "/activities", (502, {}), (503, {}))

    bot.run(bot.notifier.send(ref, Reply(text="リマインドです。")))

    assert len(stub.activities()) == 3
    first, second = bot.sleep.delays
    assert 0.005 <= first <= 0.01 and 0.01 <= second <= 0.02


def test_giving_up_raises_a_retryable_delivery_error(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    ref = _stored(bot, stub, core)
    stub.script("POST", "/activities", *[(503, {})] * 4)

    with pytest.raises(DeliveryError) as caught:
        bot.run(bot.notifier.send(ref, Reply(text="リマインドです。")))

    assert caught.value.retryable and caught.value.status == 503 and caught.value.attempts == 4
    assert len(stub.activities()) == 4


def test_a_long_retry_after_goes_back_to_the_core_queue(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    ref = _stored(bot, stub, core)
    stub.script("POST", "/activities", (429, {"Retry-After": "3600"}))

    with pytest.raises(DeliveryError) as caught:
        bot.run(bot.notifier.send(ref, Reply(text="リマインドです。")))

    assert caught.value.retryable and caught.value.retry_after == 3600.0
    assert bot.sleep.delays == []


def test_403_is_not_retried(bot: Bot, stub: StubConnector, core: FakeCore) -> None:
    ref = _stored(bot, stub, core)
    stub.script("POST", "/activities", (403, {}))

    with pytest.raises(DeliveryError) as caught:
        bot.run(bot.notifier.send(ref, Reply(text="リマインドです。")))

    assert not caught.value.retryable and caught.value.attempts == 1


def test_incident_thread_root_then_replies_in_the_thread(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    bot.post(payload("conversation_update_bot_added", stub))
    channel = core.addresses["channel:19:johoseisaku-general@thread.tacv2"]

    thread = bot.run(bot.notifier.start_thread(channel, Reply(text="【炎上】対応を開始します。")))
    bot.run(bot.notifier.reply_in_thread(thread, Reply(text="対応中の告知を投稿しました。")))

    root, reply = stub.activities()
    assert root.path == "/v3/conversations/19:johoseisaku-general@thread.tacv2/activities"
    assert reply.path == (
        "/v3/conversations/19:johoseisaku-general@thread.tacv2"
        f";messageid={thread.root_message_id}/activities"
    )
    assert reply.body["text"] == "対応中の告知を投稿しました。"


def test_update_rewrites_a_sent_message(bot: Bot, stub: StubConnector, core: FakeCore) -> None:
    ref = _stored(bot, stub, core)
    message_id = bot.run(bot.notifier.send(ref, Reply(text="決裁待ちです。")))

    bot.run(bot.notifier.update(ref, message_id, Reply(text="決裁済みです。")))

    (put,) = stub.of("PUT")
    assert put.path == f"/v3/conversations/a:1personal-head/activities/{message_id}"
    assert put.body["text"] == "決裁済みです。"


def test_open_personal_chat_creates_the_conversation(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    deputy = TeamsUser("29:1deputy", "aad-deputy", "高橋 代理", "tenant-city")

    ref = bot.run(bot.notifier.open_personal_chat(deputy, service_url=stub.base_url))
    bot.run(bot.notifier.send(ref, Reply(text="代理として決裁をお願いします。")))

    (create,) = stub.of("POST", "/v3/conversations")[:1]
    assert create.path == "/v3/conversations"
    assert create.body["members"] == [{"id": "29:1deputy"}]
    assert create.body["isGroup"] is False and create.body["tenantId"] == "tenant-city"
    assert ref.conversation_id == "a:1personal-created"
    assert stub.activities()[0].path == "/v3/conversations/a:1personal-created/activities"


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("", None), ("12", 12.0), ("soon", None)],
)
def test_parse_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date() -> None:
    now = datetime(2025, 4, 1, 0, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=30), usegmt=True)

    assert parse_retry_after(header, now=now) == 30.0

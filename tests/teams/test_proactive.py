"""TeamsNotifier (the outbox's port) over the stand-in connector: addresses, threads, retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.notify.messages import OutMessage
from bot.notify.port import Address, SentRef
from bot.notify.port import DeliveryError as PortDeliveryError
from handlers.teams.notifier import DeliveryError, parse_retry_after

from .harness import BOT_APP_ID, Bot, StubConnector, card_of, texts_of

MESSAGE = OutMessage(kind="reminder", title="決裁待ちの投稿案が1件あります")
CHANNEL = "19:johoseisaku-general@thread.tacv2"


def person(stub: StubConnector, **reference: str) -> Address:
    return Address(
        "teams",
        "person",
        "yamada",
        "a:1personal-yamada",
        {"service_url": stub.base_url, "tenant_id": "tenant-city", **reference},
    )


def test_send_uses_the_stored_service_url(bot: Bot, stub: StubConnector) -> None:
    # Another region's service URL: the path prefix proves the stored URL is used.
    ref = bot.notifier.send(person(stub, service_url=stub.base_url + "/apac"), MESSAGE)

    (call,) = stub.activities()
    assert call.path == "/apac/v3/conversations/a:1personal-yamada/activities"
    assert "決裁待ちの投稿案が1件あります" in texts_of(card_of(call))
    assert ref == SentRef(
        "teams",
        "a:1personal-yamada",
        call.response_id or "",
        None,
        {"service_url": stub.base_url + "/apac"},
    )


def test_person_known_only_from_a_channel_gets_a_new_personal_chat(
    bot: Bot, stub: StubConnector
) -> None:
    address = Address(
        "teams",
        "person",
        "kato",
        "",
        {"service_url": stub.base_url, "user_id": "29:1kato", "tenant_id": "tenant-city"},
    )

    bot.notifier.send(address, MESSAGE)

    create = stub.of("POST", "/v3/conversations")[0]
    assert create.path == "/v3/conversations"
    assert create.body["members"] == [{"id": "29:1kato"}]
    assert create.body["tenantId"] == "tenant-city"
    # As the SDK does it: the bot is the caller, not a member or a "bot" field of its own.
    assert "bot" not in create.body and BOT_APP_ID not in str(create.body)
    assert stub.activities()[0].path == "/v3/conversations/a:1personal-created/activities"


def test_channel_root_then_reply_in_its_thread_then_update(bot: Bot, stub: StubConnector) -> None:
    channel = Address("teams", "channel", "info_policy", CHANNEL, {"service_url": stub.base_url})

    root = bot.notifier.send(channel, OutMessage(kind="incident.opened", title="【炎上】#1"))
    reply = bot.notifier.send(
        channel, OutMessage(kind="incident.update", title="状況報告"), thread=root
    )
    bot.notifier.update(reply, OutMessage(kind="incident.update", title="状況報告（訂正）"))

    posted_root, posted_reply, put = stub.activities()
    assert posted_root.path == f"/v3/conversations/{CHANNEL}/activities"
    assert (
        posted_reply.path == f"/v3/conversations/{CHANNEL};messageid={root.message_id}/activities"
    )
    assert reply.thread_id == root.message_id and reply.channel == CHANNEL
    assert put.method == "PUT"
    assert put.path == (
        f"/v3/conversations/{CHANNEL};messageid={root.message_id}/activities/{reply.message_id}"
    )


def test_429_then_success_is_retried_after_retry_after(bot: Bot, stub: StubConnector) -> None:
    stub.script("POST", "/activities", (429, {"Retry-After": "7"}))

    bot.notifier.send(person(stub), MESSAGE)

    assert len(stub.activities()) == 2
    assert bot.sleep.delays == [7.0]


def test_5xx_backs_off_exponentially_then_succeeds(bot: Bot, stub: StubConnector) -> None:
    stub.script("POST", "/activities", (502, {}), (503, {}))

    bot.notifier.send(person(stub), MESSAGE)

    assert len(stub.activities()) == 3
    first, second = bot.sleep.delays
    assert 0.005 <= first <= 0.01 and 0.01 <= second <= 0.02


def test_giving_up_raises_the_cores_retryable_delivery_error(bot: Bot, stub: StubConnector) -> None:
    stub.script("POST", "/activities", *[(503, {})] * 4)

    with pytest.raises(PortDeliveryError) as caught:
        bot.notifier.send(person(stub), MESSAGE)

    error = caught.value
    assert isinstance(error, DeliveryError) and not error.permanent
    assert error.status == 503 and error.attempts == 4
    assert len(stub.activities()) == 4


def test_a_long_retry_after_goes_back_to_the_outbox(bot: Bot, stub: StubConnector) -> None:
    stub.script("POST", "/activities", (429, {"Retry-After": "3600"}))

    with pytest.raises(DeliveryError) as caught:
        bot.notifier.send(person(stub), MESSAGE)

    assert caught.value.retryable and caught.value.retry_after == 3600.0
    assert bot.sleep.delays == []


def test_403_is_not_retried_and_is_permanent(bot: Bot, stub: StubConnector) -> None:
    stub.script("POST", "/activities", (403, {}))

    with pytest.raises(DeliveryError) as caught:
        bot.notifier.send(person(stub), MESSAGE)

    assert caught.value.permanent and caught.value.attempts == 1


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

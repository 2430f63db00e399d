"""Bad or unknown input never gets a 500; auth is only skipped when asked."""

from __future__ import annotations

import logging

import pytest
from handlers.teams.fake_core import FakeCore

from .harness import Bot, LoopThread, StubConnector, payload


def test_malformed_json_is_400_with_a_log_line(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.teams.server")

    response = bot.post(b'{"type": "message", "text": ')

    assert response.status_code == 400
    assert "malformed JSON" in caplog.text


def test_json_that_is_not_an_object_is_400(bot: Bot) -> None:
    assert bot.post(b"[1, 2, 3]").status_code == 400


def test_unknown_activity_type_is_ignored_with_200(
    bot: Bot, stub: StubConnector, core: FakeCore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.teams.server")

    response = bot.post(payload("message_personal", stub, type="somethingNew"))

    assert response.status_code == 200
    assert "unknown activity type ignored" in caplog.text
    assert core.commands == [] and stub.calls == []


def test_activity_missing_required_fields_is_400_without_echoing_text(
    bot: Bot, stub: StubConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    activity = payload("message_personal", stub, text="/check 秘密の本文 090-1234-5678")
    del activity["from"]

    response = bot.post(activity)

    assert response.status_code == 400
    assert "invalid message activity" in caplog.text and "from" in caplog.text
    assert "秘密の本文" not in caplog.text


def test_known_but_unhandled_activity_is_200(bot: Bot, stub: StubConnector) -> None:
    typing = payload("message_personal", stub, type="typing")
    typing.pop("text")

    assert bot.post(typing).status_code == 200


def test_without_the_test_switch_unauthenticated_requests_are_401(
    loop: LoopThread, stub: StubConnector, core: FakeCore
) -> None:
    bot = Bot(loop, stub, core, allow_unauthenticated=False).start()
    try:
        response = bot.post(payload("message_personal", stub))
        forged = bot.post(payload("message_personal", stub), Authorization="Bearer not-a-jwt")
    finally:
        bot.stop()

    assert response.status_code == 401
    assert forged.status_code == 401
    assert core.commands == []


def test_demo_mode_without_credentials_works_like_the_playground(
    loop: LoopThread, stub: StubConnector
) -> None:
    """No CLIENT_ID at all (Agents Playground): replies and card updates still go out."""
    core = FakeCore(demo=True)
    bot = Bot(loop, stub, core, client_id=None).start()
    try:
        bot.post(payload("message_personal", stub, text="/draft 防災訓練のお知らせ"))
        (approval,) = stub.of("POST", "/activities")
        data = approval.body["attachments"][0]["content"]["actions"][0]["data"]
        invoke = payload("invoke_card_action", stub, replyToId="1700000000500")
        invoke["from"] = payload("message_personal", stub)["from"]  # the author, in the demo
        invoke["value"]["action"]["data"] = data
        response = bot.post(invoke)
    finally:
        bot.stop()

    assert response.status_code == 200
    assert response.json()["type"] == "application/vnd.microsoft.card.adaptive"
    (put,) = stub.of("PUT")
    assert "Authorization" not in put.headers  # no credentials, no token

"""Bad or unknown input never gets a 500; auth is only skipped when asked."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FakeClock
from handlers.teams.core_adapter import TeamsCore

from .harness import (
    Bot,
    LoopThread,
    StubConnector,
    card_of,
    click,
    executes,
    install,
    message,
    payload,
    texts_of,
)


def test_malformed_json_is_400_with_a_log_line(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.teams.server")

    response = bot.post(b'{"type": "message", "text": ')

    assert response.status_code == 400
    assert "malformed JSON" in caplog.text


def test_json_that_is_not_an_object_is_400(bot: Bot) -> None:
    assert bot.post(b"[1, 2, 3]").status_code == 400


def test_unknown_activity_type_is_ignored_with_200(
    bot: Bot, stub: StubConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.teams.server")

    response = bot.post(payload("message_personal", stub, type="somethingNew"))

    assert response.status_code == 200
    assert "unknown activity type ignored" in caplog.text
    assert stub.calls == []


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
    loop: LoopThread, stub: StubConnector, core: TeamsCore
) -> None:
    bot = Bot(loop, stub, core, allow_unauthenticated=False).start()
    try:
        response = bot.post(payload("message_personal", stub))
        forged = bot.post(payload("message_personal", stub), Authorization="Bearer not-a-jwt")
    finally:
        bot.stop()

    assert response.status_code == 401
    assert forged.status_code == 401
    assert stub.calls == []


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("not JSON", b"{{{{"),
        ("not an object", b"[{}]"),
        ("unknown activity type", '{"type": "mystery", "text": "秘密"}'.encode()),
        ("invalid activity", '{"type": "message", "text": "秘密"}'.encode()),
        ("valid activity", None),
    ],
)
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-jwt", "Basic dXNlcjpwdw=="])
def test_unauthenticated_requests_get_401_before_the_body_is_parsed_or_screened(
    loop: LoopThread,
    stub: StubConnector,
    core: TeamsCore,
    caplog: pytest.LogCaptureFixture,
    name: str,
    body: bytes | None,
    authorization: str | None,
) -> None:
    """Whatever the body, no valid token means 401, and the screen never runs (issue 17)."""
    bot = Bot(loop, stub, core, allow_unauthenticated=False).start()
    content = body if body is not None else json.dumps(payload("message_personal", stub)).encode()
    headers = {"Authorization": authorization} if authorization else {}
    try:
        with caplog.at_level(logging.INFO, logger="handlers.teams.server"):
            response = bot.post(content, **headers)
    finally:
        bot.stop()

    assert response.status_code == 401, name
    screened = [r for r in caplog.records if r.name == "handlers.teams.server"]
    assert [r.getMessage() for r in screened] == [
        "refused unauthenticated request on /api/messages reason="
        + (
            "invalid-token:DecodeError"
            if authorization == "Bearer not-a-jwt"
            else "missing-authorization"
        )
    ]
    assert stub.calls == []


def test_demo_mode_one_player_is_author_then_head(
    loop: LoopThread, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> None:
    """Agents Playground style: one chat user plays the author, then the 所属長 (/as)."""
    core = TeamsCore(city, clock=clock, demo=True)
    bot = Bot(loop, stub, core).start()
    try:
        bot.send(message(stub, "player", "/as sato"))
        bot.send(install(stub, "player"))
        bot.send(message(stub, "player", "/draft account=kanko-x 防災訓練のお知らせ"))
        bot.send(message(stub, "player", "/as yamada"))
        clock.advance(minutes=1)
        bot.deliver()  # the request waited for the 所属長's address
        request = [c for c in stub.activities() if "【決裁依頼】" in texts_of(card_of(c))][-1]
        response = bot.send(
            click(
                stub,
                "player",
                executes(card_of(request))["承認"],
                reply_to=request.response_id or "",
            )
        )
    finally:
        bot.stop()

    assert response.status_code == 200
    assert "承認しました" in texts_of(response.json()["value"])


def test_as_is_refused_outside_demo_mode(bot: Bot, stub: StubConnector) -> None:
    bot.send(message(stub, "sato", "/as yamada"))

    assert "デモモード" in texts_of(card_of(stub.activities()[-1]))


def test_text_that_is_not_a_command_gets_the_help(bot: Bot, stub: StubConnector) -> None:
    bot.send(message(stub, "sato", "こんにちは"))

    assert "コマンドが認識できませんでした" in texts_of(card_of(stub.activities()[-1]))


def test_unknown_verb_is_refused_without_error(bot: Bot, stub: StubConnector) -> None:
    action = {"verb": "draft.explode", "data": {"draft_id": 1}, "title": "?"}

    response = bot.send(click(stub, "yamada", action, reply_to="1"))

    assert response.status_code == 200
    assert "対応していません" in response.json()["value"]


def test_help_tells_an_unregistered_user_how_to_get_registered(
    bot: Bot, stub: StubConnector
) -> None:
    bot.send(message(stub, "stranger", "help"))

    text = texts_of(card_of(stub.activities()[-1]))
    assert "/draft" in text and "名簿に登録されていません" in text


def test_a_redelivered_message_runs_once(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    import sqlalchemy as sa

    from bot.drafts.models import Draft

    activity = message(stub, "sato", "/draft account=kanko-x 防災訓練のお知らせ")
    bot.send(activity)
    again = bot.send(activity)

    assert again.status_code == 200
    with city() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1


def test_connector_down_while_replying_is_not_a_500(bot: Bot, stub: StubConnector) -> None:
    stub.script("POST", "/activities", (403, {}))

    response = bot.send(message(stub, "sato", "/check 本日は晴天です"))

    assert response.status_code == 200

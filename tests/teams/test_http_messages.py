"""Message activities posted over HTTP to /api/messages; replies land at the stub connector."""

from __future__ import annotations

import logging

from handlers.teams.fake_core import FakeCore

from .harness import BOT_APP_ID, Bot, StubConnector, card_of, payload, texts_of


def test_check_in_personal_chat_replies_through_the_connector(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    response = bot.post(payload("message_personal", stub))

    assert response.status_code == 200
    (user, command, activity_id) = core.commands[0]
    assert (command.name, command.args) == ("check", "090-1234-5678")
    assert user.aad_object_id == "aad-author" and user.tenant_id == "tenant-city"
    assert activity_id == "1700000000001"
    (reply,) = stub.of("POST", "/activities")
    assert reply.path == "/v3/conversations/a:1personal-author/activities"
    assert "isTargetedActivity" not in reply.query  # a personal chat is already private
    card = card_of(reply)
    assert card["version"] == "1.5"
    text = texts_of(card)
    assert "7(1)エ" in text and "「090-1234-5678」" in text and "1〜13文字目" in text
    # Outgoing calls carry the token the SDK got through our token hook, for Bot Framework.
    assert reply.headers["Authorization"].startswith("Bearer ey")
    assert bot.tokens.scopes == ["https://api.botframework.com/.default"]
    (token_call,) = stub.of("POST", "/oauth2/v2.0/token")
    assert token_call.body["client_id"] == BOT_APP_ID
    assert token_call.body["grant_type"] == "client_credentials"


def test_channel_mention_is_stripped_and_check_reply_is_private(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    response = bot.post(payload("message_channel_mention", stub))

    assert response.status_code == 200
    (_, command, _) = core.commands[0]
    assert command.args == "090-1234-5678"  # no "<at>ガイドラインBot</at>" left
    (reply,) = stub.of("POST", "/activities")
    # Same thread, and targeted at the author only (W6: the check is private).
    assert reply.path == (
        "/v3/conversations/19:koho-channel@thread.tacv2;messageid=1700000000100/activities"
    )
    assert reply.query.get("isTargetedActivity") == ["true"]
    assert reply.body["recipient"]["id"] == "29:1author"
    # The channel is remembered without its thread suffix, with team and channel ids.
    ref = core.addresses["channel:19:koho-channel@thread.tacv2"]
    assert ref.team_id == "19:koho-team@thread.tacv2"
    assert ref.service_url == stub.base_url


def test_channel_message_without_mention_is_ignored(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    activity = payload("message_channel_mention", stub, text="/check 090-1234-5678", entities=[])

    assert bot.post(activity).status_code == 200
    assert core.commands == [] and stub.activities() == []


def test_help_and_unknown_text_answer_in_japanese_without_the_core(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    bot.post(payload("message_personal", stub, text="help"))
    bot.post(payload("message_personal", stub, text="こんにちは"))

    help_reply, unknown_reply = stub.of("POST", "/activities")
    assert "使えるコマンド" in help_reply.body["text"]
    assert unknown_reply.body["text"].startswith("コマンドが認識できませんでした。")
    assert core.commands == []


def test_core_failure_is_a_japanese_apology_with_an_id_and_no_500(
    bot: Bot, stub: StubConnector, core: FakeCore, caplog
) -> None:
    secret_text = "部外秘の予算案を明日発表します"
    core.fail_with = RuntimeError(f"boom while checking {secret_text}")
    caplog.set_level(logging.DEBUG, logger="handlers")

    response = bot.post(payload("message_personal", stub, text=f"/draft {secret_text}"))

    assert response.status_code == 200
    (reply,) = stub.of("POST", "/activities")
    assert "エラーID:" in reply.body["text"]
    error_id = reply.body["text"].split("エラーID: ")[1].split("）")[0]
    assert error_id in caplog.text
    assert secret_text not in caplog.text  # the draft text is never logged

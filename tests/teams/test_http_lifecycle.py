"""installationUpdate / conversationUpdate: references are stored with their service URL."""

from __future__ import annotations

from handlers.teams.fake_core import FakeCore

from .harness import Bot, StubConnector, payload


def test_personal_install_stores_the_reference_and_welcomes(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    response = bot.post(payload("installation_update_add", stub))

    assert response.status_code == 200
    ref = core.addresses["user:aad-head"]
    assert ref.service_url == stub.base_url
    assert ref.conversation_id == "a:1personal-head"
    assert ref.tenant_id == "tenant-city"
    assert ref.bot_id == "28:bot-app-id"
    assert ref.user is not None and ref.user.teams_user_id == "29:1head"
    (welcome,) = stub.of("POST", "/activities")
    assert "SNSガイドラインボット" in welcome.body["text"]


def test_uninstall_forgets_the_conversation(bot: Bot, stub: StubConnector, core: FakeCore) -> None:
    bot.post(payload("installation_update_add", stub, action="remove"))

    assert [r.conversation_id for r in core.forgotten] == ["a:1personal-head"]


def test_bot_added_to_a_team_stores_the_channel_reference(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    bot.post(payload("conversation_update_bot_added", stub))

    ref = core.addresses["channel:19:johoseisaku-general@thread.tacv2"]
    assert ref.conversation_type == "channel"
    assert ref.team_id == "19:johoseisaku-general@thread.tacv2"
    assert ref.user is None  # who added the bot is not the channel
    assert stub.activities() == []  # no noise in the team channel


def test_other_members_joining_is_not_an_address_change(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    bot.post(payload("conversation_update_bot_added", stub, membersAdded=[{"id": "29:1new"}]))

    assert core.addresses == {}


def test_reference_round_trips_through_json(bot: Bot, stub: StubConnector, core: FakeCore) -> None:
    bot.post(payload("installation_update_add", stub))
    ref = core.addresses["user:aad-head"]

    assert type(ref).from_dict(ref.to_dict()) == ref

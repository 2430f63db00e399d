"""Socket Mode end to end: the production SocketModeHandler, the same app and listeners.

The app asks the Web API stand-in for ``apps.connections.open``, which hands out the
URL of a local stand-in for Slack's Socket Mode server (``tests/slack/socket_mode_server``).
A draft goes through /draft → form → approval → decision over the WebSocket; connections
are dropped abruptly and refreshed in the middle, and Slack's re-delivery of what was not
acknowledged loses nothing and duplicates nothing. Both database backends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.audit.models import AuditEvent
from bot.drafts.models import Draft
from tests.slack import signing
from tests.slack.flows.conftest import SLACK_IDS, buttons, draft_values, wait_dms
from tests.slack.mock_web_api_server import MockSlackWebApi
from tests.slack.socket_mode_server import SocketModeServer

AUTHOR, HEAD, DEPUTY = SLACK_IDS["sato"], SLACK_IDS["yamada"], SLACK_IDS["kato"]
APP_TOKEN = "xapp-1-A0APP00001-0000000000-testapptoken"
TEXT = "本日から市民課の窓口時間を19時まで延長します。"


@pytest.fixture
def socket_server(slack_api: MockSlackWebApi) -> Iterator[SocketModeServer]:
    with SocketModeServer() as server:
        slack_api.socket_mode_url = lambda: server.url
        yield server


@pytest.fixture
def connected(bolt_app: App, socket_server: SocketModeServer) -> Iterator[SocketModeHandler]:
    # As python -m handlers.slack starts it, but connect() instead of the blocking start().
    handler = SocketModeHandler(bolt_app, APP_TOKEN, ping_interval=1)
    handler.connect()
    socket_server.wait_connections(1)
    yield handler
    handler.close()


def count(factory, model) -> int:
    with factory() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def command(text: str, name: str, user_id: str, response_url: str) -> dict:
    fields = signing.load_fixture("slash_command") | {
        "command": name,
        "text": text,
        "user_id": user_id,
        "trigger_id": signing.unique("13345224609."),
        "response_url": response_url,
    }
    return fields


def wait_for(predicate, what: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_a_draft_goes_through_socket_mode_and_drops_lose_and_duplicate_nothing(
    connected: SocketModeHandler,
    socket_server: SocketModeServer,
    slack_api: MockSlackWebApi,
    core,
    committed_factory,
) -> None:
    assert slack_api.calls_to("apps.connections.open")[0].token == APP_TOKEN

    # /check over the socket: acknowledged, answered through response_url in Japanese.
    check = socket_server.deliver(
        "slash_commands",
        command("窓口時間を延長します。", "/check", AUTHOR, slack_api.response_url("chk")),
    )
    socket_server.wait_acked(check)
    (hook,) = slack_api.wait_for("response_url")
    assert "7(" in hook.params["text"] or "問題" in str(hook.params)

    # /draft opens the form; the submission is delivered and the connection is cut at
    # once, before its acknowledgement can arrive: Slack re-delivers it on the new
    # connection, and the form is acted on once.
    opened_at = len(slack_api.calls_to("views.open"))
    socket_server.deliver(
        "slash_commands", command("", "/draft", AUTHOR, slack_api.response_url("drf"))
    )
    opened = slack_api.wait_for("views.open", opened_at + 1)[-1]
    view = opened.json_param("view")
    submission = signing.view_submission_payload(
        view["callback_id"],
        draft_values(TEXT),
        blocks=view["blocks"],
        private_metadata=view.get("private_metadata", ""),
        id=signing.unique("V"),
        hash=signing.unique("h."),
    )
    submission["user"]["id"] = AUTHOR
    submitted = socket_server.deliver("interactive", submission, then_drop=True)
    socket_server.wait_connections(2)
    socket_server.wait_acked(submitted)
    wait_dms(slack_api, HEAD)
    wait_dms(slack_api, DEPUTY)
    core.courier.wait_idle()
    assert count(committed_factory, Draft) == 1

    # The approval click is delivered, then Slack asks for a refresh (a graceful drop).
    (request,) = wait_dms(slack_api, HEAD)
    button = buttons(request)["draft.approve"]
    click = signing.block_actions_payload(
        button["action_id"],
        button["value"],
        user={"id": HEAD},
        channel={"id": "D0HEAD0001"},
        container={"channel_id": "D0HEAD0001"},
        response_url=slack_api.response_url("clk"),
    )
    with committed_factory() as session:
        decisions_before = session.scalar(sa.select(sa.func.max(AuditEvent.seq))) or 0
    clicked = socket_server.deliver("interactive", click)
    socket_server.refresh()
    socket_server.wait_connections(3)
    socket_server.wait_acked(clicked)
    wait_for(lambda: len(slack_api.calls_to("chat.update")) >= 2, "approval DMs were not updated")
    (decided,) = wait_dms(slack_api, AUTHOR, 2)[1:]
    assert "承認されました" in str(decided.params)

    # An event delivered as the connection is closed is handled once, even though Slack
    # delivers it again (same event_id) on the next connection.
    home = signing.event_envelope(
        {"type": "app_home_opened", "user": AUTHOR, "tab": "home", "channel": "D0STAFF001"}
    )
    published_before = len(slack_api.calls_to("views.publish"))
    event = socket_server.deliver("events_api", home, then_close=True)
    socket_server.wait_connections(4)
    socket_server.wait_acked(event)
    slack_api.wait_for("views.publish", published_before + 1)
    # and a fresh event on the new connection still goes through
    later = socket_server.deliver(
        "events_api",
        signing.event_envelope(
            {"type": "app_home_opened", "user": HEAD, "tab": "home", "channel": "D0HEAD0001"}
        ),
    )
    socket_server.wait_acked(later)
    slack_api.wait_for("views.publish", published_before + 2)
    core.courier.wait_idle()

    # Nothing lost: every envelope acknowledged. Nothing duplicated: one draft, one
    # decision, one approval request per approver, one home view per event.
    assert socket_server.connections >= 4
    assert count(committed_factory, Draft) == 1
    with committed_factory() as session:
        draft = session.scalar(sa.select(Draft))
        assert draft is not None and draft.state == "approved"
    requests = [c for c in slack_api.calls_to("chat.postMessage") if buttons(c)]
    assert sorted(c.params["channel"] for c in requests if c.params["channel"] != AUTHOR) == [
        DEPUTY,
        HEAD,
    ]
    with committed_factory() as session:
        actions = session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.seq > decisions_before)
        ).all()
    assert sum("approve" in a for a in actions) == 1, actions
    publishes = slack_api.calls_to("views.publish")
    assert [c.params["user_id"] for c in publishes[published_before:]] == [AUTHOR, HEAD]

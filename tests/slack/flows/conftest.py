"""Flow fixtures: the real Bolt app on the real core (both backends), the demo city with
Slack ids, and an outbox courier that delivers to the mock Web API after each request."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FakeClock
from bot.db import transaction
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Channel, Person
from handlers.slack.notifier import SlackNotifier, directory_user_ids
from handlers.slack.runtime import Core, Courier
from tests.slack import signing
from tests.slack.harness import HttpResponse, SlackSimulator
from tests.slack.mock_web_api_server import MockSlackWebApi, RecordedCall

SLACK_IDS = {
    "yamada": "U0HEAD0001",  # 観光課長 (approver)
    "kato": "U0DEPUTY01",  # 観光課 deputy (active)
    "sato": "U0STAFF001",  # kanko-x manager, the author
    "suzuki": "U0STAFF002",  # kanko-x operator, not an approver
    "watanabe": "U0INFO0001",  # 情報政策課長
    "ito": "U0INFO0002",
    "takahashi": "U0PR000001",
}
INFO_POLICY_CHANNEL = "C0INFOPOL1"


@pytest.fixture
def city(committed_factory: sessionmaker[Session], clock: FakeClock) -> dict[str, str]:
    """The demo directory, with Slack user ids and 情報政策課's channel id."""
    with transaction(committed_factory) as session:
        load_file(session, path=DEMO_FILE, clock=clock)
        session.flush()
        for person in session.scalars(sa.select(Person)):
            person.slack_user_id = SLACK_IDS.get(person.handle)
        channel = session.scalar(sa.select(Channel).where(Channel.key == "info_policy"))
        assert channel is not None
        channel.slack_channel_id = INFO_POLICY_CHANNEL
    return SLACK_IDS


@pytest.fixture
def courier(
    committed_factory: sessionmaker[Session], clock: FakeClock, slack_client: WebClient
) -> Iterator[Courier]:
    notifier = SlackNotifier(slack_client, user_ids=directory_user_ids(committed_factory))
    courier = Courier(committed_factory, notifier, clock=clock, interval=None).start()
    yield courier
    courier.stop()


@pytest.fixture
def core(committed_factory: sessionmaker[Session], clock: FakeClock, courier: Courier) -> Core:
    return Core(committed_factory, clock, courier)


@pytest.fixture
def bolt_app(make_app: Callable[..., App], core: Core, city: dict[str, str]) -> App:
    """The real app with all listeners on the real core."""
    return make_app(core=core)


# ------------------------------------------------------------------ helpers for tests
def draft_values(
    text: str,
    *,
    account: str = "kanko-x",
    exemption: str = "none",
    evidence: str | None = None,
    photo: str = "none",
    fp: str | None = None,
    planned: int | None = None,
) -> dict[str, Any]:
    """view.state.values of the draft form as Slack sends them."""
    return {
        "account": {"account": {"type": "static_select", "selected_option": {"value": account}}},
        "text": {"text": {"type": "plain_text_input", "value": text}},
        "planned_at": {"planned_at": {"type": "datetimepicker", "selected_date_time": planned}},
        "exemption": {
            "exemption": {"type": "radio_buttons", "selected_option": {"value": exemption}}
        },
        "evidence": {"evidence": {"type": "plain_text_input", "value": evidence}},
        "photo": {"photo": {"type": "radio_buttons", "selected_option": {"value": photo}}},
        "false_positive_reason": {
            "false_positive_reason": {"type": "plain_text_input", "value": fp}
        },
    }


def submit_view(
    slack: SlackSimulator,
    opened: RecordedCall,
    values: dict[str, Any],
    *,
    user_id: str,
    view_id: str | None = None,
) -> HttpResponse:
    """Submit the modal that ``opened`` (a views.open call) showed, as ``user_id``."""
    view = opened.json_param("view")
    payload = signing.view_submission_payload(
        view["callback_id"],
        values,
        blocks=view["blocks"],
        private_metadata=view.get("private_metadata", ""),
        id=view_id or signing.unique("V"),
        hash=signing.unique("h."),
    )
    payload["user"]["id"] = user_id
    return slack.interaction(payload)


def dms_to(api: MockSlackWebApi, user_id: str) -> list[RecordedCall]:
    """chat.postMessage calls to a user's DM (by user id)."""
    return [c for c in api.calls_to("chat.postMessage") if c.params.get("channel") == user_id]


def wait_dms(api: MockSlackWebApi, user_id: str, count: int = 1, timeout: float = 10.0):
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = dms_to(api, user_id)
        if len(found) >= count:
            return found
        assert time.monotonic() < deadline, (
            f"expected {count} DM(s) to {user_id}, got {len(found)}: "
            f"{[(c.method, c.params.get('channel')) for c in api.calls]}"
        )
        time.sleep(0.02)


def buttons(call: RecordedCall) -> dict[str, dict[str, Any]]:
    """The buttons of a posted message by action id."""
    found = {}
    for block in call.json_param("blocks") or []:
        if block["type"] == "actions":
            for element in block["elements"]:
                found[element["action_id"]] = element
    return found


def click(
    slack: SlackSimulator, button: dict[str, Any], *, user_id: str, channel: str = "D0HEAD0001"
) -> HttpResponse:
    """Click a rendered button as ``user_id`` in ``channel``."""
    return slack.action(
        button["action_id"],
        button["value"],
        user={"id": user_id},
        channel={"id": channel},
        container={"channel_id": channel},
    )


def text_of(call: RecordedCall) -> str:
    """Everything a person reads in a posted message (fallback text and blocks)."""
    return call.params.get("text", "") + json.dumps(call.json_param("blocks"), ensure_ascii=False)

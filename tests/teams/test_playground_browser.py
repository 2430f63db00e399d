"""Defects found by driving the Microsoft 365 Agents Playground's web UI (0.2.28).

Two Playground instances (Alex Wilber and Megan Bowen, the Playground's default users)
talked to ``serve --demo`` while a local proxy recorded every request body; the
activities in ``payloads/playground/`` are those recordings (the Playground's own ids and
fields: no ``from.name`` on conversation and installation updates, ``locale`` en-US,
``serviceUrl`` ending in ``/_connector``, input values inside ``action.data``), with the
draft text replaced. Each test replays what the browser sent and checks what the bot
answered over HTTP, through the real Teams app. ``tools/playground_e2e.py`` reproduces
the browser session itself.
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from uvicorn.logging import AccessFormatter

from bot.clock import FakeClock
from handlers.teams.core_adapter import TeamsCore

from .harness import PAYLOADS, Bot, LoopThread, StubConnector, Views, card_of, texts_of

CAPTURED = PAYLOADS / "playground"
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
_ids = itertools.count(1)


def captured(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CAPTURED / f"{name}.json").read_text(encoding="utf-8"))
    return data


class Browser:
    """One Playground instance: activities shaped exactly as it sent them."""

    def __init__(self, bot: Bot, stub: StubConnector, user: dict[str, str], chat: str) -> None:
        self.bot, self.stub, self.user, self.chat = bot, stub, user, chat

    def _activity(self, name: str) -> dict[str, Any]:
        activity = copy.deepcopy(captured(name))
        activity["id"] = f"pg-{next(_ids)}"
        activity["serviceUrl"] = self.stub.base_url + "/_connector"
        activity["from"] = {**activity["from"], **{k: self.user[k] for k in activity["from"]}}
        activity["conversation"]["id"] = self.chat
        return activity

    def open(self) -> None:
        """The chat opens: the Playground sends a conversation update, then an install."""
        update = self._activity("conversation_update")
        update["membersAdded"][0] = {k: self.user[k] for k in ("id", "aadObjectId")}
        assert self.bot.send(update).status_code == 200
        assert self.bot.send(self._activity("installation_update")).status_code == 200

    def say(self, text: str) -> None:
        activity = self._activity("message")
        activity["text"] = text
        assert self.bot.send(activity).status_code == 200

    def press(
        self, views: Views, title: str, *, reply_to: str, template: str = "invoke", **typed: str
    ) -> dict[str, Any]:
        """Press ``title`` on the card this user sees; ``typed`` fills the inputs it shows."""
        action = _execute(views.of(self.user["id"]), title)
        data = dict(action["data"])
        for name, value in typed.items():
            data[data.get("_p", "") + name] = value
        activity = self._activity(template)
        activity["replyToId"] = reply_to
        activity["value"] = {
            "action": {
                "type": "Action.Execute",
                "title": action["title"],
                "verb": action["verb"],
                "data": data,
            }
        }
        return views.click(self.bot, self.user["id"], activity)

    def posted(self) -> list[tuple[str, dict[str, Any]]]:
        """(message id, card) of every card the bot posted in this chat, in order."""
        return [
            (c.response_id or "", card_of(c))
            for c in self.stub.of("POST", f"/_connector/v3/conversations/{self.chat}/activities")
            if c.status == 200 and c.body.get("attachments")
        ]

    def last(self) -> dict[str, Any]:
        return self.posted()[-1][1]


def _execute(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The ``Action.Execute`` that pressing ``title`` sends (inside a show-card too)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("title") == title:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    assert found, f"no button {title!r} on the card"
    return found[0]


@pytest.fixture
def demo_bot(
    loop: LoopThread, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> Iterator[Bot]:
    running = Bot(loop, stub, TeamsCore(city, clock=clock, demo=True)).start()
    yield running
    running.stop()


@pytest.fixture
def alex(demo_bot: Bot, stub: StubConnector) -> Browser:
    browser = Browser(demo_bot, stub, ALEX, "personal-chat-alex")
    browser.open()
    browser.say("/as sato")
    return browser


@pytest.fixture
def megan(demo_bot: Bot, stub: StubConnector) -> Browser:
    browser = Browser(demo_bot, stub, MEGAN, "personal-chat-megan")
    browser.open()
    browser.say("/as yamada")
    return browser


class _Recording(logging.Handler):
    """uvicorn's access formatter, as ``serve`` runs it; a failure to format is kept."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s'))
        self.lines = io.StringIO()
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.write(self.format(record) + "\n")
        except Exception as exc:  # what logging would print as "--- Logging error ---"
            self.failures.append(type(exc).__name__)


def test_access_log_lines_are_written_not_a_traceback_per_request(demo_bot: Bot) -> None:
    # Every request the Playground made printed "--- Logging error ---" and a traceback in
    # the bot's log: the scrubber had emptied the arguments uvicorn's formatter unpacks.
    access = logging.getLogger("uvicorn.access")
    handler = _Recording()
    level = access.level
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        browser = Browser(demo_bot, demo_bot.stub, ALEX, "personal-chat-alex")
        browser.open()
        browser.say("help")
        assert demo_bot.http.head(demo_bot.url + "?probe=1").status_code == 405
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert handler.failures == []
    lines = handler.lines.getvalue().splitlines()
    assert sum('"POST /api/messages HTTP/1.1" 200' in line for line in lines) == 3
    # The Playground probes the endpoint with HEAD; the query string is not logged.
    assert any('"HEAD /api/messages HTTP/1.1" 405' in line for line in lines)
    assert "probe" not in handler.lines.getvalue()


def test_help_says_what_each_command_does_apart_from_how_it_is_written(alex: Browser) -> None:
    # The help card ran usage and description together ("/draft … 本文 投稿案を作成して決裁へ"):
    # a card's TextBlock shows no inline code. And /incident's line left out the account.
    alex.say("／help")  # full-width slash, as an IME types it
    help_text = texts_of(alex.last())
    assert "- 投稿案を作成して決裁へ（4(3)）：/draft [account=…]" in help_text
    assert "炎上・なりすまし・訂正の対応（6）：/incident 炎上|なりすまし|訂正 アカウント 概要" in (
        help_text
    )
    assert "下書きを承認する（決裁依頼のカードのボタンでも可）：/approve 番号" in help_text
    assert "`" not in help_text


def test_incident_with_a_japanese_summary_and_no_account_keeps_the_summary(
    alex: Browser,
) -> None:
    # "/incident 炎上 <summary>" opened the form with the summary taken as an account code:
    # the account list showed nothing chosen and the summary field was empty.
    summary = "観光課の投稿に批判的なコメントが多数寄せられています"
    alex.say(f"/incident 炎上 {summary}")
    form = alex.last()
    inputs = {i["id"]: i for i in _inputs(form)}
    assert inputs["summary"].get("value") == summary
    assert not inputs["account"].get("value")
    assert inputs["type"].get("value") == "flaming"

    alex.say("/incident 炎上 KANKO-X")  # an account code, in whatever case
    inputs = {i["id"]: i for i in _inputs(alex.last())}
    assert inputs["account"].get("value") == "kanko-x"
    assert not inputs["summary"].get("value")


def _inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def test_approve_typed_with_an_ideographic_space_decides_and_updates_the_card(
    alex: Browser, megan: Browser, stub: StubConnector
) -> None:
    # "/approve　1" answered "コマンドが認識できませんでした": Teams had no text 決裁.
    alex.say("/draft account=kanko-x 本日10時から市役所前広場で防災訓練を行います。")
    request_id, request = next((i, c) for i, c in megan.posted() if "【決裁依頼】" in texts_of(c))
    number = texts_of(request).split("下書き #", 1)[1].split("（", 1)[0]
    cards_before = len(megan.posted())

    megan.say("/changes　" + number)  # a reason is required
    assert "理由" in texts_of(megan.last())
    assert not stub.of("PUT", request_id)

    megan.say(f"/approve　{number}")
    assert "承認しました" in texts_of(megan.last())
    # The request itself is replaced in place (no second card in her chat for it) …
    views = Views(stub, request_id, request)
    assert "【承認済み】" in texts_of(views.of(MEGAN["id"]))
    assert len(megan.posted()) == cards_before + 2  # the refusal and the receipt only
    # … and the author is told, with the next step.
    assert "は承認されました" in texts_of(alex.last())

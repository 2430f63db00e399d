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
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from uvicorn.logging import AccessFormatter

from bot.clock import FakeClock
from bot.db import transaction
from bot.directory.models import Channel
from handlers.teams.core_adapter import TeamsCore

from .conftest import INFO_POLICY_CHANNEL
from .harness import PAYLOADS, Bot, LoopThread, StubConnector, Views, card_of, texts_of
from .test_playground_session import ALEX, MEGAN  # the Playground's default users

CAPTURED = PAYLOADS / "playground"
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
    _assert_decided(stub, views, request_id, "【承認済み】", "承認しました")
    assert len(megan.posted()) == cards_before + 2  # the refusal and the receipt only
    # … and the author is told, with the next step.
    assert "は承認されました" in texts_of(alex.last())


def _assert_decided(
    stub: StubConnector, views: Views, request_id: str, title: str, receipt: str
) -> None:
    """The request is replaced in place for everyone; the 所属長 sees the decision.

    Teams shows the clicker whichever came last: the card of the invoke response (the
    receipt) or the ``PUT`` of the message (the decided request). Which comes last depends
    on the outbox's timing, so either is accepted for her; the ``PUT`` itself must say it.
    """
    puts = [card_of(c) for c in stub.of("PUT") if c.path.endswith(f"/activities/{request_id}")]
    assert puts and title in texts_of(puts[-1]) and "actions" not in puts[-1]
    seen = texts_of(views.of(MEGAN["id"]))
    assert title in seen or receipt in seen


def test_blank_reason_from_the_show_card_is_refused_and_the_card_stays(
    alex: Browser, megan: Browser, stub: StubConnector
) -> None:
    # The Playground checks isRequired but sends "　 " (spaces of both widths) as typed.
    alex.say("/draft account=kanko-x 週末は紅葉まつりを開催します。")
    request_id, request = next((i, c) for i, c in megan.posted() if "【決裁依頼】" in texts_of(c))
    views = Views(stub, request_id, request)
    answer = megan.press(
        views, "差し戻す", reply_to=request_id, template="invoke_with_input", reason="　 "
    )
    assert answer == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "修正してほしい点を入力してください。",
    }
    assert views.of(MEGAN["id"]) == request and not stub.of("PUT", request_id)

    answer = megan.press(
        views,
        "差し戻す",
        reply_to=request_id,
        template="invoke_with_input",
        reason="開催日時と会場を明記してください。",
    )
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    _assert_decided(stub, views, request_id, "【差し戻し済み】", "差し戻しました")
    assert "理由: 開催日時と会場を明記してください。" in texts_of(alex.last())


def test_channel_added_with_back_to_back_updates_posts_the_waiting_root_once(
    alex: Browser,
    demo_bot: Bot,
    stub: StubConnector,
    loop: LoopThread,
    city: sessionmaker[Session],
) -> None:
    # Opening the team's channel, the Playground sent a conversation update and an
    # installation update 0.1 s apart; each captured the channel's address and released
    # the waiting incident root, the second while the first delivery was still sending it,
    # so the root was posted twice.
    _channel_id(city, None)  # as in the demo directory: the root waits for the channel
    alex.say("/incident 炎上 kanko-x 観光課の投稿に批判的なコメントが多数寄せられています")
    root_path = f"/v3/conversations/{INFO_POLICY_CHANNEL}/activities"
    assert not stub.of("POST", INFO_POLICY_CHANNEL)
    _channel_id(city, INFO_POLICY_CHANNEL)  # the operator names the Playground's channel
    gate = stub.hold("POST", root_path)

    def in_channel(name: str) -> dict[str, Any]:
        text = json.dumps(captured(name)).replace("team-id", INFO_POLICY_CHANNEL)
        activity: dict[str, Any] = json.loads(text)
        activity["serviceUrl"] = stub.base_url + "/_connector"
        return activity

    assert demo_bot.post(in_channel("channel_conversation_update")).status_code == 200
    deadline = time.monotonic() + 10
    while not stub.of("POST", root_path):  # the root is being sent, its answer held
        assert time.monotonic() < deadline, "the root was not sent"
        time.sleep(0.01)
    assert demo_bot.post(in_channel("channel_installation_update")).status_code == 200
    loop.loop.call_soon_threadsafe(gate.set)
    demo_bot.settle()

    assert len(stub.of("POST", root_path)) == 1
    assert "対応スレッドを作成しました" in texts_of(alex.last())


def _channel_id(city: sessionmaker[Session], teams_channel_id: str | None) -> None:
    with transaction(city) as session:
        channel = session.scalar(sa.select(Channel).where(Channel.key == "info_policy"))
        assert channel is not None
        channel.teams_channel_id = teams_channel_id


def test_demo_tells_someone_not_in_the_directory_how_to_act_as_a_demo_person(
    demo_bot: Bot, stub: StubConnector, bot: Bot
) -> None:
    # A Playground user who has not read the docs got 「名簿に登録されていません…登録を
    # 依頼してください」 from the welcome, the help and /draft: nobody can register them.
    newcomer = Browser(demo_bot, stub, ALEX, "personal-chat-alex")
    newcomer.open()
    assert "/as sato" in texts_of(newcomer.last())  # the welcome
    newcomer.say("/draft account=kanko-x 本日10時から防災訓練を行います。")
    refusal = texts_of(newcomer.last())
    assert "名簿に登録されていません" in refusal and "/as yamada" in refusal
    newcomer.say("help")
    assert "/as sato" in texts_of(newcomer.last())
    newcomer.say("/as sato")
    newcomer.say("help")
    assert "/as" not in texts_of(newcomer.last())  # known now: the plain help

    # Outside demo mode there is no /as to offer.
    stranger = Browser(bot, stub, MEGAN, "personal-chat-megan")
    stranger.open()
    stranger.say("help")
    assert all("/as" not in texts_of(card) for _, card in stranger.posted())


def test_draft_form_photo_choice_reads_as_japanese(alex: Browser) -> None:
    # The form's photo choice read 「人物が写っていない（写真・映像なし を含む）」: a stray
    # space in the middle of a Japanese phrase.
    alex.say("/draft")
    titles = [c["title"] for i in _inputs(alex.last()) for c in i.get("choices", [])]
    assert "人物が写っていない（写真・映像がない場合を含む）" in titles
    assert not any(" " in t for t in titles if "人物" in t)

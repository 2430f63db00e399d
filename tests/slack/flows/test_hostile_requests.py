"""Forged, stale and malformed requests over HTTP against the real app on the real core.

Every request goes through the production WSGI layer and Bolt app with all listeners, the
database (SQLite and PostgreSQL) and the Web API stand-in. What must hold (issue 17):

* a request whose signature or timestamp does not verify gets 401, and nothing happens:
  no Web API call, no response_url POST, no database change;
* a malformed body gets 2xx or 400, never 5xx, one log line with an error id and no
  traceback; nothing is done, except that a user a signed body names may be told in
  Japanese (and then only that user, only with the notice);
* the bot never POSTs to a response_url off Slack's hosts, whoever signed the body.
"""

from __future__ import annotations

import logging
import re

import pytest
import sqlalchemy as sa
from slack_bolt import App
from sqlalchemy.orm import Session, sessionmaker

from bot.db import Base
from tests.slack import hostile, signing
from tests.slack.harness import SlackSimulator, http_request
from tests.slack.mock_web_api_server import MockSlackWebApi

ERROR_ID = re.compile(r"E-[0-9A-F]{8}")


def snapshot(factory: sessionmaker[Session]) -> dict[str, list[tuple]]:
    """Every row of every table (the schema is small; ordering by all columns)."""
    with factory() as session:
        return {
            table.name: sorted(
                (tuple(str(v) for v in row) for row in session.execute(sa.select(table))),
            )
            for table in Base.metadata.sorted_tables
        }


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()[:80]}"
        for r in caplog.records
        if r.exc_info or r.stack_info or "Traceback" in r.getMessage()
    ]


@pytest.fixture
def attacker() -> MockSlackWebApi:
    """A listener the bot must never reach (a response_url an attacker would name)."""
    with MockSlackWebApi() as server:
        yield server


def drain(app: App) -> None:
    """Wait until every listener the app started (ack and lazy) has finished."""
    runner = app.listener_runner
    runner.lazy_listener_runner.executor.shutdown(wait=True)  # type: ignore[attr-defined]
    runner.listener_executor.shutdown(wait=True)


def send(slack: SlackSimulator, request: hostile.Hostile):
    # Header values beyond latin-1 (Arabic-Indic digits) go on the wire as UTF-8 bytes.
    headers: dict = {
        k: v.encode() if any(ord(c) > 255 for c in v) else v for k, v in request.headers.items()
    }
    return http_request("POST", slack.server_url + "/slack/events", request.body, headers)


def test_the_reported_reproduction_gets_401_and_reaches_nobody(
    bolt_app: App,
    slack: SlackSimulator,
    slack_api: MockSlackWebApi,
    attacker: MockSlackWebApi,
    committed_factory: sessionmaker[Session],
) -> None:
    before = snapshot(committed_factory)
    payload = signing.block_actions_payload(
        "draft.approve", "draft:1:v1", response_url=attacker.response_url("ssrf")
    )
    body = signing.interaction_body(payload)
    headers = {
        "Content-Type": signing.FORM,
        "X-Slack-Request-Timestamp": "abc",
        "X-Slack-Signature": "v0=00",
    }
    resp = http_request("POST", slack.server_url + "/slack/events", body, headers)
    assert resp.status == 401
    assert slack_api.calls == [] and attacker.calls == []
    assert snapshot(committed_factory) == before
    # The same body correctly signed now is accepted (the 401 was the timestamp's doing),
    # and even then the off-host response_url is never POSTed to.
    assert slack.post(body, signing.FORM).status == 200
    drain(bolt_app)
    assert attacker.calls == []


def test_every_forged_or_stale_request_gets_401_and_nothing_happens(
    bolt_app: App,
    slack: SlackSimulator,
    slack_api: MockSlackWebApi,
    attacker: MockSlackWebApi,
    committed_factory: sessionmaker[Session],
    signing_secret: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    corpus = hostile.forged_requests(signing_secret, attacker.response_url("ssrf"))
    assert len(corpus) >= 100
    before = snapshot(committed_factory)
    statuses = {request.name: send(slack, request).status for request in corpus}
    drain(bolt_app)
    refused = [name for name, status in statuses.items() if status == 401]
    assert len(refused) == len(corpus), {n: s for n, s in statuses.items() if s != 401}
    assert attacker.calls == []
    assert slack_api.calls == []
    assert snapshot(committed_factory) == before
    assert tracebacks(caplog) == []


def test_malformed_bodies_unsigned_get_401_signed_never_5xx_and_nothing_is_done(
    bolt_app: App,
    slack: SlackSimulator,
    slack_api: MockSlackWebApi,
    committed_factory: sessionmaker[Session],
    signing_secret: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    corpus = hostile.malformed_bodies(slack_api.response_url("fuzz"))
    assert len(corpus) >= 150  # sent twice: ≥ 300 requests
    before = snapshot(committed_factory)
    unsigned_not_401, signed_5xx, unexpected_calls = [], [], []
    for name, body, content_type, user in corpus:
        headers = {"Content-Type": content_type} if content_type else {}
        forged = hostile.Hostile(name, body, headers | {"X-Slack-Signature": "v0=" + "0" * 64})
        forged.headers["X-Slack-Request-Timestamp"] = signing.Signer(signing_secret).headers(
            "", content_type
        )["X-Slack-Request-Timestamp"]
        resp = send(slack, forged)
        if resp.status != 401:
            unsigned_not_401.append((name, resp.status))
        assert slack_api.calls == [], name

        resp = send(slack, hostile.signed(body, content_type, signing_secret))
        if resp.status >= 500 or resp.status not in (200, 400):
            signed_5xx.append((name, resp.status))
        for call in slack_api.calls:
            # the one thing allowed: a Japanese notice to the user the signed body names
            told = "読み取れなかった" in str(call.params.get("text"))
            to_user = call.method == "response_url" or user in (
                call.params.get("user"),
                call.params.get("channel"),
            )
            if not (user and told and to_user):
                unexpected_calls.append((name, call.method))
        slack_api.clear()
    drain(bolt_app)
    unexpected_calls += [("after", call.method) for call in slack_api.calls]
    assert unsigned_not_401 == []
    assert signed_5xx == []
    assert unexpected_calls == [], unexpected_calls
    assert snapshot(committed_factory) == before
    assert tracebacks(caplog) == []
    # one line per malformed signed body, each with an error id and its reason
    lines = [r.getMessage() for r in caplog.records if "malformed slack request" in r.getMessage()]
    assert len(lines) >= len(corpus) - 5  # a few bodies are refused by Bolt itself (400)
    assert all(ERROR_ID.search(line) and "\n" not in line for line in lines)


def test_a_malformed_click_tells_the_clicker_in_japanese(
    slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    payload = signing.block_actions_payload(
        "draft.approve", "draft:1:v1", response_url=slack_api.response_url("bad")
    )
    payload["actions"] = "approval:approve"  # not a list
    resp = slack.interaction(payload)
    assert resp.status == 200
    (hook,) = slack_api.wait_for("response_url")
    assert "読み取れなかったため、処理していません" in hook.params["text"]
    assert ERROR_ID.search(hook.params["text"])


def test_a_malformed_command_and_form_are_answered_in_the_response(
    slack: SlackSimulator, slack_api: MockSlackWebApi
) -> None:
    resp = slack.post(signing.slash_command_body("/check", "確認", team_id="T" * 200), signing.FORM)
    assert resp.status == 200
    assert resp.json()["response_type"] == "ephemeral"
    assert "読み取れなかった" in resp.json()["text"]
    payload = signing.view_submission_payload("draft_submit")
    payload["view"]["state"]["values"] = []
    resp = slack.interaction(payload)
    assert resp.status == 200 and resp.json()["response_action"] == "push"
    assert slack_api.calls == []


def test_junk_text_in_commands_is_answered_in_japanese_without_5xx(
    slack: SlackSimulator, slack_api: MockSlackWebApi, committed_factory, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    before = snapshot(committed_factory)
    junk = [hostile.JUNK, "\u202e" * 50, "%" * 40, "x" * 4000, "😀" * 500, "\t\r\n"]
    for text in junk:
        resp = slack.command("/check", text, user_id="U0STAFF001")
        assert resp.status == 200, text
    hooks = slack_api.wait_for("response_url", len(junk), timeout=20)
    assert all(
        re.search(r"[ぁ-んァ-ン一-龥]", str(h.params.get("text")) + str(h.params.get("blocks")))
        for h in hooks
    )
    assert snapshot(committed_factory) == before  # /check stores nothing
    assert tracebacks(caplog) == []


def test_no_response_url_off_slacks_hosts_is_ever_posted_to(
    bolt_app: App, slack: SlackSimulator, slack_api: MockSlackWebApi, attacker: MockSlackWebApi
) -> None:
    # Correctly signed (a leaked secret, or a bug upstream): the bot still never POSTs to
    # a host that is not Slack's.
    slack.command("/check", "確認", user_id="U0STRANGER", response_url=attacker.response_url("x"))
    slack.command("/draft", "", user_id="U0STRANGER", response_url="http://169.254.169.254/")
    slack.action(
        "draft.approve",
        "draft:1:v1",
        user={"id": "U0STRANGER"},
        response_url=attacker.response_url("y"),
    )
    drain(bolt_app)
    assert attacker.calls == []
    assert slack_api.calls_to("response_url") == []


def test_only_slacks_own_hosts_are_response_url_origins() -> None:
    from handlers.slack.inbound import SLACK_RESPONSE_URL_ORIGINS, allowed_response_url

    ok = SLACK_RESPONSE_URL_ORIGINS
    assert allowed_response_url("https://hooks.slack.com/actions/T1/2/abc", ok)
    assert allowed_response_url("https://hooks.slack.com:443/commands/T1/2/abc", ok)
    assert allowed_response_url("https://hooks.slack-gov.com/commands/T1/2/abc", ok)
    for url in (
        "http://hooks.slack.com/actions/T1/2/abc",
        "https://hooks.slack.com:8443/actions",
        "https://hooks.slack.com.evil.example/actions",
        "https://evil.example/?https://hooks.slack.com/",
        "https://user@hooks.slack.com/actions",
        "https://127.0.0.1/actions",
        "https://hooks.slack.com:99999/",
        "file:///etc/passwd",
        "",
        None,
        5,
    ):
        assert not allowed_response_url(url, ok), url


def test_the_replay_window_is_five_minutes_either_way() -> None:
    from handlers.slack.inbound import verify

    secret, body, now = "s" * 32, b"token=x", 1_700_000_000
    for offset, ok in ((0, True), (300, True), (-300, True), (301, False), (-301, False)):
        ts = str(now + offset)
        reason = verify(
            body, ts, signing.sign(secret, ts, body.decode()), secret=secret, now=lambda: now
        )
        assert (reason is None) is ok, offset
    assert verify(body, "abc", "v0=00", secret=secret) == "bad-timestamp"  # never raises

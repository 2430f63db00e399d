"""Hypothesis fuzz: correctly signed malformed payloads over HTTP against the real Bolt app.

Every body is signed with the app's secret and POSTed through the production WSGI layer to
the Bolt app with all listeners on the real core (SQLite and PostgreSQL). Generated bodies
are malformed by construction: raw bytes under either content type, truncations of genuine
bodies, and genuine payloads with one checked field replaced by a value of the wrong type.
What must hold for each (issue 17, item 2): no 5xx, no traceback in the captured logs, no
database change, and no outbound call except the Japanese "could not read" notice to the
user a body names. Deterministic: derandomized, a bounded number of examples.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt import App
from sqlalchemy.orm import Session, sessionmaker

from tests.slack import hostile, signing
from tests.slack.flows.test_hostile_requests import drain, send, snapshot, tracebacks
from tests.slack.harness import SlackSimulator
from tests.slack.mock_web_api_server import MockSlackWebApi

NOTICE = "読み取れ"  # 読み取れなかった (inbound) or 読み取れませんでした (a listener)

# Fields the inbound check types, and values of a type Slack never sends there.
_not_str = st.one_of(
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_not_obj = st.one_of(
    st.integers(), st.booleans(), st.text(max_size=20), st.lists(st.integers(), max_size=3)
)
_bad_string = st.sampled_from(["a\x00b", "\ud800", "x" * 300, "U0 1", ""])
_PATHS = {
    "block_actions": {
        "type": _not_str,
        "user": _not_obj,
        "user.id": st.one_of(_not_str, _bad_string),
        "team": _not_obj,
        "actions": st.one_of(_not_obj, st.just([]), st.lists(st.integers(), min_size=1)),
        "actions.0": _not_obj,
        "actions.0.action_id": _not_str,
        "response_url": _not_str,
    },
    "view_submission": {
        "type": _not_str,
        "user": _not_obj,
        "user.id": st.one_of(_not_str, _bad_string),
        "view": _not_obj,
        "view.callback_id": _not_str,
        "view.state": _not_obj,
    },
    "event": {
        "type": _not_str,
        "event": _not_obj,
        "event.type": _not_str,
        "event_id": st.one_of(_not_str, _bad_string),
        "team_id": st.one_of(_not_str, _bad_string),
    },
}


def _genuine(response_url: str) -> dict[str, tuple[dict[str, Any], str]]:
    return {
        "block_actions": (
            signing.block_actions_payload("draft.approve", "draft:1:v1", response_url=response_url),
            signing.FORM,
        ),
        "view_submission": (signing.view_submission_payload("draft_submit"), signing.FORM),
        "event": (
            signing.event_envelope(
                {"type": "app_home_opened", "user": "U0STAFF001", "tab": "home", "channel": "D0X"}
            ),
            signing.JSON,
        ),
    }


def _encode(payload: Any, content_type: str) -> bytes:
    text = json.dumps(payload, ensure_ascii=True)  # \u escapes carry lone surrogates
    if content_type == signing.JSON:
        return text.encode()
    return urlencode({"payload": text}).encode()


@st.composite
def malformed(draw: st.DrawFn, response_url: str) -> tuple[str, bytes, str]:
    """(how it was made, body, content type): malformed by construction."""
    kind = draw(st.sampled_from(["raw", "truncated", "wrong-type"]))
    if kind == "raw":
        content_type = draw(st.sampled_from([signing.JSON, signing.FORM, "text/plain", ""]))
        body = draw(
            st.one_of(
                st.binary(min_size=1, max_size=200),
                st.text(min_size=1, max_size=60).map(lambda t: t.encode("utf-8", "surrogatepass")),
                st.sampled_from([b"[{}]", b"{{{{", b"payload=%7B", b"payload=[1]", b"null"]),
            )
        )
        return "raw", body, content_type
    name = draw(st.sampled_from(sorted(_PATHS)))
    payload, content_type = _genuine(response_url)[name]
    if kind == "truncated":
        full = _encode(payload, content_type)
        cut = draw(st.integers(min_value=1, max_value=len(full) - 1))
        return f"truncated/{name}", full[:cut], content_type
    path = draw(st.sampled_from(sorted(_PATHS[name])))
    value = draw(_PATHS[name][path])
    return f"{name}/{path}", _encode(hostile._set(payload, path, value), content_type), content_type


@pytest.mark.parametrize("_", [None])  # one test per backend, examples within it
def test_signed_malformed_payloads_never_5xx_and_change_nothing(
    _: None,
    bolt_app: App,
    slack: SlackSimulator,
    slack_api: MockSlackWebApi,
    committed_factory: sessionmaker[Session],
    signing_secret: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    response_url = slack_api.response_url("fuzz")
    before = snapshot(committed_factory)
    sent: list[tuple[str, int]] = []

    @settings(
        max_examples=150,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=malformed(response_url))
    def one(case: tuple[str, bytes, str]) -> None:
        name, body, content_type = case
        status = send(slack, hostile.signed(body, content_type, signing_secret)).status
        sent.append((name, status))
        assert status < 500, (name, body[:200], status)

    one()
    drain(bolt_app)
    assert len(sent) >= 150
    assert {s for _, s in sent} <= {200, 400}
    assert tracebacks(caplog) == []
    assert snapshot(committed_factory) == before
    outbound = [c for c in slack_api.calls if c.method != "auth.test"]
    assert all(NOTICE in str(c.params.get("text")) for c in outbound), [
        (c.method, str(c.params.get("text"))[:40]) for c in outbound if NOTICE not in str(c.params)
    ]
    # Every kind of case was tried.
    assert {n.split("/")[0] for n, _ in sent} >= {
        "raw",
        "truncated",
        "block_actions",
        "view_submission",
        "event",
    }

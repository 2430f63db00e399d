"""Slack's request signing (v0 HMAC-SHA256) and its real payload formats, for tests.

The signature is computed here with hmac directly rather than with slack_sdk, so the tests
check Bolt's verification against the documented algorithm, not against itself.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

FIXTURES = Path(__file__).parent / "fixtures"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_serial = itertools.count(1)


def load_fixture(name: str) -> dict[str, Any]:
    """A fresh copy of ``fixtures/<name>.json``."""
    with (FIXTURES / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


def merged(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``overrides`` into a copy of ``base`` (dicts merge, other values replace)."""
    result = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def unique(prefix: str) -> str:
    """A value unique within the test run (trigger ids, event ids…)."""
    return f"{prefix}{next(_serial):010d}"


def sign(secret: str, timestamp: int | str, body: str) -> str:
    """Slack's ``X-Slack-Signature`` for ``body`` sent at ``timestamp``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class Signer:
    """Builds the headers Slack sends with a request."""

    def __init__(self, secret: str, *, clock: Callable[[], float] = time.time) -> None:
        self.secret = secret
        self.clock = clock

    def headers(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> dict[str, str]:
        """Signed headers (timestamp defaults to now; retry_num adds Slack's retry headers)."""
        ts = int(self.clock()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(self.secret, ts, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason
        return headers


# ------------------------------------------------------------------ payload formats
def slash_command_body(command: str, text: str = "", **fields: Any) -> str:
    """A slash command as Slack posts it: form-encoded fields."""
    payload = load_fixture("slash_command") | {
        "command": command,
        "text": text,
        "trigger_id": unique("13345224609."),
    }
    payload.update({k: str(v) for k, v in fields.items()})
    return urlencode(payload)


def interaction_body(payload: Mapping[str, Any]) -> str:
    """An interaction (block_actions, view_submission…): form field ``payload`` with JSON."""
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)})


def block_actions_payload(
    action_id: str, value: str | None = None, *, block_id: str = "actions", **overrides: Any
) -> dict[str, Any]:
    """A block_actions payload for a button click on a message (fixture + overrides)."""
    payload = load_fixture("block_actions")
    action = payload["actions"][0] | {"action_id": action_id, "block_id": block_id}
    if value is None:
        action.pop("value", None)
    else:
        action["value"] = value
    payload["actions"] = [action]
    payload["trigger_id"] = unique("13345224609.")
    return merged(payload, overrides)


def view_submission_payload(
    callback_id: str, values: Mapping[str, Any] | None = None, **view_overrides: Any
) -> dict[str, Any]:
    """A view_submission payload; ``values`` is ``view.state.values`` (block → action → value)."""
    payload = load_fixture("view_submission")
    payload["trigger_id"] = unique("13345224609.")
    payload["view"]["callback_id"] = callback_id
    if values is not None:
        payload["view"]["state"]["values"] = copy.deepcopy(dict(values))
    payload["view"] = merged(payload["view"], view_overrides)
    return payload


def event_envelope(event: Mapping[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    """An Events API ``event_callback`` envelope around ``event``."""
    envelope = load_fixture("event_callback")
    envelope["event"] = copy.deepcopy(dict(event))
    envelope["event_id"] = event_id or unique("Ev")
    envelope["event_time"] = int(time.time())
    return envelope


def event_body(payload: Mapping[str, Any]) -> str:
    """Events API bodies are plain JSON."""
    return json.dumps(payload, ensure_ascii=False)

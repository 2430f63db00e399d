"""What an HTTP request must be before Bolt sees it: signed by Slack, recent, well formed.

The WSGI layer (``handlers.slack.wsgi``) runs these checks on the raw bytes of every
``POST /slack/events`` before Bolt parses anything, so that an unverified request never
reaches a listener, an error handler, the database or the network:

1. :func:`verify` — Slack's v0 signature (HMAC-SHA256 over ``v0:<timestamp>:<body>`` with
   the signing secret), a timestamp that is plain ASCII digits and within five minutes of
   now, and a signature of the documented shape. Anything else is *unverified* (401). This
   never raises: slack_sdk's own verifier calls ``int()`` on the header and raises on
   ``abc``, which is how an unsigned request used to reach the error handler.
2. :func:`parse` — the body decoded and parsed the way Bolt will parse it, then checked
   against the shapes Slack documents for the payload types this app handles (a JSON
   object, ``actions`` a list of objects, ``view`` / ``event`` objects, ids short strings,
   no NUL or lone surrogates anywhere). A verified but malformed body raises
   :class:`Malformed` with a reason made of field names only, never of values.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# Slack's replay window: requests older (or newer) than this are refused.
MAX_CLOCK_SKEW_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
# Slack ids (U…, T…, C…, Ev…, trigger ids, view hashes) are short ASCII tokens.
_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_MAX_DEPTH = 40

# response_url hosts Slack documents (commercial Slack and GovSlack); nothing else is ever
# POSTed to. Tests that point response_urls at a local stand-in pass their own origins to
# ``create_app``, or (a test running the real process) name them in the test-only
# SLACK_TESTING_EXTRA_RESPONSE_URL_ORIGINS, which adds to this list and is empty by default.
SLACK_RESPONSE_URL_ORIGINS = frozenset({"https://hooks.slack.com", "https://hooks.slack-gov.com"})


def verify(
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    *,
    secret: str,
    now: Callable[[], float] = time.time,
) -> str | None:
    """None when Slack signed ``body``; otherwise the reason (a fixed word, for the log)."""
    return verify_any(body, timestamp, signature, secrets=(secret,), now=now)[0]


def verify_any(
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    *,
    secrets: Sequence[str],
    now: Callable[[], float] = time.time,
) -> tuple[str | None, int]:
    """``(None, i)`` when ``secrets[i]`` signed ``body``, else ``(reason, -1)``.

    Several secrets are the rotation overlap (current first, then the previous one). The
    header checks run once; then each secret's HMAC is compared in constant time.
    """
    if not timestamp or not signature:
        return "missing-headers", -1
    if _TIMESTAMP.fullmatch(timestamp) is None:
        return "bad-timestamp", -1
    if abs(now() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return "stale-timestamp", -1
    if _SIGNATURE.fullmatch(signature) is None:
        return "bad-signature", -1
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    for index, secret in enumerate(secrets):
        if not secret:  # an empty secret would let anyone sign
            continue
        expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, signature):
            return None, index
    return "bad-signature", -1


def allowed_response_url(url: object, origins: frozenset[str]) -> bool:
    """True when ``url`` is an http(s) URL on one of ``origins`` (scheme://host[:port])."""
    if not isinstance(url, str) or not url:
        return False
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username:
        return False
    default = 443 if parts.scheme == "https" else 80
    origin = f"{parts.scheme}://{parts.hostname.lower()}"
    if port is not None and port != default:
        origin += f":{port}"
    return origin in origins


class Malformed(Exception):
    """A verified body that is not a payload this app can act on."""

    def __init__(self, reason: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.body: Mapping[str, Any] = body or {}


@dataclass(frozen=True)
class Payload:
    """A parsed, well-formed body and what kind of request it is."""

    kind: str  # "command", "event_callback", "block_actions", "view_submission", …
    body: dict[str, Any]


def parse(body: bytes, content_type: str | None) -> Payload:
    """Parse ``body`` as Bolt does, then check its shape; raises :class:`Malformed`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("not-utf8") from None
    if not text:
        raise Malformed("empty")
    media = (content_type or "").split(";")[0].strip().lower()
    # Bolt's own rule (slack_bolt.request.internals.parse_body), so both parse alike.
    try:
        if (content_type or "").split(";")[0] == "application/json" or text.startswith("{"):
            if media != "application/json":
                raise Malformed("json-without-json-content-type")
            data: Any = json.loads(text)
        elif "payload" in text:
            params = dict(parse_qsl(text, keep_blank_values=True))
            if media != "application/x-www-form-urlencoded":
                raise Malformed("form-without-form-content-type")
            if "payload" not in params:
                raise Malformed("form-without-payload")
            data = json.loads(params["payload"])
        else:
            if media != "application/x-www-form-urlencoded":
                raise Malformed("form-without-form-content-type")
            data = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise Malformed("unparseable") from None
    if not isinstance(data, dict):
        raise Malformed("not-an-object")
    _check_strings(data, depth=0)
    kind = _kind(data)
    _CHECKS.get(kind, _unknown)(data)
    return Payload(kind, data)


def _kind(body: Mapping[str, Any]) -> str:
    if "command" in body and "type" not in body:
        return "command"
    kind = body.get("type")
    return kind if isinstance(kind, str) else "-"


def _check_strings(value: Any, *, depth: int) -> None:
    """No NUL (PostgreSQL refuses it) and no lone surrogate (not encodable) anywhere."""
    if depth > _MAX_DEPTH:
        raise Malformed("too-deep")
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            raise Malformed("bad-characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, depth=depth + 1)
            _check_strings(item, depth=depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item, depth=depth + 1)


# ------------------------------------------------------------------ shape checks
def _fail(reason: str, body: Mapping[str, Any]) -> Malformed:
    return Malformed(reason, body)


def _id(body: Mapping[str, Any], container: Mapping[str, Any], key: str, *, required: bool) -> None:
    value = container.get(key)
    if value is None:
        if required:
            raise _fail(f"{key}-missing", body)
        return
    if not isinstance(value, str) or _ID.fullmatch(value) is None:
        raise _fail(f"{key}-not-an-id", body)


def _obj(
    body: Mapping[str, Any], container: Mapping[str, Any], key: str, *, required: bool
) -> dict[str, Any] | None:
    value = container.get(key)
    if value is None:
        if required:
            raise _fail(f"{key}-missing", body)
        return None
    if not isinstance(value, dict):
        raise _fail(f"{key}-not-an-object", body)
    return value


def _str(body: Mapping[str, Any], container: Mapping[str, Any], key: str) -> None:
    value = container.get(key)
    if value is not None and not isinstance(value, str):
        raise _fail(f"{key}-not-a-string", body)


def _id_or_obj(body: Mapping[str, Any], key: str) -> None:
    """``team`` / ``user`` / ``channel`` / ``enterprise``: an id, or an object with an id."""
    value = body.get(key)
    if value is None:
        return
    if isinstance(value, str):
        _id(body, body, key, required=True)
        return
    if not isinstance(value, dict):
        raise _fail(f"{key}-not-an-object", body)
    _id(body, value, "id", required=False)
    _id(body, value, "team_id", required=False)


def _common(body: Mapping[str, Any]) -> None:
    """Fields Bolt reads from every payload while it builds the request context."""
    for key in ("team", "user", "channel", "enterprise"):
        _id_or_obj(body, key)
    for key in ("team_id", "user_id", "channel_id", "enterprise_id", "trigger_id", "api_app_id"):
        _id(body, body, key, required=False)
    for key in ("type", "token", "callback_id", "thread_ts", "function_execution_id"):
        _str(body, body, key)
    authorizations = body.get("authorizations")
    if authorizations is not None and (
        not isinstance(authorizations, list)
        or not all(isinstance(item, dict) for item in authorizations)
    ):
        raise _fail("authorizations-not-a-list-of-objects", body)
    for key in ("container", "message", "previous_message", "item", "function_data", "state"):
        _obj(body, body, key, required=False)
    if isinstance(body.get("container"), dict):
        _id(body, body["container"], "channel_id", required=False)
        _str(body, body["container"], "message_ts")
    if "response_url" in body and not isinstance(body["response_url"], str):
        raise _fail("response_url-not-a-string", body)
    urls = body.get("response_urls")
    if urls is not None and (
        not isinstance(urls, list)
        or not all(isinstance(u, dict) and isinstance(u.get("response_url"), str) for u in urls)
    ):
        raise _fail("response_urls-malformed", body)
    if "event" in body and not isinstance(body["event"], dict):
        raise _fail("event-not-an-object", body)
    if "view" in body and not isinstance(body["view"], dict):
        raise _fail("view-not-an-object", body)


def _check_command(body: Mapping[str, Any]) -> None:
    _common(body)
    command = body.get("command")
    if not isinstance(command, str) or re.fullmatch(r"/[a-z0-9_-]{1,32}", command) is None:
        raise _fail("command-malformed", body)
    _id(body, body, "user_id", required=True)
    _id(body, body, "team_id", required=True)
    _str(body, body, "text")


def _user_object(body: Mapping[str, Any]) -> None:
    user = _obj(body, body, "user", required=True)
    assert user is not None
    _id(body, user, "id", required=True)


def _check_view(body: Mapping[str, Any], view: Mapping[str, Any]) -> None:
    for key in ("id", "hash", "team_id", "app_installed_team_id", "root_view_id"):
        _id(body, view, key, required=False)
    for key in ("callback_id", "private_metadata", "external_id", "type"):
        _str(body, view, key)
    blocks = view.get("blocks")
    if blocks is not None and (
        not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks)
    ):
        raise _fail("view-blocks-malformed", body)
    state = _obj(body, view, "state", required=False)
    if state is not None:
        values = _obj(body, state, "values", required=False)
        for block in (values or {}).values():
            if not isinstance(block, dict) or not all(isinstance(v, dict) for v in block.values()):
                raise _fail("view-state-malformed", body)


def _check_block_actions(body: Mapping[str, Any]) -> None:
    _common(body)
    _user_object(body)
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise _fail("actions-not-a-list", body)
    for action in actions:
        if not isinstance(action, dict):
            raise _fail("action-not-an-object", body)
        if not isinstance(action.get("action_id"), str) or not action["action_id"]:
            raise _fail("action_id-malformed", body)
        for key in ("block_id", "value", "type", "action_ts"):
            _str(body, action, key)
    view = _obj(body, body, "view", required=False)
    if view is not None:
        _check_view(body, view)


def _check_view_payload(body: Mapping[str, Any]) -> None:
    _common(body)
    _user_object(body)
    view = _obj(body, body, "view", required=True)
    assert view is not None
    if not isinstance(view.get("callback_id"), str):
        raise _fail("view-callback_id-malformed", body)
    _check_view(body, view)


def _check_shortcut(body: Mapping[str, Any]) -> None:
    _common(body)
    _user_object(body)
    if not isinstance(body.get("callback_id"), str):
        raise _fail("callback_id-malformed", body)


def _check_event_callback(body: Mapping[str, Any]) -> None:
    _common(body)
    _id(body, body, "event_id", required=True)
    _id(body, body, "team_id", required=True)
    event = _obj(body, body, "event", required=True)
    assert event is not None
    if not isinstance(event.get("type"), str) or not event["type"]:
        raise _fail("event-type-malformed", body)
    for key in ("user", "channel", "team", "user_team", "bot_id"):
        _id(body, event, key, required=False)
    for key in ("tab", "text", "ts", "thread_ts", "subtype"):
        _str(body, event, key)
    for key in ("item", "message", "previous_message", "view", "assistant_thread"):
        _obj(body, event, key, required=False)


def _check_url_verification(body: Mapping[str, Any]) -> None:
    challenge = body.get("challenge")
    if not isinstance(challenge, str) or not 1 <= len(challenge) <= 200:
        raise _fail("challenge-malformed", body)


def _unknown(body: Mapping[str, Any]) -> None:
    raise _fail("unknown-payload-type", body)


_CHECKS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "command": _check_command,
    "event_callback": _check_event_callback,
    "url_verification": _check_url_verification,
    "block_actions": _check_block_actions,
    "view_submission": _check_view_payload,
    "view_closed": _check_view_payload,
    "shortcut": _check_shortcut,
    "message_action": _check_shortcut,
}
KINDS = frozenset({"command", *_CHECKS})


def user_of(body: Mapping[str, Any]) -> str | None:
    """The acting user's id where a (verified) body names one that looks like an id."""
    user = body.get("user")
    candidate = user.get("id") if isinstance(user, dict) else body.get("user_id")
    if isinstance(candidate, str) and _ID.fullmatch(candidate):
        return candidate
    return None

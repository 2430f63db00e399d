"""Hostile requests for the Slack HTTP endpoint: forged, stale and malformed.

Two fixed corpora, built from Slack's real payload formats (``tests/slack/fixtures``):

* :func:`forged_requests` — bodies Slack could have sent, with signature or timestamp
  headers that must not verify (missing, empty, non-numeric, stale, signed with another
  secret, signed over another body, …). Every one must be answered 401.
* :func:`malformed_bodies` — bodies that are not payloads this app can act on (non-object
  JSON, ``{{{{``, truncated payloads, ``payload=`` that is not JSON, wrong types for
  ``actions`` / ``view`` / ``event``, mixed content types, NUL and lone surrogates, …).
  Sent signed they must get a 2xx or 400 with nothing done; sent unsigned, 401.

``benchmarks/bench_slack_hostile.py`` sends the same corpora to a running process.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.slack import signing

OTHER_SECRET = "fedcba9876543210fedcba9876543210"


@dataclass(frozen=True)
class Hostile:
    """One request: a name for failure messages, the raw body and the headers to send."""

    name: str
    body: bytes
    headers: dict[str, str]
    user: str | None = None  # the user a verified body names (may be told in Japanese)


def base_bodies(response_url: str) -> dict[str, tuple[str, str]]:
    """One genuine-looking body per payload type: name -> (body, content type)."""
    action = signing.block_actions_payload("draft.approve", "draft:1:v1", response_url=response_url)
    view = signing.view_submission_payload("draft_submit")
    envelope = signing.event_envelope(
        {
            "type": "app_mention",
            "user": "U0STAFF001",
            "text": "<@U0BOT00001> 確認",
            "channel": "C0KOHO0001",
            "ts": "1.1",
            "event_ts": "1.1",
        }
    )
    return {
        "command": (
            signing.slash_command_body("/check", "確認", response_url=response_url),
            signing.FORM,
        ),
        "block_actions": (signing.interaction_body(action), signing.FORM),
        "view_submission": (signing.interaction_body(view), signing.FORM),
        "event": (signing.event_body(envelope), signing.JSON),
        "url_verification": (
            signing.event_body(signing.load_fixture("url_verification") | {"challenge": "c"}),
            signing.JSON,
        ),
    }


def _headers(content_type: str, timestamp: str | None, signature: str | None) -> dict[str, str]:
    headers = {"Content-Type": content_type}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    return headers


def forged_requests(
    secret: str, response_url: str, *, now: Callable[[], float] = time.time
) -> list[Hostile]:
    """Requests whose signature or timestamp must not verify (all must get 401)."""
    t = int(now())

    def good(ts: int | str, body: str, key: str = secret) -> str:
        return signing.sign(key, ts, body)

    variants: list[tuple[str, Callable[[str], tuple[str | None, str | None, str]]]] = [
        ("no-headers", lambda b: (None, None, b)),
        ("no-timestamp", lambda b: (None, good(t, b), b)),
        ("empty-timestamp", lambda b: ("", good(t, b), b)),
        ("abc-timestamp", lambda b: ("abc", "v0=00", b)),  # the reported reproduction
        ("abc-timestamp-signed", lambda b: ("abc", good("abc", b), b)),
        ("space-timestamp", lambda b: (f" {t}", good(f" {t}", b), b)),
        ("plus-timestamp", lambda b: (f"+{t}", good(f"+{t}", b), b)),
        ("float-timestamp", lambda b: (f"{t}.5", good(f"{t}.5", b), b)),
        ("exp-timestamp", lambda b: ("1.7e9", good("1.7e9", b), b)),
        ("arabic-digits", lambda b: (_arabic(t), good(_arabic(t), b), b)),
        ("negative-timestamp", lambda b: ("-1", good("-1", b), b)),
        ("zero-timestamp", lambda b: ("0", good("0", b), b)),
        ("huge-timestamp", lambda b: ("9" * 30, good("9" * 30, b), b)),
        ("two-timestamps", lambda b: (f"{t},{t}", good(f"{t},{t}", b), b)),
        ("stale-6min", lambda b: (str(t - 360), good(t - 360, b), b)),
        ("stale-1h", lambda b: (str(t - 3600), good(t - 3600, b), b)),
        ("future-6min", lambda b: (str(t + 360), good(t + 360, b), b)),
        ("no-signature", lambda b: (str(t), None, b)),
        ("empty-signature", lambda b: (str(t), "", b)),
        ("zero-signature", lambda b: (str(t), "v0=" + "0" * 64, b)),
        ("uppercase-signature", lambda b: (str(t), good(t, b).upper().replace("V0=", "v0="), b)),
        ("v1-signature", lambda b: (str(t), "v1=" + good(t, b)[3:], b)),
        ("bare-hex-signature", lambda b: (str(t), good(t, b)[3:], b)),
        ("other-secret", lambda b: (str(t), good(t, b, OTHER_SECRET), b)),
        ("other-body", lambda b: (str(t), good(t, b + "&x=1"), b)),
        ("tampered-body", lambda b: (str(t), good(t, b), b + "0")),
        ("timestamp-off-by-one", lambda b: (str(t + 1), good(t, b), b)),
    ]
    found: list[Hostile] = []
    for kind, (body, content_type) in base_bodies(response_url).items():
        for name, make in variants:
            ts, sig, sent = make(body)
            found.append(Hostile(f"{kind}/{name}", sent.encode(), _headers(content_type, ts, sig)))
    return found


def _arabic(number: int) -> str:
    return "".join(chr(0x0660 + int(d)) for d in str(number))


# ------------------------------------------------------------------ malformed bodies
def _cuts(text: str, count: int) -> Iterator[str]:
    """``count`` truncations of ``text`` spread over its length (never the whole)."""
    for i in range(1, count + 1):
        yield text[: len(text) * i // (count + 1)]


def _set(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``payload`` with the dotted ``path`` set (``None`` deletes)."""
    result = copy.deepcopy(payload)
    *parents, last = path.split(".")
    node: Any = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is _DELETE:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return result


_DELETE = object()
JUNK = "\u202e\u200b\ufeff𠮷👨‍👩‍👧\u0301\uffff"


def malformed_bodies(response_url: str) -> list[tuple[str, bytes, str, str | None]]:
    """(name, body, content type, user named by the body or None) for ≥ 150 bodies."""
    action = signing.block_actions_payload("draft.approve", "draft:1:v1", response_url=response_url)
    view = signing.view_submission_payload("draft_submit")
    envelope = signing.event_envelope(
        {"type": "app_home_opened", "user": "U0STAFF001", "tab": "home", "channel": "D0X"}
    )
    command = dict(
        (k, v)
        for k, v in (p.split("=", 1) for p in signing.slash_command_body("/check").split("&"))
    )
    out: list[tuple[str, bytes, str, str | None]] = []

    def add_json(name: str, value: Any, user: str | None = None, raw: str | None = None) -> None:
        text = raw if raw is not None else json.dumps(value, ensure_ascii=False)
        out.append((f"json/{name}", text.encode("utf-8", "surrogatepass"), signing.JSON, user))

    def add_payload(name: str, value: Any, user: str | None = None, raw: str | None = None) -> None:
        # \u escapes: a lone surrogate then survives the form encoding as JSON text
        text = raw if raw is not None else json.dumps(value)
        body = urlencode({"payload": text}, encoding="utf-8", errors="surrogatepass")
        out.append((f"payload/{name}", body.encode(), signing.FORM, user))

    def add_raw(name: str, body: bytes, content_type: str, user: str | None = None) -> None:
        out.append((f"raw/{name}", body, content_type, user))

    # Non-object JSON and broken JSON.
    for name, raw in {
        "list-of-object": "[{}]",
        "empty-list": "[]",
        "braces": "{{{{",
        "open-brace": "{",
        "close-brace": "}",
        "null": "null",
        "true": "true",
        "number": "1",
        "string": '"event_callback"',
        "half-key": '{"type":',
        "single-quotes": "{'type': 'event_callback'}",
        "trailing-comma": '{"type": "event_callback",}',
        "nan": '{"type": NaN}',
        "deep": '{"a":' + "[" * 5000 + "]" * 5000 + "}",
        "whitespace": "   ",
        "bom": "\ufeff{}",
    }.items():
        add_json(name, None, raw=raw)
    for i, cut in enumerate(_cuts(json.dumps(envelope, ensure_ascii=False), 12)):
        add_json(f"truncated-event-{i}", None, raw=cut)
    # Events API envelopes with wrong types.
    for name, path, value in [
        ("event-string", "event", "app_home_opened"),
        ("event-list", "event", [{"type": "app_home_opened"}]),
        ("event-number", "event", 7),
        ("event-null", "event", None),
        ("event-missing", "event", _DELETE),
        ("event-type-missing", "event.type", _DELETE),
        ("event-type-number", "event.type", 3),
        ("event-type-empty", "event.type", ""),
        ("event-user-object", "event.user", {"id": "U0STAFF001"}),
        ("event-user-list", "event.user", ["U0STAFF001"]),
        ("event-channel-number", "event.channel", 12),
        ("event-tab-list", "event.tab", ["home"]),
        ("event-id-250", "event_id", "E" * 250),
        ("event-id-number", "event_id", 12345),
        ("event-id-list", "event_id", ["Ev1"]),
        ("event-id-missing", "event_id", _DELETE),
        ("event-id-newline", "event_id", "Ev1\nINFO forged log line"),
        ("team-id-object", "team_id", {"id": "T0CITY0001"}),
        ("team-id-missing", "team_id", _DELETE),
        ("authorizations-string", "authorizations", "abc"),
        ("authorizations-numbers", "authorizations", [1, 2]),
        ("authorizations-object", "authorizations", {"team_id": "T"}),
        ("type-number", "type", 5),
        ("type-list", "type", ["event_callback"]),
        ("type-unknown", "type", "not_a_slack_type"),
        ("enterprise-number", "enterprise", 5),
        ("team-list", "team", ["T0CITY0001"]),
        ("text-nul", "event.text", "a\u0000b"),
        ("text-surrogate", "event.text", "a\ud800b"),
    ]:
        add_json(name, _set(envelope, path, value))
    add_json("url-verification-no-challenge", {"type": "url_verification", "token": "x"})
    add_json("url-verification-challenge-object", {"type": "url_verification", "challenge": {}})
    # Interactions (form field payload=) that are not JSON or have wrong types.
    for name, raw in {
        "empty": "",
        "not-json": "not json",
        "list-of-object": "[{}]",
        "braces": "{{{{",
        "null": "null",
        "number": "42",
        "string": '"block_actions"',
    }.items():
        add_payload(name, None, raw=raw)
    for i, cut in enumerate(_cuts(json.dumps(action, ensure_ascii=False), 12)):
        add_payload(f"truncated-action-{i}", None, raw=cut)
    for i, cut in enumerate(_cuts(json.dumps(view, ensure_ascii=False), 6)):
        add_payload(f"truncated-view-{i}", None, raw=cut)
    clicker = action["user"]["id"]
    submitter = view["user"]["id"]
    for name, path, value, user in [
        ("actions-string", "actions", "approval:approve", clicker),
        ("actions-object", "actions", {"action_id": "approval:approve"}, clicker),
        ("actions-empty", "actions", [], clicker),
        ("actions-null", "actions", None, clicker),
        ("actions-missing", "actions", _DELETE, clicker),
        ("actions-numbers", "actions", [1, 2], clicker),
        ("actions-strings", "actions", ["approval:approve"], clicker),
        ("action-id-number", "actions.0.action_id", 5, clicker),
        ("action-id-missing", "actions.0.action_id", _DELETE, clicker),
        ("action-value-object", "actions.0.value", {"draft": 1}, clicker),
        ("action-value-list", "actions.0.value", ["draft:1:v1"], clicker),
        ("action-block-number", "actions.0.block_id", 9, clicker),
        ("user-missing", "user", _DELETE, None),
        ("user-string-long", "user", "U" * 300, None),
        ("user-list", "user", ["U0HEAD0001"], None),
        ("user-id-number", "user.id", 5, None),
        ("user-id-object", "user.id", {"id": "U0HEAD0001"}, None),
        ("user-id-newline", "user.id", "U0HEAD0001\nfake", None),
        ("channel-list", "channel", ["D0HEAD0001"], clicker),
        ("channel-number", "channel", 5, clicker),
        ("container-string", "container", "message", clicker),
        ("container-channel-number", "container.channel_id", 5, clicker),
        ("team-number", "team", 5, clicker),
        ("team-id-object", "team.id", {"id": "T"}, clicker),
        ("response-url-number", "response_url", 5, clicker),
        ("response-url-list", "response_url", [response_url], clicker),
        ("message-string", "message", "決裁依頼", clicker),
        ("state-list", "state", [], clicker),
        ("view-string", "view", "V0", clicker),
        ("type-number", "type", 3, clicker),
        ("type-unknown", "type", "block_suggestion_x", clicker),
        ("trigger-id-object", "trigger_id", {"id": "1"}, clicker),
        ("nul-in-value", "actions.0.value", "draft:\u00001", clicker),
        ("surrogate-in-value", "actions.0.value", "draft:\udfff", clicker),
    ]:
        add_payload(f"action-{name}", _set(action, path, value), user)
    for name, path, value, user in [
        ("view-string", "view", "V0DRAFT001", submitter),
        ("view-list", "view", [{"id": "V0DRAFT001"}], submitter),
        ("view-number", "view", 0, submitter),
        ("view-null", "view", None, submitter),
        ("view-missing", "view", _DELETE, submitter),
        ("callback-missing", "view.callback_id", _DELETE, submitter),
        ("callback-number", "view.callback_id", 1, submitter),
        ("state-string", "view.state", "values", submitter),
        ("values-list", "view.state.values", [], submitter),
        ("values-block-string", "view.state.values.text", "本文", submitter),
        ("values-action-string", "view.state.values.text.text", "本文", submitter),
        ("blocks-string", "view.blocks", "[]", submitter),
        ("blocks-numbers", "view.blocks", [1], submitter),
        ("metadata-object", "view.private_metadata", {"draft": 1}, submitter),
        ("view-id-object", "view.id", {"id": "V"}, submitter),
        ("hash-number", "view.hash", 12, submitter),
        ("installed-team-list", "view.app_installed_team_id", ["T"], submitter),
        ("response-urls-string", "response_urls", "https://hooks.slack.com/x", submitter),
        ("response-urls-numbers", "response_urls", [1], submitter),
        ("user-missing", "user", _DELETE, None),
        ("user-id-list", "user.id", ["U0STAFF001"], None),
        ("text-nul", "view.state.values.text.text.value", "090\u00001234", submitter),
        ("text-surrogate", "view.state.values.text.text.value", "\ud83d本文", submitter),
    ]:
        add_payload(f"view-{name}", _set(view, path, value), user)
    # Slash commands that are not commands Slack sends.
    for name, changes in {
        "command-missing": {"command": None},
        "command-no-slash": {"command": "check"},
        "command-junk": {"command": "/" + JUNK},
        "command-long": {"command": "/" + "c" * 100},
        "user-missing": {"user_id": None},
        "user-long": {"user_id": "U" * 300},
        "user-junk": {"user_id": JUNK},
        "team-missing": {"team_id": None},
        "text-nul": {"text": "a%00b"},
    }.items():
        fields = dict(command)
        for key, value in changes.items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        body = "&".join(f"{k}={v}" for k, v in fields.items())
        # A command is answered in the HTTP response itself; without ``command`` it is not
        # known to be one, and the user it names is told by an ephemeral message.
        user = fields.get("user_id") if name == "command-missing" else None
        add_raw(f"command-{name}", body.encode("utf-8", "surrogatepass"), signing.FORM, user)
    # Mixed and wrong content types, encodings and framing.
    event_json = json.dumps(envelope, ensure_ascii=False)
    action_form = signing.interaction_body(action)
    for name, body, content_type in [
        ("json-as-form", event_json.encode(), signing.FORM),
        ("json-as-text", event_json.encode(), "text/plain"),
        ("json-as-multipart", event_json.encode(), "multipart/form-data; boundary=x"),
        ("json-no-content-type", event_json.encode(), ""),
        ("form-as-json", action_form.encode(), signing.JSON),
        ("form-as-text", action_form.encode(), "text/plain"),
        ("form-no-content-type", action_form.encode(), ""),
        ("command-as-json", signing.slash_command_body("/check").encode(), signing.JSON),
        ("latin1", "payload=é".encode("latin-1"), signing.FORM),
        ("invalid-utf8", b"\xff\xfe\xfd", signing.JSON),
        ("utf16", event_json.encode("utf-16"), signing.JSON),
        ("empty", b"", signing.JSON),
        ("nul-bytes", b"\x00" * 16, signing.FORM),
        ("form-junk", JUNK.encode(), signing.FORM),
        ("form-no-equals", b"justtext", signing.FORM),
        ("payload-twice", (action_form + "&payload=%7B%7D").encode(), signing.FORM),
    ]:
        add_raw(name, body, content_type)
    return out


def signed(body: bytes, content_type: str, secret: str, *, now: float | None = None) -> Hostile:
    """``body`` with Slack's headers for ``secret`` (the signature is over the raw bytes)."""
    import hashlib
    import hmac

    ts = str(int(time.time() if now is None else now))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}
    if content_type:
        headers["Content-Type"] = content_type
    return Hostile("", body, headers)

"""An outside campaign against a real ``python -m handlers.slack`` process (issue 17, 1–3).

Independent of the test suite on purpose: its own signer, its own stand-ins for Slack's Web
API and for the hosts a ``response_url`` may name, its own request generators (a seeded
random generator, so a run can be repeated). Only the database set-up (migrations, the demo
directory with Slack ids) uses the project's code.

The process runs in HTTP mode as a child process, exactly as ``python -m handlers.slack``
starts (waitress, the production logging set-up at INFO; ``--debug`` configures the root
logger at DEBUG before the entry point runs), on SQLite or on a private PostgreSQL database.
``SLACK_TESTING_EXTRA_RESPONSE_URL_ORIGINS`` names the "trusted" listener, so that only
request verification stands between an unverified request and that listener; a second,
"evil" listener is on no list at all.

Phases, in this order:

A. unverified: unsigned, forged, stale and non-numeric-timestamp requests (every payload
   type, block_actions whose response_url names either listener), plus HTTP-level oddities.
   Counted: status codes, calls to the Web API stand-in and to either listener, database
   tables changed.
B. signed malformed: generated bodies that are not payloads the app can act on. Counted:
   status codes, 5xx, outbound calls that are not the Japanese notice, calls to the evil
   listener, tables changed.
J. signed junk that is well formed: real commands with junk text, real action ids with junk
   values, real view callbacks with missing or junk state. Counted: status codes, 5xx.
C. genuine: a draft through /draft and the form (with a phone number: the finding is
   shown), a clean draft, /check, the Home tab, the same draft 10 minutes late and signed
   with a rotated-out secret. Every body of every phase carries a unique marker.

Then the process log is scanned for the marker, the bot token, the signing secret and
tracebacks.

    python -m benchmarks.redteam_slack [--debug] [--postgres ADMIN_URL] [--fuzz N] [--seed S]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.server
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[1])
SECRET = "redteam-signing-secret-" + uuid.uuid4().hex
ROTATED_OUT = "redteam-old-secret-" + uuid.uuid4().hex
TOKEN = "xoxb-redteam-" + uuid.uuid4().hex[:20]
MARKER = "RTMARK" + uuid.uuid4().hex[:10].upper()
MARKER_JA = "秘密の下書き" + MARKER
TEAM = "T0CITY0001"
AUTHOR, HEAD = "U0STAFF001", "U0HEAD0001"
SLACK_IDS = {
    "yamada": HEAD,
    "kato": "U0DEPUTY01",
    "sato": AUTHOR,
    "suzuki": "U0STAFF002",
    "watanabe": "U0INFO0001",
    "ito": "U0INFO0002",
    "takahashi": "U0PR000001",
}
NOTICE = re.compile("読み取れなかった|エラーが発生しました|処理できません")


# ============================================================ stand-ins
@dataclass
class Call:
    path: str
    params: dict[str, Any]
    raw: bytes


class StandIn:
    """An HTTP server that records every request; ``answer`` builds the JSON reply."""

    def __init__(self, answer: Callable[[str, dict[str, Any]], dict[str, Any]]) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params = _decode_params(raw, self.headers.get("Content-Type") or "")
                with outer.lock:
                    outer.calls.append(Call(self.path, params, raw))
                data = json.dumps(outer.answer(self.path, params)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST
            do_PUT = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.answer = answer
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self) -> int:
        with self.lock:
            return len(self.calls)

    def since(self, start: int) -> list[Call]:
        with self.lock:
            return list(self.calls[start:])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _decode_params(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            data = json.loads(text or "{}")
            return data if isinstance(data, dict) else {"_": data}
        except ValueError:
            return {"_raw": text}
    return dict(parse_qsl(text, keep_blank_values=True))


_counter = iter(range(1, 10**9))


def web_api_answer(path: str, params: dict[str, Any]) -> dict[str, Any]:
    """Plausible Web API answers: enough for the app to go on, nothing more."""
    method = path.rsplit("/", 1)[-1]
    n = next(_counter)
    if method == "auth.test":
        return {
            "ok": True,
            "url": "https://city.slack.com/",
            "team": "city",
            "user": "bot",
            "team_id": TEAM,
            "user_id": "U0BOT00001",
            "bot_id": "B0BOT00001",
        }
    if method.startswith("views."):
        return {"ok": True, "view": {"id": f"V{n:09d}", "hash": f"{n}.h"}}
    if method.startswith("chat."):
        channel = params.get("channel") or "D0000"
        return {"ok": True, "channel": channel, "ts": f"{int(time.time())}.{n:06d}"}
    if method == "conversations.open":
        return {"ok": True, "channel": {"id": "D" + str(params.get("users", "X"))[1:]}}
    if method == "users.info":
        user = str(params.get("user", "U0"))
        return {"ok": True, "user": {"id": user, "team_id": TEAM, "name": user.lower()}}
    return {"ok": True}


def listener_answer(path: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True}


# ============================================================ HTTP client (raw socket)
@dataclass
class Req:
    name: str
    body: bytes
    headers: list[tuple[str, str | bytes]] = field(default_factory=list)
    method: str = "POST"
    path: str = "/slack/events"
    content_length: str | None = "auto"  # None: no header; "auto": the body's length
    chunked: bool = False


def send(port: int, req: Req, timeout: float = 30.0) -> tuple[int, bytes]:
    lines = [f"{req.method} {req.path} HTTP/1.1".encode(), b"Host: 127.0.0.1"]
    for name, value in req.headers:
        lines.append(
            name.encode() + b": " + (value if isinstance(value, bytes) else value.encode())
        )
    body = req.body
    if req.chunked:
        lines.append(b"Transfer-Encoding: chunked")
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(req.body), req.body) if req.body else b"0\r\n\r\n"
    elif req.content_length == "auto":
        lines.append(b"Content-Length: " + str(len(body)).encode())
    elif req.content_length is not None:
        lines.append(b"Content-Length: " + req.content_length.encode())
    lines.append(b"Connection: close")
    data = b"\r\n".join(lines) + b"\r\n\r\n" + body
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        with suppress(OSError):
            s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    answer = b"".join(chunks)
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    status = int(match.group(1)) if match else 0  # 0: no answer at all
    return status, answer.partition(b"\r\n\r\n")[2]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def signed(
    name: str,
    body: bytes,
    content_type: str | None,
    *,
    secret: str = SECRET,
    ts: int | None = None,
    extra: list[tuple[str, str | bytes]] | None = None,
) -> Req:
    stamp = str(ts if ts is not None else int(time.time()))
    headers: list[tuple[str, str | bytes]] = []
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    headers += [
        ("X-Slack-Request-Timestamp", stamp),
        ("X-Slack-Signature", signature(secret, stamp, body)),
    ]
    return Req(name, body, headers + (extra or []))


# ============================================================ payloads
def uid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def command(cmd: str, text: str, user: str = AUTHOR, response_url: str | None = None) -> dict:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "team_domain": "city",
        "channel_id": "C0GENERAL1",
        "channel_name": "general",
        "user_id": user,
        "user_name": "sato",
        "command": cmd,
        "text": text,
        "api_app_id": "A0APP00001",
        "is_enterprise_install": "false",
        "response_url": response_url or "https://hooks.slack.com/commands/T0/1/x",
        "trigger_id": uid("1334."),
    }


def block_actions(action_id: str, value: str, response_url: str, user: str = AUTHOR) -> dict:
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "sato", "name": "sato", "team_id": TEAM},
        "api_app_id": "A0APP00001",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "C0GENERAL1",
            "is_ephemeral": False,
        },
        "trigger_id": uid("1334."),
        "team": {"id": TEAM, "domain": "city"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": "C0GENERAL1", "name": "general"},
        "message": {"type": "message", "text": MARKER_JA, "ts": "1700000000.000100"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "actions",
                "value": value,
                "type": "button",
                "action_ts": "1700000001.000200",
                "text": {"type": "plain_text", "text": "承認"},
            }
        ],
    }


def draft_state(text: str, account: str = "kanko-x") -> dict:
    return {
        "account": {"account": {"type": "static_select", "selected_option": {"value": account}}},
        "text": {"text": {"type": "plain_text_input", "value": text}},
        "planned_at": {"planned_at": {"type": "datetimepicker", "selected_date_time": None}},
        "exemption": {"exemption": {"type": "radio_buttons", "selected_option": {"value": "none"}}},
        "evidence": {"evidence": {"type": "plain_text_input", "value": None}},
        "photo": {"photo": {"type": "radio_buttons", "selected_option": {"value": "none"}}},
        "false_positive_reason": {
            "false_positive_reason": {"type": "plain_text_input", "value": None}
        },
    }


def view_submission(
    callback_id: str,
    values: Any,
    *,
    blocks: list | None = None,
    private_metadata: str = "",
    user: str = AUTHOR,
) -> dict:
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "city"},
        "user": {"id": user, "username": "sato", "name": "sato", "team_id": TEAM},
        "api_app_id": "A0APP00001",
        "token": "legacy-verification-token",
        "trigger_id": uid("1334."),
        "view": {
            "id": uid("V"),
            "team_id": TEAM,
            "type": "modal",
            "blocks": blocks if blocks is not None else [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": uid("h."),
            "title": {"type": "plain_text", "text": "下書き"},
            "root_view_id": uid("V"),
            "app_id": "A0APP00001",
            "bot_id": "B0BOT00001",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def event(ev: dict, event_id: str | None = None) -> dict:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0APP00001",
        "event": ev,
        "type": "event_callback",
        "event_id": event_id or uid("Ev"),
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM, "user_id": "U0BOT00001", "is_bot": True, "enterprise_id": None}
        ],
        "is_ext_shared_channel": False,
    }


def home_opened(user: str = AUTHOR) -> dict:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0STAFF001",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }


def as_form(payload: dict) -> bytes:
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode()


def as_command(fields: dict) -> bytes:
    return urlencode(fields).encode()


def as_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


# ============================================================ phase A: unverified
def unverified_corpus(trusted: str, evil: str) -> list[Req]:
    now = int(time.time())
    bodies: list[tuple[str, bytes, str]] = [
        ("cmd-draft", as_command(command("/draft", MARKER_JA, response_url=trusted + "/c")), FORM),
        ("cmd-check", as_command(command("/check", MARKER_JA + " 090-1234-5678")), FORM),
        (
            "click-trusted-url",
            as_form(block_actions("draft.approve", "1", trusted + "/ssrf-a")),
            FORM,
        ),
        ("click-evil-url", as_form(block_actions("draft.approve", "1", evil + "/ssrf-b")), FORM),
        ("click-junk-action", as_form(block_actions("x", MARKER, trusted + "/ssrf-c")), FORM),
        (
            "form-draft",
            as_form(view_submission("draft_submit", draft_state(MARKER_JA))),
            FORM,
        ),
        ("event-home", as_json(event(home_opened())), JSON),
        ("url-verification", as_json({"type": "url_verification", "challenge": MARKER}), JSON),
        ("malformed-list", b"[{}]", JSON),
        ("malformed-brace", b"{{{{", JSON),
        ("malformed-payload", b"payload=" + MARKER.encode(), FORM),
        ("malformed-event-string", as_json({**event(home_opened()), "event": MARKER}), JSON),
    ]
    variants: list[tuple[str, Callable[[bytes], list[tuple[str, str | bytes]]]]] = []

    def hdr(ts: str | None, sig: str | None) -> Callable[[bytes], list[tuple[str, str | bytes]]]:
        def build(body: bytes) -> list[tuple[str, str | bytes]]:
            out: list[tuple[str, str | bytes]] = []
            if ts is not None:
                out.append(("X-Slack-Request-Timestamp", ts))
            if sig is not None:
                out.append(("X-Slack-Signature", sig))
            return out

        return build

    def good_sig_for(ts_signed: str, ts_sent: str, secret: str = SECRET):
        def build(body: bytes) -> list[tuple[str, str | bytes]]:
            return [
                ("X-Slack-Request-Timestamp", ts_sent),
                ("X-Slack-Signature", signature(secret, ts_signed, body)),
            ]

        return build

    def tampered(body_signed: Callable[[bytes], bytes]):
        def build(body: bytes) -> list[tuple[str, str | bytes]]:
            return [
                ("X-Slack-Request-Timestamp", str(now)),
                ("X-Slack-Signature", signature(SECRET, str(now), body_signed(body))),
            ]

        return build

    zeros = "v0=" + "0" * 64
    variants += [
        ("no-headers", hdr(None, None)),
        ("timestamp-only", hdr(str(now), None)),
        ("signature-only", hdr(None, zeros)),
        ("ts-abc", hdr("abc", "v0=00")),
        ("ts-empty", hdr("", zeros)),
        ("ts-fullwidth-digits", good_sig_for("１７００", "１７００")),
        ("ts-arabic-digits", good_sig_for("١٧٠٠٠٠٠٠٠٠", "١٧٠٠٠٠٠٠٠٠")),
        ("ts-underscores", good_sig_for(f"{now:_}", f"{now:_}")),
        ("ts-float", good_sig_for(f"{now}.0", f"{now}.0")),
        ("ts-exp", good_sig_for("1.7e9", "1.7e9")),
        ("ts-negative", good_sig_for(f"-{now}", f"-{now}")),
        ("ts-plus", good_sig_for(f"+{now}", f"+{now}")),
        ("ts-hex", good_sig_for(hex(now), hex(now))),
        ("ts-huge", good_sig_for("9" * 40, "9" * 40)),
        ("ts-nan", good_sig_for("nan", "nan")),
        ("ts-zero", good_sig_for("0", "0")),
        ("ts-stale-301", good_sig_for(str(now - 301), str(now - 301))),
        ("ts-stale-day", good_sig_for(str(now - 86400), str(now - 86400))),
        ("ts-future-400", good_sig_for(str(now + 400), str(now + 400))),
        ("ts-leading-zeros-stale", good_sig_for("00" + str(now - 400), "00" + str(now - 400))),
        ("ts-mismatch", good_sig_for(str(now), str(now + 1))),
        ("sig-zeros", hdr(str(now), zeros)),
        ("sig-empty", hdr(str(now), "")),
        ("sig-prefix-only", hdr(str(now), "v0=")),
        (
            "sig-v1",
            lambda b: [
                ("X-Slack-Request-Timestamp", str(now)),
                ("X-Slack-Signature", "v1=" + signature(SECRET, str(now), b)[3:]),
            ],
        ),
        ("sig-rotated-out-secret", good_sig_for(str(now), str(now), ROTATED_OUT)),
        ("sig-empty-secret", good_sig_for(str(now), str(now), "")),
        (
            "sig-truncated",
            lambda b: [
                ("X-Slack-Request-Timestamp", str(now)),
                ("X-Slack-Signature", signature(SECRET, str(now), b)[:-1]),
            ],
        ),
        (
            "sig-one-flipped",
            lambda b: [
                ("X-Slack-Request-Timestamp", str(now)),
                ("X-Slack-Signature", _flip(signature(SECRET, str(now), b))),
            ],
        ),
        (
            "sig-plain-sha256",
            lambda b: [
                ("X-Slack-Request-Timestamp", str(now)),
                ("X-Slack-Signature", "v0=" + hashlib.sha256(b"v0:%d:" % now + b).hexdigest()),
            ],
        ),
        ("sig-other-body", tampered(lambda b: b + b"&x=1")),
        ("sig-body-prefix", tampered(lambda b: b[: max(1, len(b) // 2)])),
        ("sig-latin1-junk", hdr(str(now), b"v0=\xff\xfe")),
        (
            "two-signatures",
            lambda b: [
                ("X-Slack-Request-Timestamp", str(now)),
                ("X-Slack-Signature", zeros),
                ("X-Slack-Signature", signature(SECRET, str(now), b)),
            ],
        ),
    ]
    out: list[Req] = []
    for bname, body, ctype in bodies:
        for vname, build in variants:
            out.append(Req(f"{bname}/{vname}", body, [("Content-Type", ctype), *build(body)]))
    # HTTP-level oddities, with a body signed correctly or not at all.
    body = as_form(block_actions("draft.approve", "1", trusted + "/ssrf-http"))
    ok = [("Content-Type", FORM), *good_sig_for(str(now), str(now))(body)]
    out += [
        Req("http/no-content-length", body, ok, content_length=None),
        Req(
            "http/chunked-signed-elsewhere",
            body,
            [("Content-Type", FORM), *hdr(str(now), zeros)(body)],
            chunked=True,
        ),
        Req("http/content-length-short", body, ok, content_length=str(len(body) // 2)),
        Req("http/content-length-junk", body, ok, content_length="12abc"),
        Req("http/content-length-negative", body, ok, content_length="-1"),
        Req(
            "http/stale-replay",
            body,
            [("Content-Type", FORM), *good_sig_for(str(now - 360), str(now - 360))(body)],
        ),
    ]
    return out


def _flip(sig: str) -> str:
    last = sig[-1]
    return sig[:-1] + ("0" if last != "0" else "1")


# ============================================================ phase B / J: signed fuzz
ODD = [
    "\ud800",  # lone surrogate (as a JSON escape)
    "\udfff",
    "\u0000",
    "\u202e" + MARKER,
    "\ufeff",
    "𠮷野家",
    "e\u0301\u0301\u0301",
    "\u3000\u3000",
    "\u2028\u2029",
    "\x1b[31m",
    "\r\n2026-01-01 00:00:00 ERROR forged log line " + MARKER,
    "%00%0d%0a",
    "../../../../etc/passwd",
    "${jndi:ldap://127.0.0.1/x}",
    "'; DROP TABLE drafts; --",
    "<script>alert(1)</script>",
    "ｶﾀｶﾅ①②③㍻",
    "\U0001f600" * 50,
    "\u0085\u00a0\u200b\u200d",
]
WEIRD: list[Any] = [
    None,
    0,
    -1,
    10**30,
    1.5,
    float("nan"),
    True,
    "",
    "x",
    [],
    [1],
    ["a", "b"],
    [None],
    [[]],
    {},
    {"id": 5},
    {"id": None},
    {"id": ["U1"]},
    {"id": "U" + "A" * 300},
    {"type": "x"},
    "U" * 5000,
    MARKER_JA,
]
FUZZ_PATHS = {
    "block_actions": [
        "type",
        "user",
        "user.id",
        "team",
        "team.id",
        "channel",
        "channel.id",
        "container",
        "container.channel_id",
        "container.message_ts",
        "actions",
        "actions.0",
        "actions.0.action_id",
        "actions.0.value",
        "actions.0.block_id",
        "actions.0.type",
        "response_url",
        "trigger_id",
        "message",
        "view",
        "state",
        "enterprise",
        "api_app_id",
        "token",
        "authorizations",
    ],
    "view_submission": [
        "type",
        "user",
        "user.id",
        "team",
        "view",
        "view.id",
        "view.hash",
        "view.callback_id",
        "view.state",
        "view.state.values",
        "view.state.values.text",
        "view.state.values.text.text",
        "view.state.values.text.text.value",
        "view.state.values.account.account.selected_option",
        "view.state.values.planned_at.planned_at.selected_date_time",
        "view.private_metadata",
        "view.blocks",
        "response_urls",
        "trigger_id",
        "enterprise",
    ],
    "event_callback": [
        "type",
        "event",
        "event.type",
        "event.user",
        "event.channel",
        "event.tab",
        "event.view",
        "event_id",
        "team_id",
        "authorizations",
        "event_time",
        "api_app_id",
    ],
    "command": [
        "command",
        "user_id",
        "team_id",
        "text",
        "trigger_id",
        "channel_id",
        "response_url",
        "enterprise_id",
    ],
}


def _set(obj: Any, path: str, value: Any, *, delete: bool = False) -> Any:
    parts = path.split(".")
    cur = obj
    for part in parts[:-1]:
        key: Any = int(part) if part.isdigit() and isinstance(cur, list) else part
        try:
            cur = cur[key]
        except (KeyError, IndexError, TypeError):
            return obj
        if not isinstance(cur, (dict, list)):
            return obj
    last: Any = int(parts[-1]) if parts[-1].isdigit() and isinstance(cur, list) else parts[-1]
    try:
        if delete:
            del cur[last]
        else:
            cur[last] = value
    except (KeyError, IndexError, TypeError):
        pass
    return obj


def _json_dump(value: Any) -> str:
    # allow_nan: NaN is what json.loads accepts and a hostile sender may send.
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


def base_payloads(trusted: str, evil: str, rng: random.Random) -> dict[str, Callable[[], Any]]:
    url = rng.choice([trusted, evil]) + "/fuzz"
    return {
        "block_actions": lambda: block_actions(
            rng.choice(["draft.approve", "draft.reject", "report.open", "x", "custody.take"]),
            rng.choice(["1", "999999", MARKER, "abc"]),
            rng.choice([trusted, evil]) + "/fuzz",
        ),
        "view_submission": lambda: view_submission(
            rng.choice(["draft_submit", "draft_edit", "action_prompt", "custody_submit", "zz"]),
            draft_state(MARKER_JA + " 090-1234-5678"),
            private_metadata=rng.choice(["", "{}", '{"draft_id": 1}']),
        ),
        "event_callback": lambda: event(home_opened()),
        "command": lambda: command(
            rng.choice(["/draft", "/check", "/incident", "/account", "/custody"]),
            MARKER_JA,
            response_url=url,
        ),
    }


def encode(kind: str, payload: Any) -> tuple[bytes, str]:
    try:
        _json_dump(payload).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: sent as a JSON escape, as Slack would
        text = json.dumps(payload, ensure_ascii=True, allow_nan=True)
        if kind == "event_callback":
            return text.encode(), JSON
        return ("payload=" + quote(text, safe="")).encode(), FORM
    if kind == "command":
        if isinstance(payload, dict):
            fields = {k: v if isinstance(v, str) else _json_dump(v) for k, v in payload.items()}
            return urlencode(fields).encode("utf-8", "surrogatepass"), FORM
        return _json_dump(payload).encode("utf-8", "surrogatepass"), FORM
    if kind == "event_callback":
        return _json_dump(payload).encode("utf-8", "surrogatepass"), JSON
    text = _json_dump(payload)
    return ("payload=" + quote(text, safe="")).encode("utf-8", "surrogatepass"), FORM


def malformed_corpus(n: int, trusted: str, evil: str, rng: random.Random) -> list[Req]:
    """Signed bodies that are not payloads this app can act on (expected: no 5xx, no effect)."""
    bases = base_payloads(trusted, evil, rng)
    fixed: list[tuple[str, bytes, str | None]] = [
        ("non-object/list", b"[{}]", JSON),
        ("non-object/number", b"1", JSON),
        ("non-object/null", b"null", JSON),
        ("non-object/string", b'"' + MARKER.encode() + b'"', JSON),
        ("non-object/true", b"true", JSON),
        ("non-object/empty-list", b"[]", JSON),
        ("broken/braces", b"{{{{", JSON),
        ("broken/open", b"{", JSON),
        ("broken/deep", b"[" * 100000 + b"]" * 100000, JSON),
        ("broken/deep-object", b'{"a":' * 5000 + b"1" + b"}" * 5000, JSON),
        ("broken/bigint", b'{"type":"block_actions","n":' + b"9" * 5000 + b"}", JSON),
        ("broken/bad-utf8", b'{"type":"\xff\xfe' + MARKER.encode() + b'"}', JSON),
        ("broken/latin1", b"payload=" + "é".encode("latin-1"), FORM),
        ("empty", b"", FORM),
        ("empty-json", b"", JSON),
        ("payload/not-json", b"payload=" + MARKER.encode(), FORM),
        ("payload/empty", b"payload=", FORM),
        ("payload/brace", b"payload=%7B", FORM),
        ("payload/list", b"payload=%5B1%5D", FORM),
        ("payload/twice", b"payload=%7B%7D&payload=" + MARKER.encode(), FORM),
        ("payload/null", b"payload=null", FORM),
        ("form/garbage", b"&&&===;;;" + MARKER.encode(), FORM),
        ("form/percent-junk", b"command=%ZZ&user_id=%", FORM),
        ("ssl-check", b"ssl_check=1&token=" + MARKER.encode(), FORM),
        ("type/unknown", as_json({"type": "interactive_message", "x": MARKER}), JSON),
        ("type/number", as_json({"type": 5, "x": MARKER}), JSON),
        ("url-verification/no-challenge", as_json({"type": "url_verification"}), JSON),
        (
            "url-verification/challenge-list",
            as_json({"type": "url_verification", "challenge": [1]}),
            JSON,
        ),
        (
            "url-verification/challenge-huge",
            as_json({"type": "url_verification", "challenge": "c" * 100000}),
            JSON,
        ),
        ("content-type/none-json", as_json(event(home_opened())), None),
        ("content-type/text", as_json(event(home_opened())), "text/plain"),
        ("content-type/json-as-form", as_json(event(home_opened())), FORM),
        ("content-type/form-as-json", as_form(block_actions("x", "1", evil)), JSON),
        (
            "content-type/multipart",
            as_form(block_actions("x", "1", evil)),
            "multipart/form-data; boundary=xx",
        ),
        (
            "content-type/sjis",
            '{"type":"event_callback","x":"下書き"}'.encode("shift_jis"),
            "application/json; charset=shift_jis",
        ),
        ("content-type/junk", as_json(event(home_opened())), "\x7f;;;=="),
        ("event/string", as_json({**event(home_opened()), "event": MARKER}), JSON),
        ("event/list", as_json({**event(home_opened()), "event": [home_opened()]}), JSON),
        ("event/number", as_json({**event(home_opened()), "event": 7}), JSON),
        ("event/null", as_json({**event(home_opened()), "event": None}), JSON),
        (
            "event/missing",
            as_json({k: v for k, v in event(home_opened()).items() if k != "event"}),
            JSON,
        ),
        ("event_id/250", as_json(event(home_opened(), event_id="Ev" + "A" * 248)), JSON),
        ("event_id/5000", as_json(event(home_opened(), event_id="Ev" + "A" * 4998)), JSON),
        ("event_id/unicode", as_json(event(home_opened(), event_id="Ev" + MARKER_JA)), JSON),
        ("event_id/list", as_json({**event(home_opened()), "event_id": ["Ev1"]}), JSON),
        ("too-large", b"payload=" + b"A" * (1024 * 1024 + 10), FORM),
        (
            "nan-user",
            b'{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"app_home_opened","user":NaN}}',
            JSON,
        ),
        (
            "view-submission/missing-state",
            as_form(
                _set(view_submission("draft_submit", {}), "view.state", None, delete=True)
                | {"view": None}
            ),
            FORM,
        ),
    ]
    out = [signed(name, body, ct) for name, body, ct in fixed]
    kinds = list(FUZZ_PATHS)
    while len(out) < n:
        kind = rng.choice(kinds)
        payload = bases[kind]()
        how = rng.choice(
            [
                "type",
                "type",
                "type",
                "delete",
                "truncate",
                "huge",
                "odd",
                "nonobject",
                "surrogate-id",
            ]
        )
        path = rng.choice(FUZZ_PATHS[kind])
        if how == "type":
            payload = _set(payload, path, rng.choice(WEIRD))
        elif how == "delete":
            payload = _set(payload, path, None, delete=True)
        elif how == "huge":
            payload = _set(
                payload, path, rng.choice(["あ", "A", MARKER]) * rng.choice([10_000, 300_000])
            )
        elif how == "odd":
            payload = _set(payload, path, rng.choice(ODD) + MARKER)
        elif how == "surrogate-id":
            payload = _set(payload, path, "U\ud83d" + MARKER)
        elif how == "nonobject":
            payload = rng.choice([[payload], MARKER, 3, None, [[]]])
        body, ctype = encode(kind, payload)
        if how == "truncate":
            body = body[: rng.randrange(1, max(2, len(body)))]
        out.append(signed(f"{kind}/{how}/{path}", body, ctype))
    return out


def junk_corpus(n: int, trusted: str, evil: str, rng: random.Random) -> list[Req]:
    """Signed, well-formed requests with junk content (expected: no 5xx; the app may act).

    First, clicks whose response_url dresses the evil listener up as the trusted one (user
    info, encodings, other schemes): nothing may reach the evil listener.
    """
    t_host, t_port = trusted.removeprefix("http://").split(":")
    e_port = evil.rsplit(":", 1)[1]
    disguised = [
        f"http://{t_host}:{t_port}@127.0.0.1:{e_port}/u",
        f"http://{t_host}:{t_port}%40127.0.0.1:{e_port}/u",
        f"http://127.0.0.1:{e_port}#@{t_host}:{t_port}/u",
        f"http://127.0.0.1:{e_port}\\@{t_host}:{t_port}/u",
        f"http://{t_host}:{t_port}\\@127.0.0.1:{e_port}/u",
        f"http://127.0.0.1%3A{e_port}/u",
        f"http://[::ffff:127.0.0.1]:{e_port}/u",
        f"http://0x7f000001:{e_port}/u",
        f"http://localhost:{e_port}/u",
        f"http://{t_host}:{e_port}/u",
        f"HTTP://127.0.0.1:{e_port}/u",
        f"http:/127.0.0.1:{e_port}/u",
        f"//127.0.0.1:{e_port}/u",
        f"http://127.0.0.1:{e_port}\t/u",
        f"http://127.0.0.1:0{e_port}/u",
        f"http://127.0.0.1:{int(e_port) + 65536}/u",
        f"http://hooks.slack.com@127.0.0.1:{e_port}/u",
        f"https://hooks.slack.com.127.0.0.1.nip.io:{e_port}/u",
        f"http://127.0.0.1:{e_port}/u?https://hooks.slack.com/",
    ]
    out: list[Req] = [
        signed(f"junk/disguised-response-url/{i}", as_form(block_actions(a, "1", url)), FORM)
        for i, url in enumerate(disguised)
        for a in ("draft.approve", "draft.reject", "x")
    ]
    junk = [
        "",
        " ",
        MARKER_JA,
        "approve 999999999",
        "--help",
        "-1",
        "🙂" * 100,
        "\u3000",
        "new",
        "new " + MARKER,
        "list",
        "show 0",
        "show -5",
        "show 99999999999999999999",
        "take 1 " + MARKER,
        "x" * 3000,
        "1; DROP TABLE drafts",
        "%s%s%n",
        "\\",
        "\"'`",
        "'" + MARKER_JA + "'",
        "０９０－１２３４－５６７８ " + MARKER,
    ]
    actions = [
        "draft.approve",
        "draft.reject",
        "draft.edit",
        "draft.withdraw",
        "draft.approve:1",
        "report.open",
        "incident.close",
        "account.approve",
        "reminder.snooze",
        "custody.take",
        "handover.accept",
        "link",
        "draft.",
        "draft.x:y:z",
    ]
    values = [
        "",
        "1",
        "0",
        "-1",
        "999999999",
        "abc",
        MARKER,
        "1.5",
        "1e9",
        '{"id":1}',
        "null",
        "9" * 40,
        "１",
    ]
    callbacks = [
        "draft_submit",
        "draft_edit",
        "action_prompt",
        "custody_submit",
        "account_form",
        "incident_form",
        "error_notice",
        "unknown",
    ]
    while len(out) < n:
        which = rng.randrange(5)
        if which == 0:
            cmd = rng.choice(["/draft", "/check", "/incident", "/account", "/custody", "/nope"])
            user = rng.choice([AUTHOR, HEAD, "U0NOBODY01"])
            body = as_command(
                command(
                    cmd, rng.choice(junk) + " " + MARKER, user, rng.choice([trusted, evil]) + "/j"
                )
            )
            out.append(signed(f"junk/command{cmd}", body, FORM))
        elif which == 1:
            payload = block_actions(
                rng.choice(actions),
                rng.choice(values),
                rng.choice([trusted, evil]) + "/j",
                rng.choice([AUTHOR, HEAD, "U0NOBODY01"]),
            )
            out.append(signed("junk/click", as_form(payload), FORM))
        elif which == 2:
            values_: Any = rng.choice(
                [
                    {},
                    draft_state(rng.choice(junk)),
                    draft_state(MARKER, account="nope"),
                    {"text": {}},
                    {"text": {"text": {}}},
                    _set(
                        draft_state(MARKER),
                        "planned_at.planned_at.selected_date_time",
                        rng.choice([1e308, -1, 10**20, "x", [1]]),
                    ),
                    _set(draft_state(MARKER), "account.account.selected_option", None),
                ]
            )
            meta = rng.choice(
                [
                    "",
                    "{}",
                    "{bad",
                    '{"draft_id": "x"}',
                    '{"draft_id": 99999}',
                    "[1]",
                    "null",
                    '{"draft_id": 1e400}',
                    MARKER,
                ]
            )
            payload = view_submission(
                rng.choice(callbacks),
                values_,
                private_metadata=meta,
                user=rng.choice([AUTHOR, HEAD, "U0NOBODY01"]),
            )
            if rng.random() < 0.3:
                del payload["view"]["state"]
            out.append(signed("junk/form", as_form(payload), FORM))
        elif which == 3:
            ev = rng.choice(
                [
                    home_opened(rng.choice([AUTHOR, "U0NOBODY01"])),
                    {**home_opened(), "tab": "messages"},
                    {
                        "type": "app_mention",
                        "user": AUTHOR,
                        "text": MARKER_JA,
                        "channel": "C1",
                        "ts": "1.2",
                    },
                    {
                        "type": "message",
                        "user": AUTHOR,
                        "text": MARKER_JA,
                        "channel": "D1",
                        "ts": "1.2",
                    },
                    {"type": "team_join", "user": {"id": "U1"}},
                    {"type": "nope"},
                ]
            )
            retry = rng.choice(
                [
                    [],
                    [("X-Slack-Retry-Num", "abc")],
                    [("X-Slack-Retry-Num", "-1")],
                    [("X-Slack-Retry-Num", "9" * 30), ("X-Slack-Retry-Reason", MARKER)],
                ]
            )
            out.append(signed("junk/event", as_json(event(ev)), JSON, extra=retry))
        else:
            payload = {
                "type": rng.choice(["shortcut", "message_action", "view_closed"]),
                "callback_id": rng.choice(callbacks),
                "trigger_id": uid("1."),
                "user": {"id": AUTHOR},
                "team": {"id": TEAM},
                "view": view_submission("draft_submit", {})["view"],
            }
            out.append(signed("junk/other", as_form(payload), FORM))
    return out


# ============================================================ database fingerprint
class Fingerprint:
    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.sa = sa
        self.engine = sa.create_engine(url)

    def take(self) -> dict[str, tuple[int, str]]:
        sa = self.sa
        out: dict[str, tuple[int, str]] = {}
        meta = sa.MetaData()
        meta.reflect(self.engine)
        with self.engine.connect() as conn:
            for table in meta.sorted_tables:
                rows = conn.execute(sa.select(table)).all()
                digest = hashlib.sha256(
                    "\n".join(sorted(repr(tuple(r)) for r in rows)).encode()
                ).hexdigest()
                out[table.name] = (len(rows), digest)
        return out

    @staticmethod
    def diff(before: dict, after: dict) -> list[str]:
        return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


# ============================================================ the run
@dataclass
class Phase:
    statuses: Counter = field(default_factory=Counter)
    api_calls: list[Call] = field(default_factory=list)
    trusted_calls: list[Call] = field(default_factory=list)
    evil_calls: list[Call] = field(default_factory=list)
    tables_changed: list[str] = field(default_factory=list)
    fivexx: list[str] = field(default_factory=list)
    by_name: dict[str, int] = field(default_factory=dict)
    rejected: list[Req] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    sent: int = 0

    def line(self, title: str) -> str:
        codes = " ".join(f"{k}×{v}" for k, v in sorted(self.statuses.items()))
        return f"{title}: {self.sent} sent; statuses {codes}; 5xx {len(self.fivexx)}"


def seed_database(url: str) -> None:
    import sqlalchemy as sa

    sys.path.insert(0, str(ROOT))
    from bot.clock import SystemClock
    from bot.db import make_engine, make_sessionmaker, transaction, upgrade
    from bot.directory.loader import DEMO_FILE, load_file
    from bot.directory.models import Person

    upgrade(url)
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        load_file(session, path=DEMO_FILE, clock=SystemClock())
        session.flush()
        for person in session.scalars(sa.select(Person)):
            person.slack_user_id = SLACK_IDS.get(person.handle)
    engine.dispose()


@contextmanager
def process(url: str, log: Path, *, debug: bool, trusted: str, api: str) -> Iterator[int]:
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api + "/api/",
        "SLACK_TESTING_EXTRA_RESPONSE_URL_ORIGINS": trusted,
        "DATABASE_URL": url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    code = "import logging,sys,runpy; "
    if debug:
        code += "logging.basicConfig(level=logging.DEBUG, format='%(asctime)s %(levelname)s %(name)s %(message)s'); "
    code += "sys.argv=['handlers.slack']; runpy.run_module('handlers.slack', run_name='__main__')"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if (
                    send(
                        port, Req("health", b"", method="GET", path="/healthz", content_length=None)
                    )[0]
                    == 200
                ):
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(log.read_text(errors="replace"))
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


REJECTED_LINE = re.compile(r"malformed slack request|refused unverified request")


def run_phase(
    port: int,
    reqs: list[Req],
    api: StandIn,
    trusted: StandIn,
    evil: StandIn,
    fp: Fingerprint | None,
    log: Any,
) -> Phase:
    """Send ``reqs`` one after another; a request is *rejected* when it got 400/401/413 or
    the process logged that it refused it (the line is written before the answer)."""
    phase = Phase()
    before = fp.take() if fp else None
    a0, t0, e0 = api.count(), trusted.count(), evil.count()
    log.read()
    for req in reqs:
        status, _ = send(port, req)
        refused_line = REJECTED_LINE.search(log.read())  # read every time: the next starts clean
        if status in (400, 401, 413) or refused_line:
            phase.rejected.append(req)
        else:
            phase.accepted.append(req.name)
        phase.statuses[status] += 1
        phase.sent += 1
        phase.by_name[req.name] = status
        if status >= 500 or status == 0:
            phase.fivexx.append(f"{req.name} -> {status}")
    time.sleep(2.0)  # lazy listeners and the courier finish
    phase.api_calls = api.since(a0)
    phase.trusted_calls = trusted.since(t0)
    phase.evil_calls = evil.since(e0)
    if fp and before is not None:
        phase.tables_changed = Fingerprint.diff(before, fp.take())
    return phase


def _ctype(req: Req) -> str | None:
    return next((str(v) for k, v in req.headers if k == "Content-Type"), None)


def _is_notice(call: Call) -> bool:
    return bool(NOTICE.search(str(call.params.get("text", ""))))


def genuine(port: int, api: StandIn) -> dict[str, Any]:
    """Genuine requests with the marker in draft text; what they got back."""
    results: dict[str, Any] = {}
    start = api.count()
    status, _ = send(port, signed("g/draft", as_command(command("/draft", MARKER_JA)), FORM))
    results["/draft"] = status
    deadline = time.monotonic() + 15
    opened = None
    while time.monotonic() < deadline and opened is None:
        opened = next((c for c in api.since(start) if c.path.endswith("views.open")), None)
        time.sleep(0.05)
    view = (
        json.loads(opened.params["view"])
        if opened and isinstance(opened.params.get("view"), str)
        else (opened.params.get("view") if opened else None)
    )
    results["views.open"] = view is not None
    blocks = view.get("blocks", []) if view else []
    meta = view.get("private_metadata", "") if view else ""
    finding = view_submission(
        "draft_submit",
        draft_state(MARKER_JA + " 連絡先 090-1234-5678 山田太郎"),
        blocks=blocks,
        private_metadata=meta,
    )
    status, answer = send(port, signed("g/form-finding", as_form(finding), FORM))
    results["form with a finding"] = (status, b"errors" in answer)
    clean = view_submission(
        "draft_submit",
        draft_state("本日の観光案内所は17時まで開いています。" + MARKER_JA),
        blocks=blocks,
        private_metadata=meta,
    )
    status, answer = send(port, signed("g/form-clean", as_form(clean), FORM))
    results["clean form"] = (status, answer[:60].decode("utf-8", "replace"))
    results["/check"] = send(
        port, signed("g/check", as_command(command("/check", MARKER_JA + " 090-1234-5678")), FORM)
    )[0]
    results["home tab"] = send(port, signed("g/home", as_json(event(home_opened())), JSON))[0]
    late = view_submission(
        "draft_submit", draft_state(MARKER_JA + " 遅延"), blocks=blocks, private_metadata=meta
    )
    results["10 min late"] = send(
        port, signed("g/late", as_form(late), FORM, ts=int(time.time()) - 600)
    )[0]
    results["rotated-out secret"] = send(
        port, signed("g/rotated", as_form(late), FORM, secret=ROTATED_OUT)
    )[0]
    broken = view_submission(
        "draft_submit",
        draft_state(MARKER_JA + " 壊れたメタデータ"),
        blocks=blocks,
        private_metadata="{bad",
    )
    results["listener that raises"] = send(port, signed("g/raises", as_form(broken), FORM))[0]
    time.sleep(3.0)
    calls = api.since(start)
    results["web api calls"] = Counter(c.path.rsplit("/", 1)[-1] for c in calls)
    results["receipt DM"] = any(
        c.path.endswith("chat.postMessage")
        and c.params.get("channel") in (AUTHOR, "D" + AUTHOR[1:])
        for c in calls
    )
    # Click the first button the approver was sent, if any (a genuine decision).
    for c in calls:
        raw = c.params.get("blocks")
        if c.params.get("channel") in (HEAD, "D" + HEAD[1:]) and raw:
            blocks_ = json.loads(raw) if isinstance(raw, str) else raw
            for b in blocks_:
                for el in b.get("elements", []) if b.get("type") == "actions" else []:
                    if el.get("action_id", "").startswith("draft."):
                        click = block_actions(
                            el["action_id"],
                            el.get("value", ""),
                            "https://hooks.slack.com/actions/T/1/x",
                            HEAD,
                        )
                        results[f"click {el['action_id']}"] = send(
                            port, signed("g/click", as_form(click), FORM)
                        )[0]
                        break
                else:
                    continue
                break
    time.sleep(1.0)
    return results


def campaign(
    url: str, workdir: Path, *, debug: bool, fuzz: int, junk: int, seed: int
) -> dict[str, Any]:
    seed_database(url)
    api, trusted, evil = StandIn(web_api_answer), StandIn(listener_answer), StandIn(listener_answer)
    log = workdir / f"process-{'debug' if debug else 'info'}.log"
    fp = Fingerprint(url)
    rng = random.Random(seed)
    report: dict[str, Any] = {"db": url.split(":")[0], "level": "DEBUG" if debug else "INFO"}
    try:
        with (
            process(url, log, debug=debug, trusted=trusted.origin, api=api.origin) as port,
            log.open(encoding="utf-8", errors="replace") as tail,
        ):
            a = run_phase(
                port,
                unverified_corpus(trusted.origin, evil.origin),
                api,
                trusted,
                evil,
                fp,
                tail,
            )
            b = run_phase(
                port,
                malformed_corpus(fuzz, trusted.origin, evil.origin, rng),
                api,
                trusted,
                evil,
                None,
                tail,
            )
            # The signed bodies the app rejected, again (freshly signed), with the database
            # fingerprinted around them: what rejected requests changed and called.
            again = [signed(r.name, r.body, _ctype(r)) for r in b.rejected]
            b2 = run_phase(port, again, api, trusted, evil, fp, tail)
            j = run_phase(
                port,
                junk_corpus(junk, trusted.origin, evil.origin, rng),
                api,
                trusted,
                evil,
                None,
                tail,
            )
            g = genuine(port, api)
    finally:
        for s in (api, trusted, evil):
            s.close()
        fp.engine.dispose()
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    report.update(
        A=a,
        B=b,
        B2=b2,
        J=j,
        G=g,
        log_lines=len(lines),
        marker=[ln for ln in lines if MARKER in ln],
        secret=[ln for ln in lines if TOKEN in ln or SECRET in ln or ROTATED_OUT in ln],
        tracebacks=[
            ln for ln in lines if ln.startswith("Traceback") or ln.lstrip().startswith('File "')
        ],
        phone=[ln for ln in lines if "090-1234-5678" in ln or "山田太郎" in ln],
        log=log,
    )
    return report


def print_report(r: dict[str, Any]) -> None:
    a, b, j = r["A"], r["B"], r["J"]
    print(f"== {r['db']} at {r['level']}")
    print(a.line("A unverified"))
    print(
        f"   401: {a.statuses[401]} of {a.sent}; Web API calls {len(a.api_calls)}; "
        f"trusted-listener calls {len(a.trusted_calls)}; evil-listener calls {len(a.evil_calls)}; "
        f"tables changed {a.tables_changed or 0}"
    )
    for line in a.fivexx[:10]:
        print("   5xx:", line)
    non401 = a.sent - a.statuses[401]
    if non401:
        print(
            f"   not 401: {non401}:",
            ", ".join(f"{k}={v}" for k, v in a.by_name.items() if v != 401),
        )
    for c in a.api_calls + a.trusted_calls + a.evil_calls:
        print("   outbound:", c.path, str(c.params)[:150])
    b2 = r["B2"]
    print(b.line("B signed malformed"))
    print(
        f"   rejected {len(b.rejected)}; still well formed after the mutation (given to the app) {len(b.accepted)}; "
        f"evil-listener calls {len(b.evil_calls)}"
    )
    for line in b.fivexx[:15]:
        print("   5xx:", line)
    notices = [c for c in b2.api_calls + b2.trusted_calls if _is_notice(c)]
    others = [c for c in b2.api_calls + b2.trusted_calls if not _is_notice(c)]
    print(b2.line("B2 the rejected ones again, fingerprinted"))
    print(
        f"   Japanese notices {len(notices)}; other outbound calls {len(others)}; "
        f"evil-listener calls {len(b2.evil_calls)}; tables changed {b2.tables_changed or 0}"
    )
    for c in others[:8]:
        print("   other:", c.path, str(c.params)[:150])
    print(j.line("J signed junk, well formed"))
    print(
        f"   evil-listener calls {len(j.evil_calls)}; outbound {len(j.api_calls)} Web API, {len(j.trusted_calls)} trusted response_url"
    )
    for line in j.fivexx[:15]:
        print("   5xx:", line)
    print("C genuine:", {k: v for k, v in r["G"].items()})
    print(
        f"log: {r['log_lines']} lines; marker {len(r['marker'])}; token/secret {len(r['secret'])}; "
        f"phone/name {len(r['phone'])}; traceback lines {len(r['tracebacks'])}"
    )
    for ln in (r["marker"] + r["secret"] + r["phone"] + r["tracebacks"])[:12]:
        print("   >", ln[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", metavar="ADMIN_URL", help="run on a private database on this server"
    )
    parser.add_argument("--debug", action="store_true", help="run the process at DEBUG")
    parser.add_argument("--fuzz", type=int, default=1000, help="signed malformed requests")
    parser.add_argument("--junk", type=int, default=300, help="signed well-formed junk requests")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--keep-log", metavar="DIR", help="copy the process log here")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = f"sqlite:///{Path(tmp.name) / 'redteam.sqlite3'}"
    admin = name = None
    if args.postgres:
        import sqlalchemy as sa

        admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"redteam_slack_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(args.postgres).set(database=name).render_as_string(False)
    try:
        report = campaign(
            url, Path(tmp.name), debug=args.debug, fuzz=args.fuzz, junk=args.junk, seed=args.seed
        )
        print_report(report)
        if args.keep_log:
            import shutil

            shutil.copy(
                report["log"], Path(args.keep_log) / f"redteam-{report['db']}-{report['level']}.log"
            )
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


if __name__ == "__main__":
    main()

"""A local stand-in for Slack's Web API that records every call.

Bound to 127.0.0.1 on a free port, served from a thread. It answers the methods the bot
uses with the shapes Slack documents (``ts``, ``channel``, ``message``, ``view`` with id and
hash), enforces the Block Kit limits that make Slack reject a message, and can be told to
answer the next N calls of a method with 429 (``Retry-After``), 5xx, or a dropped connection.
Response URLs are served at ``/response_url/<id>``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TEAM_ID = "T0CITY0001"
TEAM_DOMAIN = "example-city"
BOT_USER_ID = "U0BOT00001"
BOT_ID = "B0BOT00001"
APP_ID = "A0APP00001"

Json = dict[str, Any]


@dataclass(frozen=True)
class RecordedCall:
    """One request the bot made: ``method`` is e.g. "chat.postMessage" or "response_url"."""

    method: str
    path: str
    params: Json
    headers: dict[str, str]
    body: bytes
    status: int
    at: float = field(default_factory=time.monotonic)

    def json_param(self, name: str) -> Any:
        """A parameter that may arrive JSON-encoded in a form body (e.g. ``blocks``)."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value

    @property
    def token(self) -> str | None:
        """The token the call was made with (Authorization header or ``token`` param)."""
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:]
        return self.params.get("token")


@dataclass
class _Failure:
    status: int | None  # None: drop the connection without answering
    retry_after: int | None
    body: Json


class MockSlackWebApi:
    """The mock server; use as a context manager or call start()/stop()."""

    def __init__(self, *, valid_tokens: set[str] | None = None) -> None:
        self.valid_tokens = valid_tokens
        self._calls: list[RecordedCall] = []
        self._cond = threading.Condition()
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._overrides: dict[str, deque[Json]] = defaultdict(deque)
        self._users: dict[str, Json] = {}
        self._views: dict[str, Json] = {}
        self._messages: dict[tuple[str, str], Json] = {}
        self._ids = itertools.count(1)
        self._ts_base = int(time.time())
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # apps.connections.open answers with a URL from this (a Socket Mode stand-in's).
        self.socket_mode_url: Callable[[], str] | None = None
        # OAuth installs: code -> what oauth.v2.access answers; bot token -> its workspace.
        self._codes: dict[str, Json] = {}
        self._workspaces: dict[str, Json] = {}

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> MockSlackWebApi:
        """Start serving on 127.0.0.1:<free port>."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> MockSlackWebApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Root URL, e.g. http://127.0.0.1:54321."""
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """Base URL for ``WebClient(base_url=...)`` / SLACK_API_URL."""
        return self.url + "/api/"

    def response_url(self, response_id: str = "R0001") -> str:
        """A response_url that this server answers (calls recorded as "response_url")."""
        return f"{self.url}/response_url/{response_id}"

    # ---------------------------------------------------------------- set-up
    def fail_next(
        self, method: str, *, status: int = 429, times: int = 1, retry_after: int | None = 1
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with ``status`` (429 gets Retry-After)."""
        error = "ratelimited" if status == 429 else "internal_error"
        for _ in range(times):
            self._failures[method].append(
                _Failure(
                    status, retry_after if status == 429 else None, {"ok": False, "error": error}
                )
            )

    def drop_next(self, method: str, *, times: int = 1) -> None:
        """Close the connection without answering the next ``times`` calls of ``method``."""
        for _ in range(times):
            self._failures[method].append(_Failure(None, None, {}))

    def respond_next(self, method: str, body: Json) -> None:
        """Answer the next call of ``method`` with ``body`` (e.g. an ``ok: false`` error)."""
        self._overrides[method].append(body)

    def add_workspace(
        self,
        team_id: str,
        *,
        token: str,
        code: str,
        name: str = "",
        enterprise_id: str | None = None,
        installer: str = "U0ADMIN001",
        client_id: str | None = None,
    ) -> None:
        """Let ``oauth.v2.access`` exchange ``code`` for ``token``, a bot token of ``team_id``.

        ``auth.test`` with that token then names this workspace. ``client_id`` (when given)
        must match the one the app presents, as Slack checks it against the code.
        """
        workspace = {"id": team_id, "name": name or team_id}
        self._workspaces[token] = {"team_id": team_id, "team": workspace["name"]}
        self._codes[code] = {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": installer},
            "scope": "commands,chat:write,im:write,users:read",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER_ID,
            "team": workspace,
            "enterprise": {"id": enterprise_id, "name": enterprise_id} if enterprise_id else None,
            "is_enterprise_install": False,
            "_client_id": client_id,
        }

    def add_user(self, user_id: str, **fields: Any) -> Json:
        """Register a user for users.info; ``fields`` override the generated profile."""
        user = _user(user_id) | fields
        self._users[user_id] = user
        return user

    # ---------------------------------------------------------------- assertions
    @property
    def calls(self) -> list[RecordedCall]:
        """Every recorded call, oldest first."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one method."""
        return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        """Forget recorded calls (state such as posted messages and views is kept)."""
        with self._cond:
            self._calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until ``method`` was called at least ``count`` times; return those calls."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self._calls]
                    raise AssertionError(
                        f"expected {count} call(s) to {method} within {timeout}s, "
                        f"got {len(found)}; all calls: {seen}"
                    )
                self._cond.wait(remaining)

    def assert_quiet(self, for_seconds: float = 0.3) -> None:
        """Assert that no call arrives during ``for_seconds`` (for background listeners)."""
        time.sleep(for_seconds)
        assert self.calls == [], f"unexpected Web API calls: {[c.method for c in self.calls]}"

    # ---------------------------------------------------------------- internals
    def _record(self, call: RecordedCall) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def _next_ts(self) -> str:
        return f"{self._ts_base}.{next(self._ids):06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):09d}"

    def _handle(
        self, method: str, params: Json, token: str | None
    ) -> tuple[int, Json, dict[str, str]]:
        failures = self._failures.get(method)
        if failures:
            failure = failures.popleft()
            if failure.status is None:
                raise _DropConnection
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            return failure.status, failure.body, headers
        if self._overrides.get(method):
            return 200, self._overrides[method].popleft(), {}
        if method == "response_url":
            return 200, {"ok": True}, {}
        if method == "oauth.v2.access":  # authenticated by client id and secret, not a token
            return 200, _oauth_v2_access(self, params), {}
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if self.valid_tokens is not None and token not in self.valid_tokens:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        handler = _METHODS.get(method)
        if handler is None:
            return 404, {"ok": False, "error": "unknown_method", "req_method": method}, {}
        if method == "auth.test":
            return 200, _auth_test(self, params, token), {}
        return 200, handler(self, params), {}


class _DropConnection(Exception):
    pass


# -------------------------------------------------------------------- Web API methods
def _user(user_id: str) -> Json:
    name = f"user-{user_id.lower()}"
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "deleted": False,
        "real_name": f"職員 {user_id}",
        "tz": "Asia/Tokyo",
        "tz_offset": 32400,
        "is_bot": False,
        "profile": {
            "real_name": f"職員 {user_id}",
            "display_name": name,
            "email": f"{name}@city.example.lg.jp",
        },
    }


def _dm_channel(user_id: str) -> str:
    return "D" + user_id[1:]


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _text_len(obj: Json | None) -> int:
    return len((obj or {}).get("text", "").encode("utf-16-le")) // 2


def _block_errors(blocks: list[Json], max_blocks: int) -> list[str]:
    """The subset of Slack's Block Kit validation that the bot could plausibly violate."""
    errors: list[str] = []
    if len(blocks) > max_blocks:
        errors.append(f"no more than {max_blocks} items allowed [json-pointer:/blocks]")
    for i, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{i}"
        kind = block.get("type")
        if kind == "section":
            if "text" in block and not 1 <= _text_len(block["text"]) <= 3000:
                errors.append(f"must be 1..3000 characters {where}/text/text]")
        elif kind == "header" and _text_len(block.get("text")) > 150:
            errors.append(f"must be less than 151 characters {where}/text/text]")
        elif kind == "actions" and len(block.get("elements", [])) > 25:
            errors.append(f"no more than 25 items allowed {where}/elements]")
        if kind == "actions":
            ids = [e.get("action_id") for e in block.get("elements", []) if e.get("action_id")]
            if len(ids) != len(set(ids)):
                errors.append(f"action_id must be unique within a block {where}/elements]")
        elements = list(block.get("elements", []))
        for key in ("accessory", "element"):
            if key in block:
                elements.append(block[key])
        for element in elements:
            errors.extend(_element_errors(element, where))
    return errors


def _element_errors(element: Json, where: str) -> list[str]:
    errors = []
    if len(element.get("action_id", "")) > 255:
        errors.append(f"must be less than 256 characters {where}/action_id]")
    if element.get("type") == "button":
        if len(element.get("value", "")) > 2000:
            errors.append(f"must be less than 2001 characters {where}/value]")
        if _text_len(element.get("text")) > 75:
            errors.append(f"must be less than 76 characters {where}/text/text]")
    if element.get("type") == "plain_text_input":
        max_length = element.get("max_length", 3000)
        if max_length > 3000:
            errors.append(f"must be at most 3000 {where}/max_length]")
        if len(element.get("initial_value", "")) > max_length:
            errors.append(f"initial_value longer than max_length {where}/initial_value]")
    for opt in element.get("options", []):
        if _text_len(opt.get("text")) > 75:
            errors.append(f"must be less than 76 characters {where}/options/text]")
    return errors


def _message_error(params: Json) -> Json | None:
    blocks = _loads(params.get("blocks")) or []
    if not params.get("text") and not blocks:
        return {"ok": False, "error": "no_text"}
    errors = _block_errors(blocks, 50)
    if errors:
        return {
            "ok": False,
            "error": "invalid_blocks",
            "errors": errors,
            "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
        }
    return None


def _view_error(view: Json | None) -> Json | None:
    if not view:
        return {"ok": False, "error": "invalid_arguments"}
    errors = _block_errors(view.get("blocks", []), 100)
    if view.get("type") == "modal":
        if not 1 <= _text_len(view.get("title")) <= 24:
            errors.append("must be less than 25 characters [json-pointer:/view/title/text]")
        for key in ("submit", "close"):
            if key in view and _text_len(view[key]) > 24:
                errors.append(f"must be less than 25 characters [json-pointer:/view/{key}/text]")
    if len(view.get("private_metadata", "")) > 3000:
        errors.append("must be less than 3001 characters [json-pointer:/view/private_metadata]")
    if errors:
        return {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
        }
    return None


def _message(api: MockSlackWebApi, params: Json, ts: str) -> Json:
    message = {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "team": TEAM_ID,
        "text": params.get("text", ""),
        "ts": ts,
    }
    if params.get("blocks"):
        message["blocks"] = _loads(params["blocks"])
    if params.get("thread_ts"):
        message["thread_ts"] = params["thread_ts"]
    return message


def _chat_post_message(api: MockSlackWebApi, params: Json) -> Json:
    channel = params.get("channel")
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    if (error := _message_error(params)) is not None:
        return error
    if channel[0] in "UW":  # posting to a user id lands in the DM with the app
        channel = _dm_channel(channel)
    ts = api._next_ts()
    message = _message(api, params, ts)
    api._messages[(channel, ts)] = message
    return {"ok": True, "channel": channel, "ts": ts, "message": message}


def _chat_post_ephemeral(api: MockSlackWebApi, params: Json) -> Json:
    if not params.get("channel"):
        return {"ok": False, "error": "channel_not_found"}
    if not params.get("user"):
        return {"ok": False, "error": "user_not_found"}
    if (error := _message_error(params)) is not None:
        return error
    return {"ok": True, "message_ts": api._next_ts()}


def _chat_get_permalink(api: MockSlackWebApi, params: Json) -> Json:
    # Slack's real method takes channel + message_ts and answers for existing messages only.
    channel, ts = params.get("channel", ""), params.get("message_ts", "")
    if (channel, ts) not in api._messages:
        return {"ok": False, "error": "message_not_found"}
    return {
        "ok": True,
        "channel": channel,
        "permalink": f"https://example.slack.com/archives/{channel}/p{ts.replace('.', '')}",
    }


def _chat_update(api: MockSlackWebApi, params: Json) -> Json:
    key = (params.get("channel", ""), params.get("ts", ""))
    if key not in api._messages:
        return {"ok": False, "error": "message_not_found"}
    if (error := _message_error(params)) is not None:
        return error
    message = _message(api, params, key[1]) | {
        "edited": {"user": BOT_USER_ID, "ts": api._next_ts()}
    }
    api._messages[key] = message
    return {
        "ok": True,
        "channel": key[0],
        "ts": key[1],
        "text": message["text"],
        "message": message,
    }


def _store_view(api: MockSlackWebApi, view: Json, *, view_id: str | None = None) -> Json:
    view_id = view_id or api._next_id("V")
    stored = {
        "id": view_id,
        "team_id": TEAM_ID,
        "type": view.get("type", "modal"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{next(api._ids):08x}",
        "title": view.get("title"),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "clear_on_close": False,
        "notify_on_close": False,
        "external_id": view.get("external_id", ""),
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": APP_ID,
        "app_installed_team_id": TEAM_ID,
        "bot_id": BOT_ID,
    }
    api._views[view_id] = stored
    return stored


def _views_open(api: MockSlackWebApi, params: Json) -> Json:
    trigger_id = params.get("trigger_id", "")
    if not trigger_id:
        return {"ok": False, "error": "invalid_arguments"}
    if trigger_id.startswith("expired"):
        return {"ok": False, "error": "expired_trigger_id"}
    view = _loads(params.get("view"))
    if (error := _view_error(view)) is not None:
        return error
    return {"ok": True, "view": _store_view(api, view)}


def _views_update(api: MockSlackWebApi, params: Json) -> Json:
    view_id = params.get("view_id")
    if not view_id and params.get("external_id"):
        view_id = next(
            (v["id"] for v in api._views.values() if v["external_id"] == params["external_id"]),
            None,
        )
    if not view_id or view_id not in api._views:
        return {"ok": False, "error": "not_found"}
    if params.get("hash") and params["hash"] != api._views[view_id]["hash"]:
        return {"ok": False, "error": "hash_conflict"}
    view = _loads(params.get("view"))
    if (error := _view_error(view)) is not None:
        return error
    return {"ok": True, "view": _store_view(api, view, view_id=view_id)}


def _views_publish(api: MockSlackWebApi, params: Json) -> Json:
    if not params.get("user_id"):
        return {"ok": False, "error": "invalid_arguments"}
    view = _loads(params.get("view"))
    if (error := _view_error(view)) is not None:
        return error
    if view.get("type") != "home":
        return {"ok": False, "error": "invalid_arguments"}
    return {"ok": True, "view": _store_view(api, view)}


def _conversations_open(api: MockSlackWebApi, params: Json) -> Json:
    users = [u for u in str(params.get("users", "")).split(",") if u]
    if not users and not params.get("channel"):
        return {"ok": False, "error": "users_list_not_supplied"}
    channel_id = params.get("channel") or (
        _dm_channel(users[0]) if len(users) == 1 else "G" + "".join(sorted(users))[:9]
    )
    return {"ok": True, "no_op": False, "already_open": False, "channel": {"id": channel_id}}


def _users_info(api: MockSlackWebApi, params: Json) -> Json:
    user_id = params.get("user")
    if not user_id:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": api._users.get(user_id) or _user(user_id)}


def _oauth_v2_access(api: MockSlackWebApi, params: Json) -> Json:
    answer = api._codes.pop(str(params.get("code", "")), None)  # a code works once
    if answer is None:
        return {"ok": False, "error": "invalid_code"}
    expected = answer.get("_client_id")
    if expected is not None and params.get("client_id") != expected:
        return {"ok": False, "error": "invalid_client_id"}
    return {k: v for k, v in answer.items() if not k.startswith("_")}


def _auth_test(api: MockSlackWebApi, params: Json, token: str | None = None) -> Json:
    workspace = api._workspaces.get(token or "", {"team_id": TEAM_ID, "team": "Example City"})
    return {
        "ok": True,
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": workspace["team"],
        "user": "guideline-bot",
        "team_id": workspace["team_id"],
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def _apps_connections_open(api: MockSlackWebApi, params: Json) -> Json:
    if api.socket_mode_url is None:
        return {"ok": False, "error": "not_allowed_token_type"}
    return {"ok": True, "url": api.socket_mode_url()}


_METHODS: dict[str, Callable[[MockSlackWebApi, Json], Json]] = {
    "apps.connections.open": _apps_connections_open,
    "chat.postMessage": _chat_post_message,
    "chat.postEphemeral": _chat_post_ephemeral,
    "chat.update": _chat_update,
    "chat.getPermalink": _chat_get_permalink,
    "views.open": _views_open,
    "views.push": _views_open,
    "views.update": _views_update,
    "views.publish": _views_publish,
    "conversations.open": _conversations_open,
    "users.info": _users_info,
    "auth.test": _auth_test,
}


# -------------------------------------------------------------------- HTTP plumbing
def _parse_params(query: str, content_type: str, body: bytes) -> Json:
    params: Json = dict(parse_qsl(query))
    if body:
        if content_type.startswith("application/json"):
            parsed = json.loads(body.decode("utf-8"))
            if isinstance(parsed, dict):
                params.update(parsed)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return params


def _make_handler(api: MockSlackWebApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if url.path.startswith("/api/"):
                method = url.path[len("/api/") :]
            elif url.path.startswith("/response_url/"):
                method = "response_url"
            else:
                method = url.path
            params = _parse_params(url.query, self.headers.get("Content-Type", ""), body)
            headers = {k.lower(): v for k, v in self.headers.items()}
            auth = headers.get("authorization", "")
            token = auth[7:] if auth.lower().startswith("bearer ") else params.get("token")
            if auth.lower().startswith("basic "):  # oauth.v2.access: client id and secret
                import base64

                client_id, _, _secret = base64.b64decode(auth[6:]).decode().partition(":")
                params.setdefault("client_id", client_id)
            try:
                status, payload, extra = api._handle(method, params, token)
            except _DropConnection:
                api._record(RecordedCall(method, url.path, params, headers, body, 0))
                self.close_connection = True
                self.connection.close()
                return
            api._record(RecordedCall(method, url.path, params, headers, body, status))
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler

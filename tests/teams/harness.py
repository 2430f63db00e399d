"""Test harness: a stand-in Bot Connector and the real bot served over HTTP.

Everything async runs on one background event loop (the SDK's HTTP client is bound to
it); tests stay synchronous and talk to the bot with a plain ``httpx.Client`` over a
real socket, as Bot Connector would.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import socket
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs

import httpx
import jwt
import uvicorn
from aiohttp import web
from microsoft_teams.apps import App

from handlers.teams.app import Runtime, create_app, runtime_of
from handlers.teams.core_adapter import TeamsCore
from handlers.teams.delivery import BoundLoop
from handlers.teams.notifier import RetryPolicy, TeamsNotifier
from handlers.teams.server import GuardedFastAPIAdapter
from handlers.teams.settings import TeamsSettings

T = TypeVar("T")
PAYLOADS = Path(__file__).parent / "payloads"
BOT_APP_ID = "00000000-0000-0000-0000-00000000b07"
TENANT = "tenant-city"
TOKEN_KEY = "test-only-signing-key-not-a-secret-0123456789"


class LoopThread:
    """An asyncio loop running in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 15) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    status: int = 200
    response_id: str | None = None
    at: float = field(default_factory=time.monotonic)  # when the stub received it


@dataclass
class StubConnector:
    """Records every call; answers like Bot Connector and Entra ID's token endpoint."""

    calls: list[Call] = field(default_factory=list)
    # (method, path fragment) -> queued (status, headers) answers, consumed first
    scripted: list[tuple[str, str, int, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""
    # (method, path fragment, gate): a matching call is recorded, then answered only once
    # the gate is set (a send still in progress at Bot Connector).
    held: list[tuple[str, str, asyncio.Event]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1700000000500))
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def script(self, method: str, fragment: str, *answers: tuple[int, dict[str, str]]) -> None:
        """Queue non-200 answers for the next matching calls."""
        for status, headers in answers:
            self.scripted.append((method, fragment, status, headers))

    def hold(self, method: str, fragment: str) -> asyncio.Event:
        """Hold the answers to matching calls until the returned event is set (on the
        stub's loop: ``loop.loop.call_soon_threadsafe(gate.set)``)."""
        gate = asyncio.Event()
        self.held.append((method, fragment, gate))
        return gate

    def of(self, method: str, fragment: str = "") -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    def activities(self) -> list[Call]:
        return [c for c in self.calls if "/activities" in c.path]

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if request.content_type == "application/x-www-form-urlencoded":
            body: Any = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        else:
            body = json.loads(raw) if raw else None
        call = Call(
            request.method,
            request.path,
            parse_qs(request.query_string),
            dict(request.headers),
            body,
        )
        self.calls.append(call)
        for method, fragment, gate in self.held:
            if method == request.method and fragment in request.path:
                await gate.wait()
        for i, (method, fragment, status, headers) in enumerate(self.scripted):
            if method == request.method and fragment in request.path:
                del self.scripted[i]
                call.status = status
                return web.json_response(
                    {"error": {"code": "scripted"}}, status=status, headers=headers
                )
        if request.path.endswith("/oauth2/v2.0/token"):
            return web.json_response(
                {"token_type": "Bearer", "expires_in": 3600, "access_token": mint_token()}
            )
        if request.method == "POST" and request.path.endswith("/v3/conversations"):
            return web.json_response({"id": "a:1personal-created", "activityId": None})
        if request.method == "PUT":
            call.response_id = request.path.rsplit("/", 1)[-1]
        else:
            call.response_id = str(next(self._ids))
        return web.json_response({"id": call.response_id})


def mint_token(audience: str = "https://api.botframework.com") -> str:
    """A JWT shaped like an Entra app token (the SDK decodes it without verifying)."""
    claims = {"aud": audience, "appid": BOT_APP_ID, "tid": TENANT, "exp": int(time.time()) + 3600}
    return jwt.encode(claims, TOKEN_KEY, algorithm="HS256")


class StubTokenProvider:
    """The SDK's ``token`` hook, fetching client-credential tokens from the stub."""

    def __init__(self, stub: StubConnector) -> None:
        self._stub = stub
        self.scopes: list[str] = []

    async def __call__(self, scope: str, tenant_id: str | None = None) -> str:
        self.scopes.append(scope)
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"{self._stub.base_url}/{tenant_id or 'botframework.com'}/oauth2/v2.0/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": BOT_APP_ID,
                    "client_secret": "dummy-not-a-secret",
                    "scope": scope,
                },
            )
            response.raise_for_status()
            return response.json()["access_token"]


class SleepRecorder:
    """Injected instead of ``asyncio.sleep``: records backoffs, waits nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class Bot:
    """The real Teams app from ``create_app``, served by uvicorn on a free local port."""

    def __init__(
        self,
        loop: LoopThread,
        stub: StubConnector,
        core: TeamsCore,
        *,
        allow_unauthenticated: bool = True,
        client_id: str | None = BOT_APP_ID,
    ) -> None:
        self.loop = loop
        self.stub = stub
        self.sleep = SleepRecorder()
        self.tokens = StubTokenProvider(stub)
        self.adapter = GuardedFastAPIAdapter()
        settings = TeamsSettings(
            CLIENT_ID=client_id,
            TENANT_ID=TENANT,
            SERVICE_URL=stub.base_url,
            DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS=allow_unauthenticated,
        )
        self.app: App = create_app(
            core=core,
            settings=settings,
            token_provider=self.tokens if client_id else None,
            http_server_adapter=self.adapter,
            retry_policy=RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05),
            sleep=self.sleep,
        )
        self.core = core
        self.runtime: Runtime = runtime_of(self.app)
        self.notifier: TeamsNotifier = self.runtime.notifier
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Future[Any] | None = None
        self.url = ""
        self.http = httpx.Client(timeout=15)

    def start(self) -> Bot:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/messages"
        config = uvicorn.Config(self.adapter.app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)

        async def boot() -> None:
            await self.app.initialize()
            self._task = asyncio.ensure_future(self._server.serve(sockets=[sock]))
            while not self._server.started:
                await asyncio.sleep(0.005)

        self.loop.run(boot())
        binding = self.notifier._run
        assert isinstance(binding, BoundLoop)
        binding.bind(self.loop.loop)  # deliveries started from the test thread
        return self

    def settle(self) -> None:
        """Wait for the background outbox delivery the last activity started."""
        self.loop.run(self.runtime.deliverer.idle())

    def deliver(self) -> Any:
        """Run one outbox delivery from the test thread (what the worker would do)."""
        self.settle()
        return self.core.deliver(self.notifier)

    def stop(self) -> None:
        self.http.close()
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            self.loop.run(asyncio.wait_for(self._task, 10))

    def post(self, activity: dict[str, Any] | bytes, **headers: str) -> httpx.Response:
        if isinstance(activity, bytes):
            return self.http.post(
                self.url, content=activity, headers={"content-type": "application/json", **headers}
            )
        return self.http.post(self.url, json=activity, headers=headers)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run(coro)

    def send(self, activity: dict[str, Any]) -> httpx.Response:
        """POST an activity and wait for the delivery it started."""
        response = self.post(activity)
        self.settle()
        return response


def payload(name: str, stub: StubConnector, **overrides: Any) -> dict[str, Any]:
    """A Bot Framework activity from ``payloads/``, aimed at the stub's service URL."""
    data = copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))
    data["serviceUrl"] = stub.base_url + "/"
    for key, value in overrides.items():
        data[key] = value
    return data


def person(handle: str) -> dict[str, str]:
    """The ``from`` account of a demo person (Teams ids derived from the handle)."""
    return {"id": f"29:1{handle}", "name": handle, "aadObjectId": f"aad-{handle}"}


def personal_chat(handle: str) -> str:
    return f"a:1personal-{handle}"


_ids = itertools.count(1)


def message(stub: StubConnector, handle: str, text: str, **overrides: Any) -> dict[str, Any]:
    """``handle`` writes ``text`` in their personal chat with the bot."""
    return payload(
        "message_personal",
        stub,
        id=f"m-{next(_ids)}",
        text=text,
        **{
            "from": person(handle),
            "conversation": {
                "conversationType": "personal",
                "tenantId": TENANT,
                "id": personal_chat(handle),
            },
        },
        **overrides,
    )


def install(stub: StubConnector, handle: str) -> dict[str, Any]:
    """``handle`` installs the bot (personal scope)."""
    return payload(
        "installation_update_add",
        stub,
        id=f"i-{next(_ids)}",
        **{
            "from": person(handle),
            "conversation": {
                "conversationType": "personal",
                "tenantId": TENANT,
                "id": personal_chat(handle),
            },
        },
    )


def click(
    stub: StubConnector,
    handle: str,
    action: dict[str, Any],
    *,
    reply_to: str,
    inputs: dict[str, str] | None = None,
    activity_id: str | None = None,
    conversation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``handle`` clicks an ``Action.Execute`` (as rendered) on message ``reply_to``."""
    data = dict(action["data"])
    prefix = data.get("_p", "")
    for name, value in (inputs or {}).items():
        data[prefix + name] = value
    activity = payload(
        "invoke_card_action",
        stub,
        id=activity_id or f"inv-{next(_ids)}",
        replyToId=reply_to,
        **{
            "from": person(handle),
            "conversation": conversation
            or {"conversationType": "personal", "tenantId": TENANT, "id": personal_chat(handle)},
        },
    )
    activity["value"]["action"] = {
        "type": "Action.Execute",
        "title": action.get("title", ""),
        "verb": action["verb"],
        "data": data,
    }
    return activity


def executes(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every ``Action.Execute`` of a card by title (inside show-cards and action sets too)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any, title: str | None = None) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found[title or node["title"]] = node
                found.setdefault(node["title"], node)
                return
            if node.get("type") == "Action.ShowCard":
                walk(node["card"], node["title"])
                return
            for value in node.values():
                walk(value, title)
        elif isinstance(node, list):
            for value in node:
                walk(value, title)

    walk(card)
    return found


def card_of(call: Call) -> dict[str, Any]:
    """The Adaptive Card attached to a recorded outgoing activity."""
    (attachment,) = call.body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def texts_of(card: dict[str, Any]) -> str:
    """All visible strings of a card, joined, for assertions."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "label", "value"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return "\n".join(out)


@dataclass
class Views:
    """What each person sees of one message the bot posted.

    Teams applies an invoke response card to the clicked card for the clicker only and a
    ``PUT`` of the message for everyone; whichever happened last wins. Clicks are recorded
    with the time their HTTP response came back, updates with the time the stub got the
    ``PUT``, and replayed in that order.
    """

    stub: StubConnector
    message_id: str
    posted: dict[str, Any]
    clicks: list[tuple[float, str, dict[str, Any]]] = field(default_factory=list)

    def click(self, bot: Bot, handle: str, activity: dict[str, Any]) -> dict[str, Any]:
        """POST a click by ``handle``; returns the invoke response body."""
        response = bot.post(activity)
        at = time.monotonic()
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        if body.get("type") == "application/vnd.microsoft.card.adaptive":
            self.clicks.append((at, handle, body["value"]))
        bot.settle()  # the outbox delivery the click started (its PUT, if any)
        return body

    def of(self, handle: str) -> dict[str, Any]:
        """The card ``handle`` sees now."""
        events: list[tuple[float, str | None, dict[str, Any]]] = [
            (c.at, None, card_of(c))
            for c in self.stub.of("PUT")
            if c.path.endswith(f"/activities/{self.message_id}") and c.status == 200
        ]
        events.extend(self.clicks)
        card = self.posted
        for _, who, shown in sorted(events, key=lambda e: e[0]):
            if who is None or who == handle:
                card = shown
        return card

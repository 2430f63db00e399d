"""A local stand-in for Slack's Socket Mode WebSocket server (aiohttp, in a thread).

It behaves as Slack documents Socket Mode: the app asks ``apps.connections.open`` (the Web
API stand-in answers with :attr:`SocketModeServer.url`) and opens a WebSocket there; the
server greets with ``hello``, pushes envelopes (``events_api``, ``slash_commands``,
``interactive``) and waits for the app to acknowledge each ``envelope_id``. An envelope
that was not acknowledged when a connection ended is delivered again on the next
connection with ``retry_attempt`` + 1, as Slack does. The server can drop a connection
abruptly (:meth:`drop`) or ask the app to reconnect (:meth:`refresh`, a ``disconnect``
message with ``refresh_requested``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web


@dataclass
class Envelope:
    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    retry_attempt: int = 0
    deliveries: int = 0
    acked: dict[str, Any] | None = None

    def message(self) -> str:
        return json.dumps(
            {
                "envelope_id": self.envelope_id,
                "type": self.type,
                "payload": self.payload,
                "accepts_response_payload": self.accepts_response_payload,
                "retry_attempt": self.retry_attempt,
                "retry_reason": "timeout" if self.retry_attempt else "",
            },
            ensure_ascii=False,
        )


@dataclass
class _State:
    envelopes: dict[str, Envelope] = field(default_factory=dict)
    connections: int = 0
    current: web.WebSocketResponse | None = None


class SocketModeServer:
    """Start with ``with SocketModeServer() as server:``; ``server.url`` for apps.connections.open."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._state = _State()
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---------------------------------------------------------------- lifecycle
    def __enter__(self) -> SocketModeServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/link", self._serve)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _stop(self) -> None:
        if self._state.current is not None:
            await self._state.current.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """A fresh connection URL (Slack issues a new one per apps.connections.open)."""
        return f"ws://127.0.0.1:{self.port}/link?ticket={next(self._ids)}"

    # ---------------------------------------------------------------- the server side
    async def _serve(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        with self._cond:
            previous = self._state.current
            self._state.current = ws
            self._state.connections += 1
            self._cond.notify_all()
        if previous is not None and not previous.closed:
            await previous.close()
        await ws.send_str(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {}})
        )
        # Slack re-delivers what was not acknowledged on an earlier connection.
        for envelope in self._pending():
            envelope.retry_attempt += 1
            await self._push(ws, envelope)
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self._on_ack(json.loads(msg.data))
            elif msg.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                break
        with self._cond:
            if self._state.current is ws:
                self._state.current = None
            self._cond.notify_all()
        return ws

    def _pending(self) -> list[Envelope]:
        with self._cond:
            return [e for e in self._state.envelopes.values() if e.acked is None]

    async def _push(self, ws: web.WebSocketResponse, envelope: Envelope) -> None:
        with self._cond:
            envelope.deliveries += 1
        await ws.send_str(envelope.message())

    def _on_ack(self, message: dict[str, Any]) -> None:
        with self._cond:
            envelope = self._state.envelopes.get(message.get("envelope_id", ""))
            if envelope is not None and envelope.acked is None:
                envelope.acked = message.get("payload") or {}
            self._cond.notify_all()

    # ---------------------------------------------------------------- test controls
    def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        then_drop: bool = False,
        then_close: bool = False,
    ) -> Envelope:
        """Push an envelope on the current connection; right after, ``then_drop`` cuts the
        connection (no close handshake: the app notices by its pings, in seconds) and
        ``then_close`` closes it (a close frame: the app reconnects at once)."""
        envelope = Envelope(
            envelope_id=f"env-{next(self._ids):06d}",
            type=kind,
            payload=payload,
            accepts_response_payload=kind != "events_api",
        )
        with self._cond:
            self._state.envelopes[envelope.envelope_id] = envelope
            ws = self._state.current
        assert ws is not None, "no app connected"

        async def push() -> None:
            await self._push(ws, envelope)
            if then_drop:  # abruptly: no close handshake, acknowledgements in flight are lost
                assert ws._req is not None and ws._req.transport is not None
                ws._req.transport.abort()
            elif then_close:
                await ws.close()

        asyncio.run_coroutine_threadsafe(push(), self._loop).result(5)
        return envelope

    def drop(self) -> None:
        """Cut the current connection without a close handshake."""
        with self._cond:
            ws = self._state.current
        if ws is not None:

            async def abort() -> None:
                assert ws._req is not None and ws._req.transport is not None
                ws._req.transport.abort()

            asyncio.run_coroutine_threadsafe(abort(), self._loop).result(5)

    def refresh(self) -> None:
        """Ask the app to reconnect, as Slack does before it retires a connection."""
        with self._cond:
            ws = self._state.current
        assert ws is not None
        message = json.dumps({"type": "disconnect", "reason": "refresh_requested"})
        asyncio.run_coroutine_threadsafe(ws.send_str(message), self._loop).result(5)

    def wait_connections(self, count: int, timeout: float = 15.0) -> None:
        """Block until the app has opened ``count`` connections and one is current."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._state.connections < count or self._state.current is None:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{self._state.connections} connection(s), wanted {count}"
                self._cond.wait(remaining)

    def wait_acked(self, envelope: Envelope, timeout: float = 15.0) -> dict[str, Any]:
        """Block until ``envelope`` is acknowledged; returns the ack's payload."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while envelope.acked is None:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{envelope.envelope_id} ({envelope.type}) not acknowledged"
                self._cond.wait(remaining)
            return envelope.acked

    @property
    def connections(self) -> int:
        with self._cond:
            return self._state.connections

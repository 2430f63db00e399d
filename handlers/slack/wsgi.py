"""HTTP mode: the only web-framework code of the Slack adapter (a plain WSGI app)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack payloads are a few KiB; refuse huge bodies before reading them into memory.
MAX_BODY_BYTES = 1024 * 1024

StartResponse = Callable[..., Any]


def _plain(start_response: StartResponse, status: str, body: dict[str, str]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    start_response(status, headers)
    return [data]


def create_wsgi_app(app: App) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """WSGI app serving POST /slack/events (to Bolt) and GET /healthz."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def wsgi_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _plain(start_response, "200 OK", {"status": "ok"})
        if path == EVENTS_PATH and method == "POST":
            length = environ.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                return _plain(start_response, "413 Payload Too Large", {"error": "too large"})
            return slack(environ, start_response)
        return _plain(start_response, "404 Not Found", {"error": "not found"})

    return wsgi_app


def serve(app: App, *, host: str, port: int, threads: int = 8) -> None:
    """Serve the app with waitress (a production WSGI server) until interrupted."""
    from waitress import serve as waitress_serve

    waitress_serve(create_wsgi_app(app), host=host, port=port, threads=threads, ident=None)

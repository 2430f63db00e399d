"""HTTP mode: the only web-framework code of the Slack adapter (a plain WSGI app).

With many workspaces (OAuth) it also serves ``GET /slack/install`` and
``GET /slack/oauth_redirect`` through Bolt's OAuth flow (``handlers.slack.oauth``).

Every ``POST /slack/events`` is checked here, on the raw bytes, before Bolt parses anything
(``handlers.slack.inbound``): a request whose signature, timestamp or body does not verify
is answered 401 and nothing else happens (no listener, no error handler, no database, no
network); a verified body that is not a well-formed payload is answered without running
any listener, with one log line carrying an error id and, where the body names the user,
a Japanese notice to them. Only then does Bolt see the request.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.context.respond import Respond

from handlers.slack import inbound
from handlers.slack.errors import (
    MALFORMED_MESSAGE,
    error_view,
    log_where,
    new_error_id,
    notify_user,
)
from handlers.slack.trust import response_url_origins

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
OAUTH_PATHS = frozenset({"/slack/install", "/slack/oauth_redirect"})
# Slack payloads are a few KiB; refuse huge bodies before reading them into memory.
MAX_BODY_BYTES = 1024 * 1024

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

logger = logging.getLogger("handlers.slack.http")


def _plain(start_response: StartResponse, status: str, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    start_response(status, headers)
    return [data]


def _empty(start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Length", "0")])
    return [b""]


def create_wsgi_app(
    app: App,
    *,
    signing_secret: str,
    previous_signing_secret: str | None = None,
    clock: Callable[[], float] = time.time,
) -> WsgiApp:
    """WSGI app serving POST /slack/events (verified, then to Bolt) and GET /healthz.

    ``previous_signing_secret`` is the rotation overlap: a request signed with it verifies
    too, and is logged as such (so the operator sees when the old secret stops arriving).
    """
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    secrets = (signing_secret,) + ((previous_signing_secret,) if previous_signing_secret else ())

    def events(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return _plain(start_response, "413 Payload Too Large", {"error": "too large"})
        stream = environ.get("wsgi.input")
        body = stream.read(int(length)) if stream is not None and int(length) else b""
        reason, which = inbound.verify_any(
            body,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
            secrets=secrets,
            now=clock,
        )
        if reason is not None:
            logger.info("refused unverified request reason=%s bytes=%d", reason, len(body))
            return _plain(start_response, "401 Unauthorized", {"error": "invalid request"})
        if which > 0:
            logger.info("request verified with SLACK_SIGNING_SECRET_PREVIOUS bytes=%d", len(body))
        try:
            payload = inbound.parse(body, environ.get("CONTENT_TYPE"))
        except inbound.Malformed as malformed:
            return _malformed(app, malformed, start_response)
        # Bolt reads the body again from the stream; give it the bytes that were verified.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            return slack(environ, start_response)
        except Exception as error:  # Bolt failed outside any listener: nothing was done
            error_id = new_error_id()
            logger.error(
                "slack request failed before dispatch error_id=%s payload=%s type=%s at=%s",
                error_id,
                payload.kind,
                type(error).__qualname__,
                log_where(error),
            )
            return _plain(start_response, "400 Bad Request", {"error": error_id})

    def wsgi_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _plain(start_response, "200 OK", {"status": "ok"})
        if path == EVENTS_PATH and method == "POST":
            return events(environ, start_response)
        if app.oauth_flow is not None and method == "GET" and path in OAUTH_PATHS:
            # The browser's install and Slack's redirect back (handlers.slack.oauth).
            return slack(environ, start_response)
        return _plain(start_response, "404 Not Found", {"error": "not found"})

    return wsgi_app


def _malformed(
    app: App, malformed: inbound.Malformed, start_response: StartResponse
) -> Iterable[bytes]:
    """A verified body this app cannot act on: log an id, tell the user where one is named."""
    error_id = new_error_id()
    body = malformed.body
    user = inbound.user_of(body)
    kind = body.get("type") if isinstance(body.get("type"), str) else None
    if "command" in body and kind is None:
        kind = "command"
    logger.warning(
        "malformed slack request error_id=%s reason=%s payload=%s user=%s",
        error_id,
        malformed.reason,
        kind if kind in inbound.KINDS else "-",
        user or "-",
    )
    text = MALFORMED_MESSAGE.format(error_id=error_id)
    if not body:  # not even a JSON object or a form: nothing to answer to
        return _plain(start_response, "400 Bad Request", {"error": error_id})
    if user is None or kind == "event_callback":
        return _empty(start_response)
    if kind == "command":
        return _plain(start_response, "200 OK", {"response_type": "ephemeral", "text": text})
    if kind == "view_submission":
        answer = {"response_action": "push", "view": error_view(error_id, text=text)}
        return _plain(start_response, "200 OK", answer)
    url = body.get("response_url")
    respond = None
    if inbound.allowed_response_url(url, response_url_origins(app)):
        respond = Respond(response_url=url)
    notify_user(error_id=error_id, body=body, respond=respond, client=app.client, text=text)
    return _empty(start_response)


def serve(
    app: App,
    *,
    signing_secret: str,
    previous_signing_secret: str | None = None,
    host: str,
    port: int,
    threads: int = 8,
) -> None:
    """Serve the app with waitress (a production WSGI server) until interrupted."""
    from waitress import serve as waitress_serve

    waitress_serve(
        create_wsgi_app(
            app, signing_secret=signing_secret, previous_signing_secret=previous_signing_secret
        ),
        host=host,
        port=port,
        threads=threads,
        ident=None,
    )

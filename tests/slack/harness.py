"""Serve the real Bolt app over HTTP and play Slack against it with signed requests."""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App

from handlers.slack.wsgi import create_wsgi_app
from tests.slack import signing
from tests.slack.mock_web_api_server import MockSlackWebApi


@dataclass
class HttpResponse:
    """What the bot answered; ``sent_*`` keep the request so that it can be replayed."""

    status: int
    headers: dict[str, str]
    body: bytes
    sent_body: str = ""
    sent_content_type: str = ""
    sent_headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def http_request(
    method: str, url: str, body: str | bytes = b"", headers: dict[str, str] | None = None
) -> HttpResponse:
    """One HTTP request with the standard library (no client-side retries or redirects)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        data = body.encode("utf-8") if isinstance(body, str) else body
        conn.request(method, parts.path or "/", body=data or None, headers=headers or {})
        resp = conn.getresponse()
        return HttpResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class BoltHttpServer:
    """The production WSGI app (handlers.slack.wsgi) around ``app``, on 127.0.0.1:<free>."""

    def __init__(
        self, app: App, *, signing_secret: str, previous_signing_secret: str | None = None
    ) -> None:
        self._server = make_server(
            "127.0.0.1",
            0,
            create_wsgi_app(
                app, signing_secret=signing_secret, previous_signing_secret=previous_signing_secret
            ),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> BoltHttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"


class SlackSimulator:
    """Plays Slack: sends signed requests in Slack's formats to the bot under test.

    Response URLs point at the mock Web API, so ``respond()`` calls are recorded there as
    method "response_url".
    """

    def __init__(self, *, server_url: str, signing_secret: str, slack_api: MockSlackWebApi):
        self.server_url = server_url
        self.signer = signing.Signer(signing_secret)
        self.slack_api = slack_api

    # -------------------------------------------------------------- raw
    def post(
        self,
        body: str,
        content_type: str,
        *,
        path: str = "/slack/events",
        retry_num: int | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> HttpResponse:
        """POST a signed body (``signature`` replaces the correct one, to forge)."""
        headers = self.signer.headers(body, content_type, timestamp=timestamp, retry_num=retry_num)
        if signature is not None:
            headers["X-Slack-Signature"] = signature
        resp = http_request("POST", self.server_url + path, body, headers)
        resp.sent_body, resp.sent_content_type, resp.sent_headers = body, content_type, headers
        return resp

    def replay(self, previous: HttpResponse, *, retry_num: int = 1) -> HttpResponse:
        """Re-deliver a previous request as Slack's retry does (same body, fresh signature)."""
        return self.post(previous.sent_body, previous.sent_content_type, retry_num=retry_num)

    def get(self, path: str) -> HttpResponse:
        """An unsigned GET (health checks)."""
        return http_request("GET", self.server_url + path)

    # -------------------------------------------------------------- payload types
    def command(self, command: str, text: str = "", **fields: Any) -> HttpResponse:
        """A slash command; ``fields`` override user_id, channel_id, trigger_id…"""
        fields.setdefault("response_url", self.slack_api.response_url(signing.unique("cmd")))
        return self.post(signing.slash_command_body(command, text, **fields), signing.FORM)

    def action(self, action_id: str, value: str | None = None, **overrides: Any) -> HttpResponse:
        """A button click (block_actions); ``overrides`` deep-merge into the payload."""
        overrides.setdefault("response_url", self.slack_api.response_url(signing.unique("act")))
        payload = signing.block_actions_payload(action_id, value, **overrides)
        return self.interaction(payload)

    def view_submission(
        self, callback_id: str, values: dict[str, Any] | None = None, **view_overrides: Any
    ) -> HttpResponse:
        """A modal submission; ``values`` is view.state.values."""
        payload = signing.view_submission_payload(callback_id, values, **view_overrides)
        return self.interaction(payload)

    def interaction(self, payload: dict[str, Any]) -> HttpResponse:
        """Any interaction payload, sent as ``payload=<json>``."""
        return self.post(signing.interaction_body(payload), signing.FORM)

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> HttpResponse:
        """An Events API delivery of ``event`` (a unique event_id unless given)."""
        envelope = signing.event_envelope(event, event_id=event_id)
        return self.post(signing.event_body(envelope), signing.JSON, retry_num=retry_num)

    def url_verification(self, challenge: str) -> HttpResponse:
        """The handshake Slack sends when the Request URL is saved."""
        payload = signing.load_fixture("url_verification") | {"challenge": challenge}
        return self.post(signing.event_body(payload), signing.JSON)


def drain(app: App, timeout: float = 5.0) -> None:
    """Wait, at most ``timeout`` seconds, until every listener the app started has finished.

    Bolt runs listeners (and lazy listeners) on one executor; shutting it down with
    ``wait=True`` returns once all submitted work is done. The app runs nothing afterwards,
    so call this only when the test is about to count what happened.
    """
    executor = app.listener_runner.listener_executor
    waiter = threading.Thread(target=executor.shutdown, kwargs={"wait": True}, daemon=True)
    waiter.start()
    waiter.join(timeout)
    assert not waiter.is_alive(), f"listeners still running after {timeout}s"

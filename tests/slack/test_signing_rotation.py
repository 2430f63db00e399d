"""Signing-secret rotation: during the overlap, the current and the previous secret verify.

Over HTTP against the real entry point (``python -m handlers.slack`` under waitress) and
against the app in-process, so that both layers are exercised: the WSGI check on the raw
bytes and Bolt's own verification (``trust.SigningSecretsVerification``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt.request import BoltRequest

from handlers.slack.app import create_app
from handlers.slack.settings import SlackSettings
from tests.slack.harness import BoltHttpServer, http_request
from tests.slack.mock_web_api_server import MockSlackWebApi
from tests.slack.signing import JSON, Signer, event_body, load_fixture

ROOT = Path(__file__).resolve().parents[2]
NEW = "new-signing-secret-after-rotation-0001"
OLD = "old-signing-secret-before-rotation-002"
NEITHER = "a-secret-nobody-configured-000000003"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _challenge(base: str, secret: str, challenge: str) -> tuple[int, bytes]:
    body = event_body(load_fixture("url_verification") | {"challenge": challenge})
    resp = http_request("POST", base + "/slack/events", body, Signer(secret).headers(body, JSON))
    return resp.status, resp.body


@pytest.fixture
def process(slack_api: MockSlackWebApi, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The real HTTP-mode process with SLACK_SIGNING_SECRET=NEW and ..._PREVIOUS=OLD."""
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "SLACK_BOT_TOKEN": "xoxb-rotation-test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rotation.sqlite3'}",
        "SLACK_SIGNING_SECRET": NEW,
        "SLACK_SIGNING_SECRET_PREVIOUS": OLD,
        "SLACK_API_URL": slack_api.api_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    log = tmp_path / "process.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "handlers.slack"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http_request("GET", base + "/healthz")
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        yield base, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_during_the_overlap_old_and_new_secret_verify_and_neither_is_refused(
    process: tuple[str, Path], slack_api: MockSlackWebApi
) -> None:
    base, log = process
    slack_api.clear()
    assert _challenge(base, NEW, "signed-new") == (200, b'{"challenge": "signed-new"}')
    assert _challenge(base, OLD, "signed-old") == (200, b'{"challenge": "signed-old"}')
    status, body = _challenge(base, NEITHER, "signed-neither")
    assert status == 401 and b"signed-neither" not in body
    assert slack_api.calls == []  # nothing went out for any of them
    output = log.read_text()
    assert output.count("request verified with SLACK_SIGNING_SECRET_PREVIOUS") == 1
    assert "refused unverified request reason=bad-signature" in output
    assert NEW not in output and OLD not in output


def _bolt_request(secret: str) -> BoltRequest:
    body = event_body(load_fixture("url_verification") | {"challenge": "bolt"})
    headers = Signer(secret).headers(body, JSON)
    return BoltRequest(body=body, headers={k.lower(): [v] for k, v in headers.items()})


@pytest.mark.parametrize(
    ("previous", "secret", "status"),
    [
        (OLD, NEW, 200),
        (OLD, OLD, 200),
        (OLD, NEITHER, 401),
        (None, NEW, 200),
        (None, OLD, 401),  # the overlap is over: the old secret no longer verifies
    ],
)
def test_bolts_own_verification_knows_the_overlap(
    slack_api: MockSlackWebApi, previous: str | None, secret: str, status: int
) -> None:
    """The second line (Bolt, behind the WSGI check) accepts exactly the same secrets."""
    settings = SlackSettings(
        slack_bot_token="xoxb-1",
        slack_signing_secret=NEW,
        slack_signing_secret_previous=previous,
        slack_api_url=slack_api.api_url,
    )
    app = create_app(settings=settings, listeners=False)
    assert app.dispatch(_bolt_request(secret)).status == status


@pytest.mark.parametrize(("previous", "accepted"), [(OLD, {NEW, OLD}), (None, {NEW})])
def test_wsgi_layer_without_bolt_check_in_the_way(
    slack_api: MockSlackWebApi, previous: str | None, accepted: set[str]
) -> None:
    """The WSGI check alone: Bolt's check is given every secret, so only the WSGI one decides."""
    settings = SlackSettings(
        slack_bot_token="xoxb-1",
        slack_signing_secret=NEW,
        slack_signing_secret_previous=OLD,
        slack_api_url=slack_api.api_url,
    )
    app = create_app(settings=settings, listeners=False)
    server = BoltHttpServer(app, signing_secret=NEW, previous_signing_secret=previous).start()
    try:
        got = {s for s in (NEW, OLD, NEITHER) if _challenge(server.url, s, "x")[0] == 200}
    finally:
        server.stop()
    assert got == accepted

"""`python -m handlers.slack` chooses the mode from the environment."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import handlers.slack.__main__ as entry
from handlers.slack.settings import SlackSettings
from tests.slack.mock_web_api_server import MockSlackWebApi

ROOT = Path(__file__).resolve().parents[2]


def test_refuses_without_a_mode(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert entry.run(SlackSettings(slack_bot_token="xoxb-1")) == entry.EXIT_CONFIG
    assert "refusing to start" in caplog.text
    assert "SLACK_APP_TOKEN" in caplog.text and "SLACK_SIGNING_SECRET" in caplog.text


def test_invalid_environment_names_the_variable_not_the_value(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-leaked-user-token")
    assert entry.load_settings() is None
    assert "SLACK_BOT_TOKEN" in caplog.text
    assert "leaked" not in caplog.text


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """DATABASE_URL for the core the entry point builds (migrated on start)."""
    from bot.config import get_settings

    url = f"sqlite:///{tmp_path / 'slack.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_socket_mode_when_app_token_set(
    monkeypatch: pytest.MonkeyPatch, slack_api: MockSlackWebApi, database: str
) -> None:
    started: list[str] = []

    class FakeSocketModeHandler:
        def __init__(self, app: object, app_token: str) -> None:
            self.app_token = app_token

        def start(self) -> None:
            started.append(self.app_token)

    monkeypatch.setattr(entry, "SocketModeHandler", FakeSocketModeHandler)
    monkeypatch.setattr(entry, "serve", lambda *a, **k: pytest.fail("HTTP mode started"))
    settings = SlackSettings(
        slack_bot_token="xoxb-1", slack_app_token="xapp-1-A", slack_api_url=slack_api.api_url
    )
    assert entry.run(settings) == 0
    assert started == ["xapp-1-A"]


def test_http_mode_when_signing_secret_set(
    monkeypatch: pytest.MonkeyPatch, slack_api: MockSlackWebApi, database: str
) -> None:
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(
        entry, "serve", lambda app, signing_secret, host, port, **_: served.append((host, port))
    )
    settings = SlackSettings(
        slack_bot_token="xoxb-1",
        slack_signing_secret="s",
        slack_api_url=slack_api.api_url,
        port=3456,
    )
    assert entry.run(settings) == 0
    assert served == [("0.0.0.0", 3456)]


def test_module_entry_point_exits_2_without_configuration() -> None:
    env = {"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": "xoxb-1"}
    proc = subprocess.run(
        [sys.executable, "-m", "handlers.slack"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "refusing to start" in proc.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_http_mode_process_serves_healthz_and_verified_events(
    slack_api: MockSlackWebApi, signing_secret: str, tmp_path: Path
) -> None:
    """The real entry point under waitress: /healthz, a signed url_verification, a forged one."""
    import time

    from tests.slack.harness import http_request
    from tests.slack.signing import JSON, Signer, event_body, load_fixture

    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "SLACK_BOT_TOKEN": "xoxb-process-test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'process.sqlite3'}",
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_API_URL": slack_api.api_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "handlers.slack"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                health = http_request("GET", base + "/healthz")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert health.status == 200 and health.json() == {"status": "ok"}

        body = event_body(load_fixture("url_verification"))
        headers = Signer(signing_secret).headers(body, JSON)
        ok = http_request("POST", base + "/slack/events", body, headers)
        assert ok.status == 200 and ok.json()["challenge"]
        forged = http_request(
            "POST", base + "/slack/events", body, Signer("wrong").headers(body, JSON)
        )
        assert forged.status == 401
        assert [c.method for c in slack_api.calls] == ["auth.test"]
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
    assert "starting in HTTP mode" in output
    assert "xoxb-process-test" not in output and signing_secret not in output

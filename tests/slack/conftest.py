"""Fixtures of the Slack harness. See docs/slack.md, "Testing", for how to use them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from handlers.slack.app import create_app
from handlers.slack.client import build_client
from handlers.slack.dedupe import InMemoryDeduper
from handlers.slack.settings import SlackSettings
from tests.slack.harness import BoltHttpServer, SlackSimulator
from tests.slack.mock_web_api_server import MockSlackWebApi

BOT_TOKEN = "xoxb-0000000000-0000000000000-testtokentesttokentest"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real Slack variables must never reach a test.
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "PORT",
        "HOST",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _unhurried_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    # A draft submission answers Slack with a "checking" notice when the check outlasts
    # ACK_BUDGET_SECONDS. On a loaded CI machine that could happen to any test's draft, so
    # tests wait as long as they need; tests/slack/flows/test_slow_check.py makes the slow
    # path happen on purpose (and deterministically, with a gate).
    from handlers.slack.listeners.views import draft_submit

    monkeypatch.setattr(draft_submit, "ACK_BUDGET_SECONDS", 60.0)


@pytest.fixture
def signing_secret() -> str:
    return SIGNING_SECRET


@pytest.fixture
def slack_api() -> Iterator[MockSlackWebApi]:
    """The mock Web API server (records calls; can inject 429/5xx/dropped connections)."""
    with MockSlackWebApi() as api:
        yield api


@pytest.fixture
def slack_settings(slack_api: MockSlackWebApi, signing_secret: str) -> SlackSettings:
    """HTTP-mode settings pointing the Web API client at the mock server."""
    return SlackSettings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.api_url,
    )


@pytest.fixture
def retry_sleeps() -> list[float]:
    """Every back-off the Web API client asked for, in seconds (nothing really sleeps)."""
    return []


@pytest.fixture
def slack_client(slack_settings: SlackSettings, retry_sleeps: list[float]) -> WebClient:
    """The production WebClient (same retry policy) with sleeps recorded instead of slept."""
    return build_client(slack_settings, sleep=retry_sleeps.append, timeout=5)


@pytest.fixture
def deduper() -> InMemoryDeduper:
    return InMemoryDeduper()


@pytest.fixture
def make_app(
    slack_settings: SlackSettings,
    slack_client: WebClient,
    deduper: InMemoryDeduper,
    slack_api: MockSlackWebApi,
) -> Callable[..., App]:
    """Factory for the real Bolt app; keyword arguments go to create_app (core=…, listeners=…)."""

    def factory(**kwargs: Any) -> App:
        kwargs.setdefault("settings", slack_settings)
        kwargs.setdefault("client", slack_client)
        kwargs.setdefault("deduper", deduper)
        # response_urls in tests point at the stand-in: the only origin besides Slack's.
        kwargs.setdefault("response_url_origins", {slack_api.url})
        app = create_app(**kwargs)
        slack_api.clear()  # forget the auth.test made while building the app
        return app

    return factory


@pytest.fixture
def bolt_app(make_app: Callable[..., App]) -> App:
    """The real Bolt app with all listeners; tests may register extra test-only listeners."""
    return make_app()


@pytest.fixture
def bolt_server(bolt_app: App, signing_secret: str) -> Iterator[BoltHttpServer]:
    """``bolt_app`` behind the production WSGI adapter, served on 127.0.0.1:<free port>."""
    server = BoltHttpServer(bolt_app, signing_secret=signing_secret).start()
    yield server
    server.stop()


@pytest.fixture
def slack(
    bolt_server: BoltHttpServer, signing_secret: str, slack_api: MockSlackWebApi
) -> SlackSimulator:
    """Plays Slack against ``bolt_server``: .command(), .action(), .view_submission(), .event()."""
    return SlackSimulator(
        server_url=bolt_server.url, signing_secret=signing_secret, slack_api=slack_api
    )

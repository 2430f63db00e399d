"""Fixtures: no network beyond localhost, no Teams credentials from the developer's env."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from handlers.teams.fake_core import FakeCore

from .harness import Bot, LoopThread, StubConnector

_LOCAL = {"127.0.0.1", "localhost", "::1"}
_SDK_ENV = (
    "CLIENT_ID",
    "CLIENT_SECRET",
    "TENANT_ID",
    "SERVICE_URL",
    "MANAGED_IDENTITY_CLIENT_ID",
    "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS",
    "CLOUD",
    "TEAMS_APP_ID",
    "TEAMS_VALID_DOMAINS",
    "BOT_DOMAIN",
)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to resolve or reach a host other than this machine."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in _LOCAL and host is not None:
            raise OSError(f"test tried to reach {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):  # type: ignore[no-untyped-def]
        if isinstance(address, tuple) and address[0] not in _LOCAL:
            raise OSError(f"test tried to connect to {address[0]!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    for name in _SDK_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.close()


@pytest.fixture
def stub(loop: LoopThread) -> Iterator[StubConnector]:
    connector = StubConnector()
    loop.run(connector.start())
    yield connector
    loop.run(connector.stop())


@pytest.fixture
def core() -> FakeCore:
    return FakeCore()


@pytest.fixture
def bot(loop: LoopThread, stub: StubConnector, core: FakeCore) -> Iterator[Bot]:
    running = Bot(loop, stub, core).start()
    yield running
    running.stop()


def pytest_configure(config: pytest.Config) -> None:
    # The SDK warns about its own internals (deprecated bot client, preview features).
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:microsoft_teams")
    config.addinivalue_line("filterwarnings", "ignore::FutureWarning:microsoft_teams")

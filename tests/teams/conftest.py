"""Fixtures: no network beyond localhost, no Teams credentials from the developer's env."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FakeClock
from bot.db import transaction
from bot.directory.models import Channel, Person
from handlers.teams.core_adapter import TeamsCore
from handlers.teams.demo import load_demo_directory

from .harness import Bot, LoopThread, StubConnector

INFO_POLICY_CHANNEL = "19:johoseisaku-general@thread.tacv2"
# Demo people given Teams ids (aad-<handle>); ``takahashi`` (広報課長) has none.
ON_TEAMS = ("yamada", "kato", "sato", "suzuki", "ito", "watanabe")

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
    "TEAMS_APPS_FILE",
    "TEAMS_APP_VERSION",
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
def city(committed_factory: sessionmaker[Session], clock: FakeClock) -> sessionmaker[Session]:
    """The demo directory, committed, with Teams ids and 情報政策課's Teams channel."""
    load_demo_directory(committed_factory, clock=clock)
    with transaction(committed_factory) as session:
        for person in session.scalars(sa.select(Person).where(Person.handle.in_(ON_TEAMS))):
            person.teams_user_id = f"aad-{person.handle}"
        channel = session.scalar(sa.select(Channel).where(Channel.key == "info_policy"))
        assert channel is not None
        channel.teams_channel_id = INFO_POLICY_CHANNEL
    return committed_factory


@pytest.fixture
def core(city: sessionmaker[Session], clock: FakeClock) -> TeamsCore:
    return TeamsCore(city, clock=clock)


@pytest.fixture
def bot(loop: LoopThread, stub: StubConnector, core: TeamsCore) -> Iterator[Bot]:
    running = Bot(loop, stub, core).start()
    yield running
    running.stop()


def pytest_configure(config: pytest.Config) -> None:
    # The SDK warns about its own internals (deprecated bot client, preview features).
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:microsoft_teams")
    config.addinivalue_line("filterwarnings", "ignore::FutureWarning:microsoft_teams")

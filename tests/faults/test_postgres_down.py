"""PostgreSQL goes away and comes back while the Slack web process and the worker run
(issue 17, item 5).

Real processes, as the Procfile starts them: ``python -m handlers.slack`` in HTTP mode and
``python -m bot worker``, on a scratch PostgreSQL database of their own that they reach
through a TCP proxy the test cuts and restores (the shared server is never touched). Slack
is a local stand-in for the Web API and response_urls; every request is correctly signed.

While the database is cut, users get the Japanese 「ただいま…処理できません…しばらくしてから
もう一度お試しください」 (the ack comes at once, the notice through the response_url or in the
answer to the form), nothing is half-written, and the worker keeps ticking. After the
link is restored, without restarting either process, the same requests succeed, and every
message queued in the outbox — including the one whose delivery was in flight when the
database went away — reaches Slack exactly once, in the order queued per conversation.
Both processes' logs have one line per failure, with an error id, no traceback, no draft
text and no secret.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import SystemClock
from bot.db import make_engine, make_sessionmaker, transaction, upgrade
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Channel, Person
from bot.drafts.models import Draft
from bot.notify.models import OutboxMessage
from tests.faults.proxy import TcpProxy
from tests.slack import signing
from tests.slack.flows.conftest import INFO_POLICY_CHANNEL, SLACK_IDS, buttons, draft_values
from tests.slack.harness import HttpResponse, SlackSimulator, http_request
from tests.slack.mock_web_api_server import MockSlackWebApi, RecordedCall

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BOT_TOKEN = "xoxb-0000000000-0000000000000-faultpgdownfaultpgdown"
SIGNING_SECRET = "fault-test-signing-secret-0123456789"
AUTHOR, HEAD, DEPUTY = SLACK_IDS["sato"], SLACK_IDS["yamada"], SLACK_IDS["kato"]
MARKER = "KEEPOUTOFLOGS" + uuid.uuid4().hex[:12].upper()
TEXT = "本日から市民課の窓口時間を19時まで延長します（{n}）" + MARKER
UNAVAILABLE = re.compile(r"ただいま.*処理できません.*しばらくしてからもう一度お試しください", re.S)
ERROR_ID = re.compile(r"E-[0-9A-F]{8}")
# Generous ceilings for a machine under the full suite's load; none of them is a timing.
CEILING = 60.0


# ---------------------------------------------------------------------- the stand-ins
class GatedSlackApi(MockSlackWebApi):
    """The Web API stand-in, which can hold chat.postMessage answers until released, and
    which records the ``ts`` of every message it accepted (to count deliveries)."""

    def __init__(self) -> None:
        super().__init__()
        self._open = threading.Event()
        self._open.set()
        self.held = threading.Semaphore(0)
        self.accepted: list[tuple[str, str, str]] = []  # (channel, ts, text) in order
        self._accepted_lock = threading.Lock()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def _handle(self, method: str, params: dict, token: str | None) -> Any:
        if method == "chat.postMessage" and not self._open.is_set():
            self.held.release()
            self._open.wait(CEILING)
        status, payload, headers = super()._handle(method, params, token)
        if method == "chat.postMessage" and status == 200 and payload.get("ok"):
            with self._accepted_lock:
                self.accepted.append((payload["channel"], payload["ts"], params.get("text", "")))
        return status, payload, headers


# ---------------------------------------------------------------------- fixtures
@pytest.fixture
def database() -> Iterator[str]:
    """A scratch database of this test's own (created here, dropped afterwards)."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bot_fault_pgdown_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}")
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def direct(database: str) -> Iterator[sessionmaker[Session]]:
    """The test's own sessions on the scratch database (not through the proxy)."""
    upgrade(database)
    engine = make_engine(database)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        load_file(session, path=DEMO_FILE, clock=SystemClock())
        session.flush()
        for person in session.scalars(sa.select(Person)):
            person.slack_user_id = SLACK_IDS.get(person.handle)
        channel = session.scalar(sa.select(Channel).where(Channel.key == "info_policy"))
        assert channel is not None
        channel.slack_channel_id = INFO_POLICY_CHANNEL
    yield factory
    engine.dispose()


@pytest.fixture
def proxy(database: str) -> Iterator[TcpProxy]:
    url = sa.engine.make_url(database)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as p:
        yield p


@pytest.fixture
def slack_api() -> Iterator[GatedSlackApi]:
    api = GatedSlackApi()
    with api:
        yield api
        api.release()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_line(self, pattern: str, *, count: int = 1) -> None:
        deadline = time.monotonic() + CEILING
        while len(re.findall(pattern, self.text())) < count:
            assert self.popen.poll() is None, self.text()
            assert time.monotonic() < deadline, f"no {pattern!r} in:\n{self.text()}"
            time.sleep(0.05)


@dataclass
class Deployment:
    web: Process
    worker: Process
    base: str


def _start(cmd: list[str], env: dict[str, str], log: Path, cwd: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Process(popen, log)


@pytest.fixture
def deployment(
    database: str,
    direct: sessionmaker[Session],
    proxy: TcpProxy,
    slack_api: GatedSlackApi,
    tmp_path: Path,
) -> Iterator[Deployment]:
    """The web process and the worker, both on the database through the proxy."""
    via_proxy = (
        sa.engine.make_url(database)
        .set(host="127.0.0.1", port=proxy.port)
        .render_as_string(hide_password=False)
    )
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": via_proxy,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.api_url,
        # response_urls point at the stand-in (tests only; the process warns at start).
        "SLACK_TESTING_EXTRA_RESPONSE_URL_ORIGINS": slack_api.url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "BOT_PLATFORM": "slack",
        # The worker ticks fast so that the test sees several ticks fail and recover.
        "REMINDER_OUTBOX_INTERVAL_SECONDS": "0.5",
        "REMINDER_SWEEP_INTERVAL_SECONDS": "0.5",
    }
    web = _start([sys.executable, "-m", "handlers.slack"], env, tmp_path / "web.log", tmp_path)
    worker = _start(
        [sys.executable, "-m", "bot", "worker", "--name", "fault-worker"],
        env,
        tmp_path / "worker.log",
        tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + CEILING
        while True:
            try:
                http_request("GET", base + "/healthz")
                break
            except OSError:
                assert web.popen.poll() is None, web.text()
                assert time.monotonic() < deadline, "the web process did not start"
                time.sleep(0.05)
        worker.wait_for_line(r"worker fault-worker started")
        yield Deployment(web, worker, base)
    finally:
        for process in (web, worker):
            process.popen.terminate()
        for process in (web, worker):
            try:
                process.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()


# ---------------------------------------------------------------------- helpers
def _timed(call: Any) -> tuple[HttpResponse, float]:
    started = time.monotonic()
    resp = call()
    return resp, time.monotonic() - started


def _hook_text(api: MockSlackWebApi, response_id: str) -> str:
    """The text posted to the response_url ``response_id`` (waits for it)."""
    deadline = time.monotonic() + CEILING
    while True:
        found = [c for c in api.calls_to("response_url") if c.path.endswith("/" + response_id)]
        if found:
            (call,) = found
            return str(call.params.get("text", ""))
        assert time.monotonic() < deadline, f"nothing posted to response_url {response_id}"
        time.sleep(0.02)


def _command(slack: SlackSimulator, command: str, *, user_id: str) -> tuple[HttpResponse, str]:
    response_id = signing.unique("cmd")
    resp = slack.command(
        command, "", user_id=user_id, response_url=slack.slack_api.response_url(response_id)
    )
    return resp, response_id


def _open_form(slack: SlackSimulator, api: MockSlackWebApi) -> RecordedCall:
    before = len(api.calls_to("views.open"))
    resp, _ = _command(slack, "/draft", user_id=AUTHOR)
    assert resp.status == 200
    return api.wait_for("views.open", before + 1, timeout=CEILING)[-1]


def _submission(opened: RecordedCall, text: str) -> dict[str, Any]:
    view = opened.json_param("view")
    payload = signing.view_submission_payload(
        view["callback_id"],
        draft_values(text),
        blocks=view["blocks"],
        private_metadata=view.get("private_metadata", ""),
        id=signing.unique("V"),
        hash=signing.unique("h."),
    )
    payload["user"]["id"] = AUTHOR
    return payload


def _count(factory: sessionmaker[Session], model: type, *where: Any) -> int:
    with factory() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def _wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + CEILING
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


# ---------------------------------------------------------------------- the test
def test_postgres_goes_away_and_comes_back_under_running_processes(
    deployment: Deployment,
    direct: sessionmaker[Session],
    proxy: TcpProxy,
    slack_api: GatedSlackApi,
) -> None:
    slack = SlackSimulator(
        server_url=deployment.base, signing_secret=SIGNING_SECRET, slack_api=slack_api
    )

    # 1. All is well: a draft goes in and its 決裁依頼 reaches the 所属長.
    resp = slack.interaction(_submission(_open_form(slack, slack_api), TEXT.format(n=1)))
    assert resp.status == 200 and resp.body == b"", resp.text
    _wait_until(
        lambda: (
            _count(direct, OutboxMessage, OutboxMessage.status == "pending") == 0
            and _count(direct, OutboxMessage) > 0
        ),
        "the first draft's messages were not delivered",
    )
    request = next(c for c in slack_api.calls_to("chat.postMessage") if c.params["channel"] == HEAD)
    approve = buttons(request)["draft.approve"]

    # 2. Slack is slow to answer: the next drafts' messages queue up behind one delivery
    # that is in flight (the courier waits for Slack's answer) when the database goes away.
    slack_api.hold()
    opened = _open_form(slack, slack_api)  # views.open is not held
    for n in (2, 3, 4):
        resp = slack.interaction(_submission(opened, TEXT.format(n=n)))
        assert resp.status == 200 and resp.body == b"", resp.text
    # Two deliveries in flight: the web process's courier and the worker's outbox job,
    # each waiting for Slack's answer to a different conversation.
    for _ in range(2):
        assert slack_api.held.acquire(timeout=CEILING), "the two deliveries did not go out"
    queued = _count(direct, OutboxMessage, OutboxMessage.status == "pending")
    assert queued >= 9  # three drafts: a receipt and two 決裁依頼 each
    with direct() as session:
        drafts_before = session.execute(sa.select(Draft.id, Draft.state)).all()

    # 3. The database goes away. Slack then answers the delivery that was in flight.
    proxy.cut()
    cut_at = time.monotonic()
    slack_api.release()

    # While it is away: a command, a button and a form each get the Japanese notice.
    acks: dict[str, float] = {}
    resp, acks["/draft"] = _timed(lambda: _command(slack, "/draft", user_id=AUTHOR))
    command, command_hook = resp
    assert command.status == 200 and command.body == b""
    assert UNAVAILABLE.search(_hook_text(slack_api, command_hook))

    click_hook = signing.unique("act")
    click, acks["button"] = _timed(
        lambda: slack.action(
            approve["action_id"],
            approve["value"],
            user={"id": HEAD},
            channel={"id": "D0HEAD0001"},
            container={"channel_id": "D0HEAD0001"},
            response_url=slack_api.response_url(click_hook),
        )
    )
    assert click.status == 200
    assert UNAVAILABLE.search(_hook_text(slack_api, click_hook))

    late_form = _submission(opened, TEXT.format(n=5))
    form, acks["form"] = _timed(lambda: slack.interaction(late_form))
    assert form.status == 200
    answer = form.json()
    assert answer["response_action"] == "push"
    shown = answer["view"]["blocks"][0]["text"]["text"]
    assert UNAVAILABLE.search(shown) and ERROR_ID.search(shown)
    # An event (the user opens the bot's Home tab) is not accepted: 503, so that Slack
    # delivers it again later.
    home = {"type": "app_home_opened", "user": AUTHOR, "channel": "D0STAFF001", "tab": "home"}
    event, acks["event"] = _timed(lambda: slack.event(home | {"event_ts": f"{time.time():.6f}"}))
    assert event.status == 503
    assert slack.get("/healthz").status == 200

    # The worker keeps ticking: its jobs fail cleanly, each run one line, and it lives on.
    deployment.worker.wait_for_line(r"job outbox\.deliver: database unavailable", count=2)
    assert deployment.worker.popen.poll() is None and deployment.web.popen.poll() is None

    # 4. The database comes back. Neither process is restarted.
    proxy.restore()
    restored_at = time.monotonic()
    attempts = 0
    while True:  # a new /draft: the first one after the restore is expected to work
        attempts += 1
        before = len(slack_api.calls_to("views.open"))
        resp, hook = _command(slack, "/draft", user_id=AUTHOR)
        assert resp.status == 200
        # Either the form opens or the person is told to try again, whichever comes.
        _wait_until(
            lambda before=before, hook=hook: (
                len(slack_api.calls_to("views.open")) > before
                or any(c.path.endswith("/" + hook) for c in slack_api.calls_to("response_url"))
            ),
            "the /draft after the restore got neither the form nor a notice",
        )
        if len(slack_api.calls_to("views.open")) > before:
            break
        assert UNAVAILABLE.search(_hook_text(slack_api, hook))
        assert time.monotonic() - restored_at < CEILING, "requests never succeeded again"
    recovered = time.monotonic() - restored_at
    assert attempts == 1  # the pool replaced its dead connections (pre-ping) at once

    # The same form that was refused goes through now (nothing of it was kept), and so
    # does the click.
    form = slack.interaction(late_form)
    assert form.status == 200 and form.body == b"", form.text
    click_hook = signing.unique("act")
    click = slack.action(
        approve["action_id"],
        approve["value"],
        user={"id": HEAD},
        channel={"id": "D0HEAD0001"},
        container={"channel_id": "D0HEAD0001"},
        response_url=slack_api.response_url(click_hook),
    )
    assert click.status == 200
    assert "承認" in _hook_text(slack_api, click_hook)
    # Slack's redelivery of the event is acted on, once.
    assert slack.replay(event, retry_num=1).status == 200
    assert len(slack_api.wait_for("views.publish", timeout=CEILING)) == 1

    # 5. The outbox drains: every message once, in the order queued per conversation.
    _wait_until(
        lambda: _count(direct, OutboxMessage, OutboxMessage.status == "pending") == 0,
        "the outbox did not drain after the restore",
    )
    drained = time.monotonic() - restored_at
    with direct() as session:
        rows = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        drafts_after = dict(session.execute(sa.select(Draft.id, Draft.state)).all())
    assert {r.status for r in rows} == {"sent"}
    posted = [r for r in rows if r.update_of_id is None]
    by_ts = {f"{r.sent_ref['channel']}:{r.sent_ref['message_id']}": r for r in posted if r.sent_ref}
    accepted = [f"{channel}:{ts}" for channel, ts, _ in slack_api.accepted]
    duplicates = [key for key in accepted if key not in by_ts]
    assert duplicates == [], f"{len(duplicates)} message(s) delivered twice"
    assert sorted(accepted) == sorted(by_ts)  # and none lost
    for channel in {c for c, _, _ in slack_api.accepted}:
        order = [by_ts[f"{c}:{ts}"].id for c, ts, _ in slack_api.accepted if c == channel]
        assert order == sorted(order), f"out of order in {channel}"

    # Nothing half-written: the drafts from before the cut are as they were, the refused
    # form was stored once (after the restore), the click decided once.
    for draft_id, state in drafts_before:
        if draft_id != 1:
            assert drafts_after[draft_id] == state
    assert drafts_after[1] == "approved"
    assert len(drafts_after) == len(drafts_before) + 1

    # Each process wrote the outcome of its interrupted delivery once the database was
    # back (the message was not sent again).
    for process in (deployment.web, deployment.worker):
        process.wait_for_line(r"recorded 1 delivery outcome\(s\) kept through a database outage")

    # 6. The logs: one line per failure with an error id; no traceback, text or secret.
    for process in (deployment.web, deployment.worker):
        log = process.text()
        assert "Traceback" not in log, log
        assert MARKER not in log
        assert BOT_TOKEN not in log and SIGNING_SECRET not in log
        for line in log.splitlines():
            if re.search(r"unavailable|failed|not delivered", line):
                assert ERROR_ID.search(line), line
    listener_lines = re.findall(
        r"slack listener: database unavailable error_id=E-\w+ type=OperationalError "
        r"payload=(\S+)",
        deployment.web.text(),
    )  # one line for each refused request, naming its kind
    assert listener_lines == [
        "command:/draft",
        "block_actions",
        "view_submission",
        "event:app_home_opened",
    ]

    print(
        f"\nPostgreSQL down {restored_at - cut_at:.1f} s; acks while down "
        + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in acks.items())
        + f"; first request after restore succeeded after {recovered:.2f} s "
        f"({attempts} attempt); outbox drained {drained:.2f} s after restore: "
        f"{len(accepted)} messages posted, {queued} were queued at the cut, "
        f"duplicates {len(duplicates)}, lost {len(set(by_ts) - set(accepted))}"
    )


def test_a_database_that_stops_answering_times_out_instead_of_holding_requests(
    deployment: Deployment,
    direct: sessionmaker[Session],
    proxy: TcpProxy,
    slack_api: GatedSlackApi,
) -> None:
    """The server goes silent instead of refusing: open connections drop, new ones are
    accepted and never answered. Without a connect timeout libpq would wait forever and
    every listener thread with it; with it, the person is told after the timeout."""
    slack = SlackSimulator(
        server_url=deployment.base, signing_secret=SIGNING_SECRET, slack_api=slack_api
    )
    _open_form(slack, slack_api)
    proxy.blackhole()
    for _ in range(2):  # more than one: a first one stuck would not hold up the next
        resp, hook = _command(slack, "/draft", user_id=AUTHOR)
        assert resp.status == 200 and resp.body == b""
        assert UNAVAILABLE.search(_hook_text(slack_api, hook))
    deployment.worker.wait_for_line(r"database unavailable error_id=E-\w+ exc=OperationalError")
    assert deployment.worker.popen.poll() is None and deployment.web.popen.poll() is None

    proxy.restore()
    _open_form(slack, slack_api)  # works again, neither process restarted
    for process in (deployment.web, deployment.worker):
        log = process.text()
        assert "Traceback" not in log, log
        assert BOT_TOKEN not in log and SIGNING_SECRET not in log

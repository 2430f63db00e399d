"""Ack latency of the Slack adapter over HTTP (issue 4, "Benchmark").

The real Bolt app with all listeners on the real core, served by waitress (the production
WSGI server) on loopback; Slack's Web API is the test mock. Signed requests are sent at a
fixed rate (open loop) from ``--clients`` concurrent threads, and the time until the HTTP
answer (the ack) is measured:

- ``check``  /check with a text that has findings (ack, then the check in a lazy listener)
- ``draft``  a /draft view submission: the check, the draft stored and routed *before* the
             ack, because errors must be shown in the form (the expensive one)
- ``worst``  a /draft view submission of the longest text Slack's form lets through (3,000
             characters, ``plain_text_input``'s limit) made of sentences with findings: the
             slowest check there is, answered in the same ack as field errors
- ``click``  the 承認 button on a fresh approval request (ack, then the decision)

Slack's stand-in is allowed as a response_url origin (the test-only setting), so the
``/check`` answers are really delivered; their count is printed with the latencies.

    python -m benchmarks.bench_slack_ack                       # SQLite in a temp dir
    python -m benchmarks.bench_slack_ack --database-url postgresql+psycopg://…/bench
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from waitress.server import create_server

from bot.clock import SystemClock
from bot.db import make_engine, make_sessionmaker, transaction, upgrade
from bot.dedupe import DbDeduper
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Channel, Person
from bot.drafts.models import Draft
from handlers.slack.app import create_app
from handlers.slack.client import build_client
from handlers.slack.notifier import SlackNotifier, directory_user_ids
from handlers.slack.runtime import Core, Courier
from handlers.slack.settings import SlackSettings
from handlers.slack.wsgi import create_wsgi_app
from tests.slack import signing
from tests.slack.harness import http_request
from tests.slack.mock_web_api_server import MockSlackWebApi

SECRET = "bench-signing-secret-0123456789abcdef"
IDS = {"yamada": "U0HEAD0001", "kato": "U0DEPUTY01", "sato": "U0STAFF001"}
CHECK_TEXT = "明日の説明会は検討中です。詳しくは https://bit.ly/abc をご覧ください。"
#: Slack's limit on a plain_text_input (the draft form's text field).
SLACK_INPUT_MAX = 3000
WORST_SENTENCES = [
    "担当の山田の携帯090-1234-5678までご連絡ください。",
    "来年度から保育料が上がる方向で調整中らしいです。",
    "申込はこちら https://bit.ly/3xYzAbC と https://example-info.com/a から。",
    "部外秘の資料ですが、入札の予定価格は1,250万円です。",
    "管理画面は http://admin.intra.city.local/ でパスワードはsummer2026です。",
    "駅前のデパートが閉店するって噂を友だちのLINEで見ました。",
    "写真は本人の許可はとってませんが載せちゃいます。",
]


def worst_text(tag: str) -> str:
    """A 3,000-character draft, every sentence with a finding, unique per request."""
    head = f"（{tag}）"
    parts = [head]
    i = 0
    while sum(map(len, parts)) < SLACK_INPUT_MAX:
        parts.append(WORST_SENTENCES[i % len(WORST_SENTENCES)])
        i += 1
    return "".join(parts)[:SLACK_INPUT_MAX]


def _prepare(url: str) -> None:
    upgrade(url)
    factory = make_sessionmaker(make_engine(url))
    with transaction(factory) as session:
        if session.scalar(sa.select(Person.id).limit(1)) is None:
            load_file(session, path=DEMO_FILE)
            session.flush()
        for person in session.scalars(sa.select(Person)):
            person.slack_user_id = IDS.get(person.handle)
        channel = session.scalar(sa.select(Channel).where(Channel.key == "info_policy"))
        if channel is not None:
            channel.slack_channel_id = "C0INFOPOL1"


def _draft_values(text: str) -> dict:
    def select(block: str, value: str) -> dict:
        return {block: {block: {"type": "static_select", "selected_option": {"value": value}}}}

    return {
        **select("account", "kanko-x"),
        "text": {"text": {"type": "plain_text_input", "value": text}},
        **select("exemption", "none"),
        **select("photo", "none"),
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def run_load(
    name: str, send: Callable[[int], int], *, requests: int, rate: float, clients: int
) -> dict:
    """Send ``requests`` at ``rate``/s from ``clients`` threads; latency of each answer."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def one(i: int) -> None:
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        t0 = time.perf_counter()
        try:
            status = send(i)
        except OSError:
            status = -1
        elapsed = (time.perf_counter() - t0) * 1000
        with lock:
            latencies.append(elapsed)
            if status != 200:
                errors.append(status)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(requests)))
    duration = time.perf_counter() - start
    return {
        "scenario": name,
        "requests": requests,
        "achieved_rps": round(requests / duration, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(_percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
        "errors": len(errors),
        "error_statuses": sorted(set(errors)),
    }


def _answers(api: MockSlackWebApi, prefix: str = "c") -> int:
    """How many response_url calls were made for requests tagged ``prefix`` (c: /check)."""
    return sum(
        1 for c in api.calls_to("response_url") if c.path.rsplit("/", 1)[-1].startswith(prefix)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--requests", type=int, default=300, help="per scenario")
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    _prepare(url)
    factory = make_sessionmaker(
        make_engine(url, **({} if url.startswith("sqlite") else {"pool_size": 20}))
    )

    with MockSlackWebApi() as api:
        settings = SlackSettings(
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=api.api_url,
            # the stand-in's origin, so that /check's answers are delivered, not dropped
            slack_testing_extra_response_url_origins=api.url,
        )
        client = build_client(settings)
        clock = SystemClock()
        notifier = SlackNotifier(client, user_ids=directory_user_ids(factory))
        courier = Courier(factory, notifier, clock=clock, interval=None).start()
        app = create_app(
            settings=settings,
            core=Core(factory, clock, courier),
            client=client,
            deduper=DbDeduper(factory),
        )
        server = create_server(
            create_wsgi_app(app, signing_secret=SECRET),
            host="127.0.0.1",
            port=0,
            threads=args.threads,
            ident=None,
        )
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}/slack/events"
        signer = signing.Signer(SECRET)
        run_id = signing.unique("run")

        def post(body: str) -> int:
            headers = signer.headers(body, signing.FORM)
            return http_request("POST", base, body, headers).status

        def check(i: int) -> int:
            return post(
                signing.slash_command_body(
                    "/check",
                    CHECK_TEXT,
                    user_id="U0STAFF001",
                    response_url=api.response_url(f"c{i}"),
                )
            )

        def draft(i: int) -> int:
            payload = signing.view_submission_payload(
                "draft_submit",
                _draft_values(
                    f"窓口時間の延長のお知らせ（{run_id}-{i}）。本日は19時まで開庁します。"
                ),
                id=f"V{run_id}{i}",
            )
            return post(signing.interaction_body(payload))

        checking: list[int] = []
        checking_lock = threading.Lock()

        def worst(i: int) -> int:
            payload = signing.view_submission_payload(
                "draft_submit",
                _draft_values(worst_text(f"{run_id}-w{i}")),
                id=f"V{run_id}w{i}",
            )
            body = signing.interaction_body(payload)
            resp = http_request("POST", base, body, signer.headers(body, signing.FORM))
            # The findings come back in the ack as field errors, or (past the listener's
            # budget) the ack is the "checking" notice and the form follows by views.update.
            action = json.loads(resp.body or b"{}").get("response_action")
            if resp.status == 200 and action == "update":
                with checking_lock:
                    checking.append(i)
            elif resp.status == 200 and action != "errors":
                return -2
            return resp.status

        results = [
            run_load("check", check, requests=args.requests, rate=args.rate, clients=args.clients)
        ]
        results.append(
            run_load("draft", draft, requests=args.requests, rate=args.rate, clients=args.clients)
        )
        results.append(
            run_load("worst", worst, requests=args.requests, rate=args.rate, clients=args.clients)
        )
        courier.wait_idle(60)
        with factory() as session:
            draft_ids = list(
                session.scalars(
                    sa.select(Draft.id).where(Draft.state == "pending_approval").order_by(Draft.id)
                )
            )

        def click(i: int) -> int:
            value = json.dumps({"draft_id": draft_ids[i % len(draft_ids)], "version": 1})
            payload = signing.block_actions_payload(
                "draft.approve",
                value,
                user={"id": "U0HEAD0001"},
                response_url=api.response_url(f"a{i}"),
            )
            return post(signing.interaction_body(payload))

        results.append(
            run_load(
                "click",
                click,
                requests=min(args.requests, len(draft_ids)),
                rate=args.rate,
                clients=args.clients,
            )
        )
        courier.wait_idle(60)
        deadline = time.monotonic() + 60
        clicks = min(args.requests, len(draft_ids))
        while time.monotonic() < deadline and (
            _answers(api) < args.requests or _answers(api, "a") < clicks
        ):
            time.sleep(0.1)  # the last /check answers leave the lazy pool after their acks
        answers = _answers(api)
        server.close()
        courier.stop()

    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(f"backend={backend} rate={args.rate}/s clients={args.clients} threads={args.threads}")
    print(
        f"{'scenario':<8} {'n':>5} {'rps':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}"
    )
    for r in results:
        print(
            f"{r['scenario']:<8} {r['requests']:>5} {r['achieved_rps']:>6} {r['p50_ms']:>8} "
            f"{r['p99_ms']:>8} {r['max_ms']:>8} {r['errors']:>6}"
            + (f"  (status {r['error_statuses']}; -1: no answer)" if r["errors"] else "")
        )
    print(f"/check answers delivered on response_url: {answers}/{args.requests}")
    print(
        f"worst drafts answered with the 'checking' notice (check past the budget): "
        f"{len(checking)}/{args.requests}"
    )
    tmp.cleanup()


if __name__ == "__main__":
    main()

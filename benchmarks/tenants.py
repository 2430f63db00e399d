"""Many municipalities on one database: the worker's sweep and the Slack ack (issue 15 item 6).

    python -m benchmarks.tenants                                  # 100 tenants, PostgreSQL
    python -m benchmarks.tenants --tenants 3 --items 10 --backend sqlite    # CI scale
    python -m benchmarks.tenants --backend both --clients 1,8,32 --requests 2000

Builds ``--tenants`` tenants in a scratch database of its own (PostgreSQL: a new database
with a unique name on the server at ``TEST_POSTGRES_URL``, dropped afterwards; SQLite: a
temporary file). Each tenant gets, through the same calls the product makes:

- a directory of its own (``bot.directory.loader.load_text`` in a session of the tenant):
  広報課, 情報政策課 and ``--departments`` departments with a 所属長, a deputy, two staff and
  a confirmed X account with registered exempt categories; the same handles in every
  tenant (as when two towns load the same template), Slack ids of its own;
- a Slack workspace installed for it (slack_sdk's installation store, the workspace link);
- ``--items`` open items, made yesterday through the core API (the content check, routing,
  outbox and audit rows included): 5 in 10 drafts waiting for 決裁, 3 in 10 exempt posts
  online without a 事後報告, 1 in 10 a 事後報告 not acknowledged, 1 in 10 a 炎上 with no
  status update.

Then, at "now" (a Wednesday 15:00 JST, when every item is due):

1. **Sweep**: the ``Worker`` built as ``python -m bot worker`` builds it (the Procfile's
   ``worker``), and its ``sweep()`` job, timed in total and per tenant, with the SQL
   statements each tenant's sessions execute counted; then its ``deliver()`` job to a
   local Slack Web API stand-in; then a second sweep a minute later (the steady state).
   Every reminder is checked: same tenant as its item, recipient in that tenant's
   directory, delivered with that tenant's own token to that tenant's Slack ids.
2. **Ack**: the Slack app as ``python -m handlers.slack`` builds it for many workspaces
   (OAuth: installation store, tenant resolver, database deduper) served by waitress (the
   production WSGI server, 8 threads as ``serve()``), with Slack's Web API the local
   stand-in. ``--clients`` concurrent clients send correctly signed requests, each from
   a random tenant's workspace: ``/check`` slash commands (by a staff member) and
   ``block_actions`` clicks on 承認 (by the 所属長, on one of the tenant's own drafts), in
   a closed loop (each client sends its next request when the previous one was answered).
   Printed: requests/s and p50/p95/p99/max of the HTTP answer (the ack).

Not a test: it prints numbers (``tests/tenancy/test_benchmark_tenants.py`` runs it at a
tiny size and checks what it did, not how fast).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import json

import sqlalchemy as sa
from sqlalchemy import event

from bot.app import reminder_sources
from bot.app import wire as wire_app
from bot.clock import FakeClock
from bot.commands import run_command
from bot.db import make_engine, make_sessionmaker, transaction, upgrade
from bot.directory.loader import load_text
from bot.drafts import api as drafts_api
from bot.interaction import Actor
from bot.scheduler.service import SweepStats, build_plan
from bot.scheduler.settings import load_settings
from bot.scheduler.worker import Worker
from bot.tenancy import TENANT_KEY, ensure_tenant, factory_tenant, tenant_session
from bot.workspaces import SLACK, Workspace, link

JST = ZoneInfo("Asia/Tokyo")
# Wednesday 15:00 JST; the items were made on Tuesday (neither day is a holiday).
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=JST)
MADE = datetime(2026, 11, 24, 9, 0, tzinfo=JST)
PG_ADMIN = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET = "bench-tenants-signing-secret-0123456789"
CLIENT_ID = "9999.8888"
CLIENT_SECRET = "bench-tenants-client-secret"
CHECK_TEXT = "明日の説明会は検討中です。詳しくは https://bit.ly/abc をご覧ください。"
TEXTS = (
    "{d}日（日）10時から、中央公園で秋の収穫祭を開催します。詳しくは市ホームページをご覧ください。",
    "本日の紅葉情報です。山の中腹まで色づいてきました。見頃は来週末ごろの見込みです。",
    "明日は雨の予報のため、{d}日の朝市は中止します。次回は来月第1日曜日の予定です。",
    "市民ギャラリーで写真展を開催中です。入場無料。月曜休館。会期は{d}日までです。",
)
RESULT_TEXT = "{d}日の収穫祭の来場者は{n}人でした。ご来場ありがとうございました。"


# --------------------------------------------------------------------------- the tenants
@dataclass(frozen=True)
class City:
    """One simulated tenant: its ids, its workspace and the Slack ids of its people."""

    index: int
    departments: int

    @property
    def tenant(self) -> str:
        return f"city-{self.index:03d}"

    @property
    def name(self) -> str:
        return f"第{self.index}市"

    @property
    def team(self) -> str:
        return f"T0C{self.index:07d}"

    @property
    def token(self) -> str:
        return f"xoxb-bench-{self.index:04d}-{'0' * 10}"

    def slack_id(self, handle: str) -> str:
        return f"U{self.index:04d}{handle.upper().replace('-', '')}"[:20]

    @property
    def channel_id(self) -> str:
        return f"C{self.index:04d}INFO"

    def handles(self) -> list[str]:
        people = ["pr", "info", "info2"]
        for d in range(self.departments):
            people += [f"head{d}", f"deputy{d}", f"staff{d}a", f"staff{d}b"]
        return people

    def directory(self) -> str:
        """The tenant's directory file (docs/directory.md), as YAML text."""
        lines = ["people:"]
        for handle in self.handles():
            lines += [
                f"  - handle: {handle}",
                f"    name: {self.name} {_person_name(handle)}",
                f"    slack_user_id: {self.slack_id(handle)}",
            ]
        lines += [
            "departments:",
            "  - {code: kouhou, name: 広報課, head: pr}",
            "  - {code: johoseisaku, name: 情報政策課, head: info, deputies: [info2]}",
        ]
        for d in range(self.departments):
            lines.append(
                f"  - {{code: dept{d}, name: 第{d}課, head: head{d}, deputies: [deputy{d}]}}"
            )
        lines.append("accounts:")
        for d in range(self.departments):
            lines += [
                f"  - code: acct{d}-x",
                f"    name: {self.name}第{d}課（公式）",
                "    media: X",
                f"    url: https://x.com/bench_{self.index:03d}_{d}",
                f"    department: dept{d}",
                f"    manager: staff{d}a",
                f"    operators: [staff{d}a, staff{d}b]",
                "    status: confirmed",
                "    exemptions:",
                "      - {category: イ, rule: イベントの結果は確定値のみ投稿する。}",
                "      - {category: エ, rule: 災害時の緊急情報は危機管理課の発表を投稿する。}",
            ]
        lines += [
            "org_roles:",
            "  pr_head: [pr]",
            "  info_policy: [info, info2]",
            "  admin: [info]",
            "channels:",
            "  - key: info_policy",
            "    name: 情報政策課 SNS 対応",
            f"    slack_channel_id: {self.channel_id}",
        ]
        return "\n".join(lines) + "\n"


def _person_name(handle: str) -> str:
    """A Japanese name for a handle of ``City.handles`` (staff read names, not handles)."""
    fixed = {"pr": "広報課長", "info": "情報政策課長", "info2": "情報政策課 主査"}
    if handle in fixed:
        return fixed[handle]
    for prefix, label in (("head", "課長"), ("deputy", "課長補佐"), ("staff", "担当")):
        if handle.startswith(prefix):
            rest = handle.removeprefix(prefix)
            number, suffix = rest.rstrip("ab"), rest[len(rest.rstrip("ab")) :]
            return f"第{number}課 {label}" + {"a": "一", "b": "二"}.get(suffix, "")
    return handle


def cities(tenants: int, departments: int) -> list[City]:
    return [City(i, departments) for i in range(1, tenants + 1)]


# --------------------------------------------------------------------------- databases
@contextlib.contextmanager
def scratch_database(backend: str) -> Iterator[str]:
    """A new, migrated database of its own; dropped (PostgreSQL) or deleted afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'tenants.sqlite3'}"
            upgrade(url)
            yield url
        return
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"bench_tenants_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextlib.contextmanager
def app_role(url: str) -> Iterator[str]:
    """The URL of a login role as docs/tenancy.md requires the application to use on
    PostgreSQL (no superuser, no BYPASSRLS: row-level security applies, and is measured).
    SQLite: the URL itself."""
    if not url.startswith("postgresql"):
        yield url
        return
    role = f"bench_app_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
        conn.exec_driver_sql(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}")
    try:
        yield (
            sa.engine.make_url(url)
            .set(username=role, password=None)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            # Sessions of the role still open (a pool not yet disposed) would block the drop.
            conn.exec_driver_sql(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"
            )
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


# --------------------------------------------------------------------------- seeding
@dataclass
class Seeded:
    """What was made: per tenant, its open items by kind."""

    items: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    seconds: float = 0.0


def _ok(reply: Any, what: str) -> Any:
    if not reply.ok:
        raise RuntimeError(f"seeding failed at {what}: {reply.message.title}")
    return reply


def seed(url: str, population: list[City], *, items: int, installer: Any = None) -> Seeded:
    """Every tenant with its directory, workspace and ``items`` open items (made yesterday)."""
    started = time.perf_counter()
    wire_app()
    factory = make_sessionmaker(make_engine(url))
    result = Seeded()
    rng = random.Random(15)
    for city in population:
        clock = FakeClock(MADE)
        with transaction(factory) as session:
            ensure_tenant(session, tenant_id=city.tenant, name=city.name, clock=clock)
            link(
                session,
                workspace=Workspace(SLACK, city.team),
                tenant_id=city.tenant,
                by="bench",
                name=city.name,
                clock=clock,
            )
        with tenant_session(factory, city.tenant) as session, session.begin():
            load_text(session, source=city.directory(), name=f"{city.tenant}.yaml", clock=clock)
        if installer is not None:
            installer(city)
        tf = _tenant_factory(factory, city.tenant)
        for j in range(items):
            d = j % city.departments
            author = Actor("console", f"staff{d}{'ab'[j % 2]}")
            account = f"acct{d}-x"
            clock.set(MADE + timedelta(minutes=j))
            kind = j % 10
            if kind < 5:  # waiting for 決裁
                text = rng.choice(TEXTS).format(d=rng.randint(1, 28))
                _ok(
                    drafts_api.submit_draft(
                        tf,
                        actor=author,
                        draft=drafts_api.NewDraft(text=f"{text}（{j + 1}件目）", account=account),
                        clock=clock,
                    ),
                    "submit",
                )
                result.items[city.tenant]["pending_approval"] += 1
            elif kind < 9:  # exempt (イ): online, 事後報告 missing (or, 1 in 10, filed)
                text = RESULT_TEXT.format(d=rng.randint(1, 28), n=rng.randint(100, 9999))
                reply = _ok(
                    drafts_api.submit_draft(
                        tf,
                        actor=author,
                        draft=drafts_api.NewDraft(
                            text=f"{text}（{j + 1}件目）", account=account, exemption="イ"
                        ),
                        clock=clock,
                    ),
                    "submit exempt",
                )
                draft_id = reply.draft_id
                _ok(
                    drafts_api.mark_published(
                        tf,
                        actor=author,
                        draft_id=draft_id,
                        url=f"https://x.com/bench_{city.index:03d}_{d}/status/{j + 1}",
                        clock=clock,
                    ),
                    "published",
                )
                if kind == 8:
                    _ok(
                        drafts_api.file_report(
                            tf, actor=author, draft_id=draft_id, note="予定どおり掲載", clock=clock
                        ),
                        "report",
                    )
                    result.items[city.tenant]["report_unacknowledged"] += 1
                else:
                    result.items[city.tenant]["exempt_unreported"] += 1
            else:  # a 炎上 with no status update since
                _ok(
                    run_command(
                        tf,
                        actor=author,
                        command="/incident",
                        text=f"炎上 {account} 投稿の内容に批判が集まっています（{j + 1}件目）",
                        clock=clock,
                    ),
                    "incident",
                )
                result.items[city.tenant]["incident_flaming"] += 1
    factory.kw["bind"].dispose()
    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum does within a minute
        engine.dispose()
    result.seconds = time.perf_counter() - started
    return result


def _tenant_factory(factory: Any, tenant: str) -> Any:
    from bot.tenancy import for_tenant

    return for_tenant(factory, tenant)


# --------------------------------------------------------------------------- Slack
@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block (the processes read their settings there)."""
    from bot.config import get_settings

    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()  # no cached settings naming the scratch database


def slack_environment(api_url: str, database_url: str) -> dict[str, str]:
    """A many-workspace deployment's environment (docs/slack.md §6), Slack = the stand-in."""
    return {
        "DATABASE_URL": database_url,
        "BOT_PLATFORM": "slack",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_API_URL": api_url,
        "SLACK_TESTING_EXTRA_RESPONSE_URL_ORIGINS": api_url.rsplit("/api/", 1)[0],
    }


def installer_for(url: str, api: Any) -> Callable[[City], None]:
    """Store each city's installation as the OAuth redirect does, and teach the stand-in."""
    from slack_sdk.oauth.installation_store.models.installation import Installation

    from handlers.slack.oauth import build_stores

    engine = make_engine(url)
    store, _states = build_stores(engine, client_id=CLIENT_ID)

    def install(city: City) -> None:
        api.add_workspace(
            city.team,
            token=city.token,
            code=f"code-{city.team}",
            name=city.name,
            client_id=CLIENT_ID,
        )
        store.save(
            Installation(
                app_id="A0APP00001",
                enterprise_id=None,
                team_id=city.team,
                team_name=city.name,
                bot_token=city.token,
                bot_id="B0BOT00001",
                bot_user_id="U0BOT00001",
                bot_scopes="commands,chat:write,im:write,users:read",
                user_id="U0ADMIN001",
                installed_at=time.time(),
            )
        )

    return install


# --------------------------------------------------------------------------- the sweep
def build_worker(url: str, *, clock: FakeClock, name: str = "bench-worker") -> Worker:
    """The Worker as ``python -m bot worker`` builds it (bot/scheduler/cli.py, _cmd_worker),
    from the environment: reminder settings, the platform's notifier, audit settings."""
    from bot.__main__ import ADAPTERS
    from bot.audit.settings import load_audit_settings
    from bot.config import get_settings
    from bot.scheduler.notifiers import make_notifier

    reminder_settings = load_settings()
    get_settings.cache_clear()  # read this environment (DATABASE_URL, BOT_PLATFORM)
    settings = get_settings()
    notifier = make_notifier(settings.platform, settings, ADAPTERS.notifiers)
    factory = make_sessionmaker(make_engine(url))
    return Worker(
        factory=factory,
        plan=build_plan(reminder_settings, reminder_sources(reminder_settings)),
        notifier=notifier,
        clock=clock,
        name=name,
        audit=load_audit_settings(),
    )


@dataclass
class SweepRun:
    seconds: float
    stats: SweepStats
    per_tenant: dict[str, float]
    queries: Counter[str]
    cpu: float = 0.0  # CPU seconds of this process (the worker's Python) during the sweep


@contextlib.contextmanager
def counting(engine: sa.Engine) -> Iterator[Counter[str]]:
    """SQL statements executed on ``engine``, by the tenant of the session executing them."""
    counts: Counter[str] = Counter()

    def count(conn: Any, *_args: Any) -> None:
        counts[str(conn.info.get(TENANT_KEY, "-"))] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextlib.contextmanager
def timing_per_tenant() -> Iterator[dict[str, float]]:
    """Wall time of each tenant's ``sweep`` inside ``Worker.sweep`` (instrumentation only)."""
    import bot.scheduler.worker as worker_module

    real = worker_module.sweep
    seconds: dict[str, float] = {}

    def timed(factory: Any, **kwargs: Any) -> SweepStats:
        started = time.perf_counter()
        try:
            return real(factory, **kwargs)
        finally:
            seconds[factory_tenant(factory)] = time.perf_counter() - started

    worker_module.sweep = timed  # type: ignore[assignment]
    try:
        yield seconds
    finally:
        worker_module.sweep = real  # type: ignore[assignment]


def timed_sweep(workers: list[Worker]) -> SweepRun:
    """``sweep()`` of every worker at once (one thread each, as separate processes would
    run it); with one worker, simply its sweep. Stats are summed over the workers."""
    with contextlib.ExitStack() as stack:
        counts = [stack.enter_context(counting(w.factory.kw["bind"])) for w in workers]
        per_tenant = stack.enter_context(timing_per_tenant())
        cpu = time.process_time()
        started = time.perf_counter()
        results = _in_threads([w.sweep for w in workers])
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    stats = SweepStats()
    for one in results:
        for name in ("scheduled", "sent", "cancelled", "lost", "batches"):
            setattr(stats, name, getattr(stats, name) + getattr(one, name))
    queries: Counter[str] = Counter()
    for c in counts:
        queries.update(c)
    return SweepRun(seconds, stats, dict(per_tenant), queries, cpu)


def _in_threads(jobs: list[Callable[[], Any]]) -> list[Any]:
    if len(jobs) == 1:
        return [jobs[0]()]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result() for f in [pool.submit(job) for job in jobs]]


def timed_delivery(workers: list[Worker]) -> tuple[Any, float]:
    """``deliver()`` of every worker at once; the summed stats and the wall time."""
    started = time.perf_counter()
    results = _in_threads([w.deliver for w in workers])
    seconds = time.perf_counter() - started
    total = results[0]
    for more in results[1:]:
        for name in ("sent", "retried", "waiting", "held"):
            if hasattr(total, name):
                setattr(total, name, getattr(total, name) + getattr(more, name))
    return total, seconds


# --------------------------------------------------------------------------- checks
@dataclass
class SweepCheck:
    """What the sweep did, per tenant, read across tenants with plain Core statements."""

    open_items: dict[str, int]
    reminded_items: dict[str, int]
    reminders: dict[str, int]
    foreign: list[str]  # every reminder or message that crossed a tenant boundary

    @property
    def unreached(self) -> dict[str, int]:
        return {
            t: n - self.reminded_items.get(t, 0)
            for t, n in self.open_items.items()
            if self.reminded_items.get(t, 0) < n
        }


def check_sweep(admin_url: str) -> SweepCheck:
    """Every open item reminded in its own tenant, to people and channels of that tenant.

    Read with Core on a connection (no ORM criteria; on PostgreSQL as the owner, so
    row-level security does not hide anything): the check sees every tenant at once.
    """
    engine = make_engine(admin_url)
    q = sa.text
    with engine.connect() as conn:
        open_items: Counter[str] = Counter()
        owner: dict[tuple[str, int], str] = {}
        for (tenant,) in conn.execute(
            q(
                "SELECT d.tenant_id FROM drafts d LEFT JOIN after_reports r"
                " ON r.draft_id = d.id WHERE d.state IN ('pending_approval','exempt','report_due')"
                " OR (d.state = 'reported' AND r.acknowledged_at IS NULL)"
            )
        ):
            open_items[tenant] += 1
        for tenant, item_id in conn.execute(q("SELECT tenant_id, id FROM drafts")):
            owner[("draft", item_id)] = tenant
        for tenant, item_id, status, kind in conn.execute(
            q("SELECT tenant_id, id, status, type FROM incidents")
        ):
            owner[("incident", item_id)] = tenant
            if status == "open" and kind == "flaming":
                open_items[tenant] += 1
        people = {(t, h) for t, h in conn.execute(q("SELECT tenant_id, handle FROM people"))}
        channels = {(t, k) for t, k in conn.execute(q("SELECT tenant_id, key FROM channels"))}
        foreign: list[str] = []
        reminded: dict[str, set[tuple[str, int]]] = defaultdict(set)
        reminders: Counter[str] = Counter()
        rows = conn.execute(
            q(
                "SELECT r.id, r.tenant_id, r.item_type, r.item_id, r.recipient_kind,"
                " r.recipient_key, r.status, o.tenant_id, o.recipient_key"
                " FROM reminders r LEFT JOIN outbox o ON o.id = r.outbox_id"
            )
        )
        for rid, tenant, item_type, item_id, kind, key, status, o_tenant, o_key in rows:
            reminders[tenant] += 1
            reminded[tenant].add((item_type, item_id))
            if owner.get((item_type, item_id)) != tenant:
                foreign.append(f"reminder {rid} of {tenant} is about another tenant's item")
            known = people if kind == "person" else channels
            if (tenant, key) not in known:
                foreign.append(f"reminder {rid} of {tenant}: recipient not in its directory")
            if status == "sent" and (o_tenant != tenant or o_key != key):
                foreign.append(f"reminder {rid} of {tenant}: outbox row of another tenant")
    engine.dispose()
    return SweepCheck(
        open_items=dict(open_items),
        reminded_items={t: len(s) for t, s in reminded.items()},
        reminders=dict(reminders),
        foreign=foreign,
    )


def check_deliveries(api: Any, population: list[City]) -> tuple[int, list[str]]:
    """Messages the stand-in received: each with its city's token, to that city's ids."""
    tenant_of_token = {c.token: c for c in population}
    delivered = 0
    wrong: list[str] = []
    seen: Counter[tuple[str, str, str]] = Counter()
    for call in api.calls_to("chat.postMessage"):
        city = tenant_of_token.get(call.token or "")
        channel = str(call.params.get("channel", ""))
        delivered += 1
        seen[(call.token or "", channel, str(call.params.get("text", "")))] += 1
        if city is None:
            wrong.append(f"message to {channel} with a token of no city")
            continue
        ours = {city.slack_id(h) for h in city.handles()} | {city.channel_id}
        if channel not in ours:
            wrong.append(f"message to {channel} with the token of {city.tenant}")
    # The same text to the same conversation twice: a message sent twice.
    wrong += [
        f"message to {channel} received {n} times" for (_t, channel, _x), n in seen.items() if n > 1
    ]
    return delivered, wrong


# --------------------------------------------------------------------------- the ack
def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


@dataclass
class LoadResult:
    clients: int
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: Counter[int]
    by_kind: Counter[str]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        lat = self.latencies_ms
        return (
            f"clients {self.clients:>3}: {self.requests:>5} requests"
            f" ({self.by_kind['check']} /check, {self.by_kind['click']} 承認)"
            f" in {self.seconds:6.2f} s = {self.rps:6.1f} req/s;"
            f" ack p50 {statistics.median(lat):7.1f} ms  p95 {_percentile(lat, 95):7.1f}"
            f"  p99 {_percentile(lat, 99):7.1f}  max {max(lat):7.1f} ms;"
            f" statuses {dict(sorted(self.statuses.items()))}"
        )


@dataclass
class HttpRun:
    loads: list[LoadResult]
    lazy_drained: bool
    decided_own: int
    decided_foreign: list[str]
    check_answers: int


def pending_drafts(admin_url: str) -> dict[str, list[tuple[int, int, int]]]:
    """tenant → [(draft id, version, department index)] of drafts waiting for 決裁."""
    engine = make_engine(admin_url)
    found: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT d.tenant_id, d.id, d.current_version, dep.code FROM drafts d"
                " JOIN accounts a ON a.id = d.account_id"
                " JOIN departments dep ON dep.id = a.department_id"
                " WHERE d.state = 'pending_approval' ORDER BY d.id"
            )
        )
        for tenant, draft_id, version, code in rows:
            found[tenant].append((draft_id, version, int(code.removeprefix("dept"))))
    engine.dispose()
    return found


def run_http(
    url: str,
    admin_url: str,
    api: Any,
    population: list[City],
    *,
    clients: list[int],
    requests: int,
    threads: int = 8,
    seed_value: int = 6,
) -> HttpRun:
    """Serve the many-workspace Slack app and load it from ``clients`` concurrent clients."""
    from waitress.server import create_server

    from bot.dedupe import DbDeduper
    from handlers.slack.__main__ import load_settings as slack_settings
    from handlers.slack.app import create_app
    from handlers.slack.client import build_client
    from handlers.slack.runtime import build_multi_workspace_core
    from handlers.slack.wsgi import create_wsgi_app
    from tests.slack import signing
    from tests.slack.harness import http_request

    settings = slack_settings()
    assert settings is not None and settings.multi_workspace
    client = build_client(settings)
    # As handlers/slack/__main__.py run() builds it for many workspaces.
    core, oauth_flow = build_multi_workspace_core(url, settings=settings, client=client)
    assert core.courier is not None
    core.courier.start()
    app = create_app(
        settings=settings,
        core=core,
        client=client,
        deduper=DbDeduper(core.factory),
        oauth_flow=oauth_flow,
    )
    server = create_server(
        create_wsgi_app(app, signing_secret=SECRET),
        host="127.0.0.1",
        port=0,
        threads=threads,
        ident=None,
    )
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{server.effective_port}/slack/events"
    signer = signing.Signer(SECRET)
    drafts = pending_drafts(admin_url)
    by_tenant = {c.tenant: c for c in population}
    everything = [(t, d) for t, ds in drafts.items() for d in ds]
    rng = random.Random(seed_value)
    rng.shuffle(everything)
    # Each load round gets its own share of the waiting drafts to approve.
    shares = [everything[k :: len(clients)] for k in range(len(clients))]
    clickable: list[tuple[str, tuple[int, int, int]]] = []
    click_lock = threading.Lock()
    clicked: list[tuple[str, int, str]] = []

    def one(i: int) -> tuple[str, int]:
        with click_lock:
            pick = clickable.pop() if clickable and i % 2 else None
        if pick is None:
            city = population[rng.randrange(len(population))]
            d = i % city.departments
            body = signing.slash_command_body(
                "/check",
                CHECK_TEXT,
                team_id=city.team,
                user_id=city.slack_id(f"staff{d}a"),
                response_url=api.response_url(f"{city.tenant}-c{i}"),
            )
            kind = "check"
        else:
            tenant, (draft_id, version, d) = pick
            city = by_tenant[tenant]
            head = city.slack_id(f"head{d}")
            payload = signing.block_actions_payload(
                "draft.approve",
                json.dumps({"draft_id": draft_id, "version": version}),
                user={"id": head, "team_id": city.team},
                team={"id": city.team, "domain": city.tenant},
                response_url=api.response_url(f"{city.tenant}-a{i}"),
            )
            body = signing.interaction_body(payload)
            kind = "click"
            with click_lock:
                clicked.append((tenant, draft_id, head))
        status = http_request("POST", base, body, signer.headers(body, signing.FORM)).status
        return kind, status

    loads: list[LoadResult] = []
    offset = 0
    try:
        for round_no, n in enumerate(clients):
            clickable[:] = shares[round_no]
            loads.append(load_round(n, range(offset, offset + requests), one))
            offset += requests
            # The lazy work of this round (checks, decisions, deliveries) before the next.
            lazy_drained = settle(app, api, timeout=120)
        core.courier.wait_idle(60)
    finally:
        server.close()
        core.courier.stop()
    own, foreign = check_decisions(admin_url, clicked)
    answers = sum(1 for c in api.calls_to("response_url") if "-c" in c.path)
    return HttpRun(loads, lazy_drained, own, foreign, answers)


def load_round(clients: int, numbers: range, one: Callable[[int], tuple[str, int]]) -> LoadResult:
    """``clients`` threads in a closed loop send requests ``numbers`` (``one(i)``)."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    lock = threading.Lock()
    counter = iter(numbers)

    def client_loop() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            t0 = time.perf_counter()
            try:
                kind, status = one(i)
            except OSError:
                kind, status = "error", -1
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
                kinds[kind] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(client_loop)
    seconds = time.perf_counter() - started
    return LoadResult(clients, len(numbers), seconds, latencies, statuses, kinds)


def settle(app: Any, api: Any, *, timeout: float) -> bool:
    """Wait until the app's listener pools are idle and the stand-in has heard nothing new
    for half a second (the lazy listeners and the courier are done); False on timeout."""
    pools = [
        app.listener_runner.listener_executor,
        app.listener_runner.lazy_listener_runner.executor,
    ]
    deadline = time.monotonic() + timeout
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        calls = len(api.calls)
        busy = any(p._work_queue.qsize() for p in pools)
        if calls != seen or busy:
            seen, quiet_since = calls, time.monotonic()
        elif time.monotonic() - quiet_since > 0.5:
            return True
        time.sleep(0.05)
    return False


def check_decisions(admin_url: str, clicked: list[tuple[str, int, str]]) -> tuple[int, list[str]]:
    """Every click decided its own tenant's draft, by that tenant's 所属長."""
    engine = make_engine(admin_url)
    wrong: list[str] = []
    own = 0
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT dec.tenant_id, dec.draft_id, d.tenant_id, p.tenant_id, p.handle"
                " FROM decisions dec JOIN drafts d ON d.id = dec.draft_id"
                " JOIN people p ON p.id = dec.decider_id"
            )
        ).all()
    engine.dispose()
    decided = {draft_id for _t, draft_id, _dt, _pt, _h in rows}
    for dec_tenant, draft_id, draft_tenant, person_tenant, _handle in rows:
        if not dec_tenant == draft_tenant == person_tenant:
            wrong.append(f"decision on draft {draft_id} crosses tenants")
    own = sum(1 for _t, draft_id, _h in clicked if draft_id in decided)
    return own, wrong


# --------------------------------------------------------------------------- the run
@dataclass
class Report:
    backend: str
    tenants: int
    items_per_tenant: int
    seeded: Seeded
    first: SweepRun
    delivery: Any
    delivery_seconds: float
    second: SweepRun
    sweep_check: SweepCheck
    delivered: int
    misdelivered: list[str]
    http: HttpRun | None = None
    interval: float = 60.0
    workers: int = 1


def run(
    backend: str,
    *,
    tenants: int,
    items: int,
    departments: int,
    clients: list[int],
    requests: int,
    http: bool = True,
    workers: int = 1,
    out: Callable[[str], None] = print,
) -> Report:
    from tests.slack.mock_web_api_server import MockSlackWebApi

    population = cities(tenants, departments)
    with (
        scratch_database(backend) as admin_url,
        MockSlackWebApi() as api,
        app_role(admin_url) as url,
        environment(slack_environment(api.api_url, url)),
    ):
        seeded = seed(url, population, items=items, installer=installer_for(url, api))
        out(
            f"[{backend}] seeded {tenants} tenants x {items} open items"
            f" ({sum(sum(c.values()) for c in seeded.items.values())} items) through the"
            f" core API in {seeded.seconds:.1f} s"
        )
        clock = FakeClock(NOW)
        crew = [
            build_worker(url, clock=clock, name=f"bench-worker-{k + 1}") for k in range(workers)
        ]
        api.clear()
        first = timed_sweep(crew)
        delivery, delivery_seconds = timed_delivery(crew)
        clock.set(NOW + timedelta(minutes=1))
        second = timed_sweep(crew)
        interval = crew[0].plan.settings.sweep_interval_seconds
        for worker in crew:
            worker.factory.kw["bind"].dispose()
        sweep_check = check_sweep(admin_url)
        delivered, misdelivered = check_deliveries(api, population)
        report = Report(
            backend,
            tenants,
            items,
            seeded,
            first,
            delivery,
            delivery_seconds,
            second,
            sweep_check,
            delivered,
            misdelivered,
            interval=interval,
            workers=workers,
        )
        print_sweep(report, out)
        if http:
            api.clear()
            report.http = run_http(
                url, admin_url, api, population, clients=clients, requests=requests
            )
            print_http(report, out)
    return report


def print_sweep(r: Report, out: Callable[[str], None]) -> None:
    per = sorted(t for k, t in r.first.per_tenant.items() if k != "default")
    q = [n for k, n in r.first.queries.items() if k not in ("default", "-")]
    qs = sorted(q)
    items = sum(r.sweep_check.open_items.values())
    out(
        f"[{r.backend}] sweep 1 ({r.workers} x Worker.sweep, all due):"
        f" {r.first.seconds:.3f} s total"
        f" (worker CPU {r.first.cpu:.1f} s) for"
        f" {len(r.first.per_tenant)} tenants (incl. the empty default);"
        f" per tenant p50 {statistics.median(per) * 1000:.1f} ms"
        f" max {max(per) * 1000:.1f} ms; {items} open items swept,"
        f" {r.first.stats.scheduled} reminders scheduled, {r.first.stats.sent} queued,"
        f" {r.first.stats.cancelled} cancelled ({r.first.stats.batches} batches)"
    )
    out(
        f"[{r.backend}] SQL statements per tenant in sweep 1: p50 {statistics.median(qs):.0f}"
        f" min {qs[0]} max {qs[-1]}; total {sum(r.first.queries.values())}"
    )
    per2 = sorted(t for k, t in r.second.per_tenant.items() if k != "default")
    q2 = sorted(n for k, n in r.second.queries.items() if k not in ("default", "-"))
    out(
        f"[{r.backend}] sweep 2 (a minute later, nothing new): {r.second.seconds:.3f} s"
        f" (worker CPU {r.second.cpu:.1f} s);"
        f" per tenant p50 {statistics.median(per2) * 1000:.1f} ms;"
        f" {q2[len(q2) // 2]} statements per tenant; queued {r.second.stats.sent};"
        f" sweep interval {r.interval:.0f} s"
    )
    d = r.delivery
    out(
        f"[{r.backend}] outbox delivery (Worker.deliver) to the Slack stand-in:"
        f" {r.delivery_seconds:.2f} s, sent {d.sent}, retried {d.retried}, waiting {d.waiting},"
        f" held {getattr(d, 'held', 0)};"
        f" chat.postMessage received {r.delivered}; with another tenant's token or ids, or"
        f" twice: {len(r.misdelivered)}"
    )
    c = r.sweep_check
    out(
        f"[{r.backend}] check: tenants with an open item not reminded: {len(c.unreached)};"
        f" reminders crossing a tenant boundary: {len(c.foreign)}"
    )


def print_http(r: Report, out: Callable[[str], None]) -> None:
    assert r.http is not None
    for load in r.http.loads:
        out(f"[{r.backend}] ack {load.line()}")
    out(
        f"[{r.backend}] after the load: lazy listeners drained {r.http.lazy_drained};"
        f" 承認 clicks that decided their own tenant's draft {r.http.decided_own};"
        f" decisions crossing tenants {len(r.http.decided_foreign)};"
        f" /check answers on response_url {r.http.check_answers}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--items", type=int, default=20, help="open items per tenant")
    parser.add_argument("--departments", type=int, default=3, help="per tenant")
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="postgresql")
    parser.add_argument(
        "--clients", default="1,8,32", help="concurrent clients, one load round each"
    )
    parser.add_argument("--requests", type=int, default=1000, help="per load round")
    parser.add_argument("--no-http", action="store_true", help="the sweep only")
    parser.add_argument(
        "--workers", type=int, default=1, help="workers sweeping and delivering at once"
    )
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",") if c.strip()]
    print(
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; {args.tenants} tenants,"
        f" {args.items} open items and {args.departments} departments each"
    )
    names = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    for name in names:
        run(
            name,
            tenants=args.tenants,
            items=args.items,
            departments=args.departments,
            clients=clients,
            requests=args.requests,
            http=not args.no_http,
            workers=args.workers,
        )
    print(f"load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

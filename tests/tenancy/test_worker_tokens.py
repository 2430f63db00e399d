"""The worker delivers each tenant's reminders with that tenant's own Slack token (issue 15).

The real entry point (Procfile ``worker: python -m bot worker``, here ``--once``) in a
subprocess, configured for many workspaces (SLACK_CLIENT_ID/SECRET, no bot token), against
a local stand-in for Slack's Web API that records the Authorization header of every call.
Tenants 北市 and 南町 are installed into two workspaces (slack_sdk's SQLAlchemy installation
store, linked as an install links them); 東村 has no installation yet. Each tenant has
pending drafts whose approval reminders are due. Both backends.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FakeClock
from bot.db import transaction
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from bot.tenancy import ensure_tenant, for_tenant
from bot.workspaces import SLACK, Workspace, link
from handlers.slack.oauth import build_stores
from tests.scheduler.conftest import jst, make_draft, make_world
from tests.slack.mock_web_api_server import MockSlackWebApi

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests-only"
AT = "2026-11-25T13:00+09:00"  # four hours after the drafts were submitted

# tenant -> (name, team, token, Slack id of the department head, drafts)
TENANTS = {
    "kita-city": ("北市", "T0KITA0001", "xoxb-kita-0000000000-secret", "U0KITAHEAD", 3),
    "minami-town": ("南町", "T0MINAMI01", "xoxb-minami-000000000-secret", "U0MINAHEAD", 2),
    "higashi-vil": ("東村", "T0HIGASHI1", "xoxb-higashi-00000000-secret", "U0HIGAHEAD", 2),
}
INSTALLED = ("kita-city", "minami-town")
WAITING = "higashi-vil"


def _populate(factory: sessionmaker[Session], clock: FakeClock) -> None:
    for tenant, (name, _team, _token, head_id, drafts) in TENANTS.items():
        with transaction(factory) as session:
            ensure_tenant(session, tenant_id=tenant, name=name, clock=clock)
        with transaction(for_tenant(factory, tenant)) as session:
            world = make_world(session)  # the same handles in every tenant
            world.head.slack_user_id = head_id
            world.author.slack_user_id = head_id.replace("HEAD", "AUTH")
            for _ in range(drafts):
                make_draft(session, world, submitted=jst("2026-11-25 09:00"))


def _install(factory: sessionmaker[Session], clock: FakeClock, tenant: str) -> None:
    """What a completed OAuth install leaves behind: the bot in the store, the link."""
    name, team, token, _head, _drafts = TENANTS[tenant]
    store, _states = build_stores(factory.kw["bind"], client_id=CLIENT_ID)
    store.save(
        Installation(
            app_id="A0APP00001",
            team_id=team,
            team_name=name,
            bot_token=token,
            bot_id="B0" + team[2:],
            bot_user_id="U0BOT" + team[2:7],
            bot_scopes="commands,chat:write,im:write,users:read",
            user_id="U0ADMIN001",
        )
    )
    with transaction(factory) as session:
        link(
            session,
            workspace=Workspace(SLACK, team),
            tenant_id=tenant,
            by="slack-install:U0ADMIN001",
            name=name,
            clock=clock,
        )


def _run_worker(db_url: str, api: MockSlackWebApi, tmp_path: Path) -> tuple[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("REMINDER_", "SLACK_", "AUDIT_", "TEAMS_", "MICROSOFT_"))
    }
    env.update(
        DATABASE_URL=db_url,
        BOT_PLATFORM="slack",
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_API_URL=api.api_url,
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "worker", "--once", "--at", AT, "--name", "w1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def _outbox(factory: sessionmaker[Session], tenant: str) -> list[OutboxMessage]:
    with for_tenant(factory, tenant)() as session:
        return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def slack_api() -> MockSlackWebApi:
    tokens = {token for _n, _t, token, _h, _d in TENANTS.values()}
    with MockSlackWebApi(valid_tokens=tokens) as api:
        yield api


def test_each_tenants_reminders_go_with_its_own_token_and_an_uninstalled_tenant_waits(
    committed_factory, db_url, slack_api, tmp_path
) -> None:
    clock = FakeClock(jst("2026-11-25 08:00"))
    _populate(committed_factory, clock)
    for tenant in INSTALLED:
        _install(committed_factory, clock, tenant)

    out, err = _run_worker(db_url, slack_api, tmp_path)

    posts = slack_api.calls_to("chat.postMessage")
    by_token: dict[str | None, list[str]] = {}
    for call in posts:
        by_token.setdefault(call.token, []).append(call.params["channel"])
    for tenant in INSTALLED:
        _name, _team, token, head, drafts = TENANTS[tenant]
        # Exactly this tenant's reminders went with its token, each to its own 所属長.
        assert by_token.pop(token) == [head] * drafts
        assert {o.status for o in _outbox(committed_factory, tenant)} == {"sent"}
    assert by_token == {}  # no call with any other token (東村's, or none)
    assert {c.token for c in slack_api.calls} <= {TENANTS[t][2] for t in INSTALLED}
    delivered = sum(TENANTS[t][4] for t in INSTALLED)
    assert f"通知の配信 {delivered}件・保留 2件（アプリ未導入のテナント）" in out

    # 東村: its reminders are queued, untouched (no attempt counted, no error), not dropped.
    held = _outbox(committed_factory, WAITING)
    assert len(held) == TENANTS[WAITING][4]
    assert {(o.status, o.attempts, o.last_error) for o in held} == {("pending", 0, None)}
    with for_tenant(committed_factory, WAITING)() as session:
        assert set(session.scalars(sa.select(Reminder.status))) == {"sent"}  # enqueued once
    # One clear line in the worker's log, naming the tenant; no token anywhere.
    notice = [line for line in err.splitlines() if WAITING in line]
    assert len(notice) == 1
    assert re.search(r"2 message\(s\) kept, not sent: no slack installation", notice[0])
    assert "xoxb-" not in out + err and CLIENT_SECRET not in out + err

    # Once 東村 installs, the next run delivers what waited, with 東村's token only.
    slack_api.clear()
    _install(committed_factory, clock, WAITING)
    out, err = _run_worker(db_url, slack_api, tmp_path)
    posts = slack_api.calls_to("chat.postMessage")
    assert [(c.token, c.params["channel"]) for c in posts] == [
        (TENANTS[WAITING][2], TENANTS[WAITING][3])
    ] * TENANTS[WAITING][4]
    assert {o.status for o in _outbox(committed_factory, WAITING)} == {"sent"}
    assert WAITING not in err and "通知の配信 2件（" in out

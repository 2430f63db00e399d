"""Many workspaces: install through Bolt's OAuth flow, then each workspace's requests are served
for its own tenant with its own token (issue 15 item 5). Real Bolt app over HTTP, signed
requests, the Web API stand-in answering oauth.v2.access; both backends.

Tenant A is the default tenant (the demo city of the flow fixtures, installed into
workspace T0CITY0001); tenant B (南町) installs workspace T0MINAMI01.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.models import AuditEvent
from bot.clock import FakeClock
from bot.db import transaction
from bot.drafts.models import Draft
from bot.notify.models import OutboxMessage
from bot.tenancy import DEFAULT_TENANT, ensure_tenant
from bot.tenant_cli import install_url
from bot.workspaces import (
    SLACK,
    Workspace,
    WorkspaceLink,
    slack_bots,
    slack_oauth_states,
    tenant_of,
)
from handlers.slack.client import build_client
from handlers.slack.oauth import (
    INVALID_LINK_MESSAGE,
    UNKNOWN_WORKSPACE_MESSAGE,
    TenantNotifiers,
    TenantOAuthFlow,
    build_oauth_flow,
)
from handlers.slack.runtime import Core, Courier
from handlers.slack.settings import SlackSettings
from tests.slack.flows.conftest import SLACK_IDS, text_of
from tests.slack.harness import BoltHttpServer
from tests.slack.mock_web_api_server import TEAM_ID, MockSlackWebApi

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-for-tests-only"
TEAM_A, TOKEN_A = TEAM_ID, "xoxb-team-a-0000000000-kita"
TEAM_B, TOKEN_B = "T0MINAMI01", "xoxb-team-b-0000000000-minami"
TENANT_B = "minami-town"
AUTHOR = SLACK_IDS["sato"]


@pytest.fixture
def slack_settings(slack_api: MockSlackWebApi, signing_secret: str) -> SlackSettings:
    """Many-workspace settings: client id and secret, no bot token."""
    return SlackSettings(
        slack_signing_secret=signing_secret,
        slack_api_url=slack_api.api_url,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
    )


@pytest.fixture
def slack_client(slack_settings: SlackSettings, retry_sleeps: list[float]) -> WebClient:
    client = build_client(slack_settings, sleep=retry_sleeps.append, timeout=5)
    assert client.token is None
    return client


@pytest.fixture
def flow(
    slack_settings: SlackSettings,
    committed_factory: sessionmaker[Session],
    slack_client: WebClient,
    clock: FakeClock,
) -> TenantOAuthFlow:
    return build_oauth_flow(
        slack_settings, factory=committed_factory, client=slack_client, clock=clock
    )


@pytest.fixture
def courier(
    committed_factory: sessionmaker[Session],
    clock: FakeClock,
    slack_client: WebClient,
    flow: TenantOAuthFlow,
) -> Iterator[Courier]:
    store = flow.settings.installation_store
    notifiers = TenantNotifiers(committed_factory, store, base=slack_client)  # type: ignore[arg-type]
    courier = Courier(committed_factory, None, clock=clock, interval=None, notifier_for=notifiers)
    courier.start()
    yield courier
    courier.stop()


@pytest.fixture
def tenant_b(committed_factory: sessionmaker[Session], clock: FakeClock) -> str:
    with transaction(committed_factory) as session:
        ensure_tenant(session, tenant_id=TENANT_B, name="南町", clock=clock)
    return TENANT_B


@pytest.fixture
def bolt_app(
    make_app: Callable[..., App], core: Core, city: dict[str, str], flow: TenantOAuthFlow
) -> App:
    return make_app(core=core, oauth_flow=flow)


# ------------------------------------------------------------------ the browser's side
def browse(url: str, cookies: dict[str, str] | None = None) -> tuple[int, dict, str]:
    """GET as a browser: status, headers (Set-Cookie as a list), body text."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request(
            "GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers
        )
        resp = conn.getresponse()
        found = {k.lower(): v for k, v in resp.getheaders()}
        found["set-cookie"] = resp.msg.get_all("Set-Cookie") or []
        return resp.status, found, resp.read().decode("utf-8")
    finally:
        conn.close()


def cookies_of(headers: dict) -> dict[str, str]:
    jar = {}
    for line in headers["set-cookie"]:
        name, _, rest = line.partition("=")
        jar[name] = rest.split(";")[0]
    return jar


def install(
    server: BoltHttpServer,
    api: MockSlackWebApi,
    *,
    tenant: str,
    team: str,
    token: str,
    name: str,
    expires: int | None = None,
) -> tuple[int, str]:
    """A workspace admin opens the tenant's install link, approves on Slack, comes back."""
    link = install_url(
        public_url=server.url,
        client_secret=CLIENT_SECRET,
        tenant_id=tenant,
        expires=expires or int(time.time()) + 3600,
    )
    status, headers, body = browse(link)
    assert status == 302, body
    authorize = urlsplit(headers["location"])
    assert authorize.netloc == "slack.com" and authorize.path == "/oauth/v2/authorize"
    query = parse_qs(authorize.query)
    assert query["client_id"] == [CLIENT_ID] and "chat:write" in query["scope"][0]
    code = f"code-{team}-{time.monotonic_ns()}"
    api.add_workspace(team, token=token, code=code, name=name, client_id=CLIENT_ID)
    back = f"{server.url}/slack/oauth_redirect?code={code}&state={query['state'][0]}"
    status, _headers, body = browse(back, cookies_of(headers))
    return status, body


def count(factory: sessionmaker[Session], what) -> int:
    with factory() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(what)) or 0


# ------------------------------------------------------------------ tests
def test_install_links_the_workspace_and_its_commands_use_its_token(
    bolt_server, slack, slack_api, committed_factory, core
) -> None:
    status, page = install(
        bolt_server, slack_api, tenant=DEFAULT_TENANT, team=TEAM_A, token=TOKEN_A, name="北市"
    )
    assert status == 200 and "導入が完了しました" in page and "北市" in page
    (exchange,) = slack_api.calls_to("oauth.v2.access")
    assert exchange.params["code"].startswith("code-")
    with committed_factory() as session:
        assert tenant_of(session, Workspace(SLACK, TEAM_A)) == DEFAULT_TENANT
    assert count(committed_factory, slack_bots) == 1

    slack_api.clear()
    assert slack.command("/draft", "", user_id=AUTHOR, team_id=TEAM_A).status == 200
    (opened,) = slack_api.wait_for("views.open")
    assert opened.token == TOKEN_A
    account = next(b for b in opened.json_param("view")["blocks"] if b.get("block_id") == "account")
    assert [o["value"] for o in account["element"]["options"]] == ["kanko-x"]


def test_outbound_messages_go_with_the_tenants_token(
    bolt_server, slack, slack_api, committed_factory, core
) -> None:
    install(bolt_server, slack_api, tenant=DEFAULT_TENANT, team=TEAM_A, token=TOKEN_A, name="北市")
    slack_api.clear()
    slack.command("/incident", "炎上 kanko-x 投稿への批判が急増", user_id=AUTHOR, team_id=TEAM_A)
    posted = slack_api.wait_for("chat.postMessage")
    core.courier.wait_idle()
    assert posted and {c.token for c in slack_api.calls_to("chat.postMessage")} == {TOKEN_A}


def test_a_workspace_with_no_tenant_is_told_and_nothing_is_read_or_written(
    bolt_server, slack, slack_api, committed_factory, core, flow
) -> None:
    # Installed (say, from the app's settings page) but never linked to a tenant.
    from slack_sdk.oauth.installation_store.models.installation import Installation

    flow.settings.installation_store.save(
        Installation(
            app_id="A0APP00001", team_id="T0STRAY001", bot_token="xoxb-stray", user_id="U1"
        )
    )
    before = (count(committed_factory, AuditEvent), count(committed_factory, OutboxMessage))
    resp = slack.command("/draft", "本文", user_id=AUTHOR, team_id="T0STRAY001")
    assert resp.status == 200
    assert resp.json()["text"] == UNKNOWN_WORKSPACE_MESSAGE
    resp = slack.command("/incident", "炎上 kanko-x 批判", user_id=AUTHOR, team_id="T0STRAY001")
    assert resp.json()["text"] == UNKNOWN_WORKSPACE_MESSAGE
    core.courier.wait_idle()
    assert (count(committed_factory, AuditEvent), count(committed_factory, OutboxMessage)) == before
    assert count(committed_factory, Draft) == 0
    # Only Bolt's authorization (auth.test with the stray token, cached): nothing was sent.
    assert [c.method for c in slack_api.calls] == ["auth.test"]


def test_install_needs_a_valid_link_of_an_existing_tenant(
    bolt_server, slack_api, committed_factory
) -> None:
    good = install_url(
        public_url=bolt_server.url,
        client_secret=CLIENT_SECRET,
        tenant_id=DEFAULT_TENANT,
        expires=int(time.time()) + 3600,
    )
    forged = good.replace("tenant=default", "tenant=minami-town")
    expired = install_url(
        public_url=bolt_server.url,
        client_secret=CLIENT_SECRET,
        tenant_id=DEFAULT_TENANT,
        expires=int(time.time()) - 1,
    )
    wrong_key = install_url(
        public_url=bolt_server.url,
        client_secret="another-secret",
        tenant_id=DEFAULT_TENANT,
        expires=int(time.time()) + 3600,
    )
    unknown = install_url(
        public_url=bolt_server.url,
        client_secret=CLIENT_SECRET,
        tenant_id="no-such-town",
        expires=int(time.time()) + 3600,
    )
    for url in (bolt_server.url + "/slack/install", forged, expired, wrong_key, unknown):
        status, headers, body = browse(url)
        assert status == 403 and INVALID_LINK_MESSAGE in body, url
        assert "location" not in headers
    assert count(committed_factory, slack_oauth_states) == 0


def test_a_redirect_without_the_tenant_binding_installs_nothing(
    bolt_server, slack_api, committed_factory
) -> None:
    link = install_url(
        public_url=bolt_server.url,
        client_secret=CLIENT_SECRET,
        tenant_id=DEFAULT_TENANT,
        expires=int(time.time()) + 3600,
    )
    _status, headers, _body = browse(link)
    state = parse_qs(urlsplit(headers["location"]).query)["state"][0]
    slack_api.add_workspace(TEAM_A, token=TOKEN_A, code="c1", client_id=CLIENT_ID)
    jar = cookies_of(headers)
    jar["guideline-install-tenant"] = "minami-town.forged"  # another tenant, no valid MAC
    status, _h, body = browse(f"{bolt_server.url}/slack/oauth_redirect?code=c1&state={state}", jar)
    assert status == 403 and "導入リンク" in body
    assert count(committed_factory, slack_bots) == 0
    assert count(committed_factory, WorkspaceLink) == 0


def test_a_workspace_of_one_tenant_cannot_be_installed_for_another(
    bolt_server, slack_api, committed_factory, tenant_b
) -> None:
    install(bolt_server, slack_api, tenant=DEFAULT_TENANT, team=TEAM_A, token=TOKEN_A, name="北市")
    status, page = install(
        bolt_server, slack_api, tenant=tenant_b, team=TEAM_A, token="xoxb-hijack", name="北市"
    )
    assert status == 403 and "既に別の自治体" in page
    with committed_factory() as session:
        assert tenant_of(session, Workspace(SLACK, TEAM_A)) == DEFAULT_TENANT
    with committed_factory() as session:
        tokens = set(session.scalars(sa.select(slack_bots.c.bot_token)))
    assert tokens == {TOKEN_A}


def test_team_b_never_sees_team_a(
    bolt_server, slack, slack_api, committed_factory, core, tenant_b
) -> None:
    install(bolt_server, slack_api, tenant=DEFAULT_TENANT, team=TEAM_A, token=TOKEN_A, name="北市")
    install(bolt_server, slack_api, tenant=tenant_b, team=TEAM_B, token=TOKEN_B, name="南町")
    slack.command("/incident", "炎上 kanko-x 投稿への批判が急増", user_id=AUTHOR, team_id=TEAM_A)
    slack_api.wait_for("chat.postMessage")
    core.courier.wait_idle()
    slack_api.clear()

    # The same Slack user id (an Enterprise Grid user in both workspaces) from team B: the
    # directory, accounts and incident of tenant A do not exist there.
    slack.command("/draft", "", user_id=AUTHOR, team_id=TEAM_B)
    (hook,) = slack_api.wait_for("response_url")
    assert "kanko-x" not in str(hook.params) and "views.open" not in [
        c.method for c in slack_api.calls
    ]
    assert "登録" in text_of(hook)
    slack_api.clear()
    slack.command("/incident", "list", user_id=AUTHOR, team_id=TEAM_B)
    (hook,) = slack_api.wait_for("response_url")
    assert "炎上" not in text_of(hook) and "批判" not in text_of(hook)
    assert all(c.token in (None, TOKEN_B) for c in slack_api.calls if c.method != "response_url")

"""Many Slack workspaces, one tenant each: Bolt's OAuth flow on slack_sdk's SQLAlchemy stores.

Enabled when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (``SlackSettings.multi_workspace``);
otherwise the app runs on SLACK_BOT_TOKEN for one workspace, as before, and everything
belongs to the default tenant.

- **Install** (``GET /slack/install``): only through a signed install link of one tenant
  (``python -m bot tenant install-url T``, ``bot.workspaces.sign_install_link``). The flow
  issues Bolt's OAuth state (``slack_oauth_states``) and sets, next to Bolt's state cookie,
  a cookie that binds that state to the tenant with a MAC. Without a valid link nothing is
  issued and the visitor reads why, in Japanese.
- **Redirect** (``GET /slack/oauth_redirect``): Bolt checks the state cookie and consumes
  the state, exchanges the code (``oauth.v2.access``) and calls ``store_installation``. Here
  the tenant binding is checked first; a workspace already serving another tenant is
  refused (an install never moves a workspace between cities). Then the installation goes
  to ``slack_installations`` / ``slack_bots`` and the workspace is linked to the tenant
  (``workspace_links``).
- **Requests**: Bolt's authorization finds the workspace's bot token in the installation
  store; then ``TenantResolver`` (the first app middleware after the trust marker) maps the
  team to a tenant and gives the listeners a ``Core`` whose sessions work for that tenant.
  A workspace with no tenant gets a Japanese answer; no listener runs, nothing is read.
- **Outbound** (``TenantNotifiers``): the outbox of tenant T is delivered with the bot
  token of T's workspace, found in the installation store.
"""

from __future__ import annotations

import html
import json
import logging
import time
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any

import sqlalchemy as sa
from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.error import BoltError
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.db import transaction
from bot.notify.messages import OutMessage
from bot.notify.port import Address, DeliveryError, Notifier, SentRef
from bot.tenancy import DEFAULT_TENANT, Tenant
from bot.workspaces import (
    SLACK,
    LinkError,
    Workspace,
    link,
    link_key,
    links_of,
    mac,
    tenant_of,
    verify_install_link,
)
from handlers.slack import inbound
from handlers.slack.errors import error_view
from handlers.slack.notifier import SlackNotifier, directory_user_ids
from handlers.slack.settings import SlackSettings

logger = logging.getLogger("handlers.slack.oauth")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
TENANT_COOKIE = "guideline-install-tenant"
# Bolt's default lifetime of an OAuth state (and of its cookie).
STATE_SECONDS = 600

_STATE = "guideline_install_state"

UNKNOWN_WORKSPACE_MESSAGE = (
    "このワークスペースは、このシステムのどの自治体（テナント）にも登録されていないため、"
    "処理していません。システムの運用担当者に、自治体ごとの導入リンクによる導入を"
    "依頼してください。"
)
AUTHORIZE_ERROR_MESSAGE = (
    "このワークスペースへのアプリの導入情報が見つからないため、処理していません。"
    "システムの運用担当者に、導入リンクからの再導入を依頼してください。"
)
INVALID_LINK_MESSAGE = (
    "この導入リンクは無効か、有効期限が切れています。"
    "システムの運用担当者に、自治体ごとの導入リンクを発行してもらってください。"
)
FAILURE_MESSAGES = {
    "access_denied": "導入が取り消されました。ワークスペースには何も追加されていません。",
    "invalid_browser": (
        "導入を始めたブラウザと異なるブラウザで戻ってきたため、導入を完了できませんでした。"
        "同じブラウザで導入リンクを開き直してください。"
    ),
    "invalid_state": (
        "導入の手続きの有効期限（10分）が切れたか、既に使われています。"
        "導入リンクを開き直してください。"
    ),
    "missing_code": "Slack からの応答が不完全なため、導入を完了できませんでした。",
    "invalid_code": "Slack で導入を確認できなかったため、導入を完了できませんでした。",
    "storage_error": "導入情報を保存できませんでした。時間をおいてもう一度お試しください。",
}


class InstallRefused(BoltError):
    """An install this deployment does not accept; ``message`` tells the installer why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------- stores
def build_stores(
    engine: sa.Engine, *, client_id: str
) -> tuple[SQLAlchemyInstallationStore, SQLAlchemyOAuthStateStore]:
    """slack_sdk's SQLAlchemy installation and state stores on the bot's database.

    Their tables come from the migrations (0020); ``create_tables()`` is never called.
    """
    installations = SQLAlchemyInstallationStore(
        client_id=client_id, engine=engine, logger=logging.getLogger("handlers.slack.store")
    )
    states = SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_SECONDS,
        engine=engine,
        logger=logging.getLogger("handlers.slack.store"),
    )
    return installations, states


def workspace_of(
    *, team_id: str | None, enterprise_id: str | None, is_enterprise_install: bool | None
) -> Workspace:
    """The workspace a request or an installation names (as the installation store keys it)."""
    if is_enterprise_install:
        return Workspace(SLACK, None, enterprise_id)
    return Workspace(SLACK, team_id, enterprise_id)


def installation_workspace(installation: Installation) -> Workspace:
    """The workspace an installation was made for."""
    return workspace_of(
        team_id=installation.team_id,
        enterprise_id=installation.enterprise_id,
        is_enterprise_install=installation.is_enterprise_install,
    )


# --------------------------------------------------------------------- pages
def _page(status: int, title: str, message: str) -> BoltResponse:
    body = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>"
    )
    return BoltResponse(
        status=status, body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )


def _first(query: dict[str, Any], name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    return str(values[0])


def _cookie(headers: dict[str, Any], name: str) -> str | None:
    for raw in headers.get("cookie", []) or []:
        try:
            jar = SimpleCookie(raw)
        except CookieError:
            continue
        if name in jar:
            return jar[name].value
    return None


# --------------------------------------------------------------------- the flow
class TenantOAuthFlow(OAuthFlow):
    """Bolt's OAuth flow, started only from a tenant's signed link, binding the install to it."""

    def __init__(
        self,
        *,
        settings: OAuthSettings,
        factory: sessionmaker[Session],
        key: bytes,
        clock: Clock,
        client: WebClient | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(client=client, settings=settings)
        self.factory = factory
        self.key = key
        self.clock = clock
        self.now = now

    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        """Check the install link, then Bolt's install (state + cookie) plus the tenant cookie."""
        query = request.query
        tenant = verify_install_link(
            self.key,
            tenant_id=_first(query, "tenant"),
            expires=_first(query, "exp"),
            sig=_first(query, "sig"),
            now=self.now(),
        )
        if tenant is not None:
            with self.factory() as session:
                if session.get(Tenant, tenant) is None:
                    tenant = None  # the link outlived its tenant
        if tenant is None:
            logger.info("install refused: invalid or expired install link")
            return _page(403, "導入リンクが無効です", INVALID_LINK_MESSAGE)
        response = super().handle_installation(request)
        state = request.context.get(_STATE)
        if state is None:  # pragma: no cover - state validation is always on here
            return _page(500, "導入を開始できません", FAILURE_MESSAGES["storage_error"])
        binding = f"{tenant}.{mac(self.key, 'state', state, tenant)}"
        cookies = list(response.headers.get("set-cookie", []))
        cookies.append(
            f"{TENANT_COOKIE}={binding}; Secure; HttpOnly; SameSite=Lax; Path=/; "
            f"Max-Age={STATE_SECONDS}"
        )
        response.headers["set-cookie"] = cookies
        return response

    def issue_new_state(self, request: BoltRequest) -> str:
        state = super().issue_new_state(request)
        request.context[_STATE] = state
        return state

    def bound_tenant(self, request: BoltRequest) -> str | None:
        """The tenant the install link bound to this OAuth state, if the cookie verifies."""
        state = _first(request.query, "state")
        value = _cookie(request.headers, TENANT_COOKIE)
        if not state or not value or "." not in value:
            return None
        tenant, _, sig = value.rpartition(".")
        import hmac

        if not hmac.compare_digest(mac(self.key, "state", state, tenant), sig):
            return None
        return tenant

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        """Link the workspace to the bound tenant and save the installation; refuse conflicts."""
        tenant = self.bound_tenant(request)
        if tenant is None:
            raise InstallRefused(INVALID_LINK_MESSAGE)
        workspace = installation_workspace(installation)
        with self.factory() as session:
            current = tenant_of(session, workspace)
        if current is not None and current != tenant:
            logger.warning(
                "install refused: workspace team=%s already serves tenant=%s (link for %s)",
                workspace.workspace_id or "-",
                current,
                tenant,
            )
            raise InstallRefused(
                "このワークスペースは既に別の自治体（テナント）で使われているため、"
                "この導入リンクでは導入できません。システムの運用担当者にお問い合わせください。"
            )
        super().store_installation(request, installation)
        try:
            with transaction(self.factory) as session:
                link(
                    session,
                    workspace=workspace,
                    tenant_id=tenant,
                    by=f"slack-install:{installation.user_id}",
                    name=installation.team_name or installation.enterprise_name or "",
                    clock=self.clock,
                )
        except LinkError as refused:
            raise InstallRefused(refused.message) from None
        logger.info(
            "installed into team=%s enterprise=%s for tenant=%s",
            workspace.workspace_id or "-",
            workspace.enterprise_id or "-",
            tenant,
        )


def _success(factory: sessionmaker[Session]) -> Callable[[SuccessArgs], BoltResponse]:
    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        with factory() as session:
            tenant = tenant_of(session, installation_workspace(installation))
            row = session.get(Tenant, tenant) if tenant else None
        city = row.name if row is not None else (tenant or "")
        name = installation.team_name or installation.enterprise_name or ""
        return _page(
            200,
            "導入が完了しました",
            f"ワークスペース「{name}」に SNS ガイドライン確認ボットを導入し、{city} として"
            "登録しました。Slack に戻って /draft や /check をお使いください。",
        )

    return success


def _failure(args: FailureArgs) -> BoltResponse:
    if isinstance(args.error, InstallRefused):
        return _page(403, "導入できませんでした", args.error.message)
    logger.info("install failed: %s", args.reason)
    message = FAILURE_MESSAGES.get(args.reason, FAILURE_MESSAGES["invalid_code"])
    return _page(args.suggested_status_code, "導入できませんでした", message)


def build_oauth_flow(
    settings: SlackSettings,
    *,
    factory: sessionmaker[Session],
    client: WebClient,
    clock: Clock | None = None,
    now: Callable[[], float] = time.time,
) -> TenantOAuthFlow:
    """The OAuth flow of a multi-workspace deployment (settings.multi_workspace must hold)."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    secret = settings.slack_client_secret.get_secret_value()
    installations, states = build_stores(factory.kw["bind"], client_id=settings.slack_client_id)
    oauth_settings = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret,
        scopes=settings.scopes,
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Straight to Slack's consent screen: the link itself was the "Add to Slack" step.
        install_page_rendering_enabled=False,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
        callback_options=CallbackOptions(success=_success(factory), failure=_failure),
        logger=logging.getLogger("handlers.slack.oauth"),
    )
    # Bolt's authorize calls auth.test with the workspace's token on every request unless
    # cached: one Web API round trip inside Slack's 3 seconds. Cached per token (a
    # reinstall brings a new token), per process.
    oauth_settings.authorize = InstallationStoreAuthorize(
        logger=logging.getLogger("handlers.slack.oauth"),
        installation_store=installations,
        client_id=settings.slack_client_id,
        client_secret=secret,
        bot_only=True,
        cache_enabled=True,
    )
    return TenantOAuthFlow(
        settings=oauth_settings,
        factory=factory,
        key=link_key(secret),
        clock=clock or SystemClock(),
        client=client,
        now=now,
    )


# --------------------------------------------------------------------- requests
class TenantResolver:
    """Bolt middleware: the request's workspace → tenant, before any listener runs.

    ``core_for(tenant)`` gives the tenant-scoped core the listeners receive as ``core``.
    An unlinked workspace is answered in Japanese and the request ends here.
    """

    def __init__(self, factory: sessionmaker[Session], core_for: Callable[[str], Any]) -> None:
        self.factory = factory
        self.core_for = core_for

    def tenant(self, context: BoltContext) -> str | None:
        """The tenant of the request's workspace, or None."""
        workspace = workspace_of(
            team_id=context.team_id,
            enterprise_id=context.enterprise_id,
            is_enterprise_install=context.is_enterprise_install,
        )
        with self.factory() as session:
            return tenant_of(session, workspace)

    def __call__(
        self,
        context: BoltContext,
        body: dict[str, Any],
        next: Callable[[], BoltResponse | None],
    ) -> BoltResponse | None:
        tenant = self.tenant(context)
        if tenant is not None:
            context["tenant_id"] = tenant
            context["core"] = self.core_for(tenant)
            return next()
        logger.warning(
            "request from a workspace with no tenant team=%s enterprise=%s",
            context.team_id or "-",
            context.enterprise_id or "-",
        )
        return _unknown_workspace_answer(context, body)


def _unknown_workspace_answer(context: BoltContext, body: dict[str, Any]) -> BoltResponse:
    text = UNKNOWN_WORKSPACE_MESSAGE
    kind = body.get("type")
    if "command" in body and kind is None:
        answer: dict[str, Any] | None = {"response_type": "ephemeral", "text": text}
    elif kind == "view_submission":
        answer = {"response_action": "push", "view": error_view("-", text=text)}
    else:
        answer = None
        respond = context.get("respond")  # only present when the response_url is Slack's
        if respond is not None and inbound.user_of(body) is not None:
            try:
                respond(text=text, response_type="ephemeral", replace_original=False)
            except Exception as exc:  # nothing else to do: the request is refused anyway
                logger.warning("could not tell the user (%s)", type(exc).__name__)
    if answer is None:
        return BoltResponse(status=200, body="")
    return BoltResponse(
        status=200,
        body=json.dumps(answer, ensure_ascii=False),
        headers={"content-type": "application/json;charset=utf-8"},
    )


# --------------------------------------------------------------------- outbound
class TenantNotifiers:
    """``notifier_for(tenant)``: a SlackNotifier with the bot token of the tenant's workspace.

    The token is read from the installation store at each call (a reinstall replaces it),
    so callers ask once per sweep, not once per message. A tenant whose workspace has no
    installation (not installed yet, or uninstalled) gets None: the worker and the courier
    keep its messages in the outbox (``bot.notify.port.PerTenantNotifier``). Never another
    tenant's token, and never the base client's.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        store: SQLAlchemyInstallationStore,
        *,
        base: WebClient,
    ) -> None:
        self.factory = factory
        self.store = store
        self.base = base

    def token(self, tenant_id: str) -> str | None:
        """The bot token of the Slack workspace linked to ``tenant_id``, if installed."""
        with self.factory() as session:
            links = [x for x in links_of(session, tenant_id) if x.platform == SLACK]
        if not links:
            return None
        found = links[0]
        bot = self.store.find_bot(
            enterprise_id=found.enterprise_id or None,
            team_id=found.workspace_id or None,
            is_enterprise_install=not found.workspace_id,
        )
        return bot.bot_token if bot is not None else None

    def client(self, token: str) -> WebClient:
        """A client like the base one (API URL, timeout, retries) with ``token``."""
        return WebClient(
            token=token,
            base_url=self.base.base_url,
            timeout=self.base.timeout,
            retry_handlers=list(self.base.retry_handlers),
        )

    def __call__(self, tenant_id: str) -> Notifier | None:
        token = self.token(tenant_id)
        if token is None:
            return None
        from bot.tenancy import for_tenant

        user_ids = directory_user_ids(for_tenant(self.factory, tenant_id))
        return SlackNotifier(self.client(token), user_ids=user_ids)

    # ``python -m bot worker`` delivers each tenant with ``for_tenant`` (bot.scheduler.worker
    # picks it up as ``notifier_for``); used as a plain Notifier this serves the default
    # tenant only.
    for_tenant = __call__
    platform = "slack"

    def _default(self) -> Notifier:
        notifier = self(DEFAULT_TENANT)
        if notifier is None:
            raise DeliveryError(f"slack: no installation for tenant {DEFAULT_TENANT}")
        return notifier

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        """Send for the default tenant (callers that know the tenant use ``for_tenant``)."""
        return self._default().send(to, message, thread=thread)

    def update(self, ref: SentRef, message: OutMessage) -> None:
        """Update for the default tenant."""
        self._default().update(ref, message)

"""Which tenant a chat workspace belongs to, and the tables of Slack's OAuth stores (issue 15).

A *workspace link* maps one chat workspace to one tenant (``bot.tenancy``):

- Slack: the workspace's ``team_id`` and, on Enterprise Grid, its ``enterprise_id`` (an
  org-wide install has an enterprise id and no team id);
- Teams: the Microsoft Entra tenant id of the incoming activity.

Links are looked up *before* the tenant is known, so ``workspace_links`` is not a
tenant-owned table (no scoping, no row-level security). A tenant has at most one workspace
per platform: outbound messages of a tenant then go through exactly one Slack token.

The three ``slack_*`` tables belong to ``slack_sdk``'s SQLAlchemy installation store and
OAuth state store (``handlers.slack.oauth``). They are declared here, column for column as
the stores build them, so that the migrations create them, the schema test compares them
and the test wipe empties them; ``tests/slack/test_oauth_stores.py`` checks that these
declarations equal the stores' own. ``bot`` never imports ``slack_sdk``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.clock import Clock
from bot.db import Base
from bot.errors import BotError
from bot.tenancy import Tenant, check_tenant_id

SLACK = "slack"
TEAMS = "teams"
PLATFORMS = (SLACK, TEAMS)


class WorkspaceLink(Base):
    """One chat workspace (Slack team / Enterprise org, Teams tenant) served for one tenant."""

    __tablename__ = "workspace_links"
    __table_args__ = (
        sa.UniqueConstraint("platform", "enterprise_id", "workspace_id"),
        sa.UniqueConstraint("platform", "tenant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(sa.String(16))
    # '' rather than NULL: a unique constraint treats NULLs as distinct on both backends.
    enterprise_id: Mapped[str] = mapped_column(sa.String(32), default="")
    workspace_id: Mapped[str] = mapped_column(sa.String(64), default="")
    tenant_id: Mapped[str] = mapped_column(sa.String(64), sa.ForeignKey("tenants.id"))
    workspace_name: Mapped[str] = mapped_column(sa.String(200), default="")
    linked_by: Mapped[str] = mapped_column(sa.String(200))
    linked_at: Mapped[datetime]


class LinkError(BotError):
    """A link that cannot be made (unknown tenant, workspace already serving another one)."""


@dataclass(frozen=True)
class Workspace:
    """A workspace as the platform names it."""

    platform: str
    workspace_id: str | None
    enterprise_id: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.platform, self.enterprise_id or "", self.workspace_id or "")


def _where(workspace: Workspace) -> sa.ColumnElement[bool]:
    platform, enterprise, team = workspace.key
    return sa.and_(
        WorkspaceLink.platform == platform,
        WorkspaceLink.enterprise_id == enterprise,
        WorkspaceLink.workspace_id == team,
    )


def tenant_of(session: Session, workspace: Workspace) -> str | None:
    """The tenant ``workspace`` is linked to, or None."""
    return session.scalar(sa.select(WorkspaceLink.tenant_id).where(_where(workspace)))


def links_of(session: Session, tenant_id: str) -> list[WorkspaceLink]:
    """The workspaces linked to ``tenant_id`` (at most one per platform)."""
    stmt = sa.select(WorkspaceLink).where(WorkspaceLink.tenant_id == tenant_id)
    return list(session.scalars(stmt.order_by(WorkspaceLink.platform)))


def has_links(session: Session, platform: str) -> bool:
    """True when at least one workspace of ``platform`` is linked to a tenant."""
    stmt = sa.select(WorkspaceLink.id).where(WorkspaceLink.platform == platform).limit(1)
    return session.scalar(stmt) is not None


def link(
    session: Session,
    *,
    workspace: Workspace,
    tenant_id: str,
    by: str,
    clock: Clock,
    name: str = "",
    move: bool = False,
) -> WorkspaceLink:
    """Link ``workspace`` to ``tenant_id`` (idempotent for the same tenant).

    A workspace already serving another tenant is refused unless ``move`` (an operator's
    explicit ``tenant link-slack --move``); an install never moves a workspace. A tenant
    that already has a workspace of this platform is refused too.
    """
    check_tenant_id(tenant_id)
    if workspace.platform not in PLATFORMS:
        raise LinkError(f"プラットフォームが正しくありません: {workspace.platform}")
    if not (workspace.workspace_id or workspace.enterprise_id):
        raise LinkError("ワークスペースのIDが指定されていません。")
    if session.get(Tenant, tenant_id) is None:
        raise LinkError(
            f"テナント {tenant_id} は登録されていません（tenant add で登録してください）。"
        )
    existing = session.scalar(sa.select(WorkspaceLink).where(_where(workspace)).with_for_update())
    if existing is not None:
        if existing.tenant_id == tenant_id:
            if name:
                existing.workspace_name = name
            return existing
        if not move:
            raise LinkError(
                f"このワークスペースは既にテナント {existing.tenant_id} に接続されています。"
                "接続先を変えるには、運用担当者が python -m bot tenant link-slack（Teams では "
                "link-teams）を --move を付けて実行してください。"
            )
    other = session.scalar(
        sa.select(WorkspaceLink).where(
            WorkspaceLink.platform == workspace.platform,
            WorkspaceLink.tenant_id == tenant_id,
        )
    )
    if other is not None and other is not existing:
        raise LinkError(
            f"テナント {tenant_id} には既に別のワークスペース（{other.workspace_id or other.enterprise_id}）"
            "が接続されています。1つのテナントに接続できるワークスペースは各プラットフォーム1つです。"
        )
    if existing is not None:  # move
        existing.tenant_id = tenant_id
        existing.linked_by, existing.linked_at = by, clock.now()
        existing.workspace_name = name or existing.workspace_name
        session.flush()
        return existing
    row = WorkspaceLink(
        platform=workspace.platform,
        enterprise_id=workspace.enterprise_id or "",
        workspace_id=workspace.workspace_id or "",
        tenant_id=tenant_id,
        workspace_name=name,
        linked_by=by,
        linked_at=clock.now(),
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # a concurrent install linked it first: the database decided
        raise LinkError(
            "同じワークスペースの接続が同時に行われました。もう一度お試しください。"
        ) from None
    return row


# --- Signed install links ---------------------------------------------------------------
#
# ``python -m bot tenant install-url T`` prints ``<BOT_PUBLIC_URL>/slack/install?tenant=T&
# exp=<unix>&sig=<mac>``. Only someone given that link can start an install for T; the
# install binds the resulting workspace to T (handlers.slack.oauth). The MAC key is derived
# from SLACK_CLIENT_SECRET, so no further secret has to be provisioned; rotating the client
# secret invalidates every outstanding link.

LINK_LABEL = b"sns-guideline-bot install link v1"


def link_key(client_secret: str) -> bytes:
    """The MAC key of install links, derived from the Slack app's client secret."""
    return hmac.new(client_secret.encode(), LINK_LABEL, hashlib.sha256).digest()


def mac(key: bytes, *parts: str) -> str:
    """URL-safe MAC over ``parts`` (joined with a separator that no part contains)."""
    digest = hmac.new(key, "\n".join(parts).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_install_link(key: bytes, *, tenant_id: str, expires: int) -> str:
    """The ``sig`` of an install link for ``tenant_id`` valid until ``expires`` (unix time)."""
    return mac(key, "install", check_tenant_id(tenant_id), str(expires))


def verify_install_link(
    key: bytes, *, tenant_id: str | None, expires: str | None, sig: str | None, now: float
) -> str | None:
    """The tenant of a valid, unexpired install link; None for anything else."""
    if not tenant_id or not expires or not sig or not expires.isdigit():
        return None
    try:
        expected = sign_install_link(key, tenant_id=tenant_id, expires=int(expires))
    except ValueError:
        return None
    if not hmac.compare_digest(expected, sig) or int(expires) < now:
        return None
    return tenant_id


# --- slack_sdk's store tables ------------------------------------------------------------
# Mirrors SQLAlchemyInstallationStore.build_installations_table / build_bots_table and
# SQLAlchemyOAuthStateStore.build_oauth_states_table (slack_sdk 3.x). The stores write naive
# UTC datetimes (sqlalchemy DateTime without time zone), so these columns are naive too.

_now = sa.func.now()

slack_installations = sa.Table(
    "slack_installations",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(32), nullable=False),
    sa.Column("app_id", sa.String(32), nullable=False),
    sa.Column("enterprise_id", sa.String(32)),
    sa.Column("enterprise_name", sa.String(200)),
    sa.Column("enterprise_url", sa.String(200)),
    sa.Column("team_id", sa.String(32)),
    sa.Column("team_name", sa.String(200)),
    sa.Column("bot_token", sa.String(200)),
    sa.Column("bot_id", sa.String(32)),
    sa.Column("bot_user_id", sa.String(32)),
    sa.Column("bot_scopes", sa.String(1000)),
    sa.Column("bot_refresh_token", sa.String(200)),
    sa.Column("bot_token_expires_at", sa.DateTime),
    sa.Column("user_id", sa.String(32), nullable=False),
    sa.Column("user_token", sa.String(200)),
    sa.Column("user_scopes", sa.String(1000)),
    sa.Column("user_refresh_token", sa.String(200)),
    sa.Column("user_token_expires_at", sa.DateTime),
    sa.Column("incoming_webhook_url", sa.String(200)),
    sa.Column("incoming_webhook_channel", sa.String(200)),
    sa.Column("incoming_webhook_channel_id", sa.String(200)),
    sa.Column("incoming_webhook_configuration_url", sa.String(200)),
    sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
    sa.Column("token_type", sa.String(32)),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=_now),
    sa.Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

slack_bots = sa.Table(
    "slack_bots",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(32), nullable=False),
    sa.Column("app_id", sa.String(32), nullable=False),
    sa.Column("enterprise_id", sa.String(32)),
    sa.Column("enterprise_name", sa.String(200)),
    sa.Column("team_id", sa.String(32)),
    sa.Column("team_name", sa.String(200)),
    sa.Column("bot_token", sa.String(200)),
    sa.Column("bot_id", sa.String(32)),
    sa.Column("bot_user_id", sa.String(32)),
    sa.Column("bot_scopes", sa.String(1000)),
    sa.Column("bot_refresh_token", sa.String(200)),
    sa.Column("bot_token_expires_at", sa.DateTime),
    sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=_now),
    sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = sa.Table(
    "slack_oauth_states",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("state", sa.String(200), nullable=False),
    sa.Column("expire_at", sa.DateTime, nullable=False),
)

STORE_TABLES = (slack_installations, slack_bots, slack_oauth_states)

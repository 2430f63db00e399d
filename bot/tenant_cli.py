"""``python -m bot tenant link-slack|link-teams|links|install-url`` (issue 15 item 5).

The operator's side of many municipalities in one deployment, after ``tenant add``
(bot.cli): hand a tenant's Slack workspace admin a signed install link (or link a
workspace by id), and link a Teams (Microsoft Entra) tenant id. See docs/slack.md,
"Many workspaces".
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa

from bot.clock import SystemClock, format_jst
from bot.config import get_settings
from bot.db import configured_sessionmaker, transaction
from bot.tenancy import Tenant, TenantError
from bot.workspaces import (
    SLACK,
    TEAMS,
    LinkError,
    Workspace,
    WorkspaceLink,
    link,
    link_key,
    sign_install_link,
)

DEFAULT_LINK_DAYS = 7


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _cmd_links(args: argparse.Namespace) -> int:
    with configured_sessionmaker()() as session:
        tenants = list(session.scalars(sa.select(Tenant).order_by(Tenant.id)))
        links: dict[str, list[WorkspaceLink]] = {}
        for row in session.scalars(sa.select(WorkspaceLink).order_by(WorkspaceLink.platform)):
            links.setdefault(row.tenant_id, []).append(row)
    for tenant in tenants:
        found = links.get(tenant.id, [])
        where = "、".join(_describe(x) for x in found) or "ワークスペース未接続"
        print(f"{tenant.id}\t{tenant.name}\t{where}")
    return 0


def _describe(row: WorkspaceLink) -> str:
    ident = row.workspace_id or f"Enterprise {row.enterprise_id}"
    if row.platform == SLACK and row.enterprise_id and row.workspace_id:
        ident += f"（Enterprise {row.enterprise_id}）"
    name = f"「{row.workspace_name}」" if row.workspace_name else ""
    label = "Slack" if row.platform == SLACK else "Teams"
    return f"{label} {ident}{name}（{format_jst(row.linked_at)} {row.linked_by}）"


def _link(args: argparse.Namespace, workspace: Workspace) -> int:
    try:
        with transaction(configured_sessionmaker()) as session:
            link(
                session,
                workspace=workspace,
                tenant_id=args.tenant,
                by=f"cli:{args.actor}",
                clock=SystemClock(),
                move=args.move,
            )
    except (LinkError, TenantError) as exc:
        return _fail(getattr(exc, "message", str(exc)))
    print(f"{_label(workspace)} をテナント {args.tenant} に接続しました。")
    return 0


def _label(workspace: Workspace) -> str:
    if workspace.platform == TEAMS:
        return f"Teams のテナント {workspace.workspace_id}"
    if workspace.workspace_id is None:
        return f"Slack の Enterprise {workspace.enterprise_id}（組織全体）"
    return f"Slack のワークスペース {workspace.workspace_id}"


def _cmd_link_slack(args: argparse.Namespace) -> int:
    team = None if args.org_wide else args.team
    if team is None and not args.enterprise:
        return _fail("組織全体の導入（--org-wide）には --enterprise を指定してください。")
    return _link(args, Workspace(SLACK, team, args.enterprise))


def _cmd_link_teams(args: argparse.Namespace) -> int:
    return _link(args, Workspace(TEAMS, args.teams_tenant.strip().lower()))


def install_url(*, public_url: str, client_secret: str, tenant_id: str, expires: int) -> str:
    """The signed /slack/install link of ``tenant_id``, valid until ``expires`` (unix time)."""
    sig = sign_install_link(link_key(client_secret), tenant_id=tenant_id, expires=expires)
    query = urlencode({"tenant": tenant_id, "exp": str(expires), "sig": sig})
    return f"{public_url.rstrip('/')}/slack/install?{query}"


def _cmd_install_url(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.public_url is None or settings.slack_client_secret is None:
        return _fail(
            "BOT_PUBLIC_URL（Slack アプリを動かすサーバーの公開 URL）と SLACK_CLIENT_SECRET を"
            "環境変数に設定してから実行してください。"
        )
    with configured_sessionmaker()() as session:
        tenant = session.get(Tenant, args.tenant)
    if tenant is None:
        return _fail(
            f"テナント {args.tenant} は登録されていません（tenant add で登録してください）。"
        )
    expires = int(time.time()) + int(args.days * 86400)
    url = install_url(
        public_url=settings.public_url,
        client_secret=settings.slack_client_secret.get_secret_value(),
        tenant_id=args.tenant,
        expires=expires,
    )
    print(url)
    print(
        f"# {tenant.name} の Slack ワークスペース管理者に渡してください"
        f"（有効期限 {format_jst_unix(expires)}）。",
        file=sys.stderr,
    )
    return 0


def format_jst_unix(seconds: int) -> str:
    from datetime import UTC, datetime

    return format_jst(datetime.fromtimestamp(seconds, UTC))


def add_tenant_commands(t: Any) -> None:
    """``link-slack``, ``link-teams``, ``links`` and ``install-url`` under ``tenant``."""
    t.add_parser("links", help="テナントごとの接続済みワークスペースを表示する").set_defaults(
        handler=_cmd_links
    )
    slack = t.add_parser("link-slack", help="Slack のワークスペースをテナントに接続する")
    slack.add_argument("tenant", metavar="テナントID")
    slack.add_argument("team", nargs="?", metavar="チームID", help="Slack のワークスペースID")
    slack.add_argument("--enterprise", metavar="ID", help="Slack の複数ワークスペース組織の組織ID")
    slack.add_argument(
        "--org-wide", action="store_true", help="組織全体への導入（チームIDなし）を接続する"
    )
    teams = t.add_parser("link-teams", help="Teams の組織（テナントID）を接続する")
    teams.add_argument("tenant", metavar="テナントID")
    teams.add_argument(
        "teams_tenant", metavar="組織ID", help="Teams の組織のテナントID（GUID 形式）"
    )
    for p in (slack, teams):
        p.add_argument(
            "--move", action="store_true", help="別のテナントに接続済みのものを付け替える"
        )
        p.add_argument("--actor", default="operator", metavar="担当者", help="記録する実行者名")
    slack.set_defaults(handler=_cmd_link_slack)
    teams.set_defaults(handler=_cmd_link_teams)
    url = t.add_parser("install-url", help="テナント専用の Slack 導入リンクを発行する")
    url.add_argument("tenant", metavar="テナントID")
    url.add_argument(
        "--days", type=float, default=DEFAULT_LINK_DAYS, metavar="日数", help="有効期間（既定 7日）"
    )
    url.set_defaults(handler=_cmd_install_url)

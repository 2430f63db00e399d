"""``python -m handlers.teams [serve|manifest|package]``.

serve   run the bot on PORT (default 3978), credentials from CLIENT_ID / CLIENT_SECRET /
        TENANT_ID, the database at DATABASE_URL (migrated on start). ``--demo`` loads the
        demo directory into an empty database and lets a chat user act as a demo person
        (``/as <handle>``), for the Agents Playground.
manifest write one tenant's app manifest (``--tenant``; its guideline in force, its ids
        from TEAMS_APPS_FILE), validated.
package build the Teams app package zip of one tenant.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from bot import logsafe
from bot.app import build as build_app
from bot.cliutil import JapaneseArgumentParser, exit_quietly_on_closed_pipe
from bot.config import get_settings
from bot.db import make_engine
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms, in_force_at
from bot.tenancy import DEFAULT_TENANT, Tenant, TenantError, check_tenant_id

from .demo import DEMO_BOT_ID, demo_token, load_demo_directory
from .packaging import ManifestError, build_manifest, build_package
from .settings import TeamsSettings

logger = logging.getLogger("handlers.teams")
DEFAULT_ZIP = "build/teams-app.zip"


def configure_logging(level: str | None = None) -> None:
    """Our loggers at ``LOG_LEVEL``; the SDK never below INFO (its DEBUG logs whole activities)."""
    chosen = (level or os.getenv("LOG_LEVEL") or "INFO").upper()
    logsafe.install()  # no draft text, name or secret in any line (bot/logsafe.py)
    logging.basicConfig(level=chosen, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("microsoft_teams", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, logging.getLevelName(chosen)))


def serve(args: argparse.Namespace) -> int:
    """Run the HTTP server until interrupted."""
    # The Teams SDK is imported for ``serve`` only: ``package`` runs without it.
    from .app import create_app
    from .core_adapter import TeamsCore

    factory = build_app(get_settings().database_url).factory
    if args.demo:
        load_demo_directory(factory)
        logger.warning("demo mode: '/as <handle>' lets any chat user act as a demo person")
    settings = TeamsSettings()
    token_provider = None
    if args.demo and not settings.client_id:
        # Proactive sends need a bot id; the Playground does not check the token.
        settings.client_id, token_provider = DEMO_BOT_ID, demo_token
    app = create_app(
        core=TeamsCore(factory, demo=args.demo), settings=settings, token_provider=token_provider
    )
    logger.info(
        "Teams bot on port %s (client id %s, auth %s)",
        settings.port,
        settings.client_id or "none",
        "OFF" if settings.allow_unauthenticated else "on",
    )
    asyncio.run(app.start(settings.port))
    return 0


def tenant_terms(tenant: str | None) -> Terms:
    """The guideline in force for ``tenant`` in the database at ``DATABASE_URL``.

    Without ``--tenant``: the default tenant's, or the shipped default file when there is no
    database yet. A tenant named on the command line must be registered in a readable
    database: its manifest is never written in another city's words."""
    url = get_settings().database_url
    if tenant is None:
        return in_force_at(url, DEFAULT_TENANT) or guideline_terms.of(default_guideline())
    try:
        check_tenant_id(tenant)
    except TenantError as exc:
        raise ManifestError([str(exc)]) from None
    terms = in_force_at(url, tenant)
    if terms is None:
        raise ManifestError(
            [
                f"データベース（DATABASE_URL）を読めないため、テナント「{tenant}」のガイドラインが"
                "分かりません（python -m bot db upgrade の後にもう一度実行してください）"
            ]
        )
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            known = conn.execute(
                sa.select(Tenant.__table__.c.id).where(Tenant.__table__.c.id == tenant)
            ).first()
    finally:
        engine.dispose()
    if known is None:
        raise ManifestError(
            [
                f"テナント「{tenant}」は登録されていません"
                f"（python -m bot tenant add {tenant} 名前 で登録してください）"
            ]
        )
    return terms


def _report(exc: ManifestError) -> int:
    for problem in exc.problems:
        print(f"アプリのマニフェストに誤りがあります: {problem}", file=sys.stderr)
    return 1


def manifest(args: argparse.Namespace) -> int:
    """Write one tenant's manifest.json (stdout, or ``--output``)."""
    try:
        built = build_manifest(
            TeamsSettings(), terms=tenant_terms(args.tenant), tenant=args.tenant or DEFAULT_TENANT
        )
    except ManifestError as exc:
        return _report(exc)
    text = json.dumps(built, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(out)
    else:
        sys.stdout.write(text)
    return 0


def package(args: argparse.Namespace) -> int:
    """Write the app package."""
    out = Path(args.out or (f"build/teams-app-{args.tenant}.zip" if args.tenant else DEFAULT_ZIP))
    try:
        out = build_package(
            TeamsSettings(),
            out,
            terms=tenant_terms(args.tenant),
            tenant=args.tenant or DEFAULT_TENANT,
        )
    except ManifestError as exc:
        return _report(exc)
    print(out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry (help and errors in Japanese; quiet on a closed pipe)."""
    return int(exit_quietly_on_closed_pipe(lambda: _main(argv)))


def _main(argv: list[str] | None) -> int:
    parser = JapaneseArgumentParser(
        prog="python -m handlers.teams", description="Microsoft Teams 用のボット"
    )
    sub = parser.add_subparsers(dest="command", metavar="コマンド")
    run = sub.add_parser("serve", help="ボットを起動する（既定）")
    run.add_argument(
        "--demo",
        action="store_true",
        help="デモ用の名簿を読み込み、/as ハンドル で利用者を切り替えられるようにする",
    )
    tenant_help = (
        "対象のテナント（自治体）。そのガイドラインと TEAMS_APPS_FILE の設定で作る。"
        "省くと既定のテナント"
    )
    man = sub.add_parser("manifest", help="テナントの Teams アプリのマニフェストを書き出す")
    man.add_argument("--tenant", metavar="テナントID", help=tenant_help)
    man.add_argument("-o", "--output", metavar="ファイル", help="書き出し先（省くと標準出力）")
    pack = sub.add_parser("package", help="テナントの Teams アプリのパッケージを作る")
    pack.add_argument("--tenant", metavar="テナントID", help=tenant_help)
    pack.add_argument(
        "--out",
        metavar="ファイル",
        help=f"書き出し先。既定は {DEFAULT_ZIP}、テナント指定時は build/teams-app-<テナントID>.zip",
    )
    args = parser.parse_args(argv)
    configure_logging()
    if args.command == "manifest":
        return manifest(args)
    if args.command == "package":
        return package(args)
    if args.command is None:
        args = run.parse_args([])
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())

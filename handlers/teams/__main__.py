"""``python -m handlers.teams [serve|package]``.

serve   run the bot on PORT (default 3978), credentials from CLIENT_ID / CLIENT_SECRET /
        TENANT_ID, the database at DATABASE_URL (migrated on start). ``--demo`` loads the
        demo directory into an empty database and lets a chat user act as a demo person
        (``/as <handle>``), for the Agents Playground.
package build the Teams app package zip.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from bot import logsafe
from bot.app import build as build_app
from bot.cliutil import JapaneseArgumentParser, exit_quietly_on_closed_pipe
from bot.config import get_settings

from .demo import DEMO_BOT_ID, demo_token, load_demo_directory
from .packaging import ManifestError, build_package
from .settings import TeamsSettings

logger = logging.getLogger("handlers.teams")


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


def package(args: argparse.Namespace) -> int:
    """Write the app package."""
    try:
        out = build_package(TeamsSettings(), Path(args.out))
    except ManifestError as exc:
        for problem in exc.problems:
            print(f"アプリのマニフェストに誤りがあります: {problem}", file=sys.stderr)
        return 1
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
    pack = sub.add_parser("package", help="Teams のアプリパッケージを作る")
    pack.add_argument(
        "--out",
        default="build/teams-app.zip",
        metavar="ファイル",
        help="書き出し先（既定: build/teams-app.zip）",
    )
    args = parser.parse_args(argv)
    configure_logging()
    if args.command == "package":
        return package(args)
    if args.command is None:
        args = run.parse_args([])
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())

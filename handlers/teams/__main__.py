"""``python -m handlers.teams [serve|package]``.

serve   run the bot on PORT (default 3978), credentials from CLIENT_ID / CLIENT_SECRET /
        TENANT_ID; ``--demo`` uses the in-memory fake core (Agents Playground).
package build the Teams app package zip.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import sys
from pathlib import Path

from .packaging import ManifestError, build_package
from .settings import TeamsSettings

logger = logging.getLogger("handlers.teams")


def configure_logging(level: str | None = None) -> None:
    """Our loggers at ``LOG_LEVEL``; the SDK never below INFO (its DEBUG logs whole activities)."""
    chosen = (level or os.getenv("LOG_LEVEL") or "INFO").upper()
    logging.basicConfig(level=chosen, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("microsoft_teams", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, logging.getLevelName(chosen)))


def _load_core(spec: str) -> object:
    module_name, _, attr = spec.partition(":")
    factory = getattr(importlib.import_module(module_name), attr or "create_core")
    return factory()


def serve(args: argparse.Namespace) -> int:
    """Run the HTTP server until interrupted."""
    from .app import create_app
    from .fake_core import FakeCore

    settings = TeamsSettings()
    if args.demo:
        core: object = FakeCore(demo=True)
        logger.warning("demo core in use: nothing is stored, anyone may approve")
    elif args.core:
        core = _load_core(args.core)
    else:
        print("--core module:factory か --demo を指定してください。", file=sys.stderr)
        return 2
    app = create_app(core=core, settings=settings)  # type: ignore[arg-type]
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
            print(f"manifest: {problem}", file=sys.stderr)
        return 1
    print(out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(prog="python -m handlers.teams")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("serve", help="run the bot (default)")
    run.add_argument("--demo", action="store_true", help="in-memory fake core")
    run.add_argument("--core", help="module:factory returning a TeamsCorePort")
    pack = sub.add_parser("package", help="build the Teams app package")
    pack.add_argument("--out", default="build/teams-app.zip")
    args = parser.parse_args(argv)
    configure_logging()
    if args.command == "package":
        return package(args)
    if args.command is None:
        args = run.parse_args([])
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m bot <command>``. With no command, the local console starts.

Each area adds its own sub-commands through a ``add_commands(subparsers)`` function listed
in ``COMMAND_MODULES``, so this file stays a thin dispatcher.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from bot.clock import JST
from bot.config import get_settings
from bot.db import make_engine, make_sessionmaker, upgrade

log = logging.getLogger("bot")

# Modules that contribute sub-commands (each defines ``add_commands(subparsers)``).
COMMAND_MODULES: list[str] = ["bot.incidents.cli", "bot.accounts.cli", "bot.scheduler.cli"]

Handler = Callable[[argparse.Namespace], int]


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    upgrade(get_settings().database_url)
    print("データベースを最新の状態にしました。")
    return 0


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日付は YYYY-MM-DD で指定してください: {value!r}"
        ) from None


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from bot.audit import verify

    factory = make_sessionmaker(make_engine(get_settings().database_url))
    with factory() as session:
        problems = verify(session)
    if not problems:
        print("監査ログは改ざんされていません（ハッシュチェーン検証 OK）。")
        return 0
    for p in problems:
        print(f"seq {p.seq}: {p.kind}: {p.detail}")
    print(f"監査ログに {len(problems)} 件の不整合があります。", file=sys.stderr)
    return 1


def _cmd_audit_export(args: argparse.Namespace) -> int:
    from bot.audit.service import export, iter_events

    start = datetime.combine(args.date_from, time(), JST) if args.date_from else None
    end = datetime.combine(args.date_to + timedelta(days=1), time(), JST) if args.date_to else None
    factory = make_sessionmaker(make_engine(get_settings().database_url))
    with factory() as session:
        out = export(iter_events(session, start=start, end=end), args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            fh.write(out)
    else:
        sys.stdout.write(out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="SNS guideline bot (default: local console)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")

    db = sub.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply migrations").set_defaults(handler=_cmd_db_upgrade)

    audit = sub.add_parser("audit", help="the public record (5(11))").add_subparsers(
        dest="audit_command", required=True
    )
    audit.add_parser("verify", help="check the hash chain").set_defaults(handler=_cmd_audit_verify)
    exp = audit.add_parser("export", help="export events in a period (JST dates, inclusive)")
    exp.add_argument("--from", dest="date_from", type=_parse_day)
    exp.add_argument("--to", dest="date_to", type=_parse_day)
    exp.add_argument("--format", choices=("csv", "json"), default="csv")
    exp.add_argument("-o", "--output", help="file to write (default: stdout)")
    exp.set_defaults(handler=_cmd_audit_export)

    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    handler: Handler | None = getattr(args, "handler", None)
    if handler is not None and getattr(args, "upgrade_first", True):
        # The bot upgrades its schema on start; every command sees the current schema.
        upgrade(get_settings().database_url)
    if handler is None:
        if args.command is None and "bot.console" in sys.modules | dict.fromkeys(COMMAND_MODULES):
            return int(build_parser().parse_args(["console"]).handler(args))
        parser.print_help()
        return 2
    return int(handler(args))

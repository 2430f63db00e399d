"""Command line: ``python -m bot <command>``. With no command, the local console starts.

Each area adds its own sub-commands through its ``add_commands(subparsers)`` function
(``COMMAND_MODULES``), so this file stays a thin dispatcher. The platform parts (the console,
the worker's notifiers) come from the entry point as ``bot.app.Adapters``: every handler
finds them in ``args.adapters``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.accounts import cli as accounts_cli
from bot.app import Adapters, wire
from bot.audit import verify
from bot.audit.service import export, iter_events
from bot.clock import JST
from bot.config import get_settings
from bot.db import make_engine, make_sessionmaker, transaction, upgrade
from bot.directory.loader import load_file
from bot.directory.service import describe
from bot.errors import BotError
from bot.feedback import cli as feedback_cli
from bot.guideline import cli as guideline_cli
from bot.incidents import cli as incidents_cli
from bot.scheduler import cli as scheduler_cli

log = logging.getLogger("bot")

# Modules that contribute sub-commands (each defines ``add_commands(subparsers)``).
COMMAND_MODULES = (accounts_cli, incidents_cli, scheduler_cli, feedback_cli, guideline_cli)

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


def _factory() -> Any:
    return make_sessionmaker(make_engine(get_settings().database_url))


def _cmd_directory_load(args: argparse.Namespace) -> int:
    try:
        with transaction(_factory()) as session:
            result = load_file(session, path=args.file, actor=args.actor)
    except BotError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"名簿を読み込みました（{result.summary()}）。")
    return 0


def _cmd_directory_show(args: argparse.Namespace) -> int:
    with _factory()() as session:
        print(describe(session))
    return 0


def _cmd_console(args: argparse.Namespace) -> int:
    adapters: Adapters = args.adapters
    if adapters.console is None:
        print(
            "この起動方法ではローカルコンソールを使えません（python -m bot で起動してください）。",
            file=sys.stderr,
        )
        return 2
    return adapters.console(args, _factory())


def _parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日時は 2026-11-25T10:00 の形で指定してください: {value!r}"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=JST)


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

    directory = sub.add_parser("directory", help="people, departments, accounts").add_subparsers(
        dest="directory_command", required=True
    )
    load = directory.add_parser("load", help="load a directory YAML file (docs/directory.md)")
    load.add_argument("file")
    load.add_argument("--actor", default="system", help="who is recorded in the audit log")
    load.set_defaults(handler=_cmd_directory_load)
    directory.add_parser("show", help="print the directory").set_defaults(
        handler=_cmd_directory_show
    )

    console = sub.add_parser("console", help="the local console (default)")
    console.add_argument("--script", help="replay commands from a file instead of a terminal")
    console.add_argument("--user", help="act as this person (handle) at start")
    console.add_argument("--now", type=_parse_now, help="fix the clock (JST), e.g. for scripts")
    console.set_defaults(handler=_cmd_console)

    for module in COMMAND_MODULES:
        module.add_commands(sub)
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None, *, adapters: Adapters | None = None) -> int:
    """Run one command; ``adapters`` are the platform parts the entry point supplies."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = _subcommands(parser)
    if not commands & set(argv) and not {"-h", "--help"} & set(argv):
        # No command: the local console, the embedded default (``python -m bot --script F``).
        top = [a for a in argv if a in ("-v", "--verbose")]
        argv = [*top, "console", *[a for a in argv if a not in top]]
    args = parser.parse_args(argv)
    interactive = args.command == "console"
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if interactive else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if not args.verbose:
        # Alembic announces every plugin and migration context at INFO on each start.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    args.adapters = adapters or Adapters()
    wire()
    handler: Handler | None = getattr(args, "handler", None)
    if handler is not None and getattr(args, "upgrade_first", True):
        # The bot upgrades its schema on start; every command sees the current schema.
        upgrade(get_settings().database_url)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args))

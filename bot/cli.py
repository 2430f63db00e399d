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

from bot import logsafe, tenant_cli
from bot.accounts import cli as accounts_cli
from bot.app import Adapters, wire
from bot.audit import check
from bot.audit.checkpoints import checkpoint_or_head
from bot.audit.service import PROBLEM_LABELS, export, iter_events
from bot.cliutil import JapaneseArgumentParser, exit_quietly_on_closed_pipe, fill_help, os_error
from bot.clock import JST, SystemClock
from bot.config import get_settings
from bot.custody.cli import add_transfer_command
from bot.db import configured_sessionmaker, transaction, upgrade
from bot.directory.loader import load_file
from bot.directory.service import describe
from bot.errors import BotError
from bot.feedback import cli as feedback_cli
from bot.guideline import cli as guideline_cli
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.incidents import cli as incidents_cli
from bot.scheduler import cli as scheduler_cli
from bot.tenancy import (
    DEFAULT_TENANT,
    Tenant,
    TenantError,
    acting_for,
    check_tenant_id,
)

log = logging.getLogger("bot")

# Modules that contribute sub-commands (each defines ``add_commands(subparsers)``).
COMMAND_MODULES = (
    accounts_cli,
    incidents_cli,
    scheduler_cli,
    feedback_cli,
    guideline_cli,
)

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
    factory = configured_sessionmaker()
    with factory() as session:
        report = check(session, expect=args.expect_head or (), now=SystemClock().now())
    for note in report.notices:
        print(note if report.keyring else f"注意: {note}", file=sys.stderr)
    if not report.problems:
        what = "ハッシュチェーン・署名・チェックポイント" if report.keyring else "ハッシュチェーン"
        expected = "・公開されたヘッド" if args.expect_head else ""
        print(f"監査ログは改ざんされていません（{what}{expected}を検証しました）。")
        print(f"現在のヘッド: {report.head}")
        return 0
    for p in report.problems:
        print(f"{p.where()}: {PROBLEM_LABELS.get(p.kind, p.kind)}: {p.detail}")
    with factory() as session:
        desk = guideline_terms.in_force(session).incident_desk
    print(
        f"監査ログに {len(report.problems)} 件の不整合があります。記録を書き換えた経緯を確認し、"
        f"{desk}に報告してください。",
        file=sys.stderr,
    )
    return 1


def _parse_head(value: str) -> Any:
    from bot.audit import Head

    try:
        return Head.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from bot.audit.checkpoints import ChainBroken, write_checkpoint
    from bot.audit.keys import AuditKeyError
    from bot.db import transaction

    try:
        with transaction(configured_sessionmaker()) as session:
            cp = write_checkpoint(session, reason="manual")
    except AuditKeyError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except ChainBroken as exc:
        first = exc.problems[0]
        print(
            f"監査ログの検証に失敗したため署名しません（{first.where()}: {first.detail}）。",
            file=sys.stderr,
        )
        return 1
    print(f"チェックポイント #{cp.id} を書きました: {cp.seq}:{cp.head_hash}（鍵 {cp.key_id}）")
    return 0


def _cmd_audit_keygen(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.audit.keys import Signer, public_text, write_key_file

    signer = Signer.generate()
    try:
        write_key_file(Path(args.output), signer)
    except FileExistsError:
        print(f"{args.output} はすでにあります。上書きはしません。", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.output} に書けません（{os_error(exc)}）。", file=sys.stderr)
        return 1
    print(f"署名鍵を {args.output} に作成しました（所有者だけが読めます）。")
    print(f"鍵 ID: {signer.key_id}")
    print(f"公開鍵: {public_text(signer.public)}")
    print("AUDIT_SIGNING_KEY_FILE にこのファイルを指定し、公開鍵は控えておいてください。")
    return 0


def _cmd_audit_export(args: argparse.Namespace) -> int:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        print(
            f"期間の指定が逆です（--from {args.date_from.isoformat()} が "
            f"--to {args.date_to.isoformat()} より後の日付です）。"
            "--from に始まりの日、--to に終わりの日を指定してください。",
            file=sys.stderr,
        )
        return 2
    start = datetime.combine(args.date_from, time(), JST) if args.date_from else None
    end = datetime.combine(args.date_to + timedelta(days=1), time(), JST) if args.date_to else None
    factory = configured_sessionmaker()
    # Every export first signs the current head, and carries it: a copy outside the database.
    with transaction(factory) as session:
        head, unsigned = checkpoint_or_head(session, reason="export")
    if unsigned:
        print(f"注意: {unsigned}", file=sys.stderr)
    with factory() as session:
        out = export(iter_events(session, start=start, end=end), args.format, head=head)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            fh.write(out)
    else:
        sys.stdout.write(out)
    print(f"チェーンヘッド: {head.head}", file=sys.stderr)
    return 0


def _cmd_directory_load(args: argparse.Namespace) -> int:
    try:
        with transaction(configured_sessionmaker()) as session:
            result = load_file(session, path=args.file, actor=args.actor)
    except BotError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"名簿を読み込みました（{result.summary()}）。")
    return 0


def _cmd_directory_show(args: argparse.Namespace) -> int:
    with configured_sessionmaker()() as session:
        print(describe(session))
    return 0


def _cmd_tenant_add(args: argparse.Namespace) -> int:
    from bot.audit import record
    from bot.tenancy import ensure_tenant

    with transaction(configured_sessionmaker()) as session:
        if session.get(Tenant, args.id) is not None:
            print(f"テナント「{args.id}」はすでに登録されています。", file=sys.stderr)
            return 1
        ensure_tenant(session, tenant_id=args.id, name=args.name, clock=SystemClock())
    with acting_for(args.id), transaction(configured_sessionmaker()) as session:
        # The first entry of the new tenant's own audit chain.
        record(
            session,
            actor="system",
            action="tenant.created",
            subject_type="tenant",
            subject_id=args.id,
            data={"name": args.name},
        )
    print(
        f"テナント「{args.id}」（{args.name}）を登録しました。"
        f"名簿は python -m bot directory load ファイル --tenant {args.id} で読み込みます。"
    )
    return 0


def _cmd_tenant_list(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    with configured_sessionmaker()() as session:
        for tenant in session.scalars(sa.select(Tenant).order_by(Tenant.id)):
            print(f"{tenant.id}\t{tenant.name}")
    return 0


def _tenant_id(value: str) -> str:
    try:
        return check_tenant_id(value)
    except TenantError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# Commands that do not act for one tenant: the worker sweeps every tenant, ``tenant``
# manages them, ``db upgrade`` and ``audit keygen`` touch no tenant's data.
NOT_PER_TENANT = {"worker", "tenant", "db", "keygen"}


def _add_tenant_option(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """``--tenant`` on every command that reads or writes one tenant's data."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if name not in NOT_PER_TENANT:
                    _add_tenant_option(sub, (*path, name))
            return
    if path:
        parser.add_argument(
            "--tenant",
            type=_tenant_id,
            default=DEFAULT_TENANT,
            metavar="テナントID",
            help="対象のテナント（自治体）。省くと既定のテナント（1自治体だけの配備）",
        )


def _cmd_console(args: argparse.Namespace) -> int:
    adapters: Adapters = args.adapters
    if adapters.console is None:
        print(
            "この起動方法ではローカルコンソールを使えません（python -m bot で起動してください）。",
            file=sys.stderr,
        )
        return 2
    return adapters.console(args, configured_sessionmaker())


def _parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日時は 2026-11-25T10:00 の形で指定してください: {value!r}"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=JST)


def build_parser(terms: guideline_terms.Terms | None = None) -> argparse.ArgumentParser:
    """Every command; the help texts speak the words of ``terms`` (the tenant's guideline
    in force when ``--help`` is asked for, ``_help_terms``), else the shipped default's."""
    parser = JapaneseArgumentParser(
        prog="python -m bot",
        description="SNS ガイドライン運用ボット（コマンドを省くとローカルコンソールが起動します）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="詳しいログを表示する")
    sub = parser.add_subparsers(dest="command", metavar="コマンド")

    db = sub.add_parser(
        "db", help="データベースのスキーマ", description="データベースのスキーマ"
    ).add_subparsers(dest="db_command", required=True, metavar="操作")
    db.add_parser("upgrade", help="スキーマを最新にする（マイグレーションの適用）").set_defaults(
        handler=_cmd_db_upgrade
    )

    audit = sub.add_parser(
        "audit", help="公開記録（{records}）の検証と書き出し", description="公開記録（{records}）"
    ).add_subparsers(dest="audit_command", required=True, metavar="操作")
    ver = audit.add_parser(
        "verify",
        help="ハッシュチェーン・署名・チェックポイントを検証する（改変・挿入・削除・偽造の検出）",
        description="監査ログを検証します（docs/security.md）。",
    )
    ver.add_argument(
        "--expect-head",
        action="append",
        type=_parse_head,
        metavar="件数:ハッシュ",
        help="データベースの外に控えたヘッド（日次の通知、書き出したファイル）。複数指定できます",
    )
    ver.set_defaults(handler=_cmd_audit_verify)
    audit.add_parser(
        "checkpoint", help="いまのチェーンヘッドに署名する（チェックポイント）"
    ).set_defaults(handler=_cmd_audit_checkpoint)
    keygen = audit.add_parser(
        "keygen", help="監査ログの署名鍵ファイルを作成する（docs/security.md）"
    )
    keygen.add_argument("output", metavar="ファイル", help="作成する鍵ファイル（上書きはしません）")
    keygen.set_defaults(handler=_cmd_audit_keygen, upgrade_first=False)
    exp = audit.add_parser(
        "export",
        help="期間内の記録を書き出す（日本時間の日付、両端を含む）",
        description="期間内の記録を書き出します（日本時間の日付、両端を含む）。",
    )
    exp.add_argument(
        "--from", dest="date_from", type=_parse_day, metavar="日付", help="始まりの日（YYYY-MM-DD）"
    )
    exp.add_argument(
        "--to", dest="date_to", type=_parse_day, metavar="日付", help="終わりの日（YYYY-MM-DD）"
    )
    exp.add_argument("--format", choices=("csv", "json"), default="csv", help="形式（既定: csv）")
    exp.add_argument("-o", "--output", metavar="ファイル", help="書き出し先（省くと標準出力）")
    exp.set_defaults(handler=_cmd_audit_export)

    directory = sub.add_parser(
        "directory", help="名簿（職員・課・公式アカウント）", description="名簿"
    ).add_subparsers(dest="directory_command", required=True, metavar="操作")
    load = directory.add_parser("load", help="名簿の YAML ファイルを読み込む（docs/directory.md）")
    load.add_argument("file", metavar="ファイル", help="名簿の YAML ファイル")
    load.add_argument(
        "--actor",
        default="system",
        metavar="ハンドル",
        help="監査ログに記録する操作者の名簿上のハンドル（既定: system）",
    )
    load.set_defaults(handler=_cmd_directory_load)
    directory.add_parser("show", help="名簿を表示する").set_defaults(handler=_cmd_directory_show)
    add_transfer_command(directory)

    console = sub.add_parser(
        "console", help="ローカルコンソール（既定）", description="ローカルコンソール"
    )
    console.add_argument(
        "--script", metavar="ファイル", help="端末の代わりにファイルのコマンドを順に実行する"
    )
    console.add_argument("--user", metavar="ハンドル", help="最初に操作する利用者")
    console.add_argument(
        "--now",
        type=_parse_now,
        metavar="日時",
        help="時計を固定する（日本時間、例: 2026-12-01T10:00。スクリプト用）",
    )
    console.set_defaults(handler=_cmd_console)

    tenant = sub.add_parser(
        "tenant", help="テナント（1つの配備で扱う自治体）を管理する（docs/tenancy.md）"
    ).add_subparsers(dest="tenant_command", required=True, metavar="操作")
    add = tenant.add_parser("add", help="テナントを登録する")
    add.add_argument("id", type=_tenant_id, metavar="テナントID", help="英小文字・数字・ハイフン")
    add.add_argument("name", metavar="名前", help="自治体の名前（例: 〇〇町）")
    add.set_defaults(handler=_cmd_tenant_add)
    tenant.add_parser("list", help="登録済みのテナントを表示する").set_defaults(
        handler=_cmd_tenant_list
    )
    # link-slack, link-teams, links, install-url: workspaces of a tenant (docs/slack.md).
    tenant_cli.add_tenant_commands(tenant)

    for module in COMMAND_MODULES:
        module.add_commands(sub)
    _add_tenant_option(parser)
    fill_help(parser, (terms or guideline_terms.of(default_guideline())).fill)
    return parser


def _help_terms(argv: Sequence[str]) -> guideline_terms.Terms | None:
    """The terms ``--help`` speaks: the guideline in force for the ``--tenant`` named (or
    the default tenant) in the configured database; None (the shipped default file) when
    that database is absent or cannot be read. ``--help`` never creates a database."""
    tenant = DEFAULT_TENANT
    for i, arg in enumerate(argv):
        if arg == "--tenant" and i + 1 < len(argv):
            tenant = argv[i + 1]
        elif arg.startswith("--tenant="):
            tenant = arg.split("=", 1)[1]
    try:
        check_tenant_id(tenant)
    except TenantError:
        return None
    return guideline_terms.in_force_at(get_settings().database_url, tenant)


def _subcommands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: Sequence[str] | None = None, *, adapters: Adapters | None = None) -> int:
    """Run one command; ``adapters`` are the platform parts the entry point supplies.

    A closed stdout (``python -m bot directory show | head``) ends it quietly."""
    return int(exit_quietly_on_closed_pipe(lambda: _main(argv, adapters)))


def _main(argv: Sequence[str] | None, adapters: Adapters | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_help_terms(argv) if {"-h", "--help"} & set(argv) else None)
    commands = _subcommands(parser)
    if not commands & set(argv) and not {"-h", "--help"} & set(argv):
        # No command: the local console, the embedded default (``python -m bot --script F``).
        top = [a for a in argv if a in ("-v", "--verbose")]
        argv = [*top, "console", *[a for a in argv if a not in top]]
    args = parser.parse_args(argv)
    interactive = args.command == "console"
    logsafe.install()  # before anything logs: no draft text, name or secret in any line
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
    tenant = getattr(args, "tenant", DEFAULT_TENANT)
    if tenant != DEFAULT_TENANT and not _tenant_exists(tenant):
        print(
            f"テナント「{tenant}」は登録されていません。"
            f"python -m bot tenant add {tenant} 名前 で登録してから指定してください。",
            file=sys.stderr,
        )
        return 2
    with acting_for(tenant):
        return int(handler(args))


def _tenant_exists(tenant: str) -> bool:
    with configured_sessionmaker()() as session:
        return session.get(Tenant, tenant) is not None

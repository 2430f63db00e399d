"""``python -m bot directory transfer FILE [--dry-run]`` and ``python -m bot accounts custody``."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.clock import SystemClock, format_jst
from bot.custody import transfers
from bot.custody.messaging import who
from bot.custody.models import MEDIUM_LABELS, TWOFA_LABELS, CustodyRecord
from bot.custody.service import media_of, open_handovers
from bot.db import configured_sessionmaker, transaction
from bot.directory.models import Account
from bot.errors import BotError


def _cmd_transfer(args: argparse.Namespace) -> int:
    try:
        text = transfers.read_file(args.file)
        kind = transfers.kind_of(args.file, text)
        if args.dry_run:
            with configured_sessionmaker()() as session:
                result = transfers.plan(session, text, kind=kind, origin=args.file)
        else:
            with transaction(configured_sessionmaker()) as session:
                result = transfers.load(
                    session,
                    text=text,
                    kind=kind,
                    origin=args.file,
                    actor=args.actor,
                    clock=SystemClock(),
                )
    except BotError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    head = "（確認のみ・何も登録していません）" if args.dry_run else ""
    print(f"人事異動 {len(result.moves)}件{head}:")
    for line in result.lines:
        print(line)
    if not args.dry_run:
        print(
            f"{len(result.moves)}件の異動を登録しました。発令日に引継ぎと決裁の引継ぎを行います。"
        )
    return 0


CSV_HEADERS = (
    "アカウント",
    "アカウント名",
    "所管課",
    "管理者",
    "認証情報の管理者",
    "復旧用メール",
    "復旧用メールが個人",
    "復旧用電話",
    "復旧用電話が個人",
    "二要素認証",
    "方式",
    "パスワード最終変更日",
    "最終確認日",
    "媒体",
    "未完了の引継ぎ",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def custody_csv(session: Session) -> str:
    """The current custody state of every account, for an internal audit (監査). BOM, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for account in session.scalars(sa.select(Account).order_by(Account.code)):
        r = session.scalar(sa.select(CustodyRecord).where(CustodyRecord.account_id == account.id))
        media = "; ".join(
            f"{m.label}［{MEDIUM_LABELS.get(m.kind, m.kind)}］{who(m.holder)} {m.storage or ''}".strip()
            for m in media_of(session, account=account)
        )
        handovers = "; ".join(f"#{h.id}" for h in open_handovers(session, account=account))
        yes = {True: "はい", False: "いいえ"}
        writer.writerow(
            [
                _cell(v)
                for v in (
                    account.code,
                    account.name,
                    account.department.name,
                    who(account.manager) if account.manager else "",
                    who(r.holder) if r and r.holder else "",
                    r.recovery_email if r else "",
                    yes[r.recovery_email_personal] if r and r.recovery_email else "",
                    r.recovery_phone if r else "",
                    yes[r.recovery_phone_personal] if r and r.recovery_phone else "",
                    ("on" if r.twofa_enabled else "off") if r else "",
                    TWOFA_LABELS.get(r.twofa_method or "", "") if r else "",
                    format_jst(r.password_changed_at)[:-6] if r and r.password_changed_at else "",
                    format_jst(r.confirmed_at) if r and r.confirmed_at else "",
                    media,
                    handovers,
                )
            ]
        )
    return "\ufeff" + out.getvalue()


def _cmd_custody(args: argparse.Namespace) -> int:
    with configured_sessionmaker()() as session:
        out = custody_csv(session)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            fh.write(out)
        print(f"認証情報の管理状況を {args.output} に書き出しました。", file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0


def add_transfer_command(directory: Any) -> None:
    """``directory transfer`` (the ``directory`` sub-parsers are built in bot.cli)."""
    cmd = directory.add_parser(
        "transfer",
        help="人事異動の一覧（CSV または YAML）を読み込み、発令日に引継ぎを行う",
        description="人事異動の一覧（person, from, to, effective, role）を読み込みます"
        "（docs/custody.md）。",
    )
    cmd.add_argument("file", metavar="ファイル")
    cmd.add_argument(
        "--dry-run", action="store_true", help="変更内容を表示するだけで、何も登録しない"
    )
    cmd.add_argument(
        "--actor",
        default="system",
        metavar="ハンドル",
        help="監査ログに記録する実行者の名簿上のハンドル（既定: system）",
    )
    cmd.set_defaults(handler=_cmd_transfer)


def add_custody_command(accounts: Any) -> None:
    """``accounts custody`` (the ``accounts`` sub-parsers are built in bot.accounts.cli)."""
    cmd = accounts.add_parser(
        "custody",
        help="全公式アカウントの認証情報の管理状況を書き出す（内部監査用、{credentials}）",
    )
    cmd.add_argument("--format", choices=("csv",), default="csv", help="形式（既定: csv）")
    cmd.add_argument("-o", "--output", metavar="ファイル", help="書き出し先（省くと標準出力）")
    cmd.set_defaults(handler=_cmd_custody)

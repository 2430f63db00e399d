"""``python -m bot accounts publish``: the confirmed-account list for the city website (4(2))."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.accounts.publish import published_accounts, render_csv, render_html
from bot.clock import SystemClock, to_jst
from bot.custody.cli import add_custody_command
from bot.db import configured_sessionmaker


def _cmd_publish(args: argparse.Namespace) -> int:
    factory = configured_sessionmaker()
    with factory() as session:
        rows = published_accounts(session)
    if args.format == "csv":
        out = render_csv(rows)
    else:
        out = render_html(
            rows, as_of=to_jst(SystemClock().now()).date(), full_page=not args.fragment
        )
    if args.output:
        # newline="" keeps the CSV's CRLF line ends as they are.
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            fh.write(out)
        print(
            f"公式アカウント一覧（{len(rows)}件）を {args.output} に書き出しました。",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(out)
    return 0


def add_commands(subparsers: Any) -> None:
    """Register ``accounts publish`` and ``accounts custody``."""
    accounts = subparsers.add_parser(
        "accounts", help="公式アカウントの登録簿", description="公式アカウントの登録簿"
    )
    sub = accounts.add_subparsers(dest="accounts_command", required=True, metavar="操作")
    pub = sub.add_parser(
        "publish",
        help="市ホームページに掲載する確認済みの公式アカウント一覧を書き出す（{confirmation+publication}）",
    )
    pub.add_argument("--format", choices=("html", "csv"), default="html", help="形式（既定: html）")
    pub.add_argument(
        "--fragment",
        action="store_true",
        help="HTML の表（<table>）だけを書き出す（CMS に貼り付ける用）",
    )
    pub.add_argument("-o", "--output", metavar="ファイル", help="書き出し先（省くと標準出力）")
    pub.set_defaults(handler=_cmd_publish)
    add_custody_command(sub)

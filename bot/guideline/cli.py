"""``python -m bot guideline check|show|diff|load|history``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cliutil import os_error
from bot.clock import to_jst
from bot.db import configured_sessionmaker, transaction
from bot.errors import BotError
from bot.guideline import service
from bot.guideline.diff import diff
from bot.guideline.loader import GuidelineError, load_file
from bot.guideline.model import Guideline

# The calendar as the file writes it (``mon``, ``JP``) → as staff read it.
WEEKDAYS = {
    "mon": "月",
    "tue": "火",
    "wed": "水",
    "thu": "木",
    "fri": "金",
    "sat": "土",
    "sun": "日",
}
HOLIDAYS = {"JP": "日本の祝日"}


def _describe(g: Guideline) -> str:
    lines = [
        f"{g.title}（{g.issued_by}{'、' + g.issued_on if g.issued_on else ''}）",
        f"SHA-256: {g.sha256}",
        f"条項: {len(g.clauses)}件（内容チェックで確認する条項 {sum(1 for c in g.clauses if c.check)}件）",
        f"決裁: {g.approval_clause}（{g.approver}）",
        "決裁不要の区分: "
        + "、".join(
            f"{e.label}（{e.description}）" + ("" if e.held else "［保留しない］")
            for e in g.exemptions
        ),
        f"開設の確認: {g.account_confirmer.title}　事案の窓口: {g.incident_desk.title}",
        f"運用ポリシーの項目（{g.policy_clause}）: "
        + "、".join(f"{i.label} {i.text}" for i in g.policy_items),
        "事案の種別: "
        + "、".join(f"{t.name}（{t.clause}、手順{len(t.steps)}）" for t in g.incident_types),
        f"{g.calendar.working_time_name}: {g.calendar.start}〜{g.calendar.end}"
        f"（{'・'.join(WEEKDAYS.get(d, d) for d in g.calendar.days)}、"
        f"祝日: {HOLIDAYS.get(g.calendar.holidays, g.calendar.holidays)}、"
        f"休業日 {'、'.join(g.calendar.closed_days)}）",
    ]
    return "\n".join(lines)


def _load_or_fail(path: str) -> Guideline | None:
    try:
        return load_file(path)
    except GuidelineError as exc:
        print(exc.message, file=sys.stderr)
        return None


def _cmd_check(args: argparse.Namespace) -> int:
    g = _load_or_fail(args.file)
    if g is None:
        return 1
    print(f"問題はありません: {g.title}（条項 {len(g.clauses)}件）")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    if args.file:
        g = _load_or_fail(args.file)
        if g is None:
            return 1
    else:
        with configured_sessionmaker()() as session:
            g = service.in_force(session)
    print(_describe(g))
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    old, new = _load_or_fail(args.old), _load_or_fail(args.new)
    if old is None or new is None:
        return 1
    changes = diff(old, new)
    if not changes:
        print(f"違いはありません（{old.title} と {new.title}）。")
        return 0
    print(f"{old.title} → {new.title}: {len(changes)}件の変更")
    for line in changes:
        print(line)
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        print(f"{path}: ファイルを読めません（{os_error(exc)}）", file=sys.stderr)
        return 1
    try:
        with transaction(configured_sessionmaker()) as session:
            g, load = service.record_load(session, raw=raw, source=path.name, actor=args.actor)
    except GuidelineError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except BotError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    if load is None:
        print(f"{g.title} は読み込み済みです（変更はありません）。")
    else:
        print(f"{g.title} を読み込みました（SHA-256 {g.sha256[:12]}…、監査ログに記録）。")
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    with configured_sessionmaker()() as session:
        loads = service.history(session)
        if not loads:
            print("読み込んだガイドラインはありません（同梱の既定のガイドラインを使っています）。")
            return 0
        for load in loads:
            print(
                f"#{load.id} {to_jst(load.loaded_at):%Y-%m-%d %H:%M} {load.name} {load.version}"
                f" SHA-256 {load.sha256[:12]}… 読み込み: {load.loaded_by_name}"
            )
    return 0


def add_commands(sub: Any) -> None:
    """``guideline check|show|diff|load|history``."""
    g = sub.add_parser(
        "guideline", help="ガイドラインのファイル（検証・比較・読み込み）"
    ).add_subparsers(dest="guideline_command", required=True)
    check = g.add_parser("check", help="ファイルを検証する（読み込みはしない）")
    check.add_argument("file", metavar="ファイル")
    check.set_defaults(handler=_cmd_check, upgrade_first=False)
    show = g.add_parser("show", help="内容を要約して表示（ファイル省略時は適用中のもの）")
    show.add_argument("file", nargs="?", metavar="ファイル")
    show.set_defaults(handler=_cmd_show)
    d = g.add_parser("diff", help="二つの版の違いを表示")
    d.add_argument("old", metavar="旧ファイル")
    d.add_argument("new", metavar="新ファイル")
    d.set_defaults(handler=_cmd_diff, upgrade_first=False)
    load = g.add_parser("load", help="新しい版を読み込む（監査ログに記録）")
    load.add_argument("file", metavar="ファイル")
    load.add_argument(
        "--actor", default="system", metavar="担当者", help="読み込む人の名簿上のハンドル"
    )
    load.set_defaults(handler=_cmd_load)
    g.add_parser("history", help="読み込んだ版の履歴").set_defaults(handler=_cmd_history)

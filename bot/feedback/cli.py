"""``python -m bot rules …``: false-positive feedback and the check's allowances."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.clock import to_jst
from bot.db import configured_sessionmaker, transaction
from bot.directory import service as directory
from bot.errors import BotError
from bot.feedback import service
from bot.feedback.models import KINDS
from bot.guideline import terms as guideline_terms


def _person(p: Any) -> str:
    return f"{p.name}（{p.handle}）"


def _cmd_feedback(args: argparse.Namespace) -> int:
    with configured_sessionmaker()() as session:
        groups = service.feedback(session)
        if args.json:
            out = [
                {
                    "rule": g.rule,
                    "clause": g.clause,
                    "agreed": g.agreed,
                    "disagreed": g.disagreed,
                    "pending": g.pending,
                    "cases": [
                        {
                            "draft_id": c.draft_id,
                            "version": c.version,
                            "account": c.account_code,
                            "author": c.author.handle,
                            "submitted_at": c.submitted_at.isoformat(),
                            "statement": c.statement,
                            "findings": [
                                {k: f[k] for k in ("rule", "clause", "excerpt", "start", "end")}
                                for f in c.findings
                                if f["rule"] == g.rule
                            ],
                            "decision": c.decision,
                            "decider": c.decider.handle if c.decider else None,
                            "decision_reason": c.decision_reason,
                        }
                        for c in g.cases
                    ],
                }
                for g in groups
            ]
            print(json.dumps(out, ensure_ascii=False, indent=2))
            return 0
        if not groups:
            print("誤検知の申し出はまだありません。")
            return 0
        terms = guideline_terms.in_force(session)
        total = len({(c.draft_id, c.version) for g in groups for c in g.cases})
        print(f"誤検知の申し出 {total} 件（規則ごと。1件が複数の規則に数えられることがあります）")
        for g in groups:
            print(
                f"\n■ {g.rule}（{g.clause}）: {len(g.cases)}件 — "
                f"{terms.approver}も誤検知と判断 {g.agreed}、"
                f"差し戻し・却下 {g.disagreed}、未決 {g.pending}"
            )
            for c in g.cases:
                excerpts = "、".join(
                    dict.fromkeys(f"「{f['excerpt']}」" for f in c.findings if f["rule"] == g.rule)
                )
                print(
                    f"  下書き#{c.draft_id} 第{c.version}版（{c.account_code}）"
                    f" {to_jst(c.submitted_at):%Y-%m-%d %H:%M} {_person(c.author)}"
                )
                print(f"    検出: {excerpts}")
                print(f"    誤検知とする理由: {c.statement}")
                if c.decision is None:
                    print("    決裁: 未決")
                else:
                    who = _person(c.decider) if c.decider else ""
                    line = f"    決裁: {terms.fill(service.DECISION_LABELS[c.decision])} {who}"
                    print(line + (f" コメント: {c.decision_reason}" if c.decision_reason else ""))
        print(
            f"\n許容設定にするには（{terms.incident_desk}の担当者のみ）: python -m bot rules allow "
            "--actor 担当者 --kind allow_phrase --value 語句 --draft 下書き番号 --rule 規則 "
            "--reason 理由"
        )
    return 0


def _cmd_allowances(args: argparse.Namespace) -> int:
    with configured_sessionmaker()() as session:
        entries = service.allowances(session, include_revoked=args.all)
        if not entries:
            print("内容チェックの許容設定はありません。")
            return 0
        for line, e in zip(service.describe_values(entries), entries, strict=True):
            when = f" {to_jst(e.created_at):%Y-%m-%d %H:%M}"
            revoked = f" 【取消: {to_jst(e.revoked_at):%Y-%m-%d %H:%M}】" if e.revoked_at else ""
            print(line + when + revoked)
    return 0


def _cmd_allow(args: argparse.Namespace) -> int:
    try:
        with transaction(configured_sessionmaker()) as session:
            actor = directory.get_person(session, handle=args.actor)
            entry = service.add_allowance(
                session,
                actor=actor,
                kind=args.kind,
                value=args.value,
                reason=args.reason,
                draft_id=args.draft,
                rule=args.rule,
            )
            label = service.KIND_LABELS[entry.kind]
            number, value = entry.id, entry.value
    except BotError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(
        f"許容設定#{number}（{label}「{value}」）を登録しました。次の内容チェックから反映されます。"
    )
    return 0


def _cmd_revoke(args: argparse.Namespace) -> int:
    try:
        with transaction(configured_sessionmaker()) as session:
            actor = directory.get_person(session, handle=args.actor)
            entry = service.revoke_allowance(session, actor=actor, allowance_id=args.id)
            number = entry.id
    except BotError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"許容設定#{number}を取り消しました。次の内容チェックから再び検出されます。")
    return 0


def add_commands(sub: Any) -> None:
    """``rules feedback|allowances|allow|revoke``."""
    rules = sub.add_parser(
        "rules", help="内容チェックへの誤検知の申し出と許容設定（{desk}）"
    ).add_subparsers(dest="rules_command", required=True)
    fb = rules.add_parser("feedback", help="誤検知の申し出と{approver}の判断を規則ごとに表示")
    fb.add_argument("--json", action="store_true", help="JSON で出力")
    fb.set_defaults(handler=_cmd_feedback)
    ls = rules.add_parser("allowances", help="許容設定の一覧")
    ls.add_argument("--all", action="store_true", help="取り消したものも表示")
    ls.set_defaults(handler=_cmd_allowances)
    allow = rules.add_parser("allow", help="許容設定を登録（{desk}の担当者のみ）")
    allow.add_argument(
        "--actor", required=True, metavar="担当者", help="登録する担当者の名簿上のハンドル"
    )
    allow.add_argument(
        "--kind", required=True, choices=KINDS, metavar="種類", help="種類: " + "、".join(KINDS)
    )
    allow.add_argument(
        "--value", required=True, metavar="値", help="語句・電話番号・ドメイン・規則名"
    )
    allow.add_argument("--reason", required=True, metavar="理由", help="理由（監査ログに記録）")
    allow.add_argument("--draft", type=int, metavar="番号", help="申し出のあった下書きの番号")
    allow.add_argument("--rule", metavar="規則", help="申し出の対象の規則名")
    allow.set_defaults(handler=_cmd_allow)
    revoke = rules.add_parser("revoke", help="許容設定を取り消す（{desk}の担当者のみ）")
    revoke.add_argument("id", type=int, metavar="番号", help="許容設定の番号")
    revoke.add_argument(
        "--actor", required=True, metavar="担当者", help="取り消す担当者の名簿上のハンドル"
    )
    revoke.set_defaults(handler=_cmd_revoke)

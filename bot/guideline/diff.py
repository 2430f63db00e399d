"""What changed between two versions of a guideline, in Japanese, one line per change."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from typing import Any, TypeVar

from bot.guideline.model import Guideline

T = TypeVar("T")

_FIELD_NAMES = {
    "title": "見出し",
    "text": "本文",
    "check": "内容チェックの区分",
    "description": "内容",
    "evidence": "根拠の添付",
    "held": "保留の有無",
    "name": "名称",
    "clause": "条項",
    "steps": "手順",
    "label": "表示",
    "org_role": "名簿上の役割",
}


# The ``references`` topics as the diff names them.
_TOPIC_NAMES = {
    "account_contact": "運用組織・連絡先の明示",
    "publication": "公式アカウントの掲載",
    "credentials": "認証情報の管理",
    "records": "公文書としての管理",
    "correction": "訂正・謝罪",
    "comment_deletion": "書き込みの削除",
    "incidents": "事案の対応",
    "forbidden": "禁止事項の一覧",
    "photo_consent": "写真・映像の了解",
}


def diff(old: Guideline, new: Guideline) -> list[str]:
    """Changes from ``old`` to ``new``: ``+`` added, ``-`` removed, ``~`` changed."""
    out: list[str] = []
    for attr, label in (
        ("name", "名称"),
        ("short_name", "略称"),
        ("version", "版"),
        ("issued_by", "制定者"),
        ("issued_on", "制定日"),
        ("approval_clause", "決裁の条項"),
        ("approver", "決裁者の呼び方"),
        ("policy_clause", "運用ポリシーの条項"),
    ):
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            out.append(f"~ {label}: {a} → {b}")
    out += _keyed("条項", old.clauses, new.clauses, key=lambda c: c.id)
    out += _keyed("決裁不要の区分", old.exemptions, new.exemptions, key=lambda e: e.label)
    for attr, label in (("account_confirmer", "開設の確認者"), ("incident_desk", "事案の窓口")):
        a, b = getattr(old, attr), getattr(new, attr)
        if (a.title, a.org_role) != (b.title, b.org_role):
            out.append(f"~ {label}: {a.title}（{a.org_role}） → {b.title}（{b.org_role}）")
        if a.clause != b.clause:
            out.append(f"~ {label}の条項: {_show(a.clause)} → {_show(b.clause)}")
        if a.form != b.form:
            out.append(
                f"~ {label}への届出の名称: {_show(a.form or None)} → {_show(b.form or None)}"
            )
    out += _keyed("運用ポリシーの項目", old.policy_items, new.policy_items, key=lambda i: i.label)
    out += _keyed("事案の種別", old.incident_types, new.incident_types, key=lambda t: t.code)
    out += _mapping(
        "メッセージが引用する条項",
        {_TOPIC_NAMES.get(k, k): v for k, v in old.references.items()},
        {_TOPIC_NAMES.get(k, k): v for k, v in new.references.items()},
    )
    out += _keyed(
        "個人アカウントの留意点", old.check_reminders, new.check_reminders, key=lambda r: r.clause
    )
    out += _mapping("規則の重さ", old.rule_severity, new.rule_severity)
    for key in sorted(old.disabled_checks - new.disabled_checks):
        out.append(f"+ 内容チェックの区分 {key} を有効化")
    for key in sorted(new.disabled_checks - old.disabled_checks):
        out.append(f"- 内容チェックの区分 {key} を無効化")
    out += _mapping("リマインダー", old.reminders, new.reminders)
    out += _mapping("勤務時間の設定", asdict(old.calendar), asdict(new.calendar))
    return out


def _keyed(
    what: str, old: Iterable[T], new: Iterable[T], *, key: Callable[[T], str]
) -> Iterator[str]:
    a = {key(x): x for x in old}
    b = {key(x): x for x in new}
    for k in a:
        if k not in b:
            yield f"- {what} {k}"
    for k in b:
        if k not in a:
            yield f"+ {what} {k}: {_summary(b[k])}"
        elif a[k] != b[k]:
            changed = [
                _FIELD_NAMES.get(f, f)
                for f, v in asdict(b[k]).items()  # type: ignore[call-overload]
                if asdict(a[k])[f] != v  # type: ignore[call-overload]
            ]
            yield f"~ {what} {k}: {'・'.join(changed)}を変更"


def _mapping(what: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    for k in sorted(old.keys() | new.keys()):
        a, b = old.get(k), new.get(k)
        if a != b:
            yield f"~ {what} {k}: {_show(a)} → {_show(b)}"


def _show(v: Any) -> str:
    if v is None:
        return "（なし）"
    if isinstance(v, list | tuple):
        return "、".join(map(str, v)) or "（なし）"
    return str(v)


def _summary(x: Any) -> str:
    d = asdict(x)
    for f in ("title", "name", "description", "text"):
        if d.get(f):
            # A reminder's {hours} and {now} are filled in when shown: not part of a summary.
            return re.sub(r"（[^（）]*\{[a-z_]+\}[^（）]*）|\{[a-z_]+\}", "", str(d[f]))[:40]
    return ""

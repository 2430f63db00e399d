"""The content check as the workflow uses it: input limits, the rules engine, 7(2) reminders.

``rules.check`` (the rules package) finds what 7(1), 5(9) and 7(2) forbid. This module
adds what belongs to the workflow: refusing text that cannot be a post (empty, too long,
invisible control characters), turning findings into plain data for storage and messages,
and the section-7 reminders that ``/check`` adds for personal posts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.business_calendar import BusinessCalendar, business_calendar
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms
from bot.notify.messages import FindingView
from bot.text import has_visible
from rules import Report, check

MAX_TEXT_CHARS = 20_000
MAX_REASON_CHARS = 2_000

# Invisible characters that have no place in a post: they hide words from readers and
# from the check, or reverse the displayed order of text. ZWJ (U+200D) and variation
# selectors stay allowed: emoji sequences need them.
_FORBIDDEN_INVISIBLE = {
    "\u200b": "ゼロ幅スペース",
    "\u200c": "ゼロ幅非接合子",
    "\u2060": "ワードジョイナー",
    "\ufeff": "ゼロ幅ノーブレークスペース（BOM）",
    "\u00ad": "ソフトハイフン",
    "\u200e": "左から右への書字方向マーク",
    "\u200f": "右から左への書字方向マーク",
    "\u061c": "アラビア文字の書字方向マーク",
}
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

SEVERITY_LABELS = {"block": "要修正", "review": "要確認", "info": "参考"}
VERDICT_LABELS = {
    "block": "掲載できない内容が含まれています",
    "review": "確認が必要な箇所があります",
    "ok": "問題は見つかりませんでした",
}


class BlockedByFindings(ValidationFailed):
    """Submission refused: the check found content that must not be posted."""

    code = "blocked"

    def __init__(self, message: str, *, findings: list[FindingView]) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass(frozen=True)
class CheckOutcome:
    """The check's result as stored on a version: plain data, JSON-ready."""

    verdict: str  # block | review | ok
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["severity"] == "block"]

    def views(self) -> list[FindingView]:
        return finding_views(self.findings)

    def audit_summary(self) -> list[dict[str, Any]]:
        """What the audit log may keep: rule, clause, severity, position; never excerpts."""
        return [
            {
                "rule": f["rule"],
                "clause": f["clause"],
                "severity": f["severity"],
                "start": f["start"],
                "end": f["end"],
            }
            for f in self.findings
        ]


def finding_views(findings: list[dict[str, Any]]) -> list[FindingView]:
    """Stored findings as message views."""
    return [
        FindingView(
            clause=f["clause"],
            severity=f["severity"],
            excerpt=f["excerpt"],
            message=f["message"],
            start=f["start"],
            end=f["end"],
            rule=f["rule"],
        )
        for f in findings
    ]


def validate_text(text: str | None, *, what: str = "本文") -> str:
    """Refuse text that cannot be a post; return it unchanged (offsets must stay valid)."""
    if text is None or not text.strip() or not _visible(text):
        raise ValidationFailed(
            f"{what}が空です。投稿する文章を入力してください。", fields={"text": "必須"}
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed(
            f"{what}が長すぎます（{len(text):,}文字）。{MAX_TEXT_CHARS:,}文字以内にしてください。",
            fields={"text": f"{MAX_TEXT_CHARS:,}文字まで"},
        )
    for index, ch in enumerate(text):
        name = _FORBIDDEN_INVISIBLE.get(ch)
        if name is None and ch in _BIDI_CONTROLS:
            name = "書字方向の制御文字"
        if name is None and unicodedata.category(ch) == "Cc" and ch not in "\n\r\t":
            name = "制御文字"
        if name is not None:
            raise ValidationFailed(
                f"{what}の{index + 1}文字目に見えない文字（{name} U+{ord(ch):04X}）があります。"
                "読み手にもチェックにも見えない文字は、意図しない表示や確認漏れの原因になるため、"
                "削除してから送ってください。",
                fields={"text": f"{index + 1}文字目: U+{ord(ch):04X}"},
            )
    return text


def _visible(text: str) -> bool:
    return has_visible(text)


def validate_reason(reason: str | None, *, what: str) -> str:
    """A reason (rejection, request for changes, false positive): present and bounded."""
    if not has_visible(reason):
        raise ValidationFailed(f"{what}を入力してください。", fields={"reason": "必須"})
    assert reason is not None
    reason = reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationFailed(
            f"{what}が長すぎます（{len(reason):,}文字）。{MAX_REASON_CHARS:,}文字以内にしてください。",
            fields={"reason": f"{MAX_REASON_CHARS:,}文字まで"},
        )
    return reason


class CityCheck(Protocol):
    """The check as the city runs it (``bot.feedback.service.city_check``)."""

    def check(self, text: str) -> Report: ...


def run_check(
    text: str, *, city: CityCheck | None = None, terms: Terms | None = None
) -> CheckOutcome:
    """Run the content check and keep its result as plain data.

    ``city``: the check with the city's allowances and trusted account URLs; without it,
    the bundled data alone (``rules.check``). ``terms``: the guideline in force, which
    cites each finding by the city's clause id, drops the checks it does not have and sets
    severities (``bot.guideline.terms``); without it, the rules' own (seed) numbering.
    """
    report = city.check(text) if city is not None else check(text)
    findings = [
        {
            "rule": str(f.rule),
            "clause": str(f.clause),
            "check": str(f.clause),
            "severity": str(f.severity),
            "start": int(f.start),
            "end": int(f.end),
            "excerpt": str(f.excerpt),
            "message": str(f.message),
        }
        for f in report.findings
    ]
    if terms is not None:
        findings = terms.findings(findings)
    findings.sort(key=lambda f: (f["start"], f["end"], f["rule"]))
    return CheckOutcome(verdict=verdict_of(findings), findings=findings)


def verdict_of(findings: list[dict[str, Any]]) -> str:
    severities = {f["severity"] for f in findings}
    return "block" if "block" in severities else "review" if "review" in severities else "ok"


def blocked_message(outcome: CheckOutcome, *, approver: str) -> str:
    """Why submission was refused, with the clauses (the approver as the guideline names them)."""
    clauses = "、".join(dict.fromkeys(f["clause"] for f in outcome.blocking))
    return (
        f"掲載できない内容が {len(outcome.blocking)} 件見つかったため、下書きを登録しませんでした"
        f"（{clauses}）。該当箇所を修正して送り直してください。"
        f"誤検知だと考える場合は、その理由を添えて送ると登録でき、理由は{approver}に伝えられます"
        "（例: /draft … fp=理由）。"
    )


# --- 7(2) reminders for /check ---------------------------------------------------------


def section7_reminders(
    now: datetime, calendar: BusinessCalendar | None = None, *, terms: Terms | None = None
) -> list[str]:
    """The reminders /check adds for personal accounts (7(2)オ, 7(2)キ in the seed city):
    the guideline file's ``check_reminders``.

    Working hours are the business calendar of ``terms``' guideline (``bot.business_calendar``:
    its ``calendar`` under explicit ``REMINDER_*`` settings; national holidays and 年末年始
    excluded), the same one that tenant's reminders run on.
    """
    terms = terms or guideline_terms.of(default_guideline())
    calendar = calendar or business_calendar(terms.guideline)
    during = calendar.is_business_moment(now)
    name = calendar.name
    working = (
        f"現在は{name}中です。個人アカウントでの投稿は{name}外に行ってください。"
        if during
        else f"現在は{name}外です。"
    )
    return terms.check_reminders(calendar.hours_label(), working)

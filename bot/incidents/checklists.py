"""The guideline's response steps for each incident type (section 6), as data.

Each step cites the clause it comes from. The labels are copied onto the incident when it
is declared, so later wording changes never rewrite what was asked at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms


@dataclass(frozen=True)
class ChecklistStep:
    code: str  # stable id, used in buttons and commands
    label: str  # Japanese, shown to people
    clause: str  # as written in the guideline


@dataclass(frozen=True)
class IncidentType:
    code: str  # stored in the database
    name: str  # Japanese name used in commands and messages
    clause: str
    description: str
    steps: tuple[ChecklistStep, ...]


TYPES: dict[str, IncidentType] = {
    "flaming": IncidentType(
        code="flaming",
        name="炎上",
        clause="6(3)",
        description="批判や苦情が殺到し、収拾がつかない状態",
        steps=(
            ChecklistStep(
                "no_rebuttal",
                "職員個人の判断で反論・抗弁をしない（担当者へ周知済み）",
                "6(3)",
            ),
            ChecklistStep(
                "consult",
                "所属長・公式アカウント管理者・情報政策課で協議した",
                "6(3)",
            ),
            ChecklistStep(
                "decide_response",
                "説明・訂正・謝罪の要否と内容を決めた",
                "6(3)",
            ),
            ChecklistStep(
                "in_progress_notice",
                "対応に時間がかかるため「対応中」である旨を書き込んだ（不要なら理由を記録）",
                "6(3)",
            ),
        ),
    ),
    "impersonation": IncidentType(
        code="impersonation",
        name="なりすまし",
        clause="6(4)",
        description="公式アカウントのなりすまし",
        steps=(
            ChecklistStep(
                "request_takedown",
                "プラットフォーム（管理者）になりすましアカウントの削除を依頼した",
                "6(4)",
            ),
            ChecklistStep(
                "website_notice",
                "市ホームページでなりすましへの注意を周知した",
                "6(4)",
            ),
            ChecklistStep(
                "press",
                "必要に応じて報道機関へ情報提供した（不要と判断した場合はその旨を記録）",
                "6(4)",
            ),
        ),
    ),
    "correction": IncidentType(
        code="correction",
        name="訂正",
        clause="6(1)",
        description="発信した情報の誤り・誤解を招く書き込み",
        steps=(
            ChecklistStep(
                "post_correction",
                "訂正または謝罪の書き込みを速やかに行った",
                "6(1)",
            ),
        ),
    ),
}

_BY_NAME = {t.name: t for t in TYPES.values()}

STATUS_NAMES: dict[str, str] = {"open": "対応中", "contained": "収束", "closed": "終了"}
_STATUS_BY_NAME = {v: k for k, v in STATUS_NAMES.items()}

PURPOSE_NAMES: dict[str, str] = {
    "explanation": "説明",
    "correction": "訂正",
    "apology": "謝罪",
    "in_progress": "対応中のお知らせ",
}
_PURPOSE_BY_NAME = {**{v: k for k, v in PURPOSE_NAMES.items()}, "対応中": "in_progress"}

# 7(1)'s list of what must not be posted: the categories a deleted comment (6(2)) breaks.
PROHIBITED_CATEGORIES: dict[str, str] = {
    "ア": "法令及び公序良俗に反する内容",
    "イ": "差別又は差別を助長する内容",
    "ウ": "違法行為又は違法行為を助長する内容",
    "エ": "機密情報や個人情報を含む内容",
    "オ": "本市のセキュリティを脅かすおそれのある内容",
    "カ": "信頼性のない情報又は噂や風評等を助長させる内容",
    "キ": "わいせつな内容",
    "ク": "基本的人権、肖像権、プライバシー権、著作権等を侵害する内容",
    "ケ": "その他不特定多数に対して発信する情報として不適当な内容",
    "コ": "非公開情報",
    "サ": "機密情報2以上の情報",
}


def type_names(terms: Terms | None = None) -> str:
    """The type names users may type, e.g. 「炎上|なりすまし|訂正」."""
    return "|".join(t.name for t in types(terms).values())


def types(terms: Terms | None) -> dict[str, IncidentType]:
    """The incident types of a guideline version (its own names, clauses and checklists)."""
    if terms is None:
        return TYPES
    return {
        t.code: IncidentType(
            t.code,
            t.name,
            t.clause,
            t.description,
            tuple(ChecklistStep(s.code, s.label, s.clause) for s in t.steps),
        )
        for t in terms.incident_types
        if t.code in TYPES  # the codes the database knows (incidents.type CHECK)
    }


def kind_of(incident: Any) -> IncidentType:
    """An incident's type as the guideline it was declared under names it."""
    found = types(guideline_terms.of_record(incident)).get(incident.type)
    return found if found is not None else TYPES[incident.type]


def parse_type(value: str, terms: Terms | None = None) -> IncidentType:
    """Accept a Japanese type name (炎上) or a stored code (flaming)."""
    key = value.strip()
    known = types(terms)
    found = {t.name: t for t in known.values()}.get(key) or known.get(key.lower())
    if found is None:
        raise ValidationFailed(
            f"「{value}」という種別はありません。{type_names(terms)} のいずれかを指定してください"
            f"（{terms.short_name if terms else 'ガイドライン'}）。",
            fields={"type": "種別が不明です"},
        )
    return found


def parse_status(value: str) -> str:
    """Accept 対応中 / 収束 / 終了 (or their codes) and return the code."""
    key = value.strip()
    code = _STATUS_BY_NAME.get(key) or (key.lower() if key.lower() in STATUS_NAMES else None)
    if code is None:
        raise ValidationFailed(
            f"「{value}」という状態はありません。収束 または 終了 を指定してください。",
            fields={"status": "状態が不明です"},
        )
    return code


def parse_purpose(value: str) -> str:
    """Accept 説明 / 訂正 / 謝罪 / 対応中 (or their codes) and return the code."""
    key = value.strip()
    code = _PURPOSE_BY_NAME.get(key) or (key.lower() if key.lower() in PURPOSE_NAMES else None)
    if code is None:
        raise ValidationFailed(
            f"「{value}」は投稿の目的として指定できません。説明・訂正・謝罪・対応中 の"
            "いずれかを指定してください（6(1)・6(3)）。",
            fields={"purpose": "目的が不明です"},
        )
    return code


def parse_category(value: str) -> str:
    """Accept ア〜サ, (1)イ or 7(1)イ and return the clause as written, e.g. 「7(1)イ」."""
    key = value.strip().replace("（", "(").replace("）", ")")
    for prefix in ("7(1)", "(1)"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    if key not in PROHIBITED_CATEGORIES:
        raise ValidationFailed(
            f"「{value}」は禁止事項の区分として指定できません。7(1)のア〜サ（例: 7(1)イ）で"
            "指定してください。",
            fields={"why": "区分が不明です"},
        )
    return f"7(1){key}"

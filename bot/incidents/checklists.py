"""The guideline's response steps for each incident type, as the guideline file writes them
(``incident_types``: the seed city's section 6, さくら町's section 4).

Each step cites the clause it comes from. The labels are copied onto the incident when it
is declared, so later wording changes never rewrite what was asked at the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms
from bot.incidents.models import INCIDENT_TYPES


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


STATUS_NAMES: dict[str, str] = {"open": "対応中", "contained": "収束", "closed": "終了"}
_STATUS_BY_NAME = {v: k for k, v in STATUS_NAMES.items()}

PURPOSE_NAMES: dict[str, str] = {
    "explanation": "説明",
    "correction": "訂正",
    "apology": "謝罪",
    "in_progress": "対応中のお知らせ",
}
_PURPOSE_BY_NAME = {**{v: k for k, v in PURPOSE_NAMES.items()}, "対応中": "in_progress"}


def type_names(terms: Terms | None = None) -> str:
    """The type names users may type, e.g. 「炎上|なりすまし|訂正」."""
    return "|".join(t.name for t in types(terms).values())


def types(terms: Terms | None) -> dict[str, IncidentType]:
    """The incident types of a guideline version (its own names, clauses and checklists);
    without one, those of the shipped default file (the seed city's section 6)."""
    terms = terms or _default()
    return {
        t.code: IncidentType(
            t.code,
            t.name,
            t.clause,
            t.description,
            tuple(ChecklistStep(s.code, s.label, s.clause) for s in t.steps),
        )
        for t in terms.incident_types
        if t.code in INCIDENT_TYPES  # the codes the database knows (incidents.type CHECK)
    }


def _default() -> Terms:
    return guideline_terms.of(default_guideline())


def kind_of(incident: Any) -> IncidentType:
    """An incident's type as the guideline it was declared under names it."""
    found = types(guideline_terms.of_record(incident)).get(incident.type)
    return found if found is not None else types(None)[incident.type]


def parse_type(value: str, terms: Terms | None = None) -> IncidentType:
    """Accept a Japanese type name (炎上) or a stored code (flaming)."""
    key = value.strip()
    known = types(terms)
    found = {t.name: t for t in known.values()}.get(key) or known.get(key.lower())
    if found is None:
        raise ValidationFailed(
            f"「{value}」という種別はありません。{type_names(terms)} のいずれかを指定してください"
            f"（{(terms or _default()).short_name}）。",
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


def parse_purpose(value: str, terms: Terms) -> str:
    """Accept 説明 / 訂正 / 謝罪 / 対応中 (or their codes) and return the code."""
    key = value.strip()
    code = _PURPOSE_BY_NAME.get(key) or (key.lower() if key.lower() in PURPOSE_NAMES else None)
    if code is None:
        flaming = terms.incident_type("flaming")
        cited = [terms.ref("correction"), *([flaming.clause] if flaming else [])]
        raise ValidationFailed(
            f"「{value}」は投稿の目的として指定できません。説明・訂正・謝罪・対応中 の"
            f"いずれかを指定してください（{'・'.join(dict.fromkeys(cited))}）。",
            fields={"purpose": "目的が不明です"},
        )
    return code


def parse_category(value: str, terms: Terms) -> str:
    """Accept an item of the guideline's list of what must not be posted (ア〜サ, (1)イ or
    7(1)イ in the seed city, 5(1)イ in さくら町) and return its clause id, e.g. 「7(1)イ」."""
    key = value.strip().replace("（", "(").replace("）", ")")
    group = terms.ref("forbidden")
    items = terms.forbidden
    bare = re.sub(r"^\d+", "", group)  # 「(1)」: the group without its chapter
    for prefix in (group, bare):
        if prefix and key.startswith(prefix):
            key = key[len(prefix) :]
            break
    if key not in items:
        labels = list(items)
        example = terms.forbidden_example
        listed = f"{group}の{labels[0]}〜{labels[-1]}" if labels else group
        raise ValidationFailed(
            f"「{value}」は禁止事項の区分として指定できません。{listed}（例: {example}）で"
            "指定してください。",
            fields={"why": "区分が不明です"},
        )
    return items[key]

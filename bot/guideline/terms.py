"""The guideline's vocabulary as the workflows speak it: the one seam between the file and
every message, form and button.

``rules`` cites the seed city's numbering (``7(1)エ``) and knows nothing of the bot; the
translation into the city's own ids happens here, at the bot's boundary, through the
file's ``check:`` mapping. A ``Terms`` is built from one guideline version and cached by
its SHA-256 (content-addressed, so the cache is the same for every tenant); which version
applies is always looked up through the session: ``in_force(session)`` for what happens
now, the version recorded on a draft, decision or incident for what happened then.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session, object_session

from bot.guideline.model import Exemption, Guideline, IncidentType

_lock = threading.Lock()
# The topics a file's ``references`` may name (docs/guideline.md).
_TOPICS = (
    "account_contact",
    "publication",
    "credentials",
    "records",
    "correction",
    "comment_deletion",
    "incidents",
    "forbidden",
    "photo_consent",
)
_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\+[a-z_]+)*)\}")
_CHAPTER = re.compile(r"(\d+)(\(\d+\))$")


def cite_together(ids: Iterable[str]) -> str:
    """「4(1)(2)(3)、5(4)(5)」: clause ids, those of one chapter written together."""
    out: list[str] = []
    chapter = None
    for clause in ids:
        m = _CHAPTER.match(clause)
        if m and out and m.group(1) == chapter:
            out[-1] += m.group(2)
            continue
        chapter = m.group(1) if m else None
        out.append(clause)
    return "、".join(out)


_by_sha: dict[str, Terms] = {}


class Terms:
    """Clause ids, role titles, exemption categories and checklists of one guideline version."""

    def __init__(self, guideline: Guideline) -> None:
        self.guideline = guideline

    # ---------------------------------------------------------------- identity

    @property
    def version(self) -> str:
        return self.guideline.version

    @property
    def sha256(self) -> str:
        return self.guideline.sha256

    @property
    def short_name(self) -> str:
        """How messages name the guideline: ガイドライン, 運用指針…"""
        return self.guideline.short_name

    # ------------------------------------------------------------------- roles

    @property
    def approver(self) -> str:
        """Who gives the 決裁 (所属長, 所管課長…)."""
        return self.guideline.approver

    @property
    def account_confirmer(self) -> str:
        """Who confirms a new account (広報課長, 企画課長…)."""
        return self.guideline.account_confirmer.title

    @property
    def incident_desk(self) -> str:
        """Who receives incidents (情報政策課, 総務課情報係…)."""
        return self.guideline.incident_desk.title

    @property
    def approval_clause(self) -> str:
        return self.guideline.approval_clause

    @property
    def confirmation_clause(self) -> str:
        return self.guideline.account_confirmer.clause or ""

    @property
    def policy_clause(self) -> str:
        return self.guideline.policy_clause

    @property
    def registration_form(self) -> str:
        """What the city calls the form to the account confirmer (開設届, 開設確認申請書…)."""
        return self.guideline.account_confirmer.form or "開設の届出"

    # ------------------------------------------------- the account policy items

    def policy_item(self, field: str) -> str:
        """The label of the policy item a registry field belongs to (ア, 一…); "" if none."""
        return next((i.label for i in self.guideline.policy_items if field in i.fields), "")

    def policy_ref(self, field: str) -> str:
        """「4(1)カ」: the policy item a registry field (``url``…) belongs to; "" if none."""
        label = self.policy_item(field)
        return f"{self.policy_clause}{label}" if label else ""

    def policy_cited(self, field: str) -> str:
        """「（4(1)キ）」 after a field's name, or nothing if no item covers it."""
        clause = self.policy_ref(field)
        return f"（{clause}）" if clause else ""

    @property
    def policy_items(self) -> str:
        """「4(1)ア〜キ」: every item of the account policy."""
        items = self.guideline.policy_items
        if len(items) == 1:
            return f"{self.policy_clause}{items[0].label}"
        return f"{self.policy_clause}{items[0].label}〜{items[-1].label}"

    # -------------------------------------------------------------- references

    def ref(self, topic: str) -> str:
        """The clause the file names for a topic (``references``); the guideline's name if
        the file names none, so a citation never shows another city's numbering."""
        return self.guideline.references.get(topic) or self.short_name

    @property
    def forbidden(self) -> dict[str, str]:
        """The list of what must not be posted (7(1)ア〜サ): item label → clause id."""
        group = self.ref("forbidden")
        return {
            c.id[len(group) :]: c.id
            for c in self.guideline.clauses
            if c.id.startswith(group) and len(c.id) > len(group)
        }

    @property
    def forbidden_range(self) -> str:
        """「7(1)ア〜サ」."""
        labels = list(self.forbidden)
        group = self.ref("forbidden")
        return f"{group}{labels[0]}〜{labels[-1]}" if labels else group

    @property
    def forbidden_example(self) -> str:
        """「7(1)イ」: an item of that list, for examples in usage texts."""
        ids = list(self.forbidden.values())
        return ids[1] if len(ids) > 1 else ids[0] if ids else self.ref("forbidden")

    def check_reminders(self, hours: str, now: str) -> list[str]:
        """What /check adds for personal accounts: 「7(2)オ: …」, one line each."""
        return [
            f"{r.clause}: " + r.text.replace("{hours}", hours).replace("{now}", now)
            for r in self.guideline.check_reminders
        ]

    @property
    def personal_chapter(self) -> str:
        """「7」: the chapter of the reminders /check adds for personal accounts."""
        reminders = self.guideline.check_reminders
        m = re.match(r"\d+", reminders[0].clause) if reminders else None
        return m.group(0) if m else self.short_name

    @property
    def content_chapter(self) -> str:
        """「7」: the chapter of the list of what must not be posted (さくら町 「5」)."""
        m = re.match(r"\d+", self.ref("forbidden"))
        return m.group(0) if m else self.short_name

    @cached_property
    def words(self) -> dict[str, str]:
        """The vocabulary a message template may name as ``{key}`` (``fill``)."""
        return {
            "approver": self.approver,
            "confirmer": self.account_confirmer,
            "desk": self.incident_desk,
            "form": self.registration_form,
            "guideline": self.short_name,
            "approval": self.approval_clause,
            "confirmation": self.confirmation_clause or self.short_name,
            "policy": self.policy_clause,
            "policy_items": self.policy_items,
            "exemption_labels": self.exemption_labels,
            "exemption_choices": "|".join(e.label for e in self.exemptions),
            "first_exemption": self.exemptions[0].label if self.exemptions else "",
            "personal": self.personal_chapter,
            "rights": self.cite("7(1)ク") or self.short_name,  # whose rights a photo touches
            "operators_item": self.policy_ref("operators") or self.short_name,
            "emergency": "・".join(
                self.exemption_ref(e.label) for e in self.exemptions if not e.held
            )
            or self.short_name,
            "forbidden_items": self.forbidden_range,
            "content": self.content_chapter,
            "incident_names": "・".join(t.name for t in self.incident_types),
            "incident_choices": "|".join(t.name for t in self.incident_types),
            "guideline_name": self.guideline.name,
            "guideline_version": self.version,
            "issuer": self.guideline.issued_by,
            "forbidden_example": self.forbidden_example,
            **{topic: self.ref(topic) for topic in _TOPICS},
            **{f"incident_{t.code}": t.clause for t in self.incident_types},
        }

    def fill(self, template: str) -> str:
        """A template's ``{approver}``, ``{form}``, ``{credentials}``… in this guideline's
        words; any other brace is left as written."""
        words = self.words

        def word(m: re.Match[str]) -> str:
            keys = m.group(1).split("+")
            if any(k not in words for k in keys):
                return m.group(0)
            return words[keys[0]] if len(keys) == 1 else cite_together(words[k] for k in keys)

        return _PLACEHOLDER.sub(word, template)

    # -------------------------------------------------------------- exemptions

    @property
    def exemptions(self) -> tuple[Exemption, ...]:
        return self.guideline.exemptions

    def exemption(self, label: str | None) -> Exemption | None:
        return self.guideline.exemption(label) if label else None

    def exemption_text(self, label: str | None) -> str:
        """「4(3)ア 既に市ホームページ・広報紙等で発信している内容」; the bare label if unknown."""
        found = self.exemption(label)
        if found is None:
            return label or ""
        return f"{self.approval_clause}{found.label} {found.name}"

    def exemption_ref(self, label: str | None) -> str:
        """「4(3)エ」: the category cited by clause."""
        return f"{self.approval_clause}{label}" if label else ""

    @property
    def exemption_labels(self) -> str:
        """「ア・イ・ウ・エ」."""
        return "・".join(e.label for e in self.exemptions)

    @property
    def exemption_choices(self) -> tuple[tuple[str, str], ...]:
        """The form's choices: none (needs a 決裁), then each category by label."""
        return (
            ("none", f"なし（{self.approver}の決裁を受ける）"),
            *((e.label, self.exemption_text(e.label)) for e in self.exemptions),
        )

    @property
    def evidence_hint(self) -> str:
        """「4(3)アを選んだ場合は必須です。」, or empty if no category needs evidence."""
        needing = [self.exemption_ref(e.label) for e in self.exemptions if e.evidence == "required"]
        return f"{'・'.join(needing)}を選んだ場合は必須です。" if needing else ""

    @property
    def check_scope(self) -> str:
        """What the content check enforces, by the city's clause groups: 「7(1)・7(2)・5(8)・5(9)」."""
        groups: dict[str, None] = {}
        for c in self.guideline.clauses:
            if c.check is not None and c.check not in self.guideline.disabled_checks:
                m = re.match(r"\d+\(\d+\)", c.id)
                groups[m.group(0) if m else c.id] = None
        return "・".join(groups)

    def is_emergency(self, label: str | None) -> bool:
        """Never held back, even with blocking findings (the seed city's 4(3)エ)."""
        found = self.exemption(label)
        return found is not None and not found.held

    def needs_evidence(self, label: str | None) -> bool:
        found = self.exemption(label)
        return found is not None and found.evidence == "required"

    def parse_exemption(self, value: str) -> str | None:
        """「ア」「4(3)ア」「4（3）ア」 → the label; None if it is no category of this guideline."""
        v = value.strip().replace("（", "(").replace("）", ")")
        v = v.removeprefix(self.approval_clause).strip()
        return v if self.exemption(v) is not None else None

    # -------------------------------------------------------- content check

    def cite(self, check: str) -> str | None:
        """The city's clause id for a content-check category; None if disabled or uncited."""
        return self.guideline.cite(check)

    @cached_property
    def _citation(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        mapping = {
            c.check: c.id
            for c in self.guideline.clauses
            if c.check is not None and c.check not in self.guideline.disabled_checks
        }
        changed = {k: v for k, v in mapping.items() if k != v}
        if not changed and self.short_name == "ガイドライン":
            return None, mapping
        keys = sorted(mapping, key=len, reverse=True)
        pattern = re.compile("(ガイドライン)?(" + "|".join(re.escape(k) for k in keys) + ")")
        return pattern, mapping

    def translate(self, text: str) -> str:
        """A rules message with the seed numbering, in the city's numbering and name."""
        pattern, mapping = self._citation
        if pattern is None:
            return text
        return pattern.sub(
            lambda m: (self.short_name if m.group(1) else "") + mapping[m.group(2)], text
        )

    def findings(self, findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stored-form findings (``bot.drafts.checking``) as this guideline judges them.

        ``clause`` becomes the city's id (``check`` keeps the seed category), checks the
        city does not have are dropped, and the file's severity per rule applies.
        """
        out = []
        for f in findings:
            check = f.get("check", f["clause"])
            cited = self.cite(check)
            if cited is None:
                continue
            severity = self.guideline.rule_severity.get(f["rule"], f["severity"])
            out.append(
                {
                    **f,
                    "check": check,
                    "clause": cited,
                    "severity": severity,
                    "message": self.translate(f["message"]),
                }
            )
        return out

    # ------------------------------------------------------------ incidents

    @property
    def incident_types(self) -> tuple[IncidentType, ...]:
        return self.guideline.incident_types

    def incident_type(self, code: str) -> IncidentType | None:
        return self.guideline.incident_type(code)


def of(guideline: Guideline) -> Terms:
    """The (cached) terms of one guideline version."""
    if not guideline.sha256:
        return Terms(guideline)
    with _lock:
        found = _by_sha.get(guideline.sha256)
        if found is None:
            found = _by_sha[guideline.sha256] = Terms(guideline)
    return found


def never_held_labels() -> set[str]:
    """The exemption labels no known version ever holds back (the seed's エ, さくら町's 甲):
    those of the shipped files and of every version read by this process."""
    from bot.guideline.loader import DATA_DIR

    with _lock:
        known = [t.guideline for t in _by_sha.values()]
    for path in sorted(DATA_DIR.glob("*.yaml")):
        known.append(_shipped(str(path)))
    return {e.label for g in known for e in g.exemptions if not e.held}


@functools.cache
def _shipped(path: str) -> Guideline:
    from bot.guideline.loader import load_file

    return load_file(path)


def in_force_at(url: str, tenant: str) -> Terms | None:
    """The terms in force for ``tenant`` in the database at ``url``, for a process that has
    no session yet (``--help``, a Teams manifest); None when that database does not exist
    (a missing SQLite file is never created) or cannot be read (no schema yet, unreachable)."""
    from pathlib import Path

    import sqlalchemy as sa

    from bot.db import make_engine, make_sessionmaker
    from bot.tenancy import tenant_session

    try:
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite" and not (
            parsed.database and Path(parsed.database).is_file()
        ):
            return None
        engine = make_engine(url)
        try:
            with tenant_session(make_sessionmaker(engine), tenant) as session:
                return in_force(session)
        finally:
            engine.dispose()
    except Exception:
        return None


def in_force(session: Session) -> Terms:
    """The terms of the guideline in force for the session's deployment (or tenant)."""
    from bot.guideline import service

    return of(service.in_force(session))


def judged_under(session: Session | None, sha256: str | None) -> Terms | None:
    """The terms of the version a record was judged under; None if it cannot be found."""
    if sha256 is None:
        return None
    with _lock:
        found = _by_sha.get(sha256)
    if found is not None:
        return found
    from bot.guideline import service

    guideline = service.by_sha256(session, sha256)
    return of(guideline) if guideline is not None else None


def of_record(record: Any) -> Terms:
    """The terms a record (draft version, decision, incident…) was judged under.

    Records keep ``guideline_sha256``; one written before versions were recorded (NULL)
    or whose version can no longer be found reads with the guideline in force.
    """
    session = object_session(record)
    found = judged_under(session, getattr(record, "guideline_sha256", None))
    if found is not None:
        return found
    if session is None:
        from bot.guideline.loader import default_guideline

        return of(default_guideline())
    return in_force(session)

"""False-positive statements, the decisions on them, and the allowances they lead to."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from bot import audit
from bot.clock import Clock, SystemClock
from bot.directory import service as directory
from bot.directory.models import CONFIRMED, Account, Person
from bot.drafts.models import Decision, Draft, DraftVersion
from bot.errors import NotFound, PermissionDenied, ValidationFailed
from bot.feedback.models import KINDS, CheckAllowance
from bot.guideline import terms as guideline_terms
from rules import Checker, Report, default_checker

KIND_LABELS = {
    "allow_phrase": "許容する語句",
    "public_number": "公開している電話番号",
    "trusted_domain": "信頼できるドメイン",
    "disable_rule": "無効にする規則",
}
DECISION_LABELS = {
    "approve": "承認（{approver}も誤検知と判断）",  # a template (Terms.fill)
    "request_changes": "差し戻し",
    "reject": "却下",
}
#: Who may change what the check allows: 情報政策課 (5(7)) and administrators.
REVIEWER_ROLES = ("info_policy", "admin")
MAX_VALUE_CHARS = 200
_RULE_ID = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")
_DIGITS = re.compile(r"[0-9]")


@dataclass(frozen=True)
class FeedbackCase:
    """One version submitted with a false-positive statement, and what became of it."""

    draft_id: int
    version: int
    account_code: str
    author: Person
    submitted_at: datetime
    statement: str
    findings: list[dict[str, Any]]  # the blocking findings the statement answers
    decision: str | None  # approve | request_changes | reject | None (pending)
    decider: Person | None
    decision_reason: str | None


@dataclass
class RuleFeedback:
    """The cases of one rule: how often the 所属長 agreed that it was a false positive."""

    rule: str
    clause: str
    cases: list[FeedbackCase] = field(default_factory=list)

    @property
    def agreed(self) -> int:
        return sum(1 for c in self.cases if c.decision == "approve")

    @property
    def disagreed(self) -> int:
        return sum(1 for c in self.cases if c.decision in ("reject", "request_changes"))

    @property
    def pending(self) -> int:
        return sum(1 for c in self.cases if c.decision is None)


def feedback(session: Session, *, since: datetime | None = None) -> list[RuleFeedback]:
    """Every false-positive statement with its decision, grouped by rule (most cases first)."""
    stmt = (
        sa.select(DraftVersion, Draft, Decision)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .outerjoin(Decision, Decision.version_id == DraftVersion.id)
        .where(DraftVersion.false_positive_reason.is_not(None))
        .options(
            joinedload(Draft.author),
            joinedload(Draft.account),
            joinedload(Decision.decider),
        )
        .order_by(DraftVersion.created_at, DraftVersion.id)
    )
    if since is not None:
        stmt = stmt.where(DraftVersion.created_at >= since)
    groups: dict[str, RuleFeedback] = {}
    for version, draft, decision in session.execute(stmt).unique():
        blocking = [f for f in version.findings or [] if f.get("severity") == "block"]
        if not blocking:
            continue
        case = FeedbackCase(
            draft_id=draft.id,
            version=version.number,
            account_code=draft.account.code,
            author=draft.author,
            submitted_at=version.created_at,
            statement=version.false_positive_reason or "",
            findings=blocking,
            decision=decision.kind if decision is not None else None,
            decider=decision.decider if decision is not None else None,
            decision_reason=decision.reason if decision is not None else None,
        )
        for rule in dict.fromkeys(str(f["rule"]) for f in blocking):
            clause = next(str(f["clause"]) for f in blocking if f["rule"] == rule)
            groups.setdefault(rule, RuleFeedback(rule=rule, clause=clause)).cases.append(case)
    return sorted(groups.values(), key=lambda g: (-len(g.cases), g.rule))


# ------------------------------------------------------------------------ allowances


def allowances(session: Session, *, include_revoked: bool = False) -> list[CheckAllowance]:
    """The allowances in force (or all of them), oldest first."""
    stmt = sa.select(CheckAllowance).order_by(CheckAllowance.id)
    if not include_revoked:
        stmt = stmt.where(CheckAllowance.revoked_at.is_(None))
    return list(session.scalars(stmt))


def add_allowance(
    session: Session,
    *,
    actor: Person,
    kind: str,
    value: str,
    reason: str,
    draft_id: int | None = None,
    rule: str | None = None,
    clock: Clock | None = None,
) -> CheckAllowance:
    """Record an allowance (情報政策課 only). The value goes to the audit log as a hash."""
    _require_reviewer(session, actor)
    if kind not in KINDS:
        raise ValidationFailed(
            f"種類「{kind}」は使えません。{'、'.join(KINDS)} のいずれかを指定してください。",
            fields={"kind": "種類"},
        )
    value = _clean_value(kind, value)
    reason = _clean_reason(reason)
    if draft_id is not None and session.get(Draft, draft_id) is None:
        raise NotFound(f"下書き#{draft_id}は見つかりません。番号を確かめてください。")
    if rule is not None and not _RULE_ID.match(rule):
        raise ValidationFailed(
            f"規則の名前「{rule}」の形が正しくありません。", fields={"rule": "規則"}
        )
    now = (clock or SystemClock()).now()
    # The partial unique index settles two reviewers adding the same value at once.
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    inserted = session.execute(
        insert(CheckAllowance)
        .values(
            kind=kind,
            value=value,
            rule=value if kind == "disable_rule" else rule,
            reason=reason,
            draft_id=draft_id,
            created_by_id=actor.id,
            created_at=now,
        )
        .on_conflict_do_nothing(
            index_elements=["tenant_id", "kind", "value"], index_where=sa.text("revoked_at IS NULL")
        )
        .returning(CheckAllowance.id)
    ).scalar_one_or_none()
    if inserted is None:
        raise ValidationFailed(
            f"{KIND_LABELS[kind]}「{value}」はすでに登録されています。"
            "/rules allowances（python -m bot rules allowances）で一覧を確認できます。",
            fields={"value": "登録済み"},
        )
    entry = session.get_one(CheckAllowance, inserted)
    audit.record(
        session,
        actor=actor.handle,
        action="rules.allowance_added",
        subject_type="check_allowance",
        subject_id=entry.id,
        data={"kind": kind, "rule": entry.rule, "draft_id": draft_id},
        # The value may be words of a draft: only its hash is kept in the public record.
        text=f"{kind}\n{value}\n{reason}",
        clock=clock,
    )
    return entry


def revoke_allowance(
    session: Session, *, actor: Person, allowance_id: int, clock: Clock | None = None
) -> CheckAllowance:
    """Withdraw an allowance (情報政策課 only); the check reports such findings again."""
    _require_reviewer(session, actor)
    now = (clock or SystemClock()).now()
    result = session.execute(
        sa.update(CheckAllowance)
        .where(CheckAllowance.id == allowance_id, CheckAllowance.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=actor.id)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(
            f"有効な許容設定#{allowance_id}はありません（番号違いか、取り消し済みです）。"
        )
    entry = session.get_one(CheckAllowance, allowance_id, populate_existing=True)
    audit.record(
        session,
        actor=actor.handle,
        action="rules.allowance_revoked",
        subject_type="check_allowance",
        subject_id=entry.id,
        data={"kind": entry.kind, "rule": entry.rule},
        clock=clock,
    )
    return entry


def _require_reviewer(session: Session, actor: Person) -> None:
    if not actor.active or not any(
        directory.has_role(session, person=actor, role=r) for r in REVIEWER_ROLES
    ):
        desk = guideline_terms.in_force(session).incident_desk
        raise PermissionDenied(
            f"内容チェックの許容設定を変更できるのは{desk}の担当者だけです。"
            f"必要な場合は{desk}に依頼してください。"
        )


def _clean_value(kind: str, value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value or not any(
        not ch.isspace() and unicodedata.category(ch)[0] != "C" for ch in value
    ):
        raise ValidationFailed(
            "値が空です。許容する語句や番号を入力してください。", fields={"value": "必須"}
        )
    if len(value) > MAX_VALUE_CHARS:
        raise ValidationFailed(
            f"値が長すぎます（{len(value)}文字）。{MAX_VALUE_CHARS}文字以内にしてください。",
            fields={"value": f"{MAX_VALUE_CHARS}文字まで"},
        )
    if kind == "public_number":
        digits = "".join(_DIGITS.findall(value))
        if not 6 <= len(digits) <= 13:
            raise ValidationFailed(
                f"「{value}」は電話番号として読めません。市が公開している番号を、"
                "0263-34-3000 のように入力してください。",
                fields={"value": "電話番号"},
            )
    elif kind == "trusted_domain":
        value = value.lower().rstrip(".")
        try:
            default_checker().config.extend(trusted_domains=[value])
        except ValueError:
            raise ValidationFailed(
                f"「{value}」はドメイン名として読めません。city.example.lg.jp のように、"
                "https:// やパスを付けずに入力してください。",
                fields={"value": "ドメイン名"},
            ) from None
    elif kind == "disable_rule" and not _RULE_ID.match(value):
        raise ValidationFailed(
            f"「{value}」は規則の名前として読めません。"
            "python -m bot rules feedback の一覧に出る規則名（英小文字）を指定してください。",
            fields={"value": "規則名"},
        )
    return value


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason or not any(unicodedata.category(ch)[0] not in "CZ" for ch in reason):
        raise ValidationFailed(
            "理由を入力してください（例: 市の代表番号として公開している番号のため）。"
            "理由は監査ログとともに記録され、後から見直すときの手がかりになります。",
            fields={"reason": "必須"},
        )
    if len(reason) > 2000:
        raise ValidationFailed(
            "理由が長すぎます。2,000文字以内にしてください。", fields={"reason": "2,000文字まで"}
        )
    return reason


# ------------------------------------------------------------------- the check used


@dataclass(frozen=True)
class CityCheck:
    """The content check as this city runs it: bundled data, allowances, its own accounts."""

    checker: Checker
    trusted_urls: tuple[str, ...] = ()

    def check(self, text: str) -> Report:
        return self.checker.check(text, trusted_urls=self.trusted_urls)


_cache_lock = threading.Lock()
_cache: dict[tuple[Any, ...], Checker] = {}


def city_check(session: Session) -> CityCheck:
    """The check with the allowances in force and the registry's confirmed account URLs.

    A newly confirmed account, or an allowance a reviewer adds, applies to the next check
    without editing a file. The checker is compiled once per set of allowances.
    """
    rows = session.execute(
        sa.select(CheckAllowance.kind, CheckAllowance.value)
        .where(CheckAllowance.revoked_at.is_(None))
        .order_by(CheckAllowance.id)
    ).all()
    trusted = [v for k, v in rows if k == "trusted_domain"]
    trusted += session.scalars(
        sa.select(Account.url)
        .where(Account.status == CONFIRMED, Account.url.is_not(None))
        .order_by(Account.id)
    )
    return CityCheck(_checker([(k, v) for k, v in rows if k != "trusted_domain"]), tuple(trusted))


def _checker(rows: list[tuple[str, str]]) -> Checker:
    base = default_checker()
    if not rows:
        return base
    key = (id(base), tuple(rows))
    with _cache_lock:
        found = _cache.get(key)
    if found is not None:
        return found
    by_kind: dict[str, list[str]] = {k: [] for k in KINDS}
    for kind, value in rows:
        by_kind[kind].append(value)
    checker = Checker(
        base.config.extend(
            allow_phrases=by_kind["allow_phrase"],
            public_numbers=by_kind["public_number"],
            disabled_rules=by_kind["disable_rule"],
        )
    )
    with _cache_lock:
        if len(_cache) >= 16:  # a reviewer's edits make older sets obsolete
            _cache.clear()
        _cache[key] = checker
    return checker


def describe_values(entries: Iterable[CheckAllowance]) -> list[str]:
    """One Japanese line per allowance, for lists."""
    return [
        f"#{e.id} {KIND_LABELS[e.kind]}「{e.value}」"
        + (f"（規則 {e.rule}）" if e.rule and e.kind != "disable_rule" else "")
        + f" 登録: {e.created_by.name}（{e.created_by.handle}） 理由: {e.reason}"
        for e in entries
    ]

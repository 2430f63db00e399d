"""The department's posting rules for exempt categories (4(3) ただし書): registered or
revoked by the 所属長 (or an active deputy), every version kept in the history.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.accounts import messaging
from bot.accounts.common import current_time, notify_people, record_event
from bot.accounts.models import ExemptionRuleHistory
from bot.accounts.validation import TEXT_LIMIT
from bot.clock import Clock
from bot.directory import service as directory
from bot.directory.models import CLOSED, Account, ExemptionRule, Person
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.text import visible_or_empty

# ---------------------------------------------------------------------------- posting rules


def parse_category(value: str, terms: Terms) -> str:
    """ "ア", "4(3)ア" or "4（3）ア" -> "ア" (the guideline in force's labels); otherwise
    ValidationFailed."""
    text = terms.parse_exemption(value)
    if text is None:
        raise ValidationFailed(
            f"区分「{value}」はありません。{terms.approval_clause}ただし書の区分"
            f"{terms.exemption_labels}のいずれかを指定してください。",
            fields={"category": f"{terms.exemption_labels}のいずれかを指定してください。"},
        )
    return text


def _require_head(account: Account, person: Person, now: datetime) -> None:
    if not directory.is_head_or_deputy(account.department, person, now):
        head = messaging.person_label(account.department.head)
        terms = guideline_terms.of_record(account)
        raise PermissionDenied(
            f"{terms.approval_clause}ただし書の掲載ルールは{terms.approver}（または登録された代理）"
            f"が取り決めるものです。「{account.department.name}」の{terms.approver}は{head}です。"
        )


def _open_history(session: Session, account: Account, category: str) -> ExemptionRuleHistory | None:
    return session.scalar(
        sa.select(ExemptionRuleHistory)
        .where(
            ExemptionRuleHistory.account_id == account.id,
            ExemptionRuleHistory.category == category,
            ExemptionRuleHistory.ended_at.is_(None),
        )
        .order_by(ExemptionRuleHistory.id.desc())
        .limit(1)
    )


def _end_current(
    session: Session,
    account: Account,
    current: ExemptionRule,
    *,
    person: Person,
    now: datetime,
    kind: str,
    reason: str | None,
) -> None:
    """Close the history row of the rule in force (creating it for a seeded rule)."""
    row = _open_history(session, account, current.category)
    if row is None:  # seeded from the directory file: keep it in the history too
        row = ExemptionRuleHistory(
            account_id=account.id,
            category=current.category,
            rule_text=current.rule_text,
            agreed_by_id=current.agreed_by_id,
            agreed_at=current.agreed_at,
        )
        session.add(row)
    row.ended_at = now
    row.ended_by_id = person.id
    row.end_kind = kind
    row.end_reason = reason


def register_rule(
    session: Session,
    *,
    actor: Person,
    code: str,
    category: str,
    rule_text: str,
    clock: Clock | None = None,
) -> ExemptionRule:
    """The 所属長 (or an active deputy) registers the posting rule for one category (4(3) ただし書).

    It replaces any rule in force for that category; the old one stays in the history.
    """
    terms = guideline_terms.in_force(session)
    cat = parse_category(category, terms)
    text = visible_or_empty(rule_text)
    if not text:
        raise ValidationFailed(
            f"掲載に関するルールの本文を入力してください（{terms.approval_clause}ただし書）。",
            fields={"rule_text": "本文を入力してください。"},
        )
    if len(text) > TEXT_LIMIT:
        raise ValidationFailed(
            f"ルールの本文は{TEXT_LIMIT}文字以内にしてください。",
            fields={"rule_text": f"{TEXT_LIMIT}文字以内にしてください。"},
        )
    account = directory.get_account(session, code=code, lock=True)
    now = current_time(clock)
    _require_head(account, actor, now)
    if account.status == CLOSED:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は閉鎖されているため、ルールを登録できません。"
        )
    current = session.scalar(
        sa.select(ExemptionRule).where(
            ExemptionRule.account_id == account.id, ExemptionRule.category == cat
        )
    )
    replaced = current is not None
    if current is not None:
        _end_current(session, account, current, person=actor, now=now, kind="replaced", reason=None)
    else:
        current = ExemptionRule(account_id=account.id, category=cat)
        session.add(current)
    current.rule_text = text
    current.agreed_by_id = actor.id
    current.agreed_at = now
    session.add(
        ExemptionRuleHistory(
            account_id=account.id,
            category=cat,
            rule_text=text,
            agreed_by_id=actor.id,
            agreed_at=now,
        )
    )
    session.flush()
    session.refresh(current, ["agreed_by"])
    record_event(
        session,
        account=account,
        actor=actor,
        kind="rule_registered",
        clock=clock,
        text=text,
        data={"category": cat, "replaced": replaced},
    )
    notify_people(
        session,
        [account.manager],
        messaging.rule_notice(account, cat, actor, revoked=False),
        clock=clock,
        skip=actor,
    )
    return current


def revoke_rule(
    session: Session,
    *,
    actor: Person,
    code: str,
    category: str,
    reason: str | None = None,
    clock: Clock | None = None,
) -> ExemptionRuleHistory:
    """Revoke the rule in force for a category; posts of that kind need 決裁 again."""
    terms = guideline_terms.in_force(session)
    cat = parse_category(category, terms)
    account = directory.get_account(session, code=code, lock=True)
    now = current_time(clock)
    _require_head(account, actor, now)
    current = session.scalar(
        sa.select(ExemptionRule).where(
            ExemptionRule.account_id == account.id, ExemptionRule.category == cat
        )
    )
    if current is None:
        raise NotFound(
            f"「{account.name}」には{terms.exemption_ref(cat)}の掲載ルールは登録されていません。"
        )
    text = (reason or "").strip() or None
    _end_current(session, account, current, person=actor, now=now, kind="revoked", reason=text)
    session.delete(current)
    session.flush()
    row = _open_history(session, account, cat)  # none left open
    assert row is None
    history = session.scalars(
        sa.select(ExemptionRuleHistory)
        .where(ExemptionRuleHistory.account_id == account.id, ExemptionRuleHistory.category == cat)
        .order_by(ExemptionRuleHistory.id.desc())
        .limit(1)
    ).one()
    record_event(
        session,
        account=account,
        actor=actor,
        kind="rule_revoked",
        clock=clock,
        reason=text,
        data={"category": cat},
    )
    notify_people(
        session,
        [account.manager],
        messaging.rule_notice(account, cat, actor, revoked=True),
        clock=clock,
        skip=actor,
    )
    return history

"""What every registry step shares: look-ups, history and audit records, conditional
status moves, permission checks, validation against the directory, notifications.

Services never commit; see ``bot.accounts.service`` for the state machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot import audit
from bot.accounts import messaging
from bot.accounts.models import (
    AccountCheck,
    AccountEvent,
    AccountPolicy,
    AccountRegistration,
    ExemptionRuleHistory,
)
from bot.accounts.validation import (
    FIELD_BY_KEY,
    TEXT_LIMIT,
    PolicyInput,
    fail,
    split_handles,
    url_key,
    validate_form,
)
from bot.clock import Clock, SystemClock
from bot.directory import service as directory
from bot.directory.models import Account, Department, ExemptionRule, Person, status_label
from bot.directory.service import normalise_handle
from bot.errors import InvalidTransition, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue
from bot.tenancy import current_tenant
from bot.text import visible_or_empty

# Serialises registry writes that check uniqueness across accounts (PostgreSQL; SQLite
# already has one writer at a time).
_PG_REGISTRY_LOCK = 0x5E5_AC07


# ---------------------------------------------------------------------------- lookups


def get_policy(session: Session, *, account: Account) -> AccountPolicy | None:
    """The 運用ポリシー of an account (None for accounts seeded from the directory file)."""
    return session.get(AccountPolicy, account.id)


def list_accounts(session: Session, *, statuses: Iterable[str] | None = None) -> list[Account]:
    """Accounts ordered by department and name, optionally only in the given statuses."""
    stmt = sa.select(Account).join(Account.department).order_by(Department.code, Account.code)
    if statuses is not None:
        stmt = stmt.where(Account.status.in_(list(statuses)))
    return list(session.scalars(stmt))


def latest_registration(session: Session, account: Account) -> AccountRegistration | None:
    return session.scalar(
        sa.select(AccountRegistration)
        .where(AccountRegistration.account_id == account.id)
        .order_by(AccountRegistration.number.desc())
        .limit(1)
    )


def account_summary(session: Session, *, code: str, history: int = 10) -> messaging.AccountSummary:
    """All ``/account show`` needs: account, policy, last 開設届, rules, checklist, history."""
    account = directory.get_account(session, code=code)
    checks = {
        c.item: c
        for c in session.scalars(
            sa.select(AccountCheck).where(AccountCheck.account_id == account.id)
        )
    }
    events = list(
        session.scalars(
            sa.select(AccountEvent)
            .where(AccountEvent.account_id == account.id)
            .order_by(AccountEvent.id.desc())
            .limit(history)
        )
    )
    rules = list(
        session.scalars(
            sa.select(ExemptionRule)
            .where(ExemptionRule.account_id == account.id)
            .order_by(ExemptionRule.category)
        )
    )
    return messaging.AccountSummary(
        account=account,
        policy=get_policy(session, account=account),
        registration=latest_registration(session, account),
        checks=checks,
        rules=rules,
        events=list(reversed(events)),
    )


def account_history(session: Session, *, code: str) -> list[AccountEvent]:
    """Every registry event of an account, oldest first."""
    account = directory.get_account(session, code=code)
    return list(
        session.scalars(
            sa.select(AccountEvent)
            .where(AccountEvent.account_id == account.id)
            .order_by(AccountEvent.id)
        )
    )


def rule_history(session: Session, *, code: str) -> list[ExemptionRuleHistory]:
    """Every posting rule (4(3) ただし書) ever registered for the account, oldest first."""
    account = directory.get_account(session, code=code)
    return list(
        session.scalars(
            sa.select(ExemptionRuleHistory)
            .where(ExemptionRuleHistory.account_id == account.id)
            .order_by(ExemptionRuleHistory.id)
        )
    )


# ---------------------------------------------------------------------------- helpers


def current_time(clock: Clock | None) -> datetime:
    return (clock or SystemClock()).now()


def record_event(
    session: Session,
    *,
    account: Account,
    actor: Person,
    kind: str,
    clock: Clock | None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    text: str | None = None,
) -> AccountEvent:
    """Append to the account's history and to the audit log (W7)."""
    event = AccountEvent(
        account_id=account.id,
        occurred_at=current_time(clock),
        actor_id=actor.id,
        kind=kind,
        reason=reason,
        data=dict(data or {}),
    )
    session.add(event)
    # Free text (reasons, rule texts) goes to the audit log as a hash only.
    audit_text = text if text is not None else reason
    audit.record(
        session,
        actor=actor.handle,
        action=f"account.{kind}",
        subject_type="account",
        subject_id=account.id,
        data={"code": account.code, **(data or {})},
        text=audit_text,
        clock=clock,
    )
    session.flush()
    return event


def transition_status(
    session: Session, account: Account, *, to: str, allowed: Iterable[str], verb: str
) -> str:
    """Move ``account`` to ``to`` if its status is one of ``allowed``; return the old status."""
    allowed = list(allowed)
    session.flush()
    before = account.status
    result = session.execute(
        sa.update(Account)
        .where(Account.id == account.id, Account.status.in_(allowed))
        .values(status=to)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        current = session.scalar(sa.select(Account.status).where(Account.id == account.id))
        set_committed_value(account, "status", current)
        label = status_label(current or "", guideline_terms.of_record(account))
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は現在「{label}」のため、{verb}できません。"
        )
    set_committed_value(account, "status", to)
    return before


def lock_registry(session: Session) -> None:
    """Serialise this tenant's registry writes until the transaction ends (PostgreSQL).

    One lock per tenant (the two-key form: registry, hash of the tenant id), so one city's
    account registration never waits for another's; uniqueness is per tenant anyway.
    A hash collision between two tenants only makes them share a lock (they wait, nothing
    breaks).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(CAST(:k AS integer), hashtext(:t))"),
            {"k": _PG_REGISTRY_LOCK, "t": current_tenant(session)},
        )


def directory_errors(
    session: Session, values: Mapping[str, str], *, exclude_id: int | None
) -> dict[str, str]:
    """Field errors that need the directory: department, people, duplicate code and URL."""
    errors: dict[str, str] = {}
    v = {k: visible_or_empty(values.get(k)) for k in FIELD_BY_KEY}
    if (
        v["code"]
        and exclude_id is None
        and session.scalar(sa.select(Account.id).where(Account.code == v["code"])) is not None
    ):
        errors["code"] = f"アカウントコード「{v['code']}」はすでに使われています。"
    if v["department"] and (
        session.scalar(sa.select(Department.id).where(Department.code == v["department"])) is None
    ):
        errors["department"] = f"課コード「{v['department']}」は名簿に登録されていません。"
    handles = {"manager": [normalise_handle(v["manager"])] if v["manager"] else []}
    handles["operators"] = split_handles(v["operators"])
    for key, names in handles.items():
        missing = [h for h in names if directory.find_person(session, handle=h) is None]
        if missing:
            who = "、".join(f"「{h}」" for h in missing)
            role = "管理者" if key == "manager" else "担当者"
            cited = guideline_terms.in_force(session).policy_cited(key)
            errors[key] = f"{role}に指定した{who}は名簿に登録されていません{cited}。"
    if v["url"]:
        try:
            key = url_key(v["url"])
        except ValueError:
            key = ""
        if key:
            stmt = sa.select(Account).where(Account.url.is_not(None))
            if exclude_id is not None:
                stmt = stmt.where(Account.id != exclude_id)
            for other in session.scalars(stmt):
                try:
                    same = url_key(other.url or "") == key
                except ValueError:
                    same = False
                if same:
                    errors["url"] = (
                        f"この登録URLはすでに公式アカウント「{other.name}」（{other.code}、"
                        f"{status_label(other.status, guideline_terms.of_record(other))}）として登録されています。"
                    )
                    break
    return errors


def validate_policy(
    session: Session, values: Mapping[str, str], *, exclude_id: int | None
) -> PolicyInput:
    """Form and directory checks together, so the user sees every problem at once."""
    form: PolicyInput | None = None
    terms = guideline_terms.in_force(session)
    try:
        form = validate_form(dict(values), terms)
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        errors = dict(exc.fields)
    for key, msg in directory_errors(session, values, exclude_id=exclude_id).items():
        errors.setdefault(key, msg)
    if errors or form is None:
        raise fail(errors, terms)
    return form


def people_by_handles(session: Session, handles: Iterable[str]) -> list[Person]:
    return [directory.get_person(session, handle=h) for h in handles]


def can_edit(session: Session, account: Account, person: Person, now: datetime) -> bool:
    policy = get_policy(session, account=account)
    return (
        (policy is not None and policy.registered_by_id == person.id)
        or account.manager_id == person.id
        or any(p.id == person.id for p in account.operators)
        or directory.is_head_or_deputy(account.department, person, now)
        or directory.has_role(session, person=person, role="admin")
    )


def can_manage(session: Session, account: Account, person: Person, now: datetime) -> bool:
    return (
        account.manager_id == person.id
        or directory.is_head_or_deputy(account.department, person, now)
        or directory.has_role(session, person=person, role="admin")
    )


def require_edit(session: Session, account: Account, person: Person, now: datetime) -> None:
    if not can_edit(session, account, person, now):
        raise PermissionDenied(
            f"公式アカウント「{account.name}」の運用ポリシーを扱えるのは、登録者・管理者・担当者・"
            f"{guideline_terms.of_record(account).approver}（代理を含む）だけです。"
        )


def require_manage(
    session: Session, account: Account, person: Person, now: datetime, *, what: str
) -> None:
    if not can_manage(session, account, person, now):
        terms = guideline_terms.of_record(account)
        raise PermissionDenied(
            f"公式アカウント「{account.name}」の{what}ができるのは、管理者"
            + terms.policy_cited("manager")
            + f"または{terms.approver}（代理を含む）だけです。"
        )


def notify_people(
    session: Session,
    people: Iterable[Person | None],
    message: OutMessage,
    *,
    clock: Clock | None,
    skip: Person | None = None,
) -> list[OutboxMessage]:
    """Queue ``message`` to each distinct person (not ``skip``, who is the actor)."""
    rows: list[OutboxMessage] = []
    seen: set[int] = set()
    for person in people:
        if person is None or person.id in seen or (skip is not None and person.id == skip.id):
            continue
        seen.add(person.id)
        row = enqueue(session, message=message, to_person=person, clock=clock)
        if row is not None:
            rows.append(row)
    return rows


def require_reason(reason: str | None, what: str) -> str:
    text = visible_or_empty(reason)
    if not text:
        raise ValidationFailed(
            f"{what}の理由を入力してください。", fields={"reason": "理由を入力してください。"}
        )
    if len(text) > TEXT_LIMIT:
        raise ValidationFailed(
            f"理由は{TEXT_LIMIT}文字以内にしてください。",
            fields={"reason": f"{TEXT_LIMIT}文字以内にしてください。"},
        )
    return text

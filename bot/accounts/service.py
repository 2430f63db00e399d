"""Official-account registry services (W5; guideline 4(1), 4(2), 4(3) ただし書, 5(4), 5(5)).

State machine of ``Account.status``::

    registered --submit--> submitted --confirm--> confirmed --suspend--> suspended
    returned   --submit--> submitted --return---> returned     <--resume--
    any (but closed) --close--> closed

Every transition is one conditional UPDATE (``... WHERE status IN (allowed)``), so two
clicks, two processes or a stale button can never both win. Services never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot import audit
from bot.accounts import messaging
from bot.accounts.models import (
    CHECK_ITEMS,
    AccountCheck,
    AccountEvent,
    AccountPolicy,
    AccountRegistration,
    ExemptionRuleHistory,
)
from bot.accounts.validation import (
    FIELD_BY_KEY,
    FIELDS,
    TEXT_LIMIT,
    PolicyInput,
    fail,
    split_handles,
    url_key,
    validate_form,
)
from bot.clock import Clock, SystemClock, format_jst
from bot.directory import service as directory
from bot.directory.models import (
    ACCOUNT_STATUS_LABELS,
    CLOSED,
    CONFIRMED,
    EXEMPT_CATEGORIES,
    REGISTERED,
    RETURNED,
    SUBMITTED,
    SUSPENDED,
    Account,
    Department,
    ExemptionRule,
    Person,
)
from bot.directory.service import normalise_handle
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue
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


def _latest_registration(session: Session, account: Account) -> AccountRegistration | None:
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
        registration=_latest_registration(session, account),
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


def _now(clock: Clock | None) -> datetime:
    return (clock or SystemClock()).now()


def _record(
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
        occurred_at=_now(clock),
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


def _transition(
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
        label = ACCOUNT_STATUS_LABELS.get(current or "", current)
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は現在「{label}」のため、{verb}できません。"
        )
    set_committed_value(account, "status", to)
    return before


def _lock_registry(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_REGISTRY_LOCK})


def _directory_errors(
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
            errors[key] = f"{role}に指定した{who}は名簿に登録されていません（4(1)キ）。"
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
                        f"{ACCOUNT_STATUS_LABELS.get(other.status, other.status)}）として登録されています。"
                    )
                    break
    return errors


def _validate(
    session: Session, values: Mapping[str, str], *, exclude_id: int | None
) -> PolicyInput:
    """Form and directory checks together, so the user sees every problem at once."""
    form: PolicyInput | None = None
    try:
        form = validate_form(dict(values))
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        errors = dict(exc.fields)
    for key, msg in _directory_errors(session, values, exclude_id=exclude_id).items():
        errors.setdefault(key, msg)
    if errors or form is None:
        raise fail(errors)
    return form


def _people(session: Session, handles: Iterable[str]) -> list[Person]:
    return [directory.get_person(session, handle=h) for h in handles]


def _can_edit(session: Session, account: Account, person: Person, now: datetime) -> bool:
    policy = get_policy(session, account=account)
    return (
        (policy is not None and policy.registered_by_id == person.id)
        or account.manager_id == person.id
        or any(p.id == person.id for p in account.operators)
        or directory.is_head_or_deputy(account.department, person, now)
        or directory.has_role(session, person=person, role="admin")
    )


def _can_manage(session: Session, account: Account, person: Person, now: datetime) -> bool:
    return (
        account.manager_id == person.id
        or directory.is_head_or_deputy(account.department, person, now)
        or directory.has_role(session, person=person, role="admin")
    )


def _require_edit(session: Session, account: Account, person: Person, now: datetime) -> None:
    if not _can_edit(session, account, person, now):
        raise PermissionDenied(
            f"公式アカウント「{account.name}」の運用ポリシーを扱えるのは、登録者・管理者・担当者・"
            "所属長（代理を含む）だけです。"
        )


def _require_manage(
    session: Session, account: Account, person: Person, now: datetime, *, what: str
) -> None:
    if not _can_manage(session, account, person, now):
        raise PermissionDenied(
            f"公式アカウント「{account.name}」の{what}ができるのは、管理者（4(1)キ）または"
            "所属長（代理を含む）だけです。"
        )


def _notify(
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


def _require_reason(reason: str | None, what: str) -> str:
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


# ---------------------------------------------------------------------------- register


def form_values(session: Session, *, account: Account) -> dict[str, str]:
    """The account's current 運用ポリシー as form values (to prefill an edit form)."""
    policy = get_policy(session, account=account)
    return {
        "code": account.code,
        "department": account.department.code,
        "organisation": policy.organisation if policy else "",
        "purpose": policy.purpose if policy else "",
        "information": policy.information if policy else "",
        "response": policy.response if policy else "",
        "media": account.media,
        "name": account.name,
        "url": account.url or "",
        "start_date": policy.start_date.isoformat() if policy else "",
        "manager": account.manager.handle if account.manager else "",
        "operators": ",".join(p.handle for p in account.operators),
    }


def register_account(
    session: Session, *, actor: Person, values: Mapping[str, str], clock: Clock | None = None
) -> Account:
    """Register an account with its 運用ポリシー (4(1)ア〜キ) as a draft 開設届 ("registered")."""
    _lock_registry(session)
    form = _validate(session, values, exclude_id=None)
    department = session.scalars(
        sa.select(Department).where(Department.code == form.department)
    ).one()
    now = _now(clock)
    account = Account(
        code=form.code,
        name=form.name,
        media=form.media,
        url=form.url,
        department=department,
        manager=directory.get_person(session, handle=form.manager),
        operators=_people(session, form.operators),
        status=REGISTERED,
    )
    try:
        with session.begin_nested():
            session.add(account)
            session.flush()
            session.add(
                AccountPolicy(
                    account_id=account.id,
                    organisation=form.organisation,
                    purpose=form.purpose,
                    information=form.information,
                    response=form.response,
                    start_date=form.start_date,
                    url_key=form.url_key,
                    registered_by_id=actor.id,
                    registered_at=now,
                    updated_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        # Only reachable if a writer slipped past the registry lock: same code or URL.
        raise fail({"url": "このアカウントコードまたは登録URLはすでに登録されています。"}) from None
    _record(
        session,
        account=account,
        actor=actor,
        kind="registered",
        clock=clock,
        data={"media": form.media, "department": department.code},
    )
    return account


def update_registration(
    session: Session,
    *,
    actor: Person,
    code: str,
    values: Mapping[str, str],
    clock: Clock | None = None,
) -> Account:
    """Correct the 運用ポリシー of an account not yet submitted, or returned (4(1))."""
    _lock_registry(session)
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
    _require_edit(session, account, actor, now)
    if account.status not in (REGISTERED, RETURNED):
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は現在「{ACCOUNT_STATUS_LABELS.get(account.status, account.status)}」"
            "のため、運用ポリシーを修正できません（管理者・担当者の変更は /account manager・"
            "/account operators で行えます）。"
        )
    if "code" in values and values["code"].strip() != account.code:
        raise fail({"code": "アカウントコードは変更できません。"})
    merged = {**form_values(session, account=account), **{k: v for k, v in values.items()}}
    form = _validate(session, merged, exclude_id=account.id)
    before = form_values(session, account=account)
    department = session.scalars(
        sa.select(Department).where(Department.code == form.department)
    ).one()
    account.name = form.name
    account.media = form.media
    account.url = form.url
    account.department = department
    account.manager = directory.get_person(session, handle=form.manager)
    account.operators = _people(session, form.operators)
    policy = get_policy(session, account=account)
    if policy is None:
        policy = AccountPolicy(account_id=account.id, registered_by_id=actor.id, registered_at=now)
        session.add(policy)
    policy.organisation = form.organisation
    policy.purpose = form.purpose
    policy.information = form.information
    policy.response = form.response
    policy.start_date = form.start_date
    policy.url_key = form.url_key
    policy.updated_at = now
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise fail({"url": "この登録URLはすでに登録されています。"}) from None
    after = form_values(session, account=account)
    changed = sorted(k for k in after if after[k] != before[k])
    _record(
        session,
        account=account,
        actor=actor,
        kind="updated",
        clock=clock,
        data={"fields": changed},
    )
    return account


# ---------------------------------------------------------------------------- 開設届


def submit_registration(
    session: Session, *, actor: Person, code: str, clock: Clock | None = None
) -> AccountRegistration:
    """Send the 開設届 to every 広報課長 (4(2)); a returned one may be submitted again."""
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
    _require_edit(session, account, actor, now)
    policy = get_policy(session, account=account)
    if policy is None:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」には運用ポリシー（4(1)）が登録されていないため、"
            "開設届を提出できません。"
        )
    _require_complete(session, account, submitting=True)
    heads = directory.role_members(session, role="pr_head")
    if not heads:
        raise InvalidTransition(
            "広報課長（pr_head）が名簿に登録されていないため、開設届（4(2)）を送れません。"
            "管理者に名簿の更新を依頼してください。"
        )
    _transition(session, account, to=SUBMITTED, allowed=(REGISTERED, RETURNED), verb="開設届を提出")
    number = (
        session.scalar(
            sa.select(sa.func.max(AccountRegistration.number)).where(
                AccountRegistration.account_id == account.id
            )
        )
        or 0
    ) + 1
    registration = AccountRegistration(
        account_id=account.id,
        number=number,
        submitted_by_id=actor.id,
        submitted_at=now,
        request_messages={},
    )
    session.add(registration)
    session.flush()
    session.refresh(registration, ["submitted_by"])
    message = messaging.registration_request(account, policy, registration)
    sent: dict[str, Any] = {}
    for head in heads:
        row = enqueue(session, message=message, to_person=head, clock=clock)
        if row is not None:
            sent[head.handle] = row.id
    registration.request_messages = sent
    _record(
        session,
        account=account,
        actor=actor,
        kind="submitted",
        clock=clock,
        data={"registration": registration.id, "number": number, "to": sorted(sent)},
    )
    return registration


def _open_registration(
    session: Session, *, registration_id: int | None, code: str | None, clock: Clock | None
) -> AccountRegistration:
    if registration_id is not None:
        registration = session.get(AccountRegistration, registration_id)
        if registration is None:
            raise NotFound("この開設届は見つかりません。")
        return registration
    if code is None:
        raise ValueError("registration_id or code")
    account = directory.get_account(session, code=code)
    registration = _latest_registration(session, account)
    if registration is None and account.status == SUBMITTED and account.manager is not None:
        # Loaded from the directory file as "submitted": give it its 開設届 record now.
        registration = AccountRegistration(
            account_id=account.id,
            number=1,
            submitted_by_id=account.manager.id,
            submitted_at=_now(clock),
            request_messages={},
        )
        session.add(registration)
        session.flush()
    if registration is None:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」の開設届はまだ提出されていません。"
        )
    return registration


def _already_decided(registration: AccountRegistration) -> InvalidTransition:
    label = messaging.DECISION_LABELS.get(registration.decision or "", registration.decision)
    who = messaging.person_label(registration.decided_by)
    when = format_jst(registration.decided_at) if registration.decided_at else ""
    return InvalidTransition(
        f"この開設届（#{registration.id}）はすでに{label}です（{who}、{when}）。変更はありません。"
    )


def decide_registration(
    session: Session,
    *,
    actor: Person,
    decision: str,
    registration_id: int | None = None,
    code: str | None = None,
    reason: str | None = None,
    clock: Clock | None = None,
) -> AccountRegistration:
    """The 広報課長 confirms or returns a 開設届 (4(2)), exactly once.

    Pass ``registration_id`` from a button (a stale button then names the old 開設届) or
    ``code`` for the account's latest one.
    """
    if decision not in (CONFIRMED, RETURNED):
        raise ValueError(decision)
    if not directory.has_role(session, person=actor, role="pr_head"):
        raise PermissionDenied(
            "開設届を確認・差し戻しできるのは広報課長だけです（ガイドライン4(2)）。"
        )
    registration = _open_registration(
        session, registration_id=registration_id, code=code, clock=clock
    )
    text = _require_reason(reason, "差し戻し") if decision == RETURNED else None
    account = registration.account
    if decision == CONFIRMED:
        _require_complete(session, account)
    now = _now(clock)
    result = session.execute(
        sa.update(AccountRegistration)
        .where(AccountRegistration.id == registration.id, AccountRegistration.decision.is_(None))
        .values(decision=decision, decided_by_id=actor.id, decided_at=now, reason=text)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(registration)
        raise _already_decided(registration)
    session.refresh(registration)
    verb = "確認" if decision == CONFIRMED else "差し戻し"
    _transition(session, account, to=decision, allowed=(SUBMITTED,), verb=f"開設届を{verb}")
    policy = get_policy(session, account=account)
    _update_requests(session, account, policy, registration, clock=clock)
    _notify(
        session,
        [registration.submitted_by, account.manager],
        messaging.decision_notice(account, registration),
        clock=clock,
        skip=actor,
    )
    _record(
        session,
        account=account,
        actor=actor,
        kind=decision,
        clock=clock,
        reason=text,
        data={"registration": registration.id},
    )
    return registration


def missing_items(session: Session, *, account: Account) -> list[str]:
    """What 4(1)ア〜キ (and the URL) still lacks, as "4(1)イ 利用目的" labels; [] if complete."""
    values = form_values(session, account=account)
    try:
        validate_form(values)
    except ValidationFailed as exc:
        problems = exc.fields
    else:
        problems = {}
    missing: list[str] = []
    for field in FIELDS:
        if field.key in problems and field.key != "code":
            clause = f"{field.clause} " if field.clause else ""
            missing.append(f"{clause}{field.label}")
    return missing


def _require_complete(session: Session, account: Account, *, submitting: bool = False) -> None:
    """The 開設届 (4(2)) needs every item of 4(1)ア〜キ, the registered URL included."""
    missing = missing_items(session, account=account)
    if not missing:
        return
    verb = "提出" if submitting else "確認"
    then = (
        f"/account edit {account.code} 項目=値 で補ってから、もう一度提出してください。"
        if submitting
        else f"/account return {account.code} 不足している項目 で差し戻し、"
        "登録者に補ってもらってください。"
    )
    raise InvalidTransition(
        f"公式アカウント「{account.name}」の運用ポリシーにそろっていない項目があるため、"
        f"開設届を{verb}できません（4(2)）。\n"
        f"不足している項目: {'、'.join(missing)}\n{then}"
    )


def _update_requests(
    session: Session,
    account: Account,
    policy: AccountPolicy | None,
    registration: AccountRegistration,
    *,
    clock: Clock | None,
) -> None:
    """Replace every 広報課長's copy of the 開設届 with its decided form (no buttons)."""
    message = messaging.registration_decided(account, policy, registration)
    for handle, outbox_id in sorted((registration.request_messages or {}).items()):
        original = session.get(OutboxMessage, int(outbox_id))
        head = session.scalar(sa.select(Person).where(Person.handle == handle))
        if original is None or head is None:
            continue
        enqueue(session, message=message, to_person=head, update_of=original, clock=clock)


def confirm_registration(
    session: Session,
    *,
    actor: Person,
    registration_id: int | None = None,
    code: str | None = None,
    clock: Clock | None = None,
) -> AccountRegistration:
    """The 広報課長 confirms a 開設届: the account becomes "confirmed" (4(2))."""
    return decide_registration(
        session,
        actor=actor,
        decision=CONFIRMED,
        registration_id=registration_id,
        code=code,
        clock=clock,
    )


def return_registration(
    session: Session,
    *,
    actor: Person,
    reason: str,
    registration_id: int | None = None,
    code: str | None = None,
    clock: Clock | None = None,
) -> AccountRegistration:
    """The 広報課長 returns a 開設届 with a reason; it may be corrected and resubmitted."""
    return decide_registration(
        session,
        actor=actor,
        decision=RETURNED,
        registration_id=registration_id,
        code=code,
        reason=reason,
        clock=clock,
    )


# ---------------------------------------------------------------------------- changes


def change_manager(
    session: Session,
    *,
    actor: Person,
    code: str,
    manager: str,
    reason: str | None = None,
    clock: Clock | None = None,
) -> Account:
    """Name a new manager (4(1)キ); the new manager is told."""
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
    _require_manage(session, account, actor, now, what="管理者の変更")
    if account.status == CLOSED:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は閉鎖されているため、変更できません。"
        )
    try:
        new = directory.get_person(session, handle=manager)
    except NotFound:
        raise ValidationFailed(
            f"管理者に指定した「{manager}」は名簿に登録されていません（4(1)キ）。",
            fields={"manager": f"「{manager}」は名簿に登録されていません。"},
        ) from None
    old = account.manager
    if old is not None and old.id == new.id:
        raise ValidationFailed(
            f"{messaging.person_label(new)}はすでにこのアカウントの管理者です。",
            fields={"manager": "すでに管理者です。"},
        )
    account.manager = new
    _record(
        session,
        account=account,
        actor=actor,
        kind="manager_changed",
        clock=clock,
        reason=(reason or "").strip() or None,
        data={"from": old.handle if old else None, "to": new.handle},
    )
    _notify(session, [new], messaging.manager_notice(account, actor), clock=clock, skip=actor)
    return account


def set_operators(
    session: Session,
    *,
    actor: Person,
    code: str,
    operators: Iterable[str] | str,
    clock: Clock | None = None,
) -> Account:
    """Replace the operators (担当者, 4(1)キ) of an account."""
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
    _require_manage(session, account, actor, now, what="担当者の変更")
    if account.status == CLOSED:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は閉鎖されているため、変更できません。"
        )
    handles = (
        split_handles(operators) if isinstance(operators, str) else list(dict.fromkeys(operators))
    )
    errors = _directory_errors(session, {"operators": ",".join(handles)}, exclude_id=account.id)
    if errors:
        raise ValidationFailed(errors["operators"], fields=errors)
    before = [p.handle for p in account.operators]
    account.operators = _people(session, handles)
    _record(
        session,
        account=account,
        actor=actor,
        kind="operators_changed",
        clock=clock,
        data={"from": before, "to": handles},
    )
    return account


def _status_change(
    session: Session,
    *,
    actor: Person,
    code: str,
    kind: str,
    to: str,
    allowed: Iterable[str],
    verb: str,
    reason: str | None,
    reason_required: bool,
    clock: Clock | None,
) -> Account:
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
    if not (
        _can_manage(session, account, actor, now)
        or directory.has_role(session, person=actor, role="pr_head")
    ):
        raise PermissionDenied(
            f"公式アカウント「{account.name}」を{verb}できるのは、管理者（4(1)キ）・所属長（代理を含む）"
            "・広報課長だけです。"
        )
    text = _require_reason(reason, verb) if reason_required else ((reason or "").strip() or None)
    was_listed = account.status == CONFIRMED
    before = _transition(session, account, to=to, allowed=allowed, verb=verb)
    if kind == "closed":
        _withdraw_open_registration(session, account, actor, clock=clock)
    _record(
        session,
        account=account,
        actor=actor,
        kind=kind,
        clock=clock,
        reason=text,
        data={"from": before},
    )
    recipients: list[Person | None] = [account.manager]
    if was_listed or kind == "resumed":
        recipients = [*directory.role_members(session, role="pr_head"), account.manager]
    _notify(
        session,
        recipients,
        messaging.status_notice(account, kind, actor, text),
        clock=clock,
        skip=actor,
    )
    return account


def _withdraw_open_registration(
    session: Session, account: Account, person: Person, *, clock: Clock | None
) -> None:
    registration = _latest_registration(session, account)
    if registration is None:
        return
    result = session.execute(
        sa.update(AccountRegistration)
        .where(AccountRegistration.id == registration.id, AccountRegistration.decision.is_(None))
        .values(decision="withdrawn", decided_by_id=person.id, decided_at=_now(clock))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        session.refresh(registration)
        _update_requests(
            session, account, get_policy(session, account=account), registration, clock=clock
        )


def suspend_account(
    session: Session, *, actor: Person, code: str, reason: str, clock: Clock | None = None
) -> Account:
    """Suspend a confirmed account (休止): no drafts until it is resumed."""
    return _status_change(
        session,
        actor=actor,
        code=code,
        kind="suspended",
        to=SUSPENDED,
        allowed=(CONFIRMED,),
        verb="休止",
        reason=reason,
        reason_required=True,
        clock=clock,
    )


def resume_account(
    session: Session,
    *,
    actor: Person,
    code: str,
    reason: str | None = None,
    clock: Clock | None = None,
) -> Account:
    """Resume a suspended account: it is confirmed again."""
    return _status_change(
        session,
        actor=actor,
        code=code,
        kind="resumed",
        to=CONFIRMED,
        allowed=(SUSPENDED,),
        verb="再開",
        reason=reason,
        reason_required=False,
        clock=clock,
    )


def close_account(
    session: Session, *, actor: Person, code: str, reason: str, clock: Clock | None = None
) -> Account:
    """Close an account (閉鎖) from any state; an open 開設届 is withdrawn."""
    return _status_change(
        session,
        actor=actor,
        code=code,
        kind="closed",
        to=CLOSED,
        allowed=(REGISTERED, SUBMITTED, CONFIRMED, RETURNED, SUSPENDED),
        verb="閉鎖",
        reason=reason,
        reason_required=True,
        clock=clock,
    )


# ---------------------------------------------------------------------------- posting rules


def parse_category(value: str) -> str:
    """ "ア", "4(3)ア" or "4（3）ア" -> "ア"; otherwise ValidationFailed."""
    text = value.strip().replace("（", "(").replace("）", ")")
    text = text.removeprefix("4(3)").strip()
    if text not in EXEMPT_CATEGORIES:
        raise ValidationFailed(
            f"区分「{value}」はありません。4(3)ただし書の区分ア・イ・ウ・エのいずれかを指定してください。",
            fields={"category": "ア・イ・ウ・エのいずれかを指定してください。"},
        )
    return text


def _require_head(account: Account, person: Person, now: datetime) -> None:
    if not directory.is_head_or_deputy(account.department, person, now):
        head = messaging.person_label(account.department.head)
        raise PermissionDenied(
            "4(3)ただし書の掲載ルールは所属長（または登録された代理）が取り決めるものです。"
            f"「{account.department.name}」の所属長は{head}です。"
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
    cat = parse_category(category)
    text = visible_or_empty(rule_text)
    if not text:
        raise ValidationFailed(
            "掲載に関するルールの本文を入力してください（4(3)ただし書）。",
            fields={"rule_text": "本文を入力してください。"},
        )
    if len(text) > TEXT_LIMIT:
        raise ValidationFailed(
            f"ルールの本文は{TEXT_LIMIT}文字以内にしてください。",
            fields={"rule_text": f"{TEXT_LIMIT}文字以内にしてください。"},
        )
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
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
    _record(
        session,
        account=account,
        actor=actor,
        kind="rule_registered",
        clock=clock,
        text=text,
        data={"category": cat, "replaced": replaced},
    )
    _notify(
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
    cat = parse_category(category)
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
    _require_head(account, actor, now)
    current = session.scalar(
        sa.select(ExemptionRule).where(
            ExemptionRule.account_id == account.id, ExemptionRule.category == cat
        )
    )
    if current is None:
        raise NotFound(f"「{account.name}」には4(3){cat}の掲載ルールは登録されていません。")
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
    _record(
        session,
        account=account,
        actor=actor,
        kind="rule_revoked",
        clock=clock,
        reason=text,
        data={"category": cat},
    )
    _notify(
        session,
        [account.manager],
        messaging.rule_notice(account, cat, actor, revoked=True),
        clock=clock,
        skip=actor,
    )
    return history


# ---------------------------------------------------------------------------- checklist


def parse_check_item(value: str) -> str:
    """ "5(4)" / "contact" / "5(5)" / "city_page" -> the checklist key."""
    text = value.strip().replace("（", "(").replace("）", ")")
    for key, (clause, _label) in CHECK_ITEMS.items():
        if text in (key, clause):
            return key
    raise ValidationFailed(
        f"確認項目「{value}」はありません。5(4)（運用組織・連絡先）か5(5)（市ホームページのURL）を指定してください。",
        fields={"item": "5(4) か 5(5) を指定してください。"},
    )


def set_check(
    session: Session,
    *,
    actor: Person,
    code: str,
    item: str,
    checked: bool = True,
    clock: Clock | None = None,
) -> AccountCheck:
    """Record a profile checklist item (5(4), 5(5)) as checked or unchecked, with who/when."""
    key = parse_check_item(item)
    account = directory.get_account(session, code=code, lock=True)
    now = _now(clock)
    _require_edit(session, account, actor, now)
    if account.status == CLOSED:
        raise InvalidTransition(f"公式アカウント「{account.name}」は閉鎖されています。")
    row = session.scalar(
        sa.select(AccountCheck).where(
            AccountCheck.account_id == account.id, AccountCheck.item == key
        )
    )
    if row is None:
        row = AccountCheck(account_id=account.id, item=key)
        session.add(row)
    row.checked = checked
    row.checked_by_id = actor.id
    row.checked_at = now
    session.flush()
    session.refresh(row, ["checked_by"])
    _record(
        session,
        account=account,
        actor=actor,
        kind="checklist",
        clock=clock,
        data={"item": key, "clause": CHECK_ITEMS[key][0], "checked": checked},
    )
    return row


__all__ = [
    "FIELDS",
    "account_history",
    "account_summary",
    "change_manager",
    "close_account",
    "confirm_registration",
    "decide_registration",
    "form_values",
    "list_accounts",
    "register_account",
    "register_rule",
    "resume_account",
    "return_registration",
    "revoke_rule",
    "rule_history",
    "set_check",
    "set_operators",
    "submit_registration",
    "suspend_account",
    "update_registration",
]

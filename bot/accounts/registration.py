"""Registering an account with its 運用ポリシー (4(1)ア〜キ), correcting it, and the 開設届
(4(2)): submitted to every 広報課長, confirmed or returned exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.accounts import messaging
from bot.accounts.common import (
    current_time,
    get_policy,
    latest_registration,
    lock_registry,
    notify_people,
    people_by_handles,
    record_event,
    require_edit,
    require_reason,
    transition_status,
    validate_policy,
)
from bot.accounts.models import AccountPolicy, AccountRegistration
from bot.accounts.validation import fail, form_fields, validate_form
from bot.clock import Clock, format_jst
from bot.directory import service as directory
from bot.directory.models import (
    CONFIRMED,
    REGISTERED,
    RETURNED,
    SUBMITTED,
    Account,
    Department,
    Person,
    status_label,
)
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue

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
    lock_registry(session)
    form = validate_policy(session, values, exclude_id=None)
    department = session.scalars(
        sa.select(Department).where(Department.code == form.department)
    ).one()
    now = current_time(clock)
    account = Account(
        code=form.code,
        name=form.name,
        media=form.media,
        url=form.url,
        department=department,
        manager=directory.get_person(session, handle=form.manager),
        operators=people_by_handles(session, form.operators),
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
        raise fail(
            {"url": "このアカウントコードまたは登録URLはすでに登録されています。"},
            guideline_terms.in_force(session),
        ) from None
    record_event(
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
    lock_registry(session)
    account = directory.get_account(session, code=code, lock=True)
    now = current_time(clock)
    require_edit(session, account, actor, now)
    if account.status not in (REGISTERED, RETURNED):
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は現在「{status_label(account.status, guideline_terms.of_record(account))}」"
            "のため、運用ポリシーを修正できません（管理者・担当者の変更は /account manager・"
            "/account operators で行えます）。"
        )
    if "code" in values and values["code"].strip() != account.code:
        raise fail(
            {"code": "アカウントコードは変更できません。"}, guideline_terms.of_record(account)
        )
    merged = {**form_values(session, account=account), **{k: v for k, v in values.items()}}
    form = validate_policy(session, merged, exclude_id=account.id)
    before = form_values(session, account=account)
    department = session.scalars(
        sa.select(Department).where(Department.code == form.department)
    ).one()
    account.name = form.name
    account.media = form.media
    account.url = form.url
    account.department = department
    account.manager = directory.get_person(session, handle=form.manager)
    account.operators = people_by_handles(session, form.operators)
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
        raise fail(
            {"url": "この登録URLはすでに登録されています。"}, guideline_terms.of_record(account)
        ) from None
    after = form_values(session, account=account)
    changed = sorted(k for k in after if after[k] != before[k])
    record_event(
        session, account=account, actor=actor, kind="updated", clock=clock, data={"fields": changed}
    )
    return account


# ---------------------------------------------------------------------------- 開設届


def submit_registration(
    session: Session, *, actor: Person, code: str, clock: Clock | None = None
) -> AccountRegistration:
    """Send the 開設届 to every 広報課長 (4(2)); a returned one may be submitted again."""
    account = directory.get_account(session, code=code, lock=True)
    now = current_time(clock)
    require_edit(session, account, actor, now)
    terms = guideline_terms.in_force(session)
    policy = get_policy(session, account=account)
    if policy is None:
        raise InvalidTransition(
            terms.fill(
                f"公式アカウント「{account.name}」には運用ポリシー（{{policy}}）が登録されていないため、"
                "{form}を提出できません。"
            )
        )
    _require_complete(session, account, submitting=True)
    heads = directory.role_members(session, role="pr_head")
    if not heads:
        raise InvalidTransition(
            terms.fill(
                "{confirmer}（pr_head）が名簿に登録されていないため、{form}（{confirmation}）を送れません。"
                "管理者に名簿の更新を依頼してください。"
            )
        )
    transition_status(
        session,
        account,
        to=SUBMITTED,
        allowed=(REGISTERED, RETURNED),
        verb=f"{terms.registration_form}を提出",
    )
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
    record_event(
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
            form = guideline_terms.in_force(session).registration_form
            raise NotFound(f"この{form}は見つかりません。")
        return registration
    if code is None:
        raise ValueError("registration_id or code")
    account = directory.get_account(session, code=code)
    registration = latest_registration(session, account)
    if registration is None and account.status == SUBMITTED and account.manager is not None:
        # Loaded from the directory file as "submitted": give it its 開設届 record now.
        registration = AccountRegistration(
            account_id=account.id,
            number=1,
            submitted_by_id=account.manager.id,
            submitted_at=current_time(clock),
            request_messages={},
        )
        session.add(registration)
        session.flush()
    if registration is None:
        form = guideline_terms.of_record(account).registration_form
        raise InvalidTransition(
            f"公式アカウント「{account.name}」の{form}はまだ提出されていません。"
        )
    return registration


def _already_decided(registration: AccountRegistration) -> InvalidTransition:
    label = messaging.DECISION_LABELS.get(registration.decision or "", registration.decision)
    who = messaging.person_label(registration.decided_by)
    when = format_jst(registration.decided_at) if registration.decided_at else ""
    form = guideline_terms.of_record(registration).registration_form
    return InvalidTransition(
        f"この{form}（#{registration.id}）はすでに{label}です（{who}、{when}）。変更はありません。"
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
    terms = guideline_terms.in_force(session)
    if not directory.has_role(session, person=actor, role="pr_head"):
        raise PermissionDenied(
            terms.fill(
                "{form}を確認・差し戻しできるのは{confirmer}だけです（{guideline}{confirmation}）。"
            )
        )
    registration = _open_registration(
        session, registration_id=registration_id, code=code, clock=clock
    )
    text = require_reason(reason, "差し戻し") if decision == RETURNED else None
    account = registration.account
    if decision == CONFIRMED:
        _require_complete(session, account)
    now = current_time(clock)
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
    transition_status(
        session,
        account,
        to=decision,
        allowed=(SUBMITTED,),
        verb=f"{terms.registration_form}を{verb}",
    )
    policy = get_policy(session, account=account)
    update_requests(session, account, policy, registration, clock=clock)
    notify_people(
        session,
        [registration.submitted_by, account.manager],
        messaging.decision_notice(account, registration),
        clock=clock,
        skip=actor,
    )
    record_event(
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
    terms = guideline_terms.of_record(account)
    try:
        validate_form(values, terms)
    except ValidationFailed as exc:
        problems = exc.fields
    else:
        problems = {}
    missing: list[str] = []
    for field in form_fields(terms):
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
    terms = guideline_terms.of_record(account)
    raise InvalidTransition(
        f"公式アカウント「{account.name}」の運用ポリシーにそろっていない項目があるため、"
        f"{terms.registration_form}を{verb}できません（{terms.words['confirmation']}）。\n"
        f"不足している項目: {'、'.join(missing)}\n{then}"
    )


def update_requests(
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

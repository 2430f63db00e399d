"""Changes to a registered account: manager and operators (4(1)キ), suspend (休止),
resume and close (閉鎖); every status move is one conditional UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.accounts import messaging
from bot.accounts.common import (
    can_manage,
    current_time,
    directory_errors,
    get_policy,
    latest_registration,
    notify_people,
    people_by_handles,
    record_event,
    require_manage,
    require_reason,
    transition_status,
)
from bot.accounts.models import AccountRegistration
from bot.accounts.registration import update_requests
from bot.accounts.validation import split_handles
from bot.clock import Clock
from bot.directory import service as directory
from bot.directory.models import (
    CLOSED,
    CONFIRMED,
    REGISTERED,
    RETURNED,
    SUBMITTED,
    SUSPENDED,
    Account,
    Person,
)
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms

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
    now = current_time(clock)
    require_manage(session, account, actor, now, what="管理者の変更")
    if account.status == CLOSED:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は閉鎖されているため、変更できません。"
        )
    try:
        new = directory.get_person(session, handle=manager)
    except NotFound:
        raise ValidationFailed(
            f"管理者に指定した「{manager}」は名簿に登録されていません"
            f"{guideline_terms.of_record(account).policy_cited('manager')}。",
            fields={"manager": f"「{manager}」は名簿に登録されていません。"},
        ) from None
    old = account.manager
    if old is not None and old.id == new.id:
        raise ValidationFailed(
            f"{messaging.person_label(new)}はすでにこのアカウントの管理者です。",
            fields={"manager": "すでに管理者です。"},
        )
    account.manager = new
    record_event(
        session,
        account=account,
        actor=actor,
        kind="manager_changed",
        clock=clock,
        reason=(reason or "").strip() or None,
        data={"from": old.handle if old else None, "to": new.handle},
    )
    notify_people(session, [new], messaging.manager_notice(account, actor), clock=clock, skip=actor)
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
    now = current_time(clock)
    require_manage(session, account, actor, now, what="担当者の変更")
    if account.status == CLOSED:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」は閉鎖されているため、変更できません。"
        )
    handles = (
        split_handles(operators) if isinstance(operators, str) else list(dict.fromkeys(operators))
    )
    errors = directory_errors(session, {"operators": ",".join(handles)}, exclude_id=account.id)
    if errors:
        raise ValidationFailed(errors["operators"], fields=errors)
    before = [p.handle for p in account.operators]
    account.operators = people_by_handles(session, handles)
    record_event(
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
    now = current_time(clock)
    if not (
        can_manage(session, account, actor, now)
        or directory.has_role(session, person=actor, role="pr_head")
    ):
        terms = guideline_terms.of_record(account)
        raise PermissionDenied(
            f"公式アカウント「{account.name}」を{verb}できるのは、管理者{terms.policy_cited('manager')}"
            f"・{terms.approver}（代理を含む）・{terms.account_confirmer}だけです。"
        )
    text = require_reason(reason, verb) if reason_required else ((reason or "").strip() or None)
    was_listed = account.status == CONFIRMED
    before = transition_status(session, account, to=to, allowed=allowed, verb=verb)
    if kind == "closed":
        _withdraw_open_registration(session, account, actor, clock=clock)
    record_event(
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
    notify_people(
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
    registration = latest_registration(session, account)
    if registration is None:
        return
    result = session.execute(
        sa.update(AccountRegistration)
        .where(AccountRegistration.id == registration.id, AccountRegistration.decision.is_(None))
        .values(decision="withdrawn", decided_by_id=person.id, decided_at=current_time(clock))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        session.refresh(registration)
        update_requests(
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

"""Submitting a draft and routing it (決裁 or 4(3) exemption), editing it, withdrawing it.

A new version goes through the content check and is routed again; the conditional UPDATE
on (draft id, state, current version) settles a race with a decision.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit import Entry, record_many, text_hash
from bot.clock import Clock, SystemClock
from bot.directory import service as directory
from bot.directory.models import Account, Person
from bot.drafts import messaging
from bot.drafts.checking import CheckOutcome, validate_text
from bot.drafts.common import (
    UNSET,
    SubmitResult,
    check_evidence,
    check_photo,
    close_notices,
    current_version,
    deciders_for,
    get_draft,
    move_state,
    normalise_exemption,
    open_notices,
    postable_account,
    record_and_close,
    rows_updated,
    run_content_check,
)
from bot.drafts.messaging import Related
from bot.drafts.models import Draft, DraftVersion
from bot.drafts.state import EDITABLE_STATES, Event, State, label, next_state
from bot.errors import InvalidTransition, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.notify.service import enqueue

# --- submit and route ------------------------------------------------------------------


def submit(
    session: Session,
    *,
    author: Person,
    account_code: str,
    text: str,
    planned_at: datetime | None = None,
    exemption: str | None = None,
    evidence: str | None = None,
    photo_people: str = "none",
    photo_consent: bool = False,
    false_positive_reason: str | None = None,
    related: Related | None = None,
    clock: Clock | None = None,
) -> SubmitResult:
    """Check a new draft, store it as version 1 and route it (決裁 or exempt).

    ``related``: what the draft answers (an incident's response post), named in the 決裁依頼.
    """
    clock = clock or SystemClock()
    now = clock.now()
    text = validate_text(text)
    account = postable_account(session, author=author, account_code=account_code)
    terms = guideline_terms.in_force(session)
    category = normalise_exemption(exemption, terms)
    evidence = check_evidence(category, evidence, terms)
    check_photo(photo_people, photo_consent, emergency=terms.is_emergency(category), terms=terms)
    if planned_at is not None and planned_at.tzinfo is None:
        raise ValueError("planned_at must be timezone-aware")
    registered = _exemption_allowed(session, account=account, category=category, terms=terms)
    deciders = (
        []
        if category is not None
        else deciders_for(session, account=account, author=author, now=now)
    )
    outcome, fp_reason = run_content_check(
        session,
        text,
        false_positive_reason=false_positive_reason,
        exemption=category,
        terms=terms,
    )

    draft = Draft(
        account_id=account.id,
        author_id=author.id,
        state=next_state(None, Event.ROUTE_EXEMPT if category else Event.ROUTE_APPROVAL, terms),
        current_version=1,
        exemption=category,
        evidence=evidence,
        photo_people=photo_people,
        photo_consent=bool(photo_consent) if photo_people == "identifiable" else False,
        planned_at=planned_at,
        created_at=now,
        updated_at=now,
        guideline_version=terms.version,
        guideline_sha256=terms.sha256,
    )
    draft.account = account
    draft.author = author
    version = _new_version(
        draft_id=None,
        number=1,
        text=text,
        outcome=outcome,
        fp_reason=fp_reason,
        now=now,
        terms=terms,
    )
    draft.versions.append(version)
    session.add(draft)
    session.flush()  # the draft's id goes into the messages built next
    submitted = Entry(
        actor=author.handle,
        action="draft.submitted",
        subject_type="draft",
        subject_id=draft.id,
        data={
            "account": account.code,
            "version": 1,
            "verdict": outcome.verdict,
            "findings": outcome.audit_summary(),
            "exemption": category,
            "evidence_given": evidence is not None,
            "photo_people": photo_people,
            "photo_consent": draft.photo_consent,
            "planned_at": planned_at.isoformat() if planned_at else None,
            "false_positive_statement": fp_reason is not None,
            "guideline": {"version": terms.version, "sha256": terms.sha256},
        },
        text=text,
    )
    return _route_and_record(
        session,
        draft=draft,
        account=account,
        version=version,
        outcome=outcome,
        deciders=deciders,
        registered=registered,
        event=submitted,
        edited=False,
        clock=clock,
        related=related,
    )


def _exemption_allowed(
    session: Session, *, account: Account, category: str | None, terms: Terms
) -> bool:
    """Whether the department registered rules for the category; refuse if not (except
    a category that is never held, the seed city's エ)."""
    if category is None:
        return True
    if any(rule.category == category for rule in account.exemptions):
        return True
    if terms.is_emergency(category):
        return False  # never held; the head is told the rule was not registered
    raise ValidationFailed(
        f"「{account.name}」では {terms.exemption_ref(category)} の掲載ルールが事前に取り決められていないため、"
        f"決裁不要にはできません（{terms.approval_clause}ただし書）。区分なしで送ると"
        f"{terms.approver}の決裁を依頼します。",
        fields={"exemption": "未登録の区分"},
    )


def _new_version(
    *,
    draft_id: int | None,
    number: int,
    text: str,
    outcome: CheckOutcome,
    fp_reason: str | None,
    now: datetime,
    terms: Terms,
) -> DraftVersion:
    """A version row, not yet added (the caller's next flush inserts it)."""
    return DraftVersion(
        draft_id=draft_id,
        number=number,
        text=text,
        text_hash=text_hash(text),
        verdict=outcome.verdict,
        findings=outcome.findings,
        false_positive_reason=fp_reason,
        created_at=now,
        guideline_version=terms.version,
        guideline_sha256=terms.sha256,
    )


def _route_and_record(
    session: Session,
    *,
    draft: Draft,
    account: Account,
    version: DraftVersion,
    outcome: CheckOutcome,
    deciders: list[Person],
    registered: bool,
    event: Entry,
    edited: bool,
    clock: Clock,
    related: Related | None = None,
) -> SubmitResult:
    """Route a new version, append its event with the routing event, and build the receipt."""
    result = SubmitResult(draft=draft, version=version, outcome=outcome)
    routed = _route(
        session,
        draft=draft,
        account=account,
        version=version,
        deciders=deciders,
        registered=registered,
        result=result,
        clock=clock,
        related=related,
    )
    # Both events in one append; its flush also writes the outbox rows and notices.
    record_many(session, [event, routed], clock=clock)
    result.receipt = messaging.receipt(
        draft, account, version, outcome, result.approvers, edited=edited
    )
    return result


def _route(
    session: Session,
    *,
    draft: Draft,
    account: Account,
    version: DraftVersion,
    deciders: list[Person],
    registered: bool,
    result: SubmitResult,
    clock: Clock,
    related: Related | None = None,
) -> Entry:
    """Send the 決裁 request, or for exempt posts tell the head what they must know now.

    Rows are only added (the caller's next flush writes them in one batch per table); the
    audit event is returned for the caller to append together with its own.
    """
    if draft.exemption is None:
        open_notices(
            session,
            draft=draft,
            version=version.number,
            purpose="approval",
            people=deciders,
            message=messaging.approval_request(draft, account, version, related=related),
            clock=clock,
            flush=False,
        )
        result.approvers = deciders
        return Entry(
            actor="system",
            action="draft.approval_requested",
            subject_type="draft",
            subject_id=draft.id,
            data={"version": version.number, "approvers": [p.handle for p in deciders]},
        )
    told: list[Person] = []
    if version.false_positive_reason is not None or guideline_terms.of_record(draft).is_emergency(
        draft.exemption
    ):
        try:
            heads = directory.approvers(account.department, clock.now())
        except ValidationFailed:
            heads = []
        message = messaging.exempt_notice(draft, account, version, registered=registered)
        for person in heads:
            if person.id != draft.author_id:
                enqueue(session, message=message, to_person=person, clock=clock, flush=False)
                told.append(person)
    result.approvers = told
    return Entry(
        actor="system",
        action="draft.routed_exempt",
        subject_type="draft",
        subject_id=draft.id,
        data={
            "version": version.number,
            "category": draft.exemption,
            "rule_registered": registered,
            "told": [p.handle for p in told],
        },
    )


# --- edit ------------------------------------------------------------------------------


def edit(
    session: Session,
    *,
    author: Person,
    draft_id: int,
    text: str,
    planned_at: datetime | None = UNSET,
    exemption: str | None = UNSET,
    evidence: str | None = UNSET,
    photo_people: str = UNSET,
    photo_consent: bool = UNSET,
    false_positive_reason: str | None = None,
    clock: Clock | None = None,
) -> SubmitResult:
    """Store a new version and route it again; earlier approvals do not carry over."""
    clock = clock or SystemClock()
    now = clock.now()
    text = validate_text(text)
    draft = get_draft(session, draft_id=draft_id)
    if draft.author_id != author.id:
        raise PermissionDenied(
            f"下書き #{draft.id} を修正できるのは作成者（{messaging.who(draft.author)}）だけです。"
        )
    state = State(draft.state)
    if state not in EDITABLE_STATES:
        next_state(state, Event.EDIT, guideline_terms.in_force(session))  # raises with the reason
    account = postable_account(session, author=author, account_code=draft.account.code)
    old = current_version(session, draft=draft)
    terms = guideline_terms.in_force(session)
    category = draft.exemption if exemption is UNSET else normalise_exemption(exemption, terms)
    new_evidence = check_evidence(
        category, draft.evidence if evidence is UNSET else evidence, terms
    )
    new_photo = draft.photo_people if photo_people is UNSET else photo_people
    new_consent = draft.photo_consent if photo_consent is UNSET else bool(photo_consent)
    check_photo(new_photo, new_consent, emergency=terms.is_emergency(category), terms=terms)
    new_planned = draft.planned_at if planned_at is UNSET else planned_at
    if new_planned is not None and new_planned.tzinfo is None:
        raise ValueError("planned_at must be timezone-aware")
    unchanged = (
        text == old.text
        and category == draft.exemption
        and new_evidence == draft.evidence
        and new_photo == draft.photo_people
        and new_consent == draft.photo_consent
        and new_planned == draft.planned_at
    )
    if unchanged:
        raise ValidationFailed(
            f"下書き #{draft.id} の第{old.number}版と同じ内容です。修正してから送ってください。"
        )
    registered = _exemption_allowed(session, account=account, category=category, terms=terms)
    deciders = (
        []
        if category is not None
        else deciders_for(session, account=account, author=author, now=now)
    )
    outcome, fp_reason = run_content_check(
        session,
        text,
        false_positive_reason=false_positive_reason,
        exemption=category,
        terms=terms,
    )
    target = next_state(state, Event.ROUTE_EXEMPT if category else Event.ROUTE_APPROVAL, terms)
    number = old.number + 1
    moved = rows_updated(
        session,
        sa.update(Draft)
        .where(
            Draft.id == draft.id, Draft.state == state.value, Draft.current_version == old.number
        )
        .values(
            state=target.value,
            current_version=number,
            exemption=category,
            evidence=new_evidence,
            photo_people=new_photo,
            photo_consent=new_consent if new_photo == "identifiable" else False,
            planned_at=new_planned,
            updated_at=now,
            guideline_version=terms.version,
            guideline_sha256=terms.sha256,
        )
        .execution_options(synchronize_session=False),
    )
    if moved != 1:
        draft = get_draft(session, draft_id=draft_id)
        raise InvalidTransition(
            f"下書き #{draft.id} は修正の直前に状態が変わりました（現在: {label(draft.state, guideline_terms.in_force(session))}）。"
            "内容を確かめてからもう一度送ってください。何も変更していません。"
        )
    session.refresh(draft)
    version = _new_version(
        draft_id=draft.id,
        number=number,
        text=text,
        outcome=outcome,
        fp_reason=fp_reason,
        now=now,
        terms=terms,
    )
    session.add(version)
    edited = Entry(
        actor=author.handle,
        action="draft.edited",
        subject_type="draft",
        subject_id=draft.id,
        data={
            "version": number,
            "previous_version": old.number,
            "previous_state": state.value,
            "verdict": outcome.verdict,
            "findings": outcome.audit_summary(),
            "exemption": category,
            "photo_people": new_photo,
            "photo_consent": draft.photo_consent,
            "false_positive_statement": fp_reason is not None,
            "guideline": {"version": terms.version, "sha256": terms.sha256},
        },
        text=text,
    )
    close_notices(
        session,
        draft=draft,
        purpose="approval",
        version=None,
        message=messaging.approval_stale(draft, old, number),
        now=now,
        clock=clock,
    )
    return _route_and_record(
        session,
        draft=draft,
        account=account,
        version=version,
        outcome=outcome,
        deciders=deciders,
        registered=registered,
        event=edited,
        edited=True,
        clock=clock,
    )


# --- withdraw --------------------------------------------------------------------------


def withdraw(
    session: Session, *, author: Person, draft_id: int, clock: Clock | None = None
) -> Draft:
    """The author takes back a draft that has not been published."""
    clock = clock or SystemClock()
    now = clock.now()
    draft = get_draft(session, draft_id=draft_id)
    if draft.author_id != author.id:
        raise PermissionDenied(f"下書き #{draft.id} を取り下げられるのは作成者だけです。")
    state = State(draft.state)
    target = next_state(state, Event.WITHDRAW, guideline_terms.in_force(session))
    move_state(session, draft=draft, from_state=state, to_state=target, now=now)
    version = current_version(session, draft=draft)
    record_and_close(
        session,
        draft=draft,
        actor=author,
        action="draft.withdrawn",
        data={"version": draft.current_version, "previous_state": state.value},
        purpose="approval",
        message=messaging.approval_withdrawn(draft, version, now),
        now=now,
        clock=clock,
    )
    return draft

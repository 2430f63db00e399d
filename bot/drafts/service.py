"""Draft workflow services (W1, W2): submit, route, decide, edit, publish, report, acknowledge.

Every function takes the caller's ``Session`` and never commits. A refusal raises a
``BotError`` with a Japanese message before anything is written, or after partial writes
that the caller's rollback undoes. Decisions that can race (two approvers, a decision and
an edit) are settled by conditional UPDATEs on (draft id, state, current version), backed
by unique constraints; never by reading first and writing later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.accounts.validation import check_post_url
from bot.audit import Entry, record, record_many, text_hash
from bot.clock import Clock, SystemClock, format_jst
from bot.directory import service as directory
from bot.directory.models import (
    ACCOUNT_STATUS_LABELS,
    CLOSED,
    CONFIRMED,
    EXEMPT_CATEGORIES,
    SUSPENDED,
    Account,
    Department,
    Deputy,
    Person,
)
from bot.drafts import messaging
from bot.drafts.checking import (
    BlockedByFindings,
    CheckOutcome,
    blocked_message,
    run_check,
    validate_reason,
    validate_text,
)
from bot.drafts.models import AfterReport, Decision, Draft, DraftNotice, DraftVersion
from bot.drafts.state import EDITABLE_STATES, Event, State, label, next_state
from bot.errors import BotError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.feedback.service import city_check
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue

MAX_URL_CHARS = 1000
MAX_NOTE_CHARS = 2000
_UNSET: Any = object()


@dataclass
class SubmitResult:
    """What submit / edit did: the draft, its new version, the check, who was asked."""

    draft: Draft
    version: DraftVersion
    outcome: CheckOutcome
    approvers: list[Person] = field(default_factory=list)
    receipt: OutMessage | None = None


def _updated(session: Session, stmt: Any) -> int:
    """Run a conditional UPDATE and return how many rows it changed."""
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return int(result.rowcount)


# --- look-ups --------------------------------------------------------------------------


def get_draft(session: Session, *, draft_id: int, for_update: bool = False) -> Draft:
    """The draft with this id, or NotFound."""
    stmt = sa.select(Draft).where(Draft.id == draft_id).execution_options(populate_existing=True)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    draft = session.scalar(stmt)
    if draft is None:
        raise NotFound(
            f"下書き #{draft_id} は見つかりません。番号を確かめてください（/drafts で一覧）。"
        )
    return draft


def current_version(session: Session, *, draft: Draft) -> DraftVersion:
    """The version the draft's state refers to."""
    version = session.scalar(
        sa.select(DraftVersion).where(
            DraftVersion.draft_id == draft.id, DraftVersion.number == draft.current_version
        )
    )
    if version is None:  # pragma: no cover - the schema keeps them together
        raise NotFound(f"下書き #{draft.id} の第{draft.current_version}版が見つかりません。")
    return version


def decision_for(session: Session, *, version: DraftVersion) -> Decision | None:
    """The decision on a version, if any."""
    return session.scalar(sa.select(Decision).where(Decision.version_id == version.id))


# --- validation helpers ----------------------------------------------------------------


def _postable_account(session: Session, *, author: Person, account_code: str) -> Account:
    account = directory.get_account(session, code=account_code, for_routing=True)
    _require_open_account(account, doing="下書きを登録")
    if not directory.can_post_for(account, author):
        raise PermissionDenied(
            f"あなたは公式アカウント「{account.name}」の管理者・担当者として登録されていません（4(1)キ）。"
            "アカウントの管理者に確認してください。"
        )
    return account


def _account_in_operation(session: Session, *, draft: Draft, doing: str) -> Account:
    """The draft's account, read under a share lock, or a refusal if it is not in operation.

    On PostgreSQL the share lock makes a concurrent suspend or close (a conditional UPDATE
    of the account row) wait for this transaction, or this read wait for it and see the
    new status: a decision or publication never slips past a suspension. SQLite runs one
    writer at a time.
    """
    stmt = (
        sa.select(Account)
        .where(Account.id == draft.account_id)
        .execution_options(populate_existing=True)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(read=True)
    account = session.scalar(stmt)
    assert account is not None
    _require_open_account(account, doing=doing, draft=draft)
    return account


def _require_open_account(account: Account, *, doing: str, draft: Draft | None = None) -> None:
    """Refuse ``doing`` unless the account is confirmed and running (4(2)), per status.

    Drafts written before an account was suspended or closed are refused the same way:
    nothing is approved or published on an account that is not in operation.
    """
    if account.status == CONFIRMED:
        return
    what = f"下書き #{draft.id} を" if draft is not None else ""
    if account.status == CLOSED:
        raise ValidationFailed(
            f"このアカウントは閉鎖されています（公式アカウント「{account.name}」）。"
            f"閉鎖されたアカウントでは{what}{doing}できません。"
        )
    if account.status == SUSPENDED:
        raise ValidationFailed(
            f"公式アカウント「{account.name}」は{ACCOUNT_STATUS_LABELS[SUSPENDED]}のため、"
            f"{what}{doing}できません。運用を再開するときは、アカウントの管理者または所属長が"
            f"「/account resume {account.code} 理由」で再開してください。"
        )
    status = ACCOUNT_STATUS_LABELS.get(account.status, account.status)
    raise ValidationFailed(
        f"公式アカウント「{account.name}」は広報課長の確認（4(2)）を受けていないため"
        f"（現在: {status}）、{what}{doing}できません。"
    )


def _normalise_exemption(exemption: str | None) -> str | None:
    if exemption is None:
        return None
    value = exemption.strip().removeprefix("4(3)")
    if value in ("", "なし", "none", "-"):
        return None
    if value not in EXEMPT_CATEGORIES:
        raise ValidationFailed(
            f"決裁不要の区分「{exemption}」は使えません。4(3)ただし書のア・イ・ウ・エのいずれかか、"
            "「なし」を指定してください。",
            fields={"exemption": "ア・イ・ウ・エ・なし"},
        )
    return value


def _check_photo(photo_people: str, photo_consent: bool, *, exemption: str | None) -> None:
    if photo_people not in ("none", "identifiable"):
        raise ValidationFailed(
            "写真・映像の指定は none（人物が特定できるものはない）か identifiable（ある）にしてください。",
            fields={"photo": "none / identifiable"},
        )
    if photo_people == "identifiable" and not photo_consent and exemption != "エ":
        raise ValidationFailed(
            "個人が特定できる写真・映像を投稿するには、事前に本人（または所属団体・企業等）の了解が必要です"
            "（7(1)ク、7(2)ア）。了解を得てから、了解済みとして送り直してください。",
            fields={"photo_consent": "必要"},
        )


def _check_url(url: str | None, *, draft: Draft) -> str:
    """The URL where the post went online: https, on the account's platform, under its page."""
    if url is None or not url.strip():
        raise ValidationFailed(
            "掲載先のURLを入力してください（https:// で始まる、掲載した投稿のURL）。",
            fields={"url": "必須"},
        )
    url = url.strip()
    if len(url) > MAX_URL_CHARS or any(c.isspace() for c in url):
        raise ValidationFailed(
            "掲載先のURLは空白を含まない、https:// で始まるURLで入力してください"
            f"（{MAX_URL_CHARS}文字まで）。",
            fields={"url": "URL"},
        )
    problem = check_post_url(url, media_name=draft.account.media, account_url=draft.account.url)
    if problem is not None:
        raise ValidationFailed(problem, fields={"url": "URL"})
    return url


def _check_evidence(exemption: str | None, evidence: str | None) -> str | None:
    evidence = evidence.strip() if evidence else None
    if evidence is not None and len(evidence) > MAX_URL_CHARS:
        raise ValidationFailed(
            f"根拠が長すぎます（{MAX_URL_CHARS}文字まで）。", fields={"evidence": "長すぎます"}
        )
    if exemption == "ア" and not evidence:
        raise ValidationFailed(
            "4(3)ア（既に市ホームページ・広報紙等で発信している内容）を選んだ場合は、"
            "掲載済みのページの URL や広報紙の号などの根拠を入力してください（例: evidence=https://…）。",
            fields={"evidence": "必須"},
        )
    return evidence


def _run_check(
    session: Session, text: str, *, false_positive_reason: str | None, exemption: str | None
) -> tuple[CheckOutcome, str | None]:
    outcome = run_check(text, city=city_check(session))
    if not outcome.blocking:
        return outcome, None
    if exemption == "エ":
        # Emergency information is never held (4(3)エ): the head is told at once instead.
        reason = (
            false_positive_reason.strip()
            if false_positive_reason and false_positive_reason.strip()
            else None
        )
        return outcome, reason
    if false_positive_reason is None or not false_positive_reason.strip():
        raise BlockedByFindings(blocked_message(outcome), findings=outcome.views())
    return outcome, validate_reason(false_positive_reason, what="誤検知の説明")


def _deciders(session: Session, *, account: Account, author: Person, now: datetime) -> list[Person]:
    department = account.department  # loaded with the account (get_account for_routing)
    people = [p for p in directory.approvers(department, now) if p.id != author.id]
    if not people:
        raise ValidationFailed(
            f"{department.name}で、あなた以外に決裁できる所属長・代理がいません。自分の下書きは決裁できないため、"
            "代理を名簿に登録してもらってください。"
        )
    return people


def _department(session: Session, department_id: int) -> Department:
    """The department with its head and deputies, in one query."""
    dept = (
        session.scalars(
            sa.select(Department)
            .where(Department.id == department_id)
            .options(*directory.DEPARTMENT_APPROVERS)
        )
        .unique()
        .one_or_none()
    )
    assert dept is not None
    return dept


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
    clock: Clock | None = None,
) -> SubmitResult:
    """Check a new draft, store it as version 1 and route it (決裁 or exempt)."""
    clock = clock or SystemClock()
    now = clock.now()
    text = validate_text(text)
    account = _postable_account(session, author=author, account_code=account_code)
    category = _normalise_exemption(exemption)
    evidence = _check_evidence(category, evidence)
    _check_photo(photo_people, photo_consent, exemption=category)
    if planned_at is not None and planned_at.tzinfo is None:
        raise ValueError("planned_at must be timezone-aware")
    registered = _exemption_allowed(session, account=account, category=category)
    deciders = (
        [] if category is not None else _deciders(session, account=account, author=author, now=now)
    )
    outcome, fp_reason = _run_check(
        session, text, false_positive_reason=false_positive_reason, exemption=category
    )

    draft = Draft(
        account_id=account.id,
        author_id=author.id,
        state=next_state(None, Event.ROUTE_EXEMPT if category else Event.ROUTE_APPROVAL),
        current_version=1,
        exemption=category,
        evidence=evidence,
        photo_people=photo_people,
        photo_consent=bool(photo_consent) if photo_people == "identifiable" else False,
        planned_at=planned_at,
        created_at=now,
        updated_at=now,
    )
    draft.account = account
    draft.author = author
    version = _new_version(
        draft_id=None, number=1, text=text, outcome=outcome, fp_reason=fp_reason, now=now
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
    )


def _exemption_allowed(session: Session, *, account: Account, category: str | None) -> bool:
    """Whether the department registered rules for the category; refuse if not (except エ)."""
    if category is None:
        return True
    if any(rule.category == category for rule in account.exemptions):
        return True
    if category == "エ":
        return False  # never held; the head is told the rule was not registered
    raise ValidationFailed(
        f"「{account.name}」では 4(3){category} の掲載ルールが事前に取り決められていないため、"
        "決裁不要にはできません（4(3)ただし書）。区分なしで送ると所属長の決裁を依頼します。",
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
) -> Entry:
    """Send the 決裁 request, or for exempt posts tell the head what they must know now.

    Rows are only added (the caller's next flush writes them in one batch per table); the
    audit event is returned for the caller to append together with its own.
    """
    if draft.exemption is None:
        message = messaging.approval_request(draft, account, version)
        for person in deciders:
            row = enqueue(session, message=message, to_person=person, clock=clock, flush=False)
            assert row is not None
            session.add(
                DraftNotice(
                    draft_id=draft.id,
                    version=version.number,
                    purpose="approval",
                    recipient_id=person.id,
                    outbox=row,
                )
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
    if version.false_positive_reason is not None or draft.exemption == "エ":
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


# --- decide ----------------------------------------------------------------------------


# Called after every recorded decision, in the same transaction (e.g. incidents record
# the decision on a response post's timeline). Registered by the composition root
# (``bot.app.wire``), never by importing a module.
DecisionHook = Callable[[Session, Decision, Clock], None]
_decision_hooks: list[DecisionHook] = []


def on_decision(hook: DecisionHook) -> DecisionHook:
    """Register ``hook(session, decision, clock)`` to run after each decision."""
    if hook not in _decision_hooks:
        _decision_hooks.append(hook)
    return hook


def decide(
    session: Session,
    *,
    decider: Person,
    draft_id: int,
    kind: str,
    version: int | None = None,
    reason: str | None = None,
    clock: Clock | None = None,
) -> Decision:
    """Approve, reject or request changes on one version; exactly once, by an approver."""
    clock = clock or SystemClock()
    now = clock.now()
    if kind not in messaging.DECISION_LABELS:
        raise ValidationFailed(
            f"決裁の種類「{kind}」は使えません（approve / reject / request_changes）。"
        )
    verb = messaging.DECISION_LABELS[kind]
    if kind != "approve":
        reason = validate_reason(reason, what=f"{verb}の理由")
    else:
        reason = reason.strip() if reason and reason.strip() else None
    draft = get_draft(session, draft_id=draft_id)
    account = draft.account
    department = _department(session, account.department_id)
    if not directory.is_head_or_deputy(department, decider, now):
        head = messaging.who(department.head) if department.head else "未登録"
        raise PermissionDenied(
            f"下書き #{draft.id} を決裁できるのは{department.name}の所属長（{head}）または代理です（4(3)）。"
        )
    if draft.author_id == decider.id:
        raise PermissionDenied(
            f"下書き #{draft.id} はあなたが作成したものなので、あなたは決裁できません。"
            "所属長または他の代理が決裁します。"
        )
    number = version if version is not None else draft.current_version
    if number != draft.current_version:
        raise InvalidTransition(
            f"この決裁依頼は下書き #{draft.id} の第{number}版に対するものですが、"
            f"本文は第{draft.current_version}版に修正されています。最新の決裁依頼を見て判断してください。"
            "何も変更していません。"
        )
    target = current_version(session, draft=draft)
    if draft.state != State.PENDING_APPROVAL:
        raise _already(session, draft=draft, version=target)
    new_state = next_state(draft.state, Event(kind))
    _account_in_operation(session, draft=draft, doing=verb)
    # The race is settled here: only one UPDATE can move the draft out of pending_approval
    # for this version. A concurrent decision or edit makes this one match no row.
    moved = _updated(
        session,
        sa.update(Draft)
        .where(
            Draft.id == draft.id,
            Draft.state == State.PENDING_APPROVAL.value,
            Draft.current_version == number,
        )
        .values(state=new_state.value, updated_at=now)
        .execution_options(synchronize_session=False),
    )
    if moved != 1:
        draft = get_draft(session, draft_id=draft_id)
        if draft.current_version != number:
            raise InvalidTransition(
                f"下書き #{draft.id} は決裁の直前に第{draft.current_version}版に修正されました。"
                "最新の決裁依頼を見て判断してください。何も変更していません。"
            )
        raise _already(session, draft=draft, version=target)
    decision = Decision(
        draft_id=draft.id,
        version_id=target.id,
        decider_id=decider.id,
        kind=kind,
        reason=reason,
        decided_at=now,
    )
    try:
        with session.begin_nested():
            session.add(decision)
            session.flush()
    except IntegrityError:
        raise _already(session, draft=draft, version=target) from None
    session.refresh(draft)
    record(
        session,
        actor=decider.handle,
        action=f"draft.{'approved' if kind == 'approve' else 'rejected' if kind == 'reject' else 'changes_requested'}",
        subject_type="draft",
        subject_id=draft.id,
        data={"version": number, "decision_id": decision.id, "reason_given": reason is not None},
        text=target.text,
        clock=clock,
    )
    closed = messaging.approval_closed(draft, account, target, decision, decider)
    _close_notices(
        session,
        draft=draft,
        purpose="approval",
        version=number,
        message=closed,
        now=now,
        clock=clock,
    )
    enqueue(
        session,
        message=messaging.decided(draft, account, target, decision, decider),
        to_person=draft.author,
        clock=clock,
    )
    for hook in _decision_hooks:
        hook(session, decision, clock)
    return decision


def _already(session: Session, *, draft: Draft, version: DraftVersion) -> BotError:
    """Explain why a decision is refused on a draft that is no longer pending."""
    decision = decision_for(session, version=version)
    if decision is not None:
        decider = session.get(Person, decision.decider_id)
        return InvalidTransition(
            f"下書き #{draft.id}（第{version.number}版）は既に{messaging.who(decider)}が"
            f"{format_jst(decision.decided_at)}に{messaging.DECISION_LABELS[decision.kind]}しています。"
            "決裁は一度だけ記録されます。何も変更していません。"
        )
    return InvalidTransition(
        f"下書き #{draft.id} は「{label(draft.state)}」の状態のため、決裁できません。何も変更していません。"
    )


def _close_notices(
    session: Session,
    *,
    draft: Draft,
    purpose: str,
    version: int | None,
    message: OutMessage,
    now: datetime,
    clock: Clock,
) -> None:
    """Replace every open message of a purpose (and version) with its final form."""
    stmt = sa.select(DraftNotice).where(
        DraftNotice.draft_id == draft.id,
        DraftNotice.purpose == purpose,
        DraftNotice.closed_at.is_(None),
    )
    if version is not None:
        stmt = stmt.where(DraftNotice.version == version)
    for notice in session.scalars(stmt):
        original = session.get(OutboxMessage, notice.outbox_id)
        recipient = session.get(Person, notice.recipient_id)
        if original is None or recipient is None:  # pragma: no cover
            continue
        enqueue(session, message=message, to_person=recipient, update_of=original, clock=clock)
        notice.closed_at = now
    session.flush()


# --- edit ------------------------------------------------------------------------------


def edit(
    session: Session,
    *,
    author: Person,
    draft_id: int,
    text: str,
    planned_at: datetime | None = _UNSET,
    exemption: str | None = _UNSET,
    evidence: str | None = _UNSET,
    photo_people: str = _UNSET,
    photo_consent: bool = _UNSET,
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
        next_state(state, Event.EDIT)  # raises with the reason
    account = _postable_account(session, author=author, account_code=draft.account.code)
    old = current_version(session, draft=draft)
    category = draft.exemption if exemption is _UNSET else _normalise_exemption(exemption)
    new_evidence = _check_evidence(category, draft.evidence if evidence is _UNSET else evidence)
    new_photo = draft.photo_people if photo_people is _UNSET else photo_people
    new_consent = draft.photo_consent if photo_consent is _UNSET else bool(photo_consent)
    _check_photo(new_photo, new_consent, exemption=category)
    new_planned = draft.planned_at if planned_at is _UNSET else planned_at
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
    registered = _exemption_allowed(session, account=account, category=category)
    deciders = (
        [] if category is not None else _deciders(session, account=account, author=author, now=now)
    )
    outcome, fp_reason = _run_check(
        session, text, false_positive_reason=false_positive_reason, exemption=category
    )
    target = next_state(state, Event.ROUTE_EXEMPT if category else Event.ROUTE_APPROVAL)
    number = old.number + 1
    moved = _updated(
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
        )
        .execution_options(synchronize_session=False),
    )
    if moved != 1:
        draft = get_draft(session, draft_id=draft_id)
        raise InvalidTransition(
            f"下書き #{draft.id} は修正の直前に状態が変わりました（現在: {label(draft.state)}）。"
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
        },
        text=text,
    )
    _close_notices(
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
    target = next_state(state, Event.WITHDRAW)
    _move(session, draft=draft, from_state=state, to_state=target, now=now)
    version = current_version(session, draft=draft)
    record(
        session,
        actor=author.handle,
        action="draft.withdrawn",
        subject_type="draft",
        subject_id=draft.id,
        data={"version": draft.current_version, "previous_state": state.value},
        clock=clock,
    )
    _close_notices(
        session,
        draft=draft,
        purpose="approval",
        version=None,
        message=messaging.approval_withdrawn(draft, version, now),
        now=now,
        clock=clock,
    )
    return draft


def _move(
    session: Session,
    *,
    draft: Draft,
    from_state: State,
    to_state: State,
    now: datetime,
    **values: Any,
) -> None:
    """Move the draft from one state to another, or refuse if someone moved it first."""
    moved = _updated(
        session,
        sa.update(Draft)
        .where(
            Draft.id == draft.id,
            Draft.state == from_state.value,
            Draft.current_version == draft.current_version,
        )
        .values(state=to_state.value, updated_at=now, **values)
        .execution_options(synchronize_session=False),
    )
    if moved != 1:
        fresh = get_draft(session, draft_id=draft.id)
        raise InvalidTransition(
            f"下書き #{draft.id} の状態が変わりました（現在: {label(fresh.state)}）。何も変更していません。"
        )
    session.refresh(draft)


# --- publish, report, acknowledge ------------------------------------------------------


def _can_act_for_account(session: Session, *, draft: Draft, person: Person) -> None:
    if draft.author_id == person.id or directory.can_post_for(draft.account, person):
        return
    raise PermissionDenied(
        f"下書き #{draft.id} の掲載・報告ができるのは作成者とアカウント「{draft.account.name}」の担当者です。"
    )


def mark_published(
    session: Session,
    *,
    actor: Person,
    draft_id: int,
    url: str,
    published_at: datetime | None = None,
    clock: Clock | None = None,
) -> Draft:
    """Record that the post is online (URL, time). Non-exempt only after approval."""
    clock = clock or SystemClock()
    now = clock.now()
    draft = get_draft(session, draft_id=draft_id)
    _can_act_for_account(session, draft=draft, person=actor)
    state = State(draft.state)
    target = next_state(state, Event.PUBLISH)
    version = current_version(session, draft=draft)
    if draft.exemption is None:
        decision = decision_for(session, version=version)
        if decision is None or decision.kind != "approve":  # pragma: no cover - state implies it
            raise InvalidTransition(
                f"下書き #{draft.id} の第{version.number}版は承認されていません（4(3)）。"
            )
    _account_in_operation(session, draft=draft, doing="掲載済みとして登録")
    clean_url = _check_url(url, draft=draft)
    when = published_at or now
    if when.tzinfo is None:
        raise ValueError("published_at must be timezone-aware")
    _move(
        session,
        draft=draft,
        from_state=state,
        to_state=target,
        now=now,
        published_url=clean_url,
        published_at=when,
    )
    record(
        session,
        actor=actor.handle,
        action="draft.published",
        subject_type="draft",
        subject_id=draft.id,
        data={"version": version.number, "url": clean_url, "published_at": when.isoformat()},
        text=version.text,
        clock=clock,
    )
    return draft


def file_report(
    session: Session,
    *,
    actor: Person,
    draft_id: int,
    note: str = "",
    url: str | None = None,
    published_at: datetime | None = None,
    clock: Clock | None = None,
) -> AfterReport:
    """File the after-posting report (事後報告) of an exempt post; the 所属長 is asked to ack."""
    clock = clock or SystemClock()
    now = clock.now()
    draft = get_draft(session, draft_id=draft_id)
    _can_act_for_account(session, draft=draft, person=actor)
    state = State(draft.state)
    target = next_state(state, Event.REPORT)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationFailed(f"報告が長すぎます（{MAX_NOTE_CHARS:,}文字まで）。")
    values: dict[str, Any] = {}
    if state == State.EXEMPT:
        # Reporting an exempt post that was not marked published records the publication
        # too, which a suspended or closed account must not get. (From report_due the post
        # went online while the account was running: its report is still owed.)
        _account_in_operation(session, draft=draft, doing="掲載済みとして登録（事後報告）")
        values["published_url"] = _check_url(url, draft=draft)
        values["published_at"] = published_at or now
    elif url:
        values["published_url"] = _check_url(url, draft=draft)
    version = current_version(session, draft=draft)
    _move(session, draft=draft, from_state=state, to_state=target, now=now, **values)
    report = AfterReport(draft_id=draft.id, filed_by_id=actor.id, filed_at=now, note=note)
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        raise InvalidTransition(f"下書き #{draft.id} の事後報告は既に提出されています。") from None
    record(
        session,
        actor=actor.handle,
        action="report.filed",
        subject_type="draft",
        subject_id=draft.id,
        data={
            "version": version.number,
            "report_id": report.id,
            "category": draft.exemption,
            "url": draft.published_url,
        },
        text=version.text,
        clock=clock,
    )
    department = _department(session, draft.account.department_id)
    message = messaging.report_filed(draft, draft.account, version, report)
    for person in directory.approvers(department, now):
        if person.id == actor.id or person.id == draft.author_id:
            continue
        row = enqueue(session, message=message, to_person=person, clock=clock)
        assert row is not None
        session.add(
            DraftNotice(
                draft_id=draft.id,
                version=version.number,
                purpose="report",
                recipient_id=person.id,
                outbox_id=row.id,
            )
        )
    session.flush()
    return report


def acknowledge_report(
    session: Session, *, actor: Person, draft_id: int, clock: Clock | None = None
) -> AfterReport:
    """The 所属長 (or an active deputy) acknowledges an after-posting report, once."""
    clock = clock or SystemClock()
    now = clock.now()
    draft = get_draft(session, draft_id=draft_id)
    department = _department(session, draft.account.department_id)
    if not directory.is_head_or_deputy(department, actor, now):
        raise PermissionDenied(
            f"下書き #{draft.id} の事後報告を確認できるのは{department.name}の所属長または代理です。"
        )
    if draft.author_id == actor.id:
        raise PermissionDenied(
            "自分が提出した事後報告は確認できません。所属長または他の代理が確認します。"
        )
    report = session.scalar(
        sa.select(AfterReport)
        .where(AfterReport.draft_id == draft.id)
        .execution_options(populate_existing=True)
    )
    if report is None:
        raise InvalidTransition(
            f"下書き #{draft.id} の事後報告はまだ提出されていません（現在: {label(draft.state)}）。"
        )
    moved = _updated(
        session,
        sa.update(AfterReport)
        .where(AfterReport.id == report.id, AfterReport.acknowledged_at.is_(None))
        .values(acknowledged_by_id=actor.id, acknowledged_at=now)
        .execution_options(synchronize_session=False),
    )
    if moved != 1:
        session.refresh(report)
        by = session.get(Person, report.acknowledged_by_id) if report.acknowledged_by_id else None
        when = format_jst(report.acknowledged_at) if report.acknowledged_at else ""
        raise InvalidTransition(
            f"下書き #{draft.id} の事後報告は既に{messaging.who(by)}が{when}に確認しています。何も変更していません。"
        )
    session.refresh(report)
    _move(
        session,
        draft=draft,
        from_state=State(draft.state),
        to_state=next_state(draft.state, Event.ACKNOWLEDGE),
        now=now,
    )
    record(
        session,
        actor=actor.handle,
        action="report.acknowledged",
        subject_type="draft",
        subject_id=draft.id,
        data={"report_id": report.id, "version": draft.current_version},
        clock=clock,
    )
    _close_notices(
        session,
        draft=draft,
        purpose="report",
        version=None,
        message=messaging.report_acknowledged(draft, report, actor, for_author=False),
        now=now,
        clock=clock,
    )
    enqueue(
        session,
        message=messaging.report_acknowledged(draft, report, actor, for_author=True),
        to_person=draft.author,
        clock=clock,
    )
    return report


# --- queries for UIs and reminders -----------------------------------------------------


@dataclass(frozen=True)
class DraftSummary:
    """One line of a list: enough to render without touching the session again."""

    id: int
    account_code: str
    account_name: str
    author_handle: str
    author_name: str
    state: str
    state_label: str
    version: int
    exemption: str | None
    planned_at: datetime | None
    updated_at: datetime
    excerpt: str
    published_at: datetime | None = None


def _summary(draft: Draft, version: DraftVersion) -> DraftSummary:
    first_line = version.text.strip().splitlines()[0] if version.text.strip() else ""
    excerpt = first_line[:40] + (
        "…" if len(first_line) > 40 or "\n" in version.text.strip() else ""
    )
    return DraftSummary(
        id=draft.id,
        account_code=draft.account.code,
        account_name=draft.account.name,
        author_handle=draft.author.handle,
        author_name=draft.author.name,
        state=draft.state,
        state_label=label(draft.state),
        version=draft.current_version,
        exemption=draft.exemption,
        planned_at=draft.planned_at,
        updated_at=draft.updated_at,
        excerpt=excerpt,
        published_at=draft.published_at,
    )


def _rows() -> Any:
    """Drafts joined with their current version (and account, author loaded)."""
    return (
        sa.select(Draft, DraftVersion)
        .join(
            DraftVersion,
            sa.and_(
                DraftVersion.draft_id == Draft.id, DraftVersion.number == Draft.current_version
            ),
        )
        .options(selectinload(Draft.account), selectinload(Draft.author))
    )


def my_drafts(
    session: Session, *, person: Person, include_closed: bool = True, limit: int = 20
) -> list[DraftSummary]:
    """The person's drafts, newest first, with their states."""
    stmt = _rows().where(Draft.author_id == person.id)
    if not include_closed:
        stmt = stmt.where(
            Draft.state.not_in(
                [
                    s.value
                    for s in (State.REJECTED, State.ACKNOWLEDGED, State.WITHDRAWN, State.PUBLISHED)
                ]
            )
        )
    stmt = stmt.order_by(Draft.updated_at.desc(), Draft.id.desc()).limit(limit)
    return [_summary(d, v) for d, v in session.execute(stmt).all()]


def _departments_decided_by(session: Session, *, person: Person, now: datetime) -> list[int]:
    heads = set(session.scalars(sa.select(Department.id).where(Department.head_id == person.id)))
    for deputy in session.scalars(sa.select(Deputy).where(Deputy.person_id == person.id)):
        if deputy.is_active(now):
            heads.add(deputy.department_id)
    return sorted(heads)


def _waiting_for(
    session: Session, *, person: Person, now: datetime, state: State
) -> list[DraftSummary]:
    departments = _departments_decided_by(session, person=person, now=now)
    if not departments:
        return []
    stmt = (
        _rows()
        .join(Account, Account.id == Draft.account_id)
        .where(
            Account.department_id.in_(departments),
            Draft.state == state.value,
            Draft.author_id != person.id,
        )
        .order_by(Draft.updated_at, Draft.id)
    )
    return [_summary(d, v) for d, v in session.execute(stmt).all()]


def awaiting_decision(session: Session, *, person: Person, now: datetime) -> list[DraftSummary]:
    """Drafts waiting for this person's 決裁 (as 所属長 or active deputy), oldest first."""
    return _waiting_for(session, person=person, now=now, state=State.PENDING_APPROVAL)


def awaiting_acknowledgement(
    session: Session, *, person: Person, now: datetime
) -> list[DraftSummary]:
    """Exempt posts whose after-posting report waits for this person's acknowledgement."""
    return _waiting_for(session, person=person, now=now, state=State.REPORTED)


def overdue_reports(
    session: Session, *, now: datetime, person: Person | None = None
) -> list[DraftSummary]:
    """Exempt posts whose 事後報告 is late (everyone's, or one author's): published, or past
    their planned time, with no report filed. One with no planned time that is not yet
    published is not late: it waits to be published (its state says so)."""
    due = sa.func.coalesce(Draft.published_at, Draft.planned_at)
    stmt = _rows().where(
        Draft.exemption.is_not(None),
        Draft.state.in_([State.EXEMPT.value, State.REPORT_DUE.value]),
        due.is_not(None),
        due < now,
    )
    if person is not None:
        stmt = stmt.where(Draft.author_id == person.id)
    stmt = stmt.order_by(due, Draft.id)
    return [_summary(d, v) for d, v in session.execute(stmt).all()]


def pending_approvals(
    session: Session, *, older_than: datetime | None = None
) -> list[DraftSummary]:
    """Every draft waiting for 決裁 (for reminders), oldest first."""
    stmt = _rows().where(Draft.state == State.PENDING_APPROVAL.value)
    if older_than is not None:
        stmt = stmt.where(Draft.updated_at < older_than)
    return [
        _summary(d, v) for d, v in session.execute(stmt.order_by(Draft.updated_at, Draft.id)).all()
    ]


def unacknowledged_reports(
    session: Session, *, older_than: datetime | None = None
) -> list[DraftSummary]:
    """Every filed report not yet acknowledged (for reminders), oldest first."""
    stmt = _rows().where(Draft.state == State.REPORTED.value)
    if older_than is not None:
        stmt = stmt.where(Draft.updated_at < older_than)
    return [
        _summary(d, v) for d, v in session.execute(stmt.order_by(Draft.updated_at, Draft.id)).all()
    ]


def approval_notices(
    session: Session, *, draft_id: int, open_only: bool = True
) -> list[DraftNotice]:
    """The approval-request messages of a draft (reminders reply in their threads)."""
    stmt = sa.select(DraftNotice).where(
        DraftNotice.draft_id == draft_id, DraftNotice.purpose == "approval"
    )
    if open_only:
        stmt = stmt.where(DraftNotice.closed_at.is_(None))
    return list(session.scalars(stmt.order_by(DraftNotice.id)))

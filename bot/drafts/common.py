"""What every draft step shares: look-ups, the account and input checks, closing notices.

Services never commit; see ``bot.drafts.service`` for the whole workflow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from bot.accounts.validation import check_post_url
from bot.audit import record
from bot.clock import Clock
from bot.directory import service as directory
from bot.directory.models import (
    ACCOUNT_STATUS_LABELS,
    CLOSED,
    CONFIRMED,
    SUSPENDED,
    Account,
    Department,
    Person,
    status_label,
)
from bot.drafts.checking import (
    BlockedByFindings,
    CheckOutcome,
    blocked_message,
    run_check,
    validate_reason,
)
from bot.drafts.models import Decision, Draft, DraftNotice, DraftVersion
from bot.drafts.state import State, label
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.feedback.service import city_check
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue

MAX_URL_CHARS = 1000
MAX_NOTE_CHARS = 2000
UNSET: Any = object()


@dataclass
class SubmitResult:
    """What submit / edit did: the draft, its new version, the check, who was asked."""

    draft: Draft
    version: DraftVersion
    outcome: CheckOutcome
    approvers: list[Person] = field(default_factory=list)
    receipt: OutMessage | None = None


def rows_updated(session: Session, stmt: Any) -> int:
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


def postable_account(session: Session, *, author: Person, account_code: str) -> Account:
    try:
        account = directory.get_account(session, code=account_code, for_routing=True)
    except NotFound:
        raise NotFound(_unknown_account(session, author=author, code=account_code)) from None
    _require_open_account(account, doing="下書きを登録")
    if not directory.can_post_for(account, author):
        cited = guideline_terms.of_record(account).policy_cited("operators")
        raise PermissionDenied(
            f"あなたは公式アカウント「{account.name}」の管理者・担当者として登録されていません{cited}。"
            "アカウントの管理者に確認してください。"
        )
    return account


# A template (``Terms.fill``): the guideline's confirmer and clauses.
NO_POSTABLE_ACCOUNT = (
    "あなたが管理者・担当者として登録されている公式アカウント（{confirmer}の確認済み）がありません"
    "（{operators_item}、{confirmation}）。アカウントの管理者に登録を依頼してください。"
)


def postable_accounts(session: Session, person: Person) -> list[Account]:
    """The confirmed accounts ``person`` operates or manages (4(2)): where they may post."""
    return [
        a for a in directory.accounts_operated_by(session, person=person) if a.status == CONFIRMED
    ]


def _unknown_account(session: Session, *, author: Person, code: str) -> str:
    """No account has this code: say which ones this person may post for (4(1)キ)."""
    head = f"公式アカウント「{code.strip()}」は登録されていません。"
    mine = postable_accounts(session, author)
    if not mine:
        return head + guideline_terms.in_force(session).fill(NO_POSTABLE_ACCOUNT)
    listed = "、".join(f"「{a.name}」（{a.code}）" for a in mine)
    return head + f"あなたが投稿できる公式アカウント: {listed}"


def account_in_operation(session: Session, *, draft: Draft, doing: str) -> Account:
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
            f"{what}{doing}できません。運用を再開するときは、アカウントの管理者または"
            f"{guideline_terms.of_record(account).approver}が"
            f"「/account resume {account.code} 理由」で再開してください。"
        )
    terms = guideline_terms.of_record(account)
    status = status_label(account.status, terms)
    raise ValidationFailed(
        f"公式アカウント「{account.name}」は"
        + terms.fill("{confirmer}の確認（{confirmation}）")
        + "を受けていないため"
        f"（現在: {status}）、{what}{doing}できません。"
    )


def normalise_exemption(exemption: str | None, terms: Terms) -> str | None:
    """The exemption label as the guideline in force writes it, or None (needs a 決裁)."""
    if exemption is None:
        return None
    if exemption.strip() in ("", "なし", "none", "-"):
        return None
    value = terms.parse_exemption(exemption)
    if value is None:
        raise ValidationFailed(
            f"決裁不要の区分「{exemption}」は使えません。{terms.approval_clause}ただし書の"
            f"{terms.exemption_labels}のいずれかか、「なし」を指定してください。",
            fields={"exemption": f"{terms.exemption_labels}・なし"},
        )
    return value


def check_photo(photo_people: str, photo_consent: bool, *, emergency: bool, terms: Terms) -> None:
    if photo_people not in ("none", "identifiable"):
        raise ValidationFailed(
            "写真・映像の指定は none（人物が特定できるものはない）か identifiable（ある）にしてください。",
            fields={"photo": "none / identifiable"},
        )
    if photo_people == "identifiable" and not photo_consent and not emergency:
        raise ValidationFailed(
            "個人が特定できる写真・映像を投稿するには、事前に本人（または所属団体・企業等）の了解が必要です"
            + terms.fill("（{rights}、{photo_consent}）。")
            + "了解を得てから「本人の同意あり」を選んで（コマンドでは consent=yes を"
            "付けて）送り直すか、写真・映像を外してください。",
            fields={"photo_consent": "必要"},
        )


def check_url(url: str | None, *, draft: Draft) -> str:
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
    problem = check_post_url(
        url,
        media_name=draft.account.media,
        account_url=draft.account.url,
        terms=guideline_terms.of_record(draft),
    )
    if problem is not None:
        raise ValidationFailed(problem, fields={"url": "URL"})
    return url


def check_evidence(exemption: str | None, evidence: str | None, terms: Terms) -> str | None:
    evidence = evidence.strip() if evidence else None
    if evidence is not None and len(evidence) > MAX_URL_CHARS:
        raise ValidationFailed(
            f"根拠が長すぎます（{MAX_URL_CHARS}文字まで）。", fields={"evidence": "長すぎます"}
        )
    if terms.needs_evidence(exemption) and not evidence:
        found = terms.exemption(exemption)
        assert found is not None
        raise ValidationFailed(
            f"{terms.exemption_ref(exemption)}（{found.name}）を選んだ場合は、"
            "掲載済みのページのURLや広報紙の号などの根拠を入力してください（例: evidence=https://…）。",
            fields={"evidence": "必須"},
        )
    return evidence


def run_content_check(
    session: Session,
    text: str,
    *,
    false_positive_reason: str | None,
    exemption: str | None,
    terms: Terms,
) -> tuple[CheckOutcome, str | None]:
    outcome = run_check(text, city=city_check(session), terms=terms)
    if not outcome.blocking:
        return outcome, None
    if terms.is_emergency(exemption):
        # Emergency information is never held (4(3)エ): the head is told at once instead.
        reason = (
            false_positive_reason.strip()
            if false_positive_reason and false_positive_reason.strip()
            else None
        )
        return outcome, reason
    if false_positive_reason is None or not false_positive_reason.strip():
        raise BlockedByFindings(
            blocked_message(outcome, approver=terms.approver), findings=outcome.views()
        )
    return outcome, validate_reason(false_positive_reason, what="誤検知の説明")


def deciders_for(
    session: Session, *, account: Account, author: Person, now: datetime
) -> list[Person]:
    department = account.department  # loaded with the account (get_account for_routing)
    people = [p for p in directory.approvers(department, now) if p.id != author.id]
    if not people:
        raise ValidationFailed(
            f"{department.name}で、あなた以外に決裁できる{guideline_terms.of_record(account).approver}・代理がいません。自分の下書きは決裁できないため、"
            "代理を名簿に登録してもらってください。"
        )
    return people


def load_department(session: Session, department_id: int) -> Department:
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


def open_notices(
    session: Session,
    *,
    draft: Draft,
    version: int,
    purpose: str,
    people: Iterable[Person],
    message: OutMessage,
    clock: Clock,
    flush: bool = True,
) -> None:
    """Send ``message`` to each person and keep it as an open notice of ``purpose``, so
    that ``close_notices`` later replaces it with its final form.

    With ``flush=False`` the rows are only added (the caller's next flush writes them).
    """
    for person in people:
        row = enqueue(session, message=message, to_person=person, clock=clock, flush=flush)
        assert row is not None
        session.add(
            DraftNotice(
                draft_id=draft.id,
                version=version,
                purpose=purpose,
                recipient_id=person.id,
                outbox=row,
            )
        )


def close_notices(
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


def record_and_close(
    session: Session,
    *,
    draft: Draft,
    actor: Person,
    action: str,
    data: dict[str, Any],
    purpose: str,
    message: OutMessage,
    now: datetime,
    clock: Clock,
) -> None:
    """Record the actor's step on the draft in the audit log, then replace every open
    notice of ``purpose`` (any version) with ``message``: the step that ends a request."""
    record(
        session,
        actor=actor.handle,
        action=action,
        subject_type="draft",
        subject_id=draft.id,
        data=data,
        clock=clock,
    )
    close_notices(
        session, draft=draft, purpose=purpose, version=None, message=message, now=now, clock=clock
    )


def move_state(
    session: Session,
    *,
    draft: Draft,
    from_state: State,
    to_state: State,
    now: datetime,
    **values: Any,
) -> None:
    """Move the draft from one state to another, or refuse if someone moved it first."""
    moved = rows_updated(
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
            f"下書き #{draft.id} の状態が変わりました（現在: {label(fresh.state, guideline_terms.in_force(session))}）。何も変更していません。"
        )
    session.refresh(draft)

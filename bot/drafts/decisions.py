"""The 所属長's (or an active deputy's) 決裁 on the current version, once (4(3)).

Two deciders, a decision and an edit, a stale button: the conditional UPDATE and the
unique constraint on ``decisions.version_id`` let exactly one win.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit import record
from bot.clock import Clock, SystemClock, format_jst
from bot.directory import service as directory
from bot.directory.models import Person
from bot.drafts import messaging
from bot.drafts.checking import validate_reason
from bot.drafts.common import (
    account_in_operation,
    close_notices,
    current_version,
    decision_for,
    get_draft,
    load_department,
    rows_updated,
)
from bot.drafts.models import Decision, Draft, DraftVersion
from bot.drafts.state import Event, State, label, next_state
from bot.errors import BotError, InvalidTransition, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.notify.service import enqueue

# --- decide ----------------------------------------------------------------------------


# Called after every recorded decision, in the same transaction (e.g. incidents record
# the decision on a response post's timeline).
DecisionHook = Callable[[Session, Decision, Clock], None]


class DecisionHooks:
    """The hooks ``decide`` runs after each recorded decision, in order, in its transaction.

    The composition root (``bot.app.wire``) fills the one registry, ``decision_hooks``; no
    module registers anything by being imported.
    """

    def __init__(self) -> None:
        self._hooks: list[DecisionHook] = []

    def register(self, hook: DecisionHook) -> None:
        """Add ``hook(session, decision, clock)``; registering it again changes nothing."""
        if hook not in self._hooks:
            self._hooks.append(hook)

    def registered(self) -> tuple[DecisionHook, ...]:
        return tuple(self._hooks)

    def run(self, session: Session, decision: Decision, clock: Clock) -> None:
        for hook in self._hooks:
            hook(session, decision, clock)


decision_hooks = DecisionHooks()


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
    department = load_department(session, account.department_id)
    terms = guideline_terms.in_force(session)
    if not directory.is_head_or_deputy(department, decider, now):
        head = messaging.who(department.head) if department.head else "未登録"
        raise PermissionDenied(
            f"下書き #{draft.id} を決裁できるのは{department.name}の{terms.approver}（{head}）"
            f"または代理です（{terms.approval_clause}）。"
        )
    if draft.author_id == decider.id:
        raise PermissionDenied(
            f"下書き #{draft.id} はあなたが作成したものなので、あなたは決裁できません。"
            f"{terms.approver}または他の代理が決裁します。"
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
    new_state = next_state(draft.state, Event(kind), terms)
    account_in_operation(session, draft=draft, doing=verb)
    # The race is settled here: only one UPDATE can move the draft out of pending_approval
    # for this version. A concurrent decision or edit makes this one match no row.
    moved = rows_updated(
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
    # The guideline in force when the decision was taken (the text was checked under the
    # version's own, ``target.guideline_version``).
    terms = guideline_terms.in_force(session)
    decision = Decision(
        draft_id=draft.id,
        version_id=target.id,
        decider_id=decider.id,
        kind=kind,
        reason=reason,
        decided_at=now,
        guideline_version=terms.version,
        guideline_sha256=terms.sha256,
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
        data={
            "version": number,
            "decision_id": decision.id,
            "reason_given": reason is not None,
            "guideline": {"version": terms.version, "sha256": terms.sha256},
        },
        text=target.text,
        clock=clock,
    )
    closed = messaging.approval_closed(draft, account, target, decision, decider)
    close_notices(
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
    decision_hooks.run(session, decision, clock)
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
        f"下書き #{draft.id} は「{label(draft.state, guideline_terms.in_force(session))}」の状態のため、決裁できません。何も変更していません。"
    )

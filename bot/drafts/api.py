"""The drafts facade every adapter calls (Slack, Teams, console), with the same arguments.

Each function takes the ``Actor`` (``bot.interaction``), runs one transaction for the
person behind it and returns a ``Reply``; refusals and delivery follow the conventions
described in ``bot.interaction``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.accounts.inbox import awaiting_confirmation
from bot.clock import Clock, SystemClock
from bot.directory.models import Person
from bot.drafts import messaging
from bot.drafts import service as drafts
from bot.drafts.checking import (
    VERDICT_LABELS,
    run_check,
    section7_reminders,
    validate_text,
)
from bot.drafts.common import NO_POSTABLE_ACCOUNT, postable_accounts
from bot.errors import BotError, NotFound, ValidationFailed
from bot.feedback.service import city_check
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms
from bot.interaction import Actor, Reply, button_int, info, refusal, run_as, unsupported
from bot.notify.messages import Field, OutMessage


def _about(draft_id: int, message: OutMessage) -> Reply:
    return Reply(ok=True, message=message, draft_id=draft_id)


@dataclass(frozen=True)
class NewDraft:
    """A new draft as every adapter submits it (``/draft`` text or the draft form)."""

    text: str
    account: str | None = None  # None: the only confirmed account the author may post for
    planned_at: datetime | None = None
    exemption: str | None = None
    evidence: str | None = None
    photo_people: str = "none"
    photo_consent: bool = False
    false_positive_reason: str | None = None


REVISABLE = frozenset({"planned_at", "exemption", "evidence", "photo_people", "photo_consent"})


@dataclass(frozen=True)
class DraftRevision:
    """A new version of a draft; ``changes`` sets only the fields named (``REVISABLE``)."""

    draft_id: int
    text: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    false_positive_reason: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.changes) - REVISABLE
        if unknown:
            raise ValueError(f"unknown changes: {sorted(unknown)}")


def no_postable_account(terms: Terms) -> NotFound:
    return NotFound(terms.fill(NO_POSTABLE_ACCOUNT))


def only_account(session: Session, person: Person) -> str:
    """The account a draft without ``account=`` is for: the person's only postable one."""
    accounts = postable_accounts(session, person)
    if not accounts:
        raise no_postable_account(guideline_terms.in_force(session))
    if len(accounts) > 1:
        codes = "、".join(a.code for a in accounts)
        raise ValidationFailed(
            f"どのアカウントの投稿か account= で指定してください（担当: {codes}）。"
        )
    return accounts[0].code


def submit_draft(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    draft: NewDraft,
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """W1: check, store and route a new draft (``receipt``: also queue the reply to the author)."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        result = drafts.submit(
            session,
            author=person,
            account_code=draft.account or only_account(session, person),
            text=draft.text,
            planned_at=draft.planned_at,
            exemption=draft.exemption,
            evidence=draft.evidence,
            photo_people=draft.photo_people,
            photo_consent=draft.photo_consent,
            false_positive_reason=draft.false_positive_reason,
            clock=clock,
        )
        assert result.receipt is not None
        return _about(result.draft.id, result.receipt)

    return run_as(factory, actor, work, receipt=receipt, clock=clock)


def edit_draft(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    revision: DraftRevision,
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """A new version of a draft, checked and routed again (an approval never carries over)."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        result = drafts.edit(
            session,
            author=person,
            draft_id=revision.draft_id,
            text=revision.text,
            false_positive_reason=revision.false_positive_reason,
            clock=clock,
            **dict(revision.changes),
        )
        assert result.receipt is not None
        return _about(result.draft.id, result.receipt)

    return run_as(factory, actor, work, receipt=receipt, clock=clock)


def decide(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    draft_id: int,
    kind: str,
    version: int | None = None,
    reason: str | None = None,
    clock: Clock | None = None,
) -> Reply:
    """W2: approve / reject / request_changes; ``version`` comes from the button's value."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        decision = drafts.decide(
            session,
            decider=person,
            draft_id=draft_id,
            kind=kind,
            version=version,
            reason=reason,
            clock=clock,
        )
        draft = drafts.get_draft(session, draft_id=draft_id)
        text = "作成者に知らせました。"
        if decision.reason:
            text = f"{messaging.reason_label(kind)}: {decision.reason}\n" + text
        return _about(
            draft_id,
            info(
                f"下書き #{draft_id}（第{draft.current_version}版）を"
                f"{messaging.DECISION_VERBS[kind]}",
                text,
                kind="draft.decision_recorded",
            ),
        )

    return run_as(factory, actor, work)


def withdraw_draft(
    factory: sessionmaker[Session], *, actor: Actor, draft_id: int, clock: Clock | None = None
) -> Reply:
    """The author withdraws a draft that has not been published."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        drafts.withdraw(session, author=person, draft_id=draft_id, clock=clock)
        return _about(draft_id, info(f"下書き #{draft_id} を取り下げました"))

    return run_as(factory, actor, work)


def mark_published(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    draft_id: int,
    url: str,
    published_at: datetime | None = None,
    clock: Clock | None = None,
) -> Reply:
    """Record that the post is online."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        draft = drafts.mark_published(
            session,
            actor=person,
            draft_id=draft_id,
            url=url,
            published_at=published_at,
            clock=clock,
        )
        return _about(draft_id, messaging.published(draft))

    return run_as(factory, actor, work)


def file_report(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    draft_id: int,
    note: str = "",
    url: str | None = None,
    clock: Clock | None = None,
) -> Reply:
    """File the after-posting report of an exempt post."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        drafts.file_report(
            session, actor=person, draft_id=draft_id, note=note, url=url, clock=clock
        )
        return _about(
            draft_id,
            info(
                f"下書き #{draft_id} の事後報告を提出しました",
                guideline_terms.in_force(session).fill(
                    "{approver}に確認を依頼しました（{approval}ただし書）。"
                ),
                kind="report.receipt",
            ),
        )

    return run_as(factory, actor, work)


def acknowledge_report(
    factory: sessionmaker[Session], *, actor: Actor, draft_id: int, clock: Clock | None = None
) -> Reply:
    """The 所属長 acknowledges an after-posting report."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        drafts.acknowledge_report(session, actor=person, draft_id=draft_id, clock=clock)
        return _about(
            draft_id,
            info(f"下書き #{draft_id} の事後報告を確認しました", "作成者に知らせました。"),
        )

    return run_as(factory, actor, work)


def handle_action(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    action_id: str,
    value: dict[str, Any],
    reason: str | None = None,
    clock: Clock | None = None,
) -> Reply:
    """A button press (``Action.action_id`` and its ``value``) from any platform."""
    try:
        draft_id = button_int(value, "draft_id")
    except BotError as exc:
        return refusal(exc)
    kinds = {
        "draft.approve": "approve",
        "draft.reject": "reject",
        "draft.request_changes": "request_changes",
    }
    if action_id in kinds:
        version = value.get("version")
        return decide(
            factory,
            actor=actor,
            draft_id=draft_id,
            kind=kinds[action_id],
            version=int(version) if version is not None else None,
            reason=reason,
            clock=clock,
        )
    if action_id == "report.acknowledge":
        return acknowledge_report(factory, actor=actor, draft_id=draft_id, clock=clock)
    return unsupported(action_id)


def my_drafts(factory: sessionmaker[Session], *, actor: Actor, clock: Clock | None = None) -> Reply:
    """The actor's drafts with states, and overdue after-posting reports."""
    now = (clock or SystemClock()).now()

    def work(session: Session, person: Person) -> OutMessage | Reply:
        mine = drafts.my_drafts(session, person=person)
        overdue = drafts.overdue_reports(session, now=now, person=person)
        return messaging.draft_list(mine, overdue=overdue, terms=guideline_terms.in_force(session))

    return run_as(factory, actor, work)


def inbox(factory: sessionmaker[Session], *, actor: Actor, clock: Clock | None = None) -> Reply:
    """Every decision the actor owes: drafts, 事後報告 and 開設届 (for a 広報課長)."""
    now = (clock or SystemClock()).now()

    def work(session: Session, person: Person) -> OutMessage | Reply:
        return messaging.inbox(
            drafts.awaiting_decision(session, person=person, now=now),
            drafts.awaiting_acknowledgement(session, person=person, now=now),
            awaiting_confirmation(session, person=person),
            terms=guideline_terms.in_force(session),
        )

    return run_as(factory, actor, work)


def check_text(
    *, text: str, clock: Clock | None = None, factory: sessionmaker[Session] | None = None
) -> Reply:
    """W6: the content check, privately; nothing is stored. Adds the section-7 reminders.

    With ``factory`` the check includes the city's allowances and trusted account URLs.
    """
    now = (clock or SystemClock()).now()
    try:
        validate_text(text)
    except BotError as exc:
        return refusal(exc)
    terms: Terms | None = None
    if factory is None:
        outcome = run_check(text)
    else:
        with factory() as session:
            terms = guideline_terms.in_force(session)
            outcome = run_check(text, city=city_check(session), terms=terms)
    # The title gives the verdict (and the count): the text does not repeat it.
    count = f"（{len(outcome.findings)}件）" if outcome.findings else ""
    lines = ["この確認結果は保存されません。"]
    lines.append("")
    reminders = section7_reminders(now, terms=terms)
    if reminders:
        chapter = (terms or guideline_terms.of(default_guideline())).personal_chapter
        lines.append(f"個人アカウントで発信する場合の留意点（{chapter}）:")
        lines.extend("・" + r for r in reminders)
    return Reply(
        ok=True,
        message=OutMessage(
            kind="check.result",
            title=f"チェック結果: {VERDICT_LABELS[outcome.verdict]}{count}",
            text="\n".join(lines),
            fields=[Field("文字数", f"{len(text):,}")],
            findings=outcome.views(),
        ),
    )

"""The one entry point every adapter calls (Slack, Teams, console), with the same arguments.

Each function identifies the acting person by platform and platform user id, runs one
transaction, and returns a ``Reply``: the message to show to that person (ephemerally)
and whether it succeeded. A refusal (``BotError``) rolls everything back and becomes a
Japanese ``error`` reply; any other exception propagates to the adapter's error handler.
Notifications to other people are in the outbox; the adapter delivers them
(``bot.notify.deliver_pending``) after the call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.db import transaction
from bot.directory import service as directory
from bot.directory.models import Person
from bot.drafts import messaging
from bot.drafts import service as drafts
from bot.drafts.checking import (
    VERDICT_LABELS,
    BlockedByFindings,
    run_check,
    section7_reminders,
    validate_text,
)
from bot.errors import BotError, ValidationFailed
from bot.notify.messages import Field, OutMessage
from bot.notify.service import enqueue

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who is acting: ``platform`` is "slack" | "teams" | "console"; ``user_id`` its id."""

    platform: str
    user_id: str


@dataclass
class Reply:
    """What to show the actor. ``ok`` is False for a refusal (nothing was stored)."""

    ok: bool
    message: OutMessage
    draft_id: int | None = None
    code: str | None = None  # BotError.code on refusal
    fields: dict[str, str] = field(default_factory=dict)  # field -> problem, for forms


def run_as(
    factory: sessionmaker[Session],
    actor: Actor,
    work: Callable[[Session, Person], OutMessage | Reply],
    *,
    receipt: bool = False,
    clock: Clock | None = None,
) -> Reply:
    """Run ``work`` for the registered person behind ``actor`` in one transaction.

    ``work`` returns the message to show, or a ``Reply`` when it has more to say (a draft
    id). A ``BotError`` rolls everything back and becomes a refusal. With ``receipt`` the
    message also goes to the actor through the outbox, in the same transaction.
    """
    try:
        with transaction(factory) as session:
            person = directory.person_by_platform_id(
                session, platform=actor.platform, user_id=actor.user_id
            )
            result = work(session, person)
            reply = result if isinstance(result, Reply) else Reply(ok=True, message=result)
            if receipt:
                # Kept and re-sent if the platform refuses the direct reply.
                enqueue(session, message=reply.message, to_person=person, clock=clock)
        return reply
    except BotError as exc:
        return refusal(exc)


def _about(draft_id: int, message: OutMessage) -> Reply:
    return Reply(ok=True, message=message, draft_id=draft_id)


def refusal(exc: BotError) -> Reply:
    """A refusal as a reply (adapters use this for their own parse errors too)."""
    findings = exc.findings if isinstance(exc, BlockedByFindings) else None
    fields = exc.fields if isinstance(exc, ValidationFailed) else {}
    return Reply(
        ok=False,
        message=messaging.error(exc.message, findings=findings),
        code=exc.code,
        fields=fields,
    )


def unsupported(action_id: str) -> Reply:
    """The refusal for an action id nobody handles."""
    return refusal(ValidationFailed(f"この操作（{action_id}）には対応していません。"))


def button_int(value: Mapping[str, Any], key: str) -> int:
    """An id from a button's ``value``; ValidationFailed if it is missing or not a number."""
    try:
        return int(value[key])
    except (KeyError, TypeError, ValueError):
        raise ValidationFailed(
            "ボタンの情報が読み取れませんでした。もう一度操作してください。"
        ) from None


def submit_draft(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    account: str,
    text: str,
    planned_at: datetime | None = None,
    exemption: str | None = None,
    evidence: str | None = None,
    photo_people: str = "none",
    photo_consent: bool = False,
    false_positive_reason: str | None = None,
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """W1: check, store and route a new draft (``receipt``: also queue the reply to the author)."""

    def work(session: Session, person: Person) -> OutMessage | Reply:
        result = drafts.submit(
            session,
            author=person,
            account_code=account,
            text=text,
            planned_at=planned_at,
            exemption=exemption,
            evidence=evidence,
            photo_people=photo_people,
            photo_consent=photo_consent,
            false_positive_reason=false_positive_reason,
            clock=clock,
        )
        assert result.receipt is not None
        return _about(result.draft.id, result.receipt)

    return run_as(factory, actor, work, receipt=receipt, clock=clock)


def edit_draft(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    draft_id: int,
    text: str,
    changes: dict[str, Any] | None = None,
    false_positive_reason: str | None = None,
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """A new version of a draft; ``changes`` may set planned_at, exemption, evidence, photo_*."""
    allowed = {"planned_at", "exemption", "evidence", "photo_people", "photo_consent"}
    extra = dict(changes or {})
    unknown = set(extra) - allowed
    if unknown:
        raise ValueError(f"unknown changes: {sorted(unknown)}")

    def work(session: Session, person: Person) -> OutMessage | Reply:
        result = drafts.edit(
            session,
            author=person,
            draft_id=draft_id,
            text=text,
            false_positive_reason=false_positive_reason,
            clock=clock,
            **extra,
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
        verb = messaging.DECISION_LABELS[kind]
        draft = drafts.get_draft(session, draft_id=draft_id)
        text = "作成者に知らせました。"
        if decision.reason:
            text = f"理由: {decision.reason}\n" + text
        return _about(
            draft_id,
            messaging.info(
                f"下書き #{draft_id}（第{draft.current_version}版）を{verb}しました",
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
        return _about(draft_id, messaging.info(f"下書き #{draft_id} を取り下げました"))

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
            messaging.info(
                f"下書き #{draft_id} の事後報告を提出しました",
                "所属長に確認を依頼しました（4(3)ただし書）。",
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
            messaging.info(
                f"下書き #{draft_id} の事後報告を確認しました", "作成者に知らせました。"
            ),
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
        return messaging.draft_list(mine, overdue=overdue)

    return run_as(factory, actor, work)


def inbox(factory: sessionmaker[Session], *, actor: Actor, clock: Clock | None = None) -> Reply:
    """What waits for the actor's decision or acknowledgement."""
    now = (clock or SystemClock()).now()

    def work(session: Session, person: Person) -> OutMessage | Reply:
        return messaging.inbox(
            drafts.awaiting_decision(session, person=person, now=now),
            drafts.awaiting_acknowledgement(session, person=person, now=now),
        )

    return run_as(factory, actor, work)


def check_text(*, text: str, clock: Clock | None = None) -> Reply:
    """W6: the content check, privately; nothing is stored. Adds the section-7 reminders."""
    now = (clock or SystemClock()).now()
    try:
        validate_text(text)
    except BotError as exc:
        return refusal(exc)
    outcome = run_check(text)
    lines = [
        VERDICT_LABELS[outcome.verdict]
        + (f"（{len(outcome.findings)}件）" if outcome.findings else "")
        + "。"
    ]
    lines.append("この確認結果は保存されません。")
    lines.append("")
    lines.append("個人アカウントで発信する場合の留意点（7）:")
    lines.extend("・" + r for r in section7_reminders(now))
    return Reply(
        ok=True,
        message=OutMessage(
            kind="check.result",
            title=f"チェック結果: {VERDICT_LABELS[outcome.verdict]}",
            text="\n".join(lines),
            fields=[Field("文字数", f"{len(text):,}")],
            findings=outcome.views(),
        ),
    )

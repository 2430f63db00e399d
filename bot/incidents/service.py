"""Incident services (guideline 6). Every function takes the caller's Session and never
commits; every state change is written to the audit log and notifies through the outbox.

Races are settled by conditional UPDATEs: a status moves only from the state it was read
in, a checklist item is ticked only if it is not ticked yet, and nothing is added to a
closed incident.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from bot import audit
from bot.clock import Clock, SystemClock
from bot.directory import service as directory
from bot.directory.models import Account, Person
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.incidents import messaging
from bot.incidents.checklists import (
    PURPOSE_NAMES,
    STATUS_NAMES,
    parse_category,
    parse_purpose,
    parse_status,
    parse_type,
)
from bot.incidents.models import (
    Incident,
    IncidentChecklistItem,
    IncidentDraft,
    IncidentEvent,
    IncidentEventEdit,
    ModeratedComment,
)
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue
from bot.text import visible_or_empty

MAX_SUMMARY = 2000
MAX_UPDATE = 4000
MAX_COMMENT_WHAT = 500
EDITABLE_KINDS = ("update", "closed")

DECISION_NAMES = {
    "approve": "承認",
    "reject": "却下",
    "request_changes": "修正依頼",
    "submitted": "決裁依頼",
    "exempt": "決裁不要（{approval}ただし書）",
    "approved": "承認",
    "rejected": "却下",
    "changes_requested": "修正依頼",
    "published": "投稿済み",
    "withdrawn": "取り下げ",
}


def _rowcount(session: Session, stmt: Any) -> int:
    """Run a conditional UPDATE and say how many rows it changed (0: the condition lost)."""
    result = cast(
        CursorResult[Any], session.execute(stmt.execution_options(synchronize_session=False))
    )
    return int(result.rowcount)


# --- look-ups -----------------------------------------------------------------------------


def get(session: Session, *, incident_id: int) -> Incident:
    """An incident by id."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"事案#{incident_id}は見つかりません。番号を確認してください。")
    return incident


def _info_policy(session: Session) -> list[Person]:
    return directory.role_members(session, role="info_policy")


def _heads(account: Account, now: datetime) -> list[Person]:
    """The account's active 所属長 and the deputies active now."""
    return directory.heads_and_deputies(account.department, now)


def _can_close(session: Session, person: Person, incident: Incident, now: datetime) -> bool:
    allowed = _info_policy(session) + _heads(incident.account, now)
    return any(p.id == person.id for p in allowed)


def participants(session: Session, *, incident: Incident, now: datetime) -> list[Person]:
    """Who works on an incident: reporter, 所属長 (and active deputies), the account's
    manager and operators, and 情報政策課."""
    people = [incident.reporter, *_heads(incident.account, now)]
    if incident.account.manager is not None:
        people.append(incident.account.manager)
    people.extend(incident.account.operators)
    people.extend(_info_policy(session))
    return _dedupe(people)


def _dedupe(people: list[Person]) -> list[Person]:
    seen: set[int] = set()
    result = []
    for p in people:
        if p.id not in seen and p.active:
            seen.add(p.id)
            result.append(p)
    return result


def _escalation_mentions(session: Session, incident: Incident, now: datetime) -> list[str]:
    people = list(_heads(incident.account, now))
    if incident.account.manager is not None:
        people.append(incident.account.manager)
    people.extend(_info_policy(session))
    return [p.handle for p in _dedupe(people)]


def reminder_mentions(session: Session, *, incident: Incident, now: datetime) -> list[str]:
    """Who a "no status update" reminder addresses: the account's manager and the reporter."""
    people = [incident.reporter]
    if incident.account.manager is not None:
        people.insert(0, incident.account.manager)
    return [p.handle for p in _dedupe(people)]


def require_participant(
    session: Session, *, person: Person, incident: Incident, now: datetime, doing: str
) -> None:
    """Refuse unless ``person`` works on the incident (see ``participants``)."""
    _require_participant(session, person, incident, now, doing)


def _require_participant(
    session: Session, person: Person, incident: Incident, now: datetime, doing: str
) -> None:
    if not any(p.id == person.id for p in participants(session, incident=incident, now=now)):
        raise PermissionDenied(
            guideline_terms.in_force(session).fill(
                f"事案#{incident.id}の{doing}は、報告者・{{approver}}（代理を含む）・公式アカウント"
                "管理者/担当者・{desk}のみが行えます。"
            )
        )


def _root(session: Session, incident: Incident) -> OutboxMessage | None:
    if incident.thread_root_id is None:
        return None
    return session.get(OutboxMessage, incident.thread_root_id)


def _reply(session: Session, incident: Incident, message: OutMessage, clock: Clock) -> None:
    """Post in the incident's thread (or, without a thread, to the channel)."""
    enqueue(
        session,
        message=message,
        to_channel=messaging.INFO_POLICY_CHANNEL,
        thread_of=_root(session, incident),
        clock=clock,
    )


def _refresh_root(session: Session, incident: Incident, clock: Clock) -> None:
    """Re-render the thread's first message in place (checklist state, status, buttons)."""
    root = _root(session, incident)
    if root is None:
        return
    session.refresh(incident)
    # The same 宛先 as the original: adapters render an update's mentions without a
    # second notification.
    mentions = list((root.message or {}).get("mentions") or [])
    enqueue(
        session,
        message=messaging.root_message(incident, mentions=mentions),
        to_channel=messaging.INFO_POLICY_CHANNEL,
        update_of=root,
        clock=clock,
    )


def _event(
    session: Session, incident: Incident, kind: str, actor: Person | None, at: datetime, text: str
) -> IncidentEvent:
    event = IncidentEvent(incident=incident, kind=kind, actor=actor, at=at, text=text)
    session.add(event)
    session.flush()
    return event


def _text(value: str | None, *, limit: int, field: str, what: str) -> str:
    text = visible_or_empty(value)
    if not text:
        raise ValidationFailed(f"{what}を入力してください。", fields={field: "必須です"})
    if len(text) > limit:
        raise ValidationFailed(
            f"{what}は{limit}文字以内で入力してください（現在{len(text)}文字）。",
            fields={field: "長すぎます"},
        )
    return text


# --- declare ------------------------------------------------------------------------------


def declare(
    session: Session,
    *,
    type: str,
    account_code: str,
    actor: Person,
    summary: str = "",
    url: str | None = None,
    clock: Clock | None = None,
) -> Incident:
    """Record an incident and open its escalation thread in 情報政策課's channel."""
    clock = clock or SystemClock()
    reporter = actor
    terms = guideline_terms.in_force(session)
    kind = parse_type(type, terms)
    account = directory.get_account(session, code=account_code)
    url = (url or "").strip() or None
    summary = visible_or_empty(summary)
    if not summary and not url:
        raise ValidationFailed(
            "何が起きているか（概要または該当する投稿のURL）を入力してください。",
            fields={"summary": "必須です"},
        )
    if len(summary) > MAX_SUMMARY:
        raise ValidationFailed(
            f"概要は{MAX_SUMMARY}文字以内で入力してください。", fields={"summary": "長すぎます"}
        )
    if url is not None and len(url) > 1000:
        raise ValidationFailed("URLが長すぎます。", fields={"url": "長すぎます"})
    now = clock.now()
    incident = Incident(
        type=kind.code,
        account=account,
        reporter=reporter,
        summary=summary,
        url=url,
        status="open",
        opened_at=now,
        last_update_at=now,
        guideline_version=terms.version,
        guideline_sha256=terms.sha256,
    )
    for position, step in enumerate(kind.steps, start=1):
        incident.items.append(
            IncidentChecklistItem(
                position=position, code=step.code, label=step.label, clause=step.clause
            )
        )
    session.add(incident)
    session.flush()
    _event(session, incident, "opened", reporter, now, summary or url or "")
    root = enqueue(
        session,
        message=messaging.root_message(
            incident, mentions=_escalation_mentions(session, incident, now)
        ),
        to_channel=messaging.INFO_POLICY_CHANNEL,
        clock=clock,
    )
    assert root is not None  # no dedupe key: always queued
    incident.thread_root_id = root.id
    # Told once the thread exists (after the root is posted), not before.
    enqueue(
        session,
        message=messaging.reporter_message(incident),
        to_person=reporter,
        after=root,
        clock=clock,
    )
    audit.record(
        session,
        actor=reporter.handle,
        action="incident.declared",
        subject_type="incident",
        subject_id=incident.id,
        data={
            "type": kind.code,
            "account": account.code,
            "thread_root": root.id,
            "guideline": {"version": terms.version, "sha256": terms.sha256},
        },
        text=summary + "\n" + (url or ""),
        clock=clock,
    )
    session.flush()
    return incident


# --- checklist ----------------------------------------------------------------------------


def _find_item(incident: Incident, item: str) -> IncidentChecklistItem:
    key = item.strip()
    for candidate in incident.items:
        if candidate.code == key or str(candidate.position) == key.translate(_FULLWIDTH):
            return candidate
    choices = "、".join(f"{i.position}={i.code}" for i in incident.items)
    raise NotFound(f"事案#{incident.id}のチェック項目に「{item}」はありません（{choices}）。")


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def set_item(
    session: Session,
    *,
    incident_id: int,
    item: str,
    actor: Person,
    done: bool | None = None,
    clock: Clock | None = None,
) -> IncidentChecklistItem:
    """Tick (``done=True``), untick (``False``) or toggle (``None``) a checklist item.

    Setting an item to the state it already has changes nothing (double clicks, replays).
    """
    clock = clock or SystemClock()
    incident = get(session, incident_id=incident_id)
    now = clock.now()
    if incident.status == "closed":
        raise InvalidTransition(
            f"事案#{incident.id}は終了しているため、チェックリストは変更できません。"
        )
    _require_participant(session, actor, incident, now, "チェックリストの更新")
    target = _find_item(incident, item)
    if done is None:
        done = target.done_at is None
    not_closed = (
        sa.select(Incident.id)
        .where(Incident.id == incident.id, Incident.status != "closed")
        .exists()
    )
    table = IncidentChecklistItem
    stmt = sa.update(table).where(table.id == target.id, not_closed)
    if done:
        stmt = stmt.where(table.done_at.is_(None)).values(done_by_id=actor.id, done_at=now)
    else:
        stmt = stmt.where(table.done_at.is_not(None)).values(done_by_id=None, done_at=None)
    changed = _rowcount(session, stmt)
    session.refresh(target)
    if not changed:
        session.refresh(incident)
        if incident.status == "closed":
            raise InvalidTransition(
                f"事案#{incident.id}は終了しているため、チェックリストは変更できません。"
            )
        return target  # already in the asked state
    kind = "item_done" if done else "item_undone"
    _event(session, incident, kind, actor, now, f"{target.label}［{target.clause}］")
    audit.record(
        session,
        actor=actor.handle,
        action=f"incident.{kind}",
        subject_type="incident",
        subject_id=incident.id,
        data={"item": target.code},
        clock=clock,
    )
    _refresh_root(session, incident, clock)
    return target


# --- timeline: updates, status, close ------------------------------------------------------


def post_update(
    session: Session, *, incident_id: int, actor: Person, text: str, clock: Clock | None = None
) -> IncidentEvent:
    """Add a status update to the timeline and post it in the thread."""
    clock = clock or SystemClock()
    incident = get(session, incident_id=incident_id)
    now = clock.now()
    if incident.status == "closed":
        raise InvalidTransition(
            f"事案#{incident.id}は終了しているため、状況報告は追加できません。"
            "新たな問題であれば、改めて /incident で報告してください。"
        )
    _require_participant(session, actor, incident, now, "状況報告")
    body = _text(text, limit=MAX_UPDATE, field="text", what="状況報告の本文")
    changed = _rowcount(
        session,
        sa.update(Incident)
        .where(Incident.id == incident.id, Incident.status != "closed")
        .values(last_update_at=now),
    )
    if not changed:
        raise InvalidTransition(f"事案#{incident.id}は終了しているため、状況報告は追加できません。")
    event = _event(session, incident, "update", actor, now, body)
    audit.record(
        session,
        actor=actor.handle,
        action="incident.updated",
        subject_type="incident",
        subject_id=incident.id,
        data={"event": event.id},
        text=body,
        clock=clock,
    )
    _reply(session, incident, messaging.update_message(incident, event), clock)
    session.refresh(incident)
    return event


def change_status(
    session: Session,
    *,
    incident_id: int,
    actor: Person,
    status: str,
    text: str = "",
    clock: Clock | None = None,
) -> Incident:
    """Move an incident to 収束 (contained) or 終了 (closed; ``text`` is then the summary)."""
    code = parse_status(status)
    if code == "closed":
        return close(session, incident_id=incident_id, actor=actor, summary=text, clock=clock)
    clock = clock or SystemClock()
    incident = get(session, incident_id=incident_id)
    now = clock.now()
    if code == "open" or incident.status != "open":
        current = STATUS_NAMES[incident.status]
        raise InvalidTransition(
            f"事案#{incident.id}は現在「{current}」のため、「{STATUS_NAMES[code]}」にはできません"
            "（対応中 → 収束 → 終了 の順に進みます）。"
        )
    _require_participant(session, actor, incident, now, "状態の変更")
    note = (text or "").strip()
    if len(note) > MAX_UPDATE:
        raise ValidationFailed(f"コメントは{MAX_UPDATE}文字以内で入力してください。")
    changed = _rowcount(
        session,
        sa.update(Incident)
        .where(Incident.id == incident.id, Incident.status == "open")
        .values(status=code, contained_at=now, last_update_at=now),
    )
    session.refresh(incident)
    if not changed:
        raise InvalidTransition(
            f"事案#{incident.id}は既に「{STATUS_NAMES[incident.status]}」になっています。"
        )
    line = f"対応中 → {STATUS_NAMES[code]}" + (f"\n{note}" if note else "")
    event = _event(session, incident, "status", actor, now, line)
    audit.record(
        session,
        actor=actor.handle,
        action="incident.status_changed",
        subject_type="incident",
        subject_id=incident.id,
        data={"from": "open", "to": code, "event": event.id},
        text=note or None,
        clock=clock,
    )
    _reply(session, incident, messaging.status_message(incident, event), clock)
    _refresh_root(session, incident, clock)
    return incident


def close(
    session: Session, *, incident_id: int, actor: Person, summary: str, clock: Clock | None = None
) -> Incident:
    """Close an incident with a summary; only 情報政策課 or the 所属長 (or active deputy)."""
    clock = clock or SystemClock()
    incident = get(session, incident_id=incident_id)
    now = clock.now()
    if incident.status == "closed":
        raise InvalidTransition(f"事案#{incident.id}は既に終了しています。")
    if not _can_close(session, actor, incident, now):
        terms = guideline_terms.in_force(session)
        flaming = terms.incident_type("flaming")
        raise PermissionDenied(
            f"事案#{incident.id}を終了できるのは、{terms.incident_desk}または"
            f"{incident.account.department.name}の{terms.approver}（代理を含む）のみです"
            f"（{flaming.clause if flaming else terms.ref('incidents')}）。"
        )
    body = _text(
        summary, limit=MAX_UPDATE, field="summary", what="終了時のまとめ（経緯と対応結果）"
    )
    previous = incident.status
    changed = _rowcount(
        session,
        sa.update(Incident)
        .where(Incident.id == incident.id, Incident.status.in_(("open", "contained")))
        .values(
            status="closed",
            closed_at=now,
            closed_by_id=actor.id,
            close_summary=body,
            last_update_at=now,
        ),
    )
    session.refresh(incident)
    if not changed:
        raise InvalidTransition(f"事案#{incident.id}は既に終了しています。")
    open_items = [i for i in incident.items if i.done_at is None]
    event = _event(session, incident, "closed", actor, now, body)
    audit.record(
        session,
        actor=actor.handle,
        action="incident.closed",
        subject_type="incident",
        subject_id=incident.id,
        data={"from": previous, "event": event.id, "open_items": [i.code for i in open_items]},
        text=body,
        clock=clock,
    )
    mentions = [incident.reporter.handle]
    if incident.account.manager is not None and incident.account.manager.id != incident.reporter_id:
        mentions.insert(0, incident.account.manager.handle)
    _reply(
        session, incident, messaging.close_message(incident, open_items, mentions=mentions), clock
    )
    _refresh_root(session, incident, clock)
    return incident


def edit_event(
    session: Session, *, event_id: int, actor: Person, text: str, clock: Clock | None = None
) -> IncidentEvent:
    """Correct a status update or close summary; the earlier text is kept as history."""
    clock = clock or SystemClock()
    event = session.scalar(
        sa.select(IncidentEvent).where(IncidentEvent.id == event_id).with_for_update()
    )
    if event is None:
        raise NotFound(f"経過の記録#{event_id}は見つかりません。")
    if event.kind not in EDITABLE_KINDS:
        raise InvalidTransition("編集できるのは状況報告と終了時のまとめだけです。")
    is_info_policy = any(p.id == actor.id for p in _info_policy(session))
    if event.actor_id != actor.id and not is_info_policy:
        raise PermissionDenied(
            "経過の記録を編集できるのは、書いた本人か"
            f"{guideline_terms.in_force(session).incident_desk}のみです。"
        )
    body = _text(text, limit=MAX_UPDATE, field="text", what="新しい本文")
    if body == event.text:
        return event
    now = clock.now()
    previous = event.text
    session.add(
        IncidentEventEdit(event=event, previous_text=previous, edited_by=actor, edited_at=now)
    )
    event.text = body
    event.edited_at = now
    incident = event.incident
    if event.kind == "closed":
        incident.close_summary = body
    session.flush()
    audit.record(
        session,
        actor=actor.handle,
        action="incident.event_edited",
        subject_type="incident",
        subject_id=incident.id,
        data={"event": event.id, "previous_text_hash": audit.text_hash(previous)},
        text=body,
        clock=clock,
    )
    _reply(
        session,
        incident,
        messaging.edited_message(incident, event, editor=actor),
        clock,
    )
    return event


# --- response posts (6(1), 6(3)) -----------------------------------------------------------


def link_draft(
    session: Session,
    *,
    incident_id: int,
    draft_id: int,
    purpose: str,
    actor: Person,
    note: str | None = None,
    clock: Clock | None = None,
) -> IncidentDraft:
    """Record that a draft (core's drafts) is this incident's 説明・訂正・謝罪・対応中 post."""
    clock = clock or SystemClock()
    incident = get(session, incident_id=incident_id)
    code = parse_purpose(purpose, guideline_terms.in_force(session))
    now = clock.now()
    if incident.status == "closed":
        raise InvalidTransition(f"事案#{incident.id}は終了しているため、対応投稿は起案できません。")
    _require_participant(session, actor, incident, now, "対応投稿の起案")
    link = IncidentDraft(
        incident=incident, draft_id=draft_id, purpose=code, created_by_id=actor.id, created_at=now
    )
    session.add(link)
    session.flush()
    event = _event(
        session,
        incident,
        "draft_linked",
        actor,
        now,
        f"{PURPOSE_NAMES[code]}の投稿を起案しました（下書き#{draft_id}）"
        + (f"\n{note}" if note else ""),
    )
    audit.record(
        session,
        actor=actor.handle,
        action="incident.response_drafted",
        subject_type="incident",
        subject_id=incident.id,
        data={"draft": draft_id, "purpose": code, "event": event.id},
        clock=clock,
    )
    _reply(session, incident, messaging.response_message(incident, event), clock)
    return link


def incident_for_draft(session: Session, *, draft_id: int) -> IncidentDraft | None:
    """The incident link of a draft, if the draft is an incident response."""
    return session.scalar(sa.select(IncidentDraft).where(IncidentDraft.draft_id == draft_id))


def record_draft_decision(
    session: Session,
    *,
    draft_id: int,
    decision: str,
    actor: Person,
    reason: str | None = None,
    decision_id: int | None = None,
    at: datetime | None = None,
    clock: Clock | None = None,
) -> IncidentDraft | None:
    """Hook for core: call after any decision on a draft. Records it on the incident's
    timeline if the draft is an incident response; otherwise does nothing (returns None).

    With ``decision_id`` (core's decision row) a decision is recorded once, however often
    this is called.
    """
    link = session.scalar(
        sa.select(IncidentDraft).where(IncidentDraft.draft_id == draft_id).with_for_update()
    )
    if link is None:
        return None
    if decision_id is not None and link.decision_id is not None and decision_id <= link.decision_id:
        return link
    clock = clock or SystemClock()
    when = at or clock.now()
    link.decision = decision[:32]
    link.decided_at = when
    if decision_id is not None:
        link.decision_id = decision_id
    incident = link.incident
    name = guideline_terms.in_force(session).fill(DECISION_NAMES.get(decision, decision))
    line = f"下書き#{draft_id}（{PURPOSE_NAMES[link.purpose]}）: {name}"
    if reason:
        line += f"\n理由: {reason.strip()}"
    event = _event(session, incident, "draft_decided", actor, when, line)
    audit.record(
        session,
        actor=actor.handle,
        action="incident.response_decided",
        subject_type="incident",
        subject_id=incident.id,
        data={"draft": draft_id, "decision": decision, "event": event.id},
        text=reason or None,
        clock=clock,
    )
    _reply(session, incident, messaging.response_message(incident, event), clock)
    return link


# --- 6(2): deleted third-party comments ---------------------------------------------------


def record_deleted_comment(
    session: Session,
    *,
    account_code: str,
    what: str,
    why: str,
    actor: Person,
    note: str | None = None,
    incident_id: int | None = None,
    clock: Clock | None = None,
) -> ModeratedComment:
    """Log the deletion of a third party's prohibited comment on an official account (6(2))."""
    clock = clock or SystemClock()
    account = directory.get_account(session, code=account_code)
    terms = guideline_terms.in_force(session)
    clause = parse_category(why, terms)
    body = _text(
        what, limit=MAX_COMMENT_WHAT, field="what", what="削除した書き込み（URLまたは短い説明）"
    )
    now = clock.now()
    allowed = _heads(account, now) + account.operators + _info_policy(session)
    if account.manager is not None:
        allowed.append(account.manager)
    allowed = _dedupe(allowed)  # active people only
    if not any(p.id == actor.id for p in allowed):
        raise PermissionDenied(
            terms.fill(
                f"{account.name}の書き込み削除を記録できるのは、公式アカウント管理者・担当者、"
                "{approver}（代理を含む）、{desk}のみです（{comment_deletion}）。"
            )
        )
    if incident_id is not None:
        get(session, incident_id=incident_id)
    comment = ModeratedComment(
        account=account,
        what=body,
        why=clause,
        note=(note or "").strip()[:500] or None,
        actor=actor,
        deleted_at=now,
        incident_id=incident_id,
    )
    session.add(comment)
    session.flush()
    audit.record(
        session,
        actor=actor.handle,
        action="account.comment_deleted",
        subject_type="account",
        subject_id=account.code,
        data={"comment": comment.id, "why": clause, "incident": incident_id},
        text=body,
        clock=clock,
    )
    return comment


def deleted_comments(session: Session, *, account_code: str) -> list[ModeratedComment]:
    """The 6(2) log of one account, oldest first."""
    account = directory.get_account(session, code=account_code)
    return list(
        session.scalars(
            sa.select(ModeratedComment)
            .where(ModeratedComment.account_id == account.id)
            .order_by(ModeratedComment.deleted_at, ModeratedComment.id)
        )
    )


# --- queries ------------------------------------------------------------------------------


def incidents_needing_update(
    session: Session, *, now: datetime, older_than: timedelta
) -> list[Incident]:
    """Open 炎上 incidents whose last status update is ``older_than`` ago or more."""
    return list(
        session.scalars(
            sa.select(Incident)
            .where(
                Incident.status == "open",
                Incident.type == "flaming",
                Incident.last_update_at <= now - older_than,
            )
            .order_by(Incident.id)
        )
    )


def list_incidents(session: Session, *, include_closed: bool = False) -> list[Incident]:
    """Incidents, newest first (open and contained ones unless ``include_closed``)."""
    stmt = sa.select(Incident).order_by(Incident.id.desc())
    if not include_closed:
        stmt = stmt.where(Incident.status != "closed")
    return list(session.scalars(stmt))


__all__ = [
    "change_status",
    "close",
    "declare",
    "deleted_comments",
    "edit_event",
    "get",
    "incident_for_draft",
    "incidents_needing_update",
    "link_draft",
    "list_incidents",
    "participants",
    "post_update",
    "record_deleted_comment",
    "record_draft_decision",
    "reminder_mentions",
    "set_item",
]

"""Reminders about drafts (W3): 決裁 waiting (4(3)), 事後報告 missing or not acknowledged.

Rules (``kind``, recipient, counted from):

- ``approval.pending``     所属長; the current version's submission; business hours
- ``approval.escalated``   each active 代理 of the department; same anchor, later threshold
- ``exempt.unreported``    the author; when the exempt post went online (``/published``),
                           else its planned time, else the current version's submission;
                           while no 事後報告 is filed (4(3) ただし書)
- ``report.unacknowledged`` 所属長; when the 事後報告 was filed

Items claiming 4(3)エ (大規模災害時の緊急情報) run on wall-clock time with the emergency
intervals: they are never held until the next business morning.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from bot.business_calendar import BusinessCalendar
from bot.clock import format_jst
from bot.directory.models import Account, Department, Deputy, Person
from bot.drafts.messaging import decision_actions
from bot.drafts.models import AfterReport, Draft, DraftVersion
from bot.guideline import terms as guideline_terms
from bot.notify.messages import Action, Field, OutMessage
from bot.scheduler.models import Reminder
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.sources import Rendered, Rule, Rules, id_in, snooze_actions


def _emergency() -> sa.ColumnElement[bool]:
    """A draft claimed a category its guideline never holds back (the seed city's 4(3)エ).

    The labels are those of every guideline version this process knows (the shipped files
    and each version read since it started): a sweep has no session to look them up with.
    """
    return Draft.exemption.in_(sorted(guideline_terms.never_held_labels()))


def _current_version() -> sa.ColumnElement[bool]:
    return sa.and_(DraftVersion.draft_id == Draft.id, DraftVersion.number == Draft.current_version)


def _pending_for_head(now: datetime) -> sa.Select:
    head = aliased(Person)
    return (
        sa.select(
            Draft.id.label("item_id"),
            DraftVersion.created_at.label("anchor_at"),
            head.handle.label("recipient_key"),
        )
        .join(DraftVersion, _current_version())
        .join(Account, Account.id == Draft.account_id)
        .join(Department, Department.id == Account.department_id)
        .join(head, head.id == Department.head_id)
        .where(Draft.state == "pending_approval", head.active, head.id != Draft.author_id)
    )


def _pending_for_deputies(now: datetime) -> sa.Select:
    deputy = aliased(Person)
    return (
        sa.select(
            Draft.id.label("item_id"),
            DraftVersion.created_at.label("anchor_at"),
            deputy.handle.label("recipient_key"),
        )
        .join(DraftVersion, _current_version())
        .join(Account, Account.id == Draft.account_id)
        .join(Deputy, Deputy.department_id == Account.department_id)
        .join(deputy, deputy.id == Deputy.person_id)
        .where(
            Draft.state == "pending_approval",
            deputy.active,
            deputy.id != Draft.author_id,
            sa.or_(Deputy.active_from.is_(None), Deputy.active_from <= now),
            sa.or_(Deputy.active_until.is_(None), Deputy.active_until > now),
        )
    )


def _unreported(emergency: bool) -> sa.Select:
    author = aliased(Person)
    category = _emergency() if emergency else sa.not_(_emergency())
    return (
        sa.select(
            Draft.id.label("item_id"),
            sa.func.coalesce(Draft.published_at, Draft.planned_at, DraftVersion.created_at).label(
                "anchor_at"
            ),
            author.handle.label("recipient_key"),
        )
        .join(DraftVersion, _current_version())
        .join(author, author.id == Draft.author_id)
        .where(Draft.state.in_(("exempt", "report_due")), category, author.active)
    )


def _unacknowledged(emergency: bool) -> sa.Select:
    head = aliased(Person)
    category = _emergency() if emergency else sa.not_(_emergency())
    return (
        sa.select(
            Draft.id.label("item_id"),
            AfterReport.filed_at.label("anchor_at"),
            head.handle.label("recipient_key"),
        )
        .join(AfterReport, AfterReport.draft_id == Draft.id)
        .join(Account, Account.id == Draft.account_id)
        .join(Department, Department.id == Account.department_id)
        .join(head, head.id == Department.head_id)
        .where(
            Draft.state == "reported",
            AfterReport.acknowledged_at.is_(None),
            category,
            head.active,
        )
    )


class DraftSource:
    """Drafts waiting for 決裁, exempt posts without 事後報告, reports not acknowledged."""

    item_type = "draft"

    def __init__(self, settings: ReminderSettings) -> None:
        self.settings = settings

    def rules(self) -> Sequence[Rule]:
        s = self.settings
        hours, minutes = timedelta(hours=1), timedelta(minutes=1)
        emergency_first = s.emergency_after_minutes * minutes
        emergency_repeat = s.emergency_repeat_minutes * minutes
        rule = Rules("draft")
        return (
            rule(
                "approval.pending",
                "決裁待ち（{approval}）",
                s.approval_after_hours * hours,
                s.approval_repeat_hours * hours,
                _pending_for_head,
            ),
            rule(
                "approval.escalated",
                "決裁待ち・代理へ連絡済み（{approval}）",
                s.approval_escalate_after_hours * hours,
                s.approval_repeat_hours * hours,
                _pending_for_deputies,
            ),
            rule(
                "exempt.unreported",
                "事後報告なし（{approval}ただし書）",
                s.exempt_report_after_hours * hours,
                s.exempt_report_repeat_hours * hours,
                lambda now: _unreported(emergency=False),
            ),
            rule(
                "exempt.unreported",
                "事後報告なし・緊急情報（{emergency}）",
                emergency_first,
                emergency_repeat,
                lambda now: _unreported(emergency=True),
                business_hours=False,
            ),
            rule(
                "report.unacknowledged",
                "事後報告の確認待ち（{approval}ただし書）",
                s.report_ack_after_hours * hours,
                s.report_ack_repeat_hours * hours,
                lambda now: _unacknowledged(emergency=False),
            ),
            rule(
                "report.unacknowledged",
                "事後報告の確認待ち・緊急情報（{emergency}）",
                emergency_first,
                emergency_repeat,
                lambda now: _unacknowledged(emergency=True),
                business_hours=False,
            ),
        )

    def titles(self, session: Session, item_ids: Sequence[int]) -> dict[int, str]:
        rows = session.execute(
            sa.select(Draft.id, Draft.current_version, Account.name)
            .join(Account, Account.id == Draft.account_id)
            .where(id_in(session, Draft.id, item_ids))
        )
        return {i: f"「{name}」下書き #{i}（第{v}版）" for i, v, name in rows}

    def render(
        self,
        session: Session,
        reminders: Sequence[Reminder],
        *,
        now: datetime,
        calendar: BusinessCalendar,
    ) -> dict[int, Rendered]:
        ids = sorted({r.item_id for r in reminders})
        author = aliased(Person)
        head = aliased(Person)
        rows = session.execute(
            sa.select(Draft, Account, author, head, AfterReport)
            .join(Account, Account.id == Draft.account_id)
            .join(Department, Department.id == Account.department_id)
            .join(author, author.id == Draft.author_id)
            .outerjoin(head, head.id == Department.head_id)
            .outerjoin(AfterReport, AfterReport.draft_id == Draft.id)
            .where(id_in(session, Draft.id, ids))
        ).all()
        by_id = {row[0].id: row for row in rows}
        ordinals = _ordinals(session, reminders)
        result: dict[int, Rendered] = {}
        for reminder in reminders:
            row = by_id.get(reminder.item_id)
            if row is None:
                continue
            draft, account, author_p, head_p, report = row
            message = _message(
                reminder,
                draft,
                account,
                author_p,
                head_p,
                report,
                now=now,
                calendar=calendar,
                ordinal=ordinals[reminder.id],
            )
            if message is not None:
                result[reminder.id] = Rendered(message)
        return result


def _ordinals(session: Session, reminders: Sequence[Reminder]) -> dict[int, int]:
    """How many times each recipient has now been reminded of this item, this one included.

    Counted from what was actually sent to that person (1 for the first), not from the
    schedule's occurrence number, which jumps when the anchor lies far in the past.
    """
    ids = sorted({r.item_id for r in reminders})
    sent = session.execute(
        sa.select(Reminder.item_id, Reminder.kind, Reminder.recipient_key, sa.func.count())
        .where(
            Reminder.item_type == "draft",
            id_in(session, Reminder.item_id, ids),
            Reminder.status == "sent",
        )
        .group_by(Reminder.item_id, Reminder.kind, Reminder.recipient_key)
    ).all()
    counts = {(i, k, r): n for i, k, r, n in sent}
    result: dict[int, int] = {}
    for reminder in sorted(reminders, key=lambda r: r.id):
        key = (reminder.item_id, reminder.kind, reminder.recipient_key)
        counts[key] = counts.get(key, 0) + 1
        result[reminder.id] = counts[key]
    return result


def _who(person: Person | None) -> str:
    return f"{person.name}（{person.handle}）" if person is not None else "未登録"


def _waited(reminder: Reminder, now: datetime, calendar: BusinessCalendar) -> str:
    if reminder.business_hours:
        span = calendar.business_time_between(reminder.anchor_at, now)
        return f"{calendar.name}で約{_duration(span)}"
    return f"約{_duration(max(now - reminder.anchor_at, timedelta(0)))}"


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}分"
    hours, rest = divmod(minutes, 60)
    return f"{hours}時間{rest}分" if rest else f"{hours}時間"


def _message(
    reminder: Reminder,
    draft: Draft,
    account: Account,
    author: Person,
    head: Person | None,
    report: AfterReport | None,
    *,
    now: datetime,
    calendar: BusinessCalendar,
    ordinal: int,
) -> OutMessage | None:
    ref = f"下書き #{draft.id}（第{draft.current_version}版）"
    terms = guideline_terms.of_record(draft)
    fill, approver = terms.fill, terms.approver
    waited = _waited(reminder, now, calendar)
    fields = [
        Field("アカウント", f"{account.name}［{account.media}］"),
        Field("作成者", _who(author)),
    ]
    context = f"リマインダー #{reminder.id}・{ordinal}回目・{format_jst(now)}"
    if reminder.kind == "approval.pending":
        fields.append(Field("決裁依頼から", waited))
        return OutMessage(
            kind="reminder.approval",
            title=f"【決裁のお願い】{ref}が決裁を待っています",
            text=(
                f"「{account.name}」への投稿が決裁を待っています。"
                + fill("{approval}により{approver}の決裁が必要です。")
                + "内容を確認し、承認・差し戻し・却下のいずれかを選んでください。"
            ),
            fields=fields,
            actions=[
                *decision_actions(draft.id, draft.current_version),
                *snooze_actions(reminder),
            ],
            context=context,
            mentions=[reminder.recipient_key],
        )
    if reminder.kind == "approval.escalated":
        fields.append(Field(approver, _who(head)))
        fields.append(Field("決裁依頼から", waited))
        return OutMessage(
            kind="reminder.approval_escalated",
            title=f"【代理決裁のお願い】{ref}の決裁が滞っています",
            text=(
                fill("{approver}の決裁（{approval}）が") + f"{waited}行われていません。"
                f"代理として登録されているため、{approver}が不在の場合は代わりに決裁してください。"
            ),
            fields=fields,
            actions=[
                *decision_actions(draft.id, draft.current_version),
                *snooze_actions(reminder),
            ],
            context=context,
            mentions=[reminder.recipient_key],
        )
    if reminder.kind == "exempt.unreported":
        fields.append(Field("決裁不要の区分", terms.exemption_ref(draft.exemption)))
        if draft.state == "report_due":
            if draft.published_at is not None:
                fields.insert(2, Field("掲載", format_jst(draft.published_at)))
            text = fill(
                "掲載済みの登録はありますが、{approver}への事後報告がまだです。"
                "{approval}ただし書により、決裁を経ずに発信した場合は速やかに{approver}へ事後報告してください。"
            )
        elif draft.planned_at is None:
            fields.insert(2, Field("掲載予定", "登録されていません"))
            text = fill(
                "決裁不要として登録された投稿の、掲載の登録と事後報告を待っています。"
                "掲載した場合は掲載先を登録のうえ、{approval}ただし書により速やかに{approver}へ事後報告してください。"
                "掲載しない場合は下書きを取り下げてください。"
            )
        else:
            fields.insert(2, Field("掲載予定", format_jst(draft.planned_at)))
            text = fill(
                "掲載予定時刻を過ぎましたが、掲載の登録も事後報告もありません。"
                "掲載した場合は登録のうえ、{approval}ただし書により速やかに{approver}へ事後報告してください。"
                "掲載しない場合は下書きを取り下げてください。"
            )
        return OutMessage(
            kind="reminder.report_missing",
            title=f"【事後報告のお願い】{ref}",
            text=text,
            fields=fields,
            actions=snooze_actions(reminder),
            context=context,
            mentions=[reminder.recipient_key],
        )
    if reminder.kind == "report.unacknowledged" and report is not None:
        fields.append(Field("事後報告から", waited))
        return OutMessage(
            kind="reminder.report_unacknowledged",
            title=f"【確認のお願い】{ref}の事後報告が未確認です",
            text=(
                f"決裁不要（{terms.exemption_ref(draft.exemption)}）として掲載された投稿の事後報告が確認されていません。"
                "内容を確認してください。"
            ),
            fields=fields,
            actions=[
                Action(
                    "report.acknowledge",
                    "確認しました",
                    {"draft_id": draft.id, "report_id": report.id},
                    style="primary",
                ),
                *snooze_actions(reminder),
            ],
            context=context,
            mentions=[reminder.recipient_key],
        )
    return None

"""Incident services (guideline 6): declare, checklist, timeline, status, close, 6(2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.audit import text_hash, verify
from bot.audit.models import AuditEvent
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.incidents import service
from bot.incidents.models import IncidentEvent
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from tests.people import who


def outbox(session) -> list[OutboxMessage]:
    session.flush()
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def audit_actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))


def declare(
    session,
    clock,
    org,
    type="炎上",
    actor="ito",
    summary="観光イベントの投稿に批判が殺到",
):
    return service.declare(
        session,
        type=type,
        account_code="kanko_x",
        actor=who(session, actor),
        summary=summary,
        url="https://x.example/kanko/status/1",
        clock=clock,
    )


def test_declare_flaming_opens_thread_with_guideline_checklist(session, clock, org):
    incident = declare(session, clock, org)
    assert incident.type == "flaming" and incident.status == "open"
    assert incident.reporter.handle == "ito"
    assert [i.clause for i in incident.items] == ["6(3)"] * 4
    assert [i.code for i in incident.items] == [
        "no_rebuttal",
        "consult",
        "decide_response",
        "in_progress_notice",
    ]
    root, to_reporter = outbox(session)
    assert incident.thread_root_id == root.id
    assert (root.recipient_kind, root.recipient_key) == ("channel", "info_policy")
    msg = OutMessage.from_dict(root.message)
    assert msg.kind == "incident.opened"
    assert "炎上" in msg.title and "観光課公式X" in msg.title
    # 所属長, active deputy, the account's manager, every 情報政策課 member
    assert msg.mentions == ["tanaka", "suzuki", "sato", "kato", "yamada"]
    values = {f.label: f.value for f in msg.fields}
    assert values["種別"] == "炎上（6(3)）"
    assert values["報告者"] == "伊藤 主事（ito）"
    assert {f.label: f.person for f in msg.fields}["報告者"] == "ito"
    assert values["報告日時"] == "2026年11月25日 10:00"
    assert values["状態"] == "対応中"
    toggles = [a for a in msg.actions if a.action_id == "incident.toggle"]
    # Each button names its item by number, as staff type it (/incident toggle 5 1).
    assert [a.value["item"] for a in toggles] == [str(i.position) for i in incident.items]
    assert all(a.value["incident_id"] == incident.id for a in toggles)
    assert all(a.value["done"] is True for a in toggles)
    assert {a.action_id for a in msg.actions} >= {
        "incident.update",
        "incident.status",
        "incident.close",
        "incident.respond",
    }
    assert "反論・抗弁" in msg.text and "対応中" in msg.text
    # The reporter is told where the thread is.
    assert (to_reporter.recipient_kind, to_reporter.recipient_key) == ("person", "ito")
    notice = OutMessage.from_dict(to_reporter.message)
    assert notice.kind == "incident.reported"
    assert notice.actions[0].action_id == "incident.open_thread"
    assert notice.actions[0].value == {"incident_id": incident.id, "outbox_id": root.id}
    # Audit: the event, no summary text in the data, only its hash.
    event = session.scalars(sa.select(AuditEvent)).one()
    assert (event.action, event.actor, event.subject_id) == (
        "incident.declared",
        "ito",
        str(incident.id),
    )
    assert "批判" not in str(event.data) and event.text_hash
    assert verify(session) == []


@pytest.mark.parametrize(
    ("name", "code", "clause", "n"),
    [("なりすまし", "impersonation", "6(4)", 3), ("訂正", "correction", "6(1)", 1)],
)
def test_each_type_gets_its_own_checklist(session, clock, org, name, code, clause, n):
    incident = declare(session, clock, org, type=name)
    assert incident.type == code
    assert len(incident.items) == n and {i.clause for i in incident.items} == {clause}


def test_impersonation_checklist_names_takedown_website_and_press(session, clock, org):
    labels = " ".join(i.label for i in declare(session, clock, org, type="なりすまし").items)
    assert "削除を依頼" in labels and "市ホームページ" in labels and "報道機関" in labels


def test_any_staff_member_may_declare(session, clock, org):
    incident = declare(session, clock, org, actor="kobayashi")
    assert incident.reporter.handle == "kobayashi"


def test_tick_records_who_and_when_and_updates_root_in_place(session, clock, org):
    incident = declare(session, clock, org)
    clock.advance(minutes=5)
    item = service.set_item(
        session,
        incident_id=incident.id,
        item="consult",
        actor=who(session, "kato"),
        done=True,
        clock=clock,
    )
    assert item.done_by.handle == "kato" and item.done_at == clock.now()
    update = outbox(session)[-1]
    assert update.update_of_id == incident.thread_root_id
    msg = OutMessage.from_dict(update.message)
    # The 宛先 stays the same (adapters render an update's mentions without a new ping).
    root = session.get(OutboxMessage, incident.thread_root_id)
    assert msg.kind == "incident.opened" and msg.mentions == root.message["mentions"] != []
    assert (
        "☑ 所属長・公式アカウント管理者・情報政策課で協議した［6(3)］（加藤（情報政策課）・"
        in msg.text
    )
    assert incident.events[-1].kind == "item_done"
    consult = next(i for i in incident.items if i.code == "consult")
    toggle = next(a for a in msg.actions if a.value.get("item") == str(consult.position))
    assert toggle.label.startswith("☑") and toggle.value["done"] is False


def test_double_tick_changes_nothing_and_untick_clears(session, clock, org):
    incident = declare(session, clock, org)
    service.set_item(
        session,
        incident_id=incident.id,
        item="1",
        actor=who(session, "sato"),
        done=True,
        clock=clock,
    )
    before = (len(outbox(session)), len(audit_actions(session)))
    clock.advance(minutes=1)
    again = service.set_item(
        session,
        incident_id=incident.id,
        item="1",
        actor=who(session, "kato"),
        done=True,
        clock=clock,
    )
    assert again.done_by.handle == "sato"  # the first tick stands
    assert (len(outbox(session)), len(audit_actions(session))) == before
    cleared = service.set_item(
        session, incident_id=incident.id, item="１", actor=who(session, "kato"), clock=clock
    )
    assert cleared.done_at is None and cleared.done_by is None
    assert audit_actions(session)[-1] == "incident.item_undone"


def test_unknown_checklist_item_is_named(session, clock, org):
    incident = declare(session, clock, org)
    with pytest.raises(NotFound, match="チェック項目"):
        service.set_item(
            session, incident_id=incident.id, item="9", actor=who(session, "kato"), clock=clock
        )


def test_update_is_posted_in_thread_and_kept_on_timeline(session, clock, org):
    incident = declare(session, clock, org)
    clock.advance(minutes=20)
    event = service.post_update(
        session,
        incident_id=incident.id,
        actor=who(session, "sato"),
        text="コメント欄を確認中です",
        clock=clock,
    )
    reply = outbox(session)[-1]
    assert reply.thread_of_id == incident.thread_root_id
    msg = OutMessage.from_dict(reply.message)
    assert msg.kind == "incident.update" and msg.text == "コメント欄を確認中です"
    assert incident.last_update_at == clock.now()
    assert [e.kind for e in incident.events] == ["opened", "update"]
    assert event.actor.handle == "sato"


def test_status_moves_open_contained_closed(session, clock, org):
    incident = declare(session, clock, org)
    clock.advance(hours=1)
    service.change_status(
        session,
        incident_id=incident.id,
        actor=who(session, "sato"),
        status="収束",
        text="落ち着いた",
        clock=clock,
    )
    assert incident.status == "contained" and incident.contained_at == clock.now()
    root_update = OutMessage.from_dict(outbox(session)[-1].message)
    assert {f.label: f.value for f in root_update.fields}["状態"] == "収束"
    with pytest.raises(InvalidTransition, match="収束"):
        service.change_status(
            session, incident_id=incident.id, actor=who(session, "sato"), status="収束", clock=clock
        )
    with pytest.raises(InvalidTransition):
        service.change_status(
            session,
            incident_id=incident.id,
            actor=who(session, "sato"),
            status="対応中",
            clock=clock,
        )
    service.change_status(
        session,
        incident_id=incident.id,
        actor=who(session, "kato"),
        status="終了",
        text="収束を確認",
        clock=clock,
    )
    assert incident.status == "closed" and incident.close_summary == "収束を確認"


def test_close_lists_open_items_and_removes_buttons(session, clock, org):
    incident = declare(session, clock, org)
    service.set_item(
        session, incident_id=incident.id, item="1", actor=who(session, "kato"), clock=clock
    )
    service.set_item(
        session, incident_id=incident.id, item="2", actor=who(session, "kato"), clock=clock
    )
    clock.advance(hours=3)
    service.close(
        session,
        incident_id=incident.id,
        actor=who(session, "tanaka"),
        summary="謝罪文を掲載し収束",
        clock=clock,
    )
    assert incident.status == "closed" and incident.closed_by.handle == "tanaka"
    *_, close_reply, root_update = outbox(session)
    msg = OutMessage.from_dict(close_reply.message)
    assert msg.kind == "incident.closed" and close_reply.thread_of_id == incident.thread_root_id
    assert "未完了のまま終了したチェック項目" in msg.text
    assert "説明・訂正・謝罪の要否と内容を決めた" in msg.text
    assert "協議した" not in msg.text
    assert msg.mentions == ["sato", "ito"]
    assert root_update.update_of_id == incident.thread_root_id
    assert OutMessage.from_dict(root_update.message).actions == []
    last = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last.action == "incident.closed"
    assert last.data["open_items"] == ["decide_response", "in_progress_notice"]


@pytest.mark.parametrize("closer", ["tanaka", "suzuki", "kato", "yamada"])
def test_info_policy_head_or_active_deputy_may_close(session, clock, org, closer):
    incident = declare(session, clock, org)
    service.close(
        session,
        incident_id=incident.id,
        actor=who(session, closer),
        summary="対応完了",
        clock=clock,
    )
    assert incident.status == "closed"


def test_expired_deputy_may_not_close(session, clock, org):
    incident = declare(session, clock, org)
    clock.advance(days=31)
    with pytest.raises(PermissionDenied):
        service.close(
            session,
            incident_id=incident.id,
            actor=who(session, "suzuki"),
            summary="完了",
            clock=clock,
        )


def test_close_requires_summary(session, clock, org):
    incident = declare(session, clock, org)
    with pytest.raises(ValidationFailed, match="まとめ"):
        service.close(
            session, incident_id=incident.id, actor=who(session, "kato"), summary="  ", clock=clock
        )
    assert incident.status == "open"


def test_edit_keeps_history(session, clock, org):
    incident = declare(session, clock, org)
    event = service.post_update(
        session,
        incident_id=incident.id,
        actor=who(session, "sato"),
        text="削除依頼を送付",
        clock=clock,
    )
    clock.advance(minutes=3)
    service.edit_event(
        session,
        event_id=event.id,
        actor=who(session, "sato"),
        text="削除依頼を送付（受付番号あり）",
        clock=clock,
    )
    assert event.text == "削除依頼を送付（受付番号あり）" and event.edited_at == clock.now()
    assert [e.previous_text for e in event.edits] == ["削除依頼を送付"]
    with pytest.raises(PermissionDenied):
        service.edit_event(
            session, event_id=event.id, actor=who(session, "ito"), text="書き換え", clock=clock
        )
    service.edit_event(
        session, event_id=event.id, actor=who(session, "kato"), text="三度目", clock=clock
    )
    assert [e.previous_text for e in event.edits] == [
        "削除依頼を送付",
        "削除依頼を送付（受付番号あり）",
    ]
    opened = incident.events[0]
    with pytest.raises(InvalidTransition):
        service.edit_event(
            session, event_id=opened.id, actor=who(session, "ito"), text="x", clock=clock
        )


def test_editing_close_summary_updates_incident(session, clock, org):
    incident = declare(session, clock, org)
    service.close(
        session, incident_id=incident.id, actor=who(session, "kato"), summary="初版", clock=clock
    )
    closed = session.scalars(sa.select(IncidentEvent).where(IncidentEvent.kind == "closed")).one()
    service.edit_event(
        session, event_id=closed.id, actor=who(session, "kato"), text="改訂版", clock=clock
    )
    assert incident.close_summary == "改訂版"


def test_incidents_needing_update_only_open_flaming_and_stale(session, clock, org):
    start = clock.now()
    stale = declare(session, clock, org)
    fresh = declare(session, clock, org)
    declare(session, clock, org, type="なりすまし")
    contained = declare(session, clock, org)
    service.change_status(
        session, incident_id=contained.id, actor=who(session, "kato"), status="収束", clock=clock
    )
    clock.advance(minutes=50)
    service.post_update(
        session, incident_id=fresh.id, actor=who(session, "kato"), text="継続監視", clock=clock
    )
    now = start + timedelta(minutes=60)
    found = service.incidents_needing_update(session, now=now, older_than=timedelta(minutes=60))
    assert [i.id for i in found] == [stale.id]
    assert (
        service.incidents_needing_update(
            session, now=now - timedelta(seconds=1), older_than=timedelta(minutes=60)
        )
        == []
    )
    assert service.reminder_mentions(session, incident=stale, now=now) == ["sato", "ito"]


def test_record_deleted_comment(session, clock, org):
    comment = service.record_deleted_comment(
        session,
        account_code="kanko_x",
        what="https://x.example/reply/99 への差別的な返信",
        why="イ",
        actor=who(session, "sato"),
        clock=clock,
    )
    assert comment.why == "7(1)イ" and comment.actor.handle == "sato"
    assert comment.deleted_at == clock.now()
    event = session.scalars(sa.select(AuditEvent)).one()
    assert event.action == "account.comment_deleted" and event.subject_id == "kanko_x"
    assert "差別" not in str(event.data)
    assert event.text_hash == text_hash(comment.what)
    assert [c.id for c in service.deleted_comments(session, account_code="kanko_x")] == [comment.id]


def test_deleted_comment_refusals(session, clock, org):
    with pytest.raises(ValidationFailed, match="7\\(1\\)"):
        service.record_deleted_comment(
            session,
            account_code="kanko_x",
            what="x",
            why="シ",
            actor=who(session, "sato"),
            clock=clock,
        )
    with pytest.raises(PermissionDenied, match="6\\(2\\)"):
        service.record_deleted_comment(
            session,
            account_code="kanko_x",
            what="x",
            why="7(1)ア",
            actor=who(session, "kobayashi"),
            clock=clock,
        )
    with pytest.raises(ValidationFailed, match="500文字"):
        service.record_deleted_comment(
            session,
            account_code="kanko_x",
            what="あ" * 501,
            why="ア",
            actor=who(session, "sato"),
            clock=clock,
        )


def _real_draft(session, clock, org, text):
    from bot.drafts import service as drafts

    return drafts.submit(
        session, author=org.operator, account_code="kanko_x", text=text, clock=clock
    ).draft


def test_response_draft_link_and_decision_recorded_on_timeline(session, clock, org):
    incident = declare(session, clock, org)
    draft = _real_draft(session, clock, org, "お詫び：開催日を誤って掲載しました。")
    other = _real_draft(session, clock, org, "本日の天気は晴れです。")
    service.link_draft(
        session,
        incident_id=incident.id,
        draft_id=draft.id,
        purpose="謝罪",
        actor=who(session, "sato"),
        clock=clock,
    )
    clock.advance(minutes=30)
    link = service.record_draft_decision(
        session, draft_id=draft.id, decision="approved", actor=who(session, "tanaka"), clock=clock
    )
    assert link is not None and link.decision == "approved"
    assert [e.kind for e in incident.events][-2:] == ["draft_linked", "draft_decided"]
    assert incident.events[-1].text == f"下書き#{draft.id}（謝罪）: 承認"
    reply = OutMessage.from_dict(outbox(session)[-1].message)
    assert reply.kind == "incident.response"
    assert audit_actions(session)[-2:] == ["incident.response_drafted", "incident.response_decided"]
    # Drafts that are not incident responses are ignored.
    assert (
        service.record_draft_decision(
            session,
            draft_id=other.id,
            decision="approved",
            actor=who(session, "tanaka"),
            clock=clock,
        )
        is None
    )


def test_participants_only_may_update(session, clock, org):
    incident = declare(session, clock, org)
    with pytest.raises(PermissionDenied, match="状況報告"):
        service.post_update(
            session, incident_id=incident.id, actor=who(session, "watanabe"), text="x", clock=clock
        )


@pytest.mark.parametrize("who_leaves", ["head", "deputy"])
def test_an_inactive_head_or_deputy_cannot_decide_an_incident_matter(
    session, clock, org, who_leaves
):
    incident = declare(session, clock, org)
    leaver = org.head if who_leaves == "head" else org.deputy
    leaver.active = False  # left the organisation; the Person row is still in memory
    session.flush()
    with pytest.raises(PermissionDenied, match="6\\(3\\)"):
        service.close(session, incident_id=incident.id, actor=leaver, summary="完了", clock=clock)
    with pytest.raises(PermissionDenied):
        service.post_update(session, incident_id=incident.id, actor=leaver, text="x", clock=clock)
    assert leaver not in service.participants(session, incident=incident, now=clock.now())
    assert incident.status == "open"

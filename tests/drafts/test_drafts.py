"""Draft workflow (W1): submit → check → route → decide → publish → report → acknowledge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.audit import text_hash, verify
from bot.audit.models import AuditEvent
from bot.drafts import service as drafts
from bot.drafts.checking import BlockedByFindings
from bot.drafts.models import AfterReport, Decision, Draft, DraftVersion
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage

CLEAN = "みどり市の桜まつりを4月5日に中央公園で開催します。"
PHONE = "詳しくは担当の山田（090-1234-5678）まで。"
PLANNED = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def outbox(session, handle=None, kind=None):
    rows = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    result = []
    for row in rows:
        message = OutMessage.from_dict(row.message)
        if handle is not None and row.recipient_key != handle:
            continue
        if kind is not None and message.kind != kind:
            continue
        result.append((row, message))
    return result


def submit(session, demo, clock, author="sato", text=CLEAN, **kwargs):
    kwargs.setdefault("account_code", "kanko-x")
    kwargs.setdefault("planned_at", PLANNED)
    return drafts.submit(session, author=demo.people[author], text=text, clock=clock, **kwargs)


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_plain_draft_goes_to_head_and_active_deputy_with_actions(session, demo, clock):
    result = submit(session, demo, clock)
    assert result.draft.state == "pending_approval"
    assert [p.handle for p in result.approvers] == ["yamada", "kato"]
    for handle in ("yamada", "kato"):
        [(_, message)] = outbox(session, handle, "draft.approval_request")
        assert [a.action_id for a in message.actions] == [
            "draft.approve",
            "draft.request_changes",
            "draft.reject",
        ]
        assert [a.needs_reason for a in message.actions] == [False, True, True]
        assert message.actions[0].value == {"draft_id": result.draft.id, "version": 1}
        assert message.quote == CLEAN
        assert "4(3)" in message.text
    assert "決裁（4(3)）を依頼しました" in result.receipt.text
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "draft.submitted"))
    assert event.text_hash == text_hash(CLEAN)
    assert CLEAN not in str(event.data)


def test_blocking_finding_refuses_submission_and_stores_nothing(session, demo, clock):
    before = count(session, AuditEvent)
    with pytest.raises(BlockedByFindings) as err:
        submit(session, demo, clock, text=PHONE)
    assert "7(1)エ" in err.value.message
    assert any(f.clause == "7(1)エ" and f.excerpt == "090-1234-5678" for f in err.value.findings)
    assert count(session, Draft) == 0
    assert count(session, AuditEvent) == before
    assert outbox(session) == []


def test_false_positive_statement_lets_it_through_and_reaches_the_head(session, demo, clock):
    result = submit(session, demo, clock, text=PHONE, false_positive_reason="市の代表番号です")
    assert result.version.false_positive_reason == "市の代表番号です"
    assert result.version.verdict == "block"
    [(_, message)] = outbox(session, "yamada", "draft.approval_request")
    assert any(f.value == "市の代表番号です" for f in message.fields)
    assert "誤検知" in message.text
    assert message.findings and message.findings[0].clause == "7(1)エ"


def test_exempt_draft_needs_no_approval_but_a_registered_rule(session, demo, clock):
    result = submit(
        session, demo, clock, exemption="ア", evidence="https://city.example.jp/event/1"
    )
    assert result.draft.state == "exempt"
    assert outbox(session, kind="draft.approval_request") == []
    assert "事後報告" in result.receipt.text

    with pytest.raises(ValidationFailed) as err:
        submit(session, demo, clock, exemption="ウ")
    assert "4(3)ただし書" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        submit(session, demo, clock, exemption="ア")
    assert "根拠" in err.value.message
    with pytest.raises(ValidationFailed):
        submit(session, demo, clock, exemption="オ")
    assert count(session, Draft) == 1


def test_exempt_false_positive_statement_still_goes_to_the_head(session, demo, clock):
    submit(
        session,
        demo,
        clock,
        text=PHONE,
        exemption="イ",
        false_positive_reason="公開済みの窓口番号です",
    )
    [(_, message)] = outbox(session, "yamada", "draft.exempt_notice")
    assert "誤検知" in message.title
    assert any(f.value == "公開済みの窓口番号です" for f in message.fields)


def test_emergency_is_never_held(session, demo, clock):
    result = submit(session, demo, clock, text="避難所の連絡先 090-1234-5678", exemption="エ")
    assert result.draft.state == "exempt"
    [(_, message)] = outbox(session, "yamada", "draft.exempt_notice")
    assert "4(3)エ" in message.title
    assert message.findings


def test_identifiable_photo_without_consent_is_refused(session, demo, clock):
    with pytest.raises(ValidationFailed) as err:
        submit(session, demo, clock, photo_people="identifiable", photo_consent=False)
    assert "7(1)ク" in err.value.message and "7(2)ア" in err.value.message
    result = submit(session, demo, clock, photo_people="identifiable", photo_consent=True)
    assert result.draft.photo_consent is True


def test_only_confirmed_accounts_and_their_operators(session, demo, clock):
    with pytest.raises(ValidationFailed) as err:
        submit(session, demo, clock, author="suzuki", account_code="kanko-insta")
    assert "4(2)" in err.value.message and "開設届提出中（広報課長の確認待ち）" in err.value.message
    with pytest.raises(PermissionDenied) as err:
        submit(session, demo, clock, author="ito")
    assert "担当者" in err.value.message
    with pytest.raises(NotFound):
        submit(session, demo, clock, account_code="nope")
    assert count(session, Draft) == 0


def test_approve_updates_every_request_and_tells_the_author(session, demo, clock):
    draft = submit(session, demo, clock).draft
    clock.advance(minutes=5)
    decision = drafts.decide(
        session, decider=demo.kato, draft_id=draft.id, kind="approve", version=1, clock=clock
    )
    assert decision.kind == "approve"
    session.refresh(draft)
    assert draft.state == "approved"
    updates = [(row, m) for row, m in outbox(session, kind="draft.approval_closed")]
    assert {row.recipient_key for row, _ in updates} == {"yamada", "kato"}
    assert all(row.update_of_id is not None for row, _ in updates)
    assert all(m.actions == [] and "加藤 健" in m.text for _, m in updates)
    [(_, told)] = outbox(session, "sato", "draft.decided")
    assert "承認されました" in told.title


def test_reject_and_request_changes_need_a_reason(session, demo, clock):
    draft = submit(session, demo, clock).draft
    for kind in ("reject", "request_changes"):
        with pytest.raises(ValidationFailed) as err:
            drafts.decide(
                session, decider=demo.yamada, draft_id=draft.id, kind=kind, reason=" ", clock=clock
            )
        assert "理由" in err.value.message
    drafts.decide(
        session,
        decider=demo.yamada,
        draft_id=draft.id,
        kind="request_changes",
        reason="日付を確認",
        clock=clock,
    )
    [(_, told)] = outbox(session, "sato", "draft.decided")
    assert "差し戻されました" in told.title and "日付を確認" in told.text


def test_edit_makes_a_new_version_and_approval_does_not_carry_over(session, demo, clock):
    draft = submit(session, demo, clock).draft
    drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)
    clock.advance(minutes=1)
    result = drafts.edit(
        session, author=demo.sato, draft_id=draft.id, text=CLEAN + "雨天決行。", clock=clock
    )
    assert result.version.number == 2
    assert result.draft.state == "pending_approval"
    with pytest.raises(InvalidTransition) as err:
        drafts.mark_published(
            session,
            actor=demo.sato,
            draft_id=draft.id,
            url="https://x.com/midori_kanko_demo/status/1",
            clock=clock,
        )
    assert "決裁" in err.value.message
    requests = outbox(session, "yamada", "draft.approval_request")
    assert len(requests) == 2 and requests[1][1].actions[0].value["version"] == 2
    assert "改めて決裁" in requests[1][1].text
    assert count(session, Decision) == 1


def test_edit_marks_pending_requests_stale(session, demo, clock):
    draft = submit(session, demo, clock).draft
    drafts.edit(session, author=demo.sato, draft_id=draft.id, text=CLEAN + "！", clock=clock)
    stale = outbox(session, kind="draft.approval_stale")
    assert {row.recipient_key for row, _ in stale} == {"yamada", "kato"}
    assert all("第2版" in m.text for _, m in stale)


def test_edit_rules(session, demo, clock):
    draft = submit(session, demo, clock).draft
    with pytest.raises(PermissionDenied):
        drafts.edit(session, author=demo.suzuki, draft_id=draft.id, text="別の文", clock=clock)
    with pytest.raises(ValidationFailed) as err:
        drafts.edit(session, author=demo.sato, draft_id=draft.id, text=CLEAN, clock=clock)
    assert "同じ" in err.value.message
    drafts.decide(
        session,
        decider=demo.yamada,
        draft_id=draft.id,
        kind="reject",
        reason="時期が悪い",
        clock=clock,
    )
    with pytest.raises(InvalidTransition) as err:
        drafts.edit(session, author=demo.sato, draft_id=draft.id, text="新しい文", clock=clock)
    assert "却下" in err.value.message
    assert count(session, DraftVersion) == 1


def test_publish_after_approval(session, demo, clock):
    draft = submit(session, demo, clock).draft
    with pytest.raises(InvalidTransition) as err:
        drafts.mark_published(
            session,
            actor=demo.sato,
            draft_id=draft.id,
            url="https://x.com/midori_kanko_demo/status/1",
            clock=clock,
        )
    assert "決裁待ち" in err.value.message
    drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)
    with pytest.raises(ValidationFailed):
        drafts.mark_published(
            session, actor=demo.sato, draft_id=draft.id, url="x.com/a", clock=clock
        )
    drafts.mark_published(
        session,
        actor=demo.suzuki,
        draft_id=draft.id,
        url="https://x.com/midori_kanko_demo/status/1",
        clock=clock,
    )
    session.refresh(draft)
    assert (draft.state, draft.published_url) == (
        "published",
        "https://x.com/midori_kanko_demo/status/1",
    )
    with pytest.raises(InvalidTransition):
        drafts.file_report(session, actor=demo.sato, draft_id=draft.id, clock=clock)


def test_exempt_publish_report_acknowledge(session, demo, clock):
    draft = submit(session, demo, clock, exemption="イ").draft
    drafts.mark_published(
        session,
        actor=demo.sato,
        draft_id=draft.id,
        url="https://x.com/midori_kanko_demo/status/2",
        clock=clock,
    )
    session.refresh(draft)
    assert draft.state == "report_due"
    report = drafts.file_report(
        session, actor=demo.sato, draft_id=draft.id, note="予定どおり掲載", clock=clock
    )
    assert report.note == "予定どおり掲載"
    requests = outbox(session, kind="report.filed")
    assert {row.recipient_key for row, _ in requests} == {"yamada", "kato"}
    assert requests[0][1].actions[0].action_id == "report.acknowledge"
    with pytest.raises(InvalidTransition):
        drafts.file_report(session, actor=demo.sato, draft_id=draft.id, clock=clock)
    with pytest.raises(PermissionDenied):
        drafts.acknowledge_report(session, actor=demo.suzuki, draft_id=draft.id, clock=clock)
    drafts.acknowledge_report(session, actor=demo.yamada, draft_id=draft.id, clock=clock)
    session.refresh(draft)
    assert draft.state == "acknowledged"
    with pytest.raises(InvalidTransition) as err:
        drafts.acknowledge_report(session, actor=demo.kato, draft_id=draft.id, clock=clock)
    assert "既に" in err.value.message and "山田 花子" in err.value.message
    closed = outbox(session, kind="report.acknowledged")
    assert {row.recipient_key for row, _ in closed} == {"yamada", "kato", "sato"}
    assert verify(session) == []


def test_report_straight_from_exempt_records_publication(session, demo, clock):
    draft = submit(session, demo, clock, exemption="ア", evidence="広報みどり12月号").draft
    with pytest.raises(ValidationFailed):
        drafts.file_report(session, actor=demo.sato, draft_id=draft.id, clock=clock)
    drafts.file_report(
        session,
        actor=demo.sato,
        draft_id=draft.id,
        url="https://x.com/midori_kanko_demo/status/3",
        clock=clock,
    )
    session.refresh(draft)
    assert (
        draft.state == "reported"
        and draft.published_url == "https://x.com/midori_kanko_demo/status/3"
    )
    assert count(session, AfterReport) == 1


def test_queries_for_the_uis(session, demo, clock):
    plain = submit(session, demo, clock).draft
    exempt = submit(
        session, demo, clock, exemption="イ", planned_at=clock.now() + timedelta(hours=1)
    ).draft
    assert [s.id for s in drafts.my_drafts(session, person=demo.sato)] == [exempt.id, plain.id]
    assert [s.id for s in drafts.awaiting_decision(session, person=demo.kato, now=clock.now())] == [
        plain.id
    ]
    assert drafts.awaiting_decision(session, person=demo.suzuki, now=clock.now()) == []
    assert drafts.overdue_reports(session, now=clock.now(), person=demo.sato) == []
    later = clock.advance(hours=2)
    assert [s.id for s in drafts.overdue_reports(session, now=later, person=demo.sato)] == [
        exempt.id
    ]
    drafts.file_report(
        session,
        actor=demo.sato,
        draft_id=exempt.id,
        url="https://x.com/midori_kanko_demo/status/4",
        clock=clock,
    )
    assert drafts.overdue_reports(session, now=later) == []
    assert [
        s.id for s in drafts.awaiting_acknowledgement(session, person=demo.yamada, now=later)
    ] == [exempt.id]
    assert [s.id for s in drafts.pending_approvals(session)] == [plain.id]
    assert [s.id for s in drafts.unacknowledged_reports(session)] == [exempt.id]


def test_withdraw_closes_pending_requests(session, demo, clock):
    draft = submit(session, demo, clock).draft
    drafts.withdraw(session, author=demo.sato, draft_id=draft.id, clock=clock)
    session.refresh(draft)
    assert draft.state == "withdrawn"
    assert {row.recipient_key for row, _ in outbox(session, kind="draft.approval_withdrawn")} == {
        "yamada",
        "kato",
    }
    with pytest.raises(InvalidTransition):
        drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)


def test_every_step_is_in_the_audit_chain(session, demo, clock):
    draft = submit(session, demo, clock).draft
    drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)
    drafts.mark_published(
        session,
        actor=demo.sato,
        draft_id=draft.id,
        url="https://x.com/midori_kanko_demo/status/5",
        clock=clock,
    )
    actions = list(
        session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.subject_type == "draft")
            .order_by(AuditEvent.seq)
        )
    )
    assert actions == [
        "draft.submitted",
        "draft.approval_requested",
        "draft.approved",
        "draft.published",
    ]
    assert verify(session) == []

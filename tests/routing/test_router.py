"""bot.actions.run_action and bot.commands.run_command: one router for every platform."""

from __future__ import annotations

import sqlalchemy as sa

from bot.actions import PROMPTS, run_action
from bot.commands import DraftInput, draft_form, run_command, submit_draft_form
from bot.drafts.models import Draft, DraftVersion
from bot.interaction import Actor
from bot.notify.models import OutboxMessage

OK_TEXT = "本日から市民課の窓口時間を延長します。"
BLOCKED_TEXT = "山田さんの携帯は090-1234-5678です。"


def who(handle: str) -> Actor:
    return Actor("console", handle)


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def submit(factory, clock, **kw):
    form = DraftInput(account="kanko-x", text=kw.pop("text", OK_TEXT), **kw)
    return submit_draft_form(factory, actor=who("sato"), form=form, clock=clock)


def test_approve_through_router_notifies_author(factory, session, demo, clock):
    reply = submit(factory, clock)
    assert reply.ok, reply.message.title
    result = run_action(
        factory,
        actor=who("yamada"),
        action_id="draft.approve",
        value={"draft_id": reply.draft_id, "version": 1},
        clock=clock,
    )
    assert result.ok, result.message.title
    assert "承認" in result.message.title
    draft = session.get(Draft, reply.draft_id)
    session.refresh(draft)
    assert draft.state == "approved"
    decided = [
        row
        for row in session.scalars(sa.select(OutboxMessage))
        if row.message["kind"] == "draft.decided"
    ]
    assert decided and decided[0].message["actions"][0]["action_id"] == "draft.publish"


def test_non_approver_is_refused_and_nothing_changes(factory, session, demo, clock):
    reply = submit(factory, clock)
    before = count(session, OutboxMessage)
    result = run_action(
        factory,
        actor=who("suzuki"),
        action_id="draft.approve",
        value={"draft_id": reply.draft_id, "version": 1},
        clock=clock,
    )
    assert not result.ok
    assert result.code == "permission_denied"
    assert session.get(Draft, reply.draft_id).state == "pending_approval"
    assert count(session, OutboxMessage) == before


def test_reject_needs_a_reason(factory, session, demo, clock):
    reply = submit(factory, clock)
    value = {"draft_id": reply.draft_id, "version": 1}
    missing = run_action(
        factory, actor=who("yamada"), action_id="draft.reject", value=value, clock=clock
    )
    assert not missing.ok and "reason" in missing.fields
    done = run_action(
        factory,
        actor=who("yamada"),
        action_id="draft.reject",
        value=value,
        reason="日付が誤っています",
        clock=clock,
    )
    assert done.ok, done.message.title


def test_publish_after_approval(factory, session, demo, clock):
    reply = submit(factory, clock)
    value = {"draft_id": reply.draft_id, "version": 1}
    run_action(factory, actor=who("yamada"), action_id="draft.approve", value=value, clock=clock)
    result = run_action(
        factory,
        actor=who("sato"),
        action_id="draft.publish",
        value=value,
        inputs={"url": "https://x.com/midori_kanko_demo/status/1"},
        clock=clock,
    )
    assert result.ok, result.message.title
    draft = session.get(Draft, reply.draft_id)
    session.refresh(draft)
    assert draft.state == "published"


def test_exempt_report_and_acknowledge(factory, session, demo, clock):
    reply = submit(factory, clock, exemption="イ")
    assert reply.ok, reply.message.title
    assert [a.action_id for a in reply.message.actions] == ["draft.report"]
    filed = run_action(
        factory,
        actor=who("sato"),
        action_id="draft.report",
        value={"draft_id": reply.draft_id},
        inputs={"url": "https://x.com/midori_kanko_demo/status/2", "note": "結果を掲載"},
        clock=clock,
    )
    assert filed.ok, filed.message.title
    ack = run_action(
        factory,
        actor=who("yamada"),
        action_id="report.acknowledge",
        value={"draft_id": reply.draft_id, "report_id": 1},
        clock=clock,
    )
    assert ack.ok, ack.message.title
    draft = session.get(Draft, reply.draft_id)
    session.refresh(draft)
    assert draft.state == "acknowledged"


def test_blocking_findings_name_clause_and_words(factory, session, demo, clock):
    before = count(session, Draft)
    reply = submit(factory, clock, text=BLOCKED_TEXT)
    assert not reply.ok and reply.code == "blocked"
    assert "7(1)エ" in reply.fields["text"] and "090-1234-5678" in reply.fields["text"]
    assert "false_positive_reason" in reply.fields
    assert count(session, Draft) == before
    again = submit(factory, clock, text=BLOCKED_TEXT, false_positive_reason="市の公開番号です")
    assert again.ok, again.message.title


def test_photo_without_consent_is_a_field_error(factory, demo, clock):
    reply = submit(factory, clock, photo="no_consent")
    assert not reply.ok and "photo" in reply.fields


def test_draft_form_lists_confirmed_accounts_only(factory, demo):
    form = draft_form(factory, actor=who("suzuki"))
    assert form.form is not None
    assert form.form.accounts == [("kanko-x", "みどり市観光課（公式）")]
    assert draft_form(factory, actor=who("takahashi")).refusal is not None
    unknown = draft_form(factory, actor=Actor("slack", "U0NOBODY"))
    assert unknown.refusal is not None
    assert "名簿に登録されていません" in unknown.refusal.message.title


def test_edit_form_only_for_the_author(factory, demo, clock):
    reply = submit(factory, clock)
    mine = draft_form(factory, actor=who("sato"), draft_id=reply.draft_id)
    assert mine.form is not None and mine.form.values["text"] == OK_TEXT
    other = draft_form(factory, actor=who("suzuki"), draft_id=reply.draft_id)
    assert other.refusal is not None and other.refusal.code == "permission_denied"


def test_request_changes_then_edit_asks_again(factory, session, demo, clock):
    reply = submit(factory, clock)
    run_action(
        factory,
        actor=who("yamada"),
        action_id="draft.request_changes",
        value={"draft_id": reply.draft_id, "version": 1},
        reason="時間を追記してください",
        clock=clock,
    )
    edited = submit_draft_form(
        factory,
        actor=who("sato"),
        form=DraftInput(account="kanko-x", text=OK_TEXT + "9時から19時までです。"),
        draft_id=reply.draft_id,
        clock=clock,
    )
    assert edited.ok, edited.message.title
    assert count(session, DraftVersion) == 2
    assert session.get(Draft, reply.draft_id).state == "pending_approval"


def test_check_stores_nothing(factory, session, demo, clock):
    before = (count(session, Draft), count(session, OutboxMessage))
    reply = run_command(
        factory, actor=Actor("slack", "U0ANYONE"), command="/check", text=BLOCKED_TEXT, clock=clock
    )
    assert reply.ok and reply.message.kind == "check.result"
    assert reply.message.findings[0].clause == "7(1)エ"
    assert "7(2)" in reply.message.text or "個人アカウント" in reply.message.text
    assert (count(session, Draft), count(session, OutboxMessage)) == before
    usage = run_command(factory, actor=who("sato"), command="/check", text=" ", clock=clock)
    assert not usage.ok and "使い方" in usage.message.title


def test_incident_command_and_checklist_button(factory, session, demo, clock):
    reply = run_command(
        factory,
        actor=who("sato"),
        command="/incident",
        text="炎上 kanko-x 投稿に批判が集中",
        clock=clock,
    )
    assert reply.ok, reply.message.title
    root = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient_kind == "channel"))
    assert root is not None and root.recipient_key == "info_policy"
    toggle = next(a for a in root.message["actions"] if a["action_id"] == "incident.toggle")
    ticked = run_action(
        factory,
        actor=who("watanabe"),
        action_id="incident.toggle",
        value=toggle["value"],
        clock=clock,
    )
    assert ticked.ok, ticked.message.title
    assert "☑" in ticked.message.title


def test_unknown_actions_and_commands_are_refused(factory, demo, clock):
    assert not run_action(factory, actor=who("sato"), action_id="nope.x", value={}, clock=clock).ok
    snooze = run_action(
        factory,
        actor=who("sato"),
        action_id="reminder.snooze",
        value={"reminder_id": 999, "minutes": 30},
        clock=clock,
    )
    assert not snooze.ok and snooze.code == "not_found"
    assert not run_command(factory, actor=who("sato"), command="/nope", text="", clock=clock).ok
    account = run_command(factory, actor=who("sato"), command="/account", text="help", clock=clock)
    assert account.ok and "/account" in account.message.text


def test_prompts_fit_a_slack_modal_title():
    assert all(len(p.title) <= 24 and len(p.submit) <= 24 for p in PROMPTS.values())

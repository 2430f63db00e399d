"""Exempt path, /check, /incident, /account, App Home, signatures, outbox retries, limits.

Through the real Bolt app over HTTP, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
import time

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.models import AuditEvent
from bot.db import transaction
from bot.directory.models import Person
from bot.drafts.models import Draft
from bot.notify.messages import Action, Field, FindingView, OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue
from handlers.slack import render
from tests.slack import signing
from tests.slack.flows.conftest import (
    INFO_POLICY_CHANNEL,
    SLACK_IDS,
    buttons,
    click,
    draft_values,
    submit_view,
    text_of,
    wait_dms,
)
from tests.slack.harness import drain
from tests.slack.mock_web_api_server import _message_error, _view_error

AUTHOR, HEAD, DEPUTY, INFO = (SLACK_IDS[h] for h in ("sato", "yamada", "kato", "watanabe"))
TEXT = "みどり市観光まつりの来場者は3万2千人でした。ご来場ありがとうございました。"


def rows(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with factory() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(sa.select(sa.func.count()).select_from(m)) or 0
            for m in (Draft, OutboxMessage, AuditEvent)
        )


def outbox(factory: sessionmaker[Session]) -> list[OutboxMessage]:
    with factory() as session:
        return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


# ------------------------------------------------------------------ exempt path (4(3)ただし書)
def test_exempt_post_is_reported_and_acknowledged(slack, slack_api, core, committed_factory):
    slack.command("/draft", "", user_id=AUTHOR)
    (opened,) = slack_api.wait_for("views.open")
    resp = submit_view(
        slack,
        opened,
        draft_values(TEXT, exemption="ア", evidence="https://www.city.midori.example/kanko/1"),
        user_id=AUTHOR,
    )
    assert resp.status == 200 and resp.body == b"", resp.text
    (receipt,) = wait_dms(slack_api, AUTHOR)
    assert "決裁不要" in text_of(receipt)
    core.courier.wait_idle()
    assert [c.params["channel"] for c in slack_api.calls_to("chat.postMessage")] == [AUTHOR]

    slack_api.clear()
    click(slack, buttons(receipt)["draft.report"], user_id=AUTHOR, channel="D0STAFF001")
    (form,) = slack_api.wait_for("views.open")
    assert form.json_param("view")["title"]["text"] == "事後報告"
    answers = {
        "url": {"url": {"value": "https://x.com/midori_kanko_demo/status/42"}},
        "note": {"note": {"value": "市HP掲載のイベント告知を投稿しました"}},
    }
    assert submit_view(slack, form, answers, user_id=AUTHOR).body == b""
    (report,) = wait_dms(slack_api, HEAD)
    assert "事後報告" in text_of(report) and "status/42" in text_of(report)
    assert "report.acknowledge" in buttons(report)
    wait_dms(slack_api, DEPUTY)
    core.courier.wait_idle()

    slack_api.clear()
    click(slack, buttons(report)["report.acknowledge"], user_id=HEAD)
    updates = slack_api.wait_for("chat.update", 2)
    assert all("確認済み" in text_of(u) and buttons(u) == {} for u in updates)
    (told,) = wait_dms(slack_api, AUTHOR)
    assert "確認しました" in text_of(told)
    core.courier.wait_idle()
    with committed_factory() as session:
        assert session.scalar(sa.select(Draft.state)) == "acknowledged"


# ------------------------------------------------------------------ /check (W6)
def test_check_is_ephemeral_and_stores_nothing(slack, slack_api, core, committed_factory):
    before = rows(committed_factory)
    slack.command("/check", "山田さんの携帯は090-1234-5678です。", user_id="U0ANYONE01")
    (hook,) = slack_api.wait_for("response_url")
    assert hook.params["response_type"] == "ephemeral"
    shown = text_of(hook)
    assert "7(1)エ" in shown and "090-1234-5678" in shown and "保存されません" in shown
    assert "個人アカウント" in shown  # section-7 reminders
    core.courier.wait_idle()
    assert rows(committed_factory) == before
    assert [c.method for c in slack_api.calls] == ["response_url"]


def test_check_without_text_explains_usage(slack, slack_api):
    slack.command("/check", "", user_id=AUTHOR)
    (hook,) = slack_api.wait_for("response_url")
    assert "/check の使い方" in text_of(hook)


# ------------------------------------------------------------------ /incident (W4), /account
def test_incident_opens_a_thread_in_the_info_policy_channel(slack, slack_api, core):
    slack.command("/incident", "炎上 kanko-x 昨日の投稿に批判が集中しています", user_id=AUTHOR)
    (hook,) = slack_api.wait_for("response_url")
    found = re.search(r"事案#(\d+)", text_of(hook))
    assert found is not None
    incident_id = found.group(1)
    wait_dms(slack_api, AUTHOR)  # the reporter is told where the thread is
    root = next(
        c
        for c in slack_api.wait_for("chat.postMessage", 2)
        if c.params["channel"] == INFO_POLICY_CHANNEL
    )
    assert "thread_ts" not in root.params
    assert f"<@{HEAD}>" in text_of(root) and f"<@{INFO}>" in text_of(root)
    toggles = [k for k in buttons(root) if k.startswith("incident.toggle")]
    assert len(toggles) >= 2  # unique action ids within the block (the mock enforces it)
    core.courier.wait_idle()

    slack_api.clear()
    slack.command("/incident", f"update {incident_id} 削除依頼を送付しました", user_id=AUTHOR)
    slack_api.wait_for("response_url")
    (reply,) = [
        c
        for c in slack_api.wait_for("chat.postMessage")
        if c.params["channel"] == INFO_POLICY_CHANNEL
    ]
    assert reply.params.get("thread_ts")  # a reply in the incident's thread
    assert "削除依頼を送付しました" in text_of(reply)
    core.courier.wait_idle()

    slack_api.clear()
    first = buttons(root)[toggles[0]]
    click(slack, first, user_id=INFO, channel=INFO_POLICY_CHANNEL)
    (hook,) = slack_api.wait_for("response_url")
    assert "☑" in text_of(hook)
    (update,) = slack_api.wait_for("chat.update")
    assert update.params["channel"] == INFO_POLICY_CHANNEL


def test_incident_help_answers_usage(slack, slack_api):
    slack.command("/incident", "help", user_id=AUTHOR)
    (hook,) = slack_api.wait_for("response_url")
    assert "/incident" in text_of(hook) and "炎上" in text_of(hook)


def test_account_command_answers_in_japanese(slack, slack_api):
    slack.command("/account", "", user_id=AUTHOR)
    (hook,) = slack_api.wait_for("response_url")
    assert hook.params["response_type"] == "ephemeral" and "/account" in text_of(hook)


def test_unknown_reminder_snooze_is_refused(slack, slack_api):
    slack.action("reminder.snooze", '{"minutes":30,"reminder_id":999}', user={"id": AUTHOR})
    (hook,) = slack_api.wait_for("response_url")
    assert "見つかりません" in text_of(hook)


# ------------------------------------------------------------------ App Home
def test_app_home_shows_my_drafts_and_what_waits_for_me(slack, slack_api, core):
    slack.command("/draft", "", user_id=AUTHOR)
    (opened,) = slack_api.wait_for("views.open")
    submit_view(slack, opened, draft_values("窓口時間を延長します。"), user_id=AUTHOR)
    wait_dms(slack_api, HEAD)
    core.courier.wait_idle()

    slack_api.clear()
    slack.event({"type": "app_home_opened", "user": AUTHOR, "channel": "D0STAFF001", "tab": "home"})
    (mine,) = slack_api.wait_for("views.publish")
    assert mine.params["user_id"] == AUTHOR
    shown = json.dumps(mine.json_param("view"), ensure_ascii=False)
    assert "あなたの下書き（1件）" in shown and "決裁待ち" in shown

    slack.event({"type": "app_home_opened", "user": HEAD, "channel": "D0HEAD0001", "tab": "home"})
    head = slack_api.wait_for("views.publish", 2)[1]
    shown = json.dumps(head.json_param("view"), ensure_ascii=False)
    assert "決裁待ち（1件）" in shown and "窓口時間を延長します" in shown

    # The 広報課長 owes the demo's submitted 開設届 (kanko-insta): it is on the home tab too.
    pr_head = SLACK_IDS["takahashi"]
    slack.event({"type": "app_home_opened", "user": pr_head, "channel": "D0PR00001", "tab": "home"})
    pr = slack_api.wait_for("views.publish", 3)[2]
    shown = json.dumps(pr.json_param("view"), ensure_ascii=False)
    assert "開設届の確認待ち（1件、4(2)）" in shown and "/account confirm kanko-insta" in shown

    slack.event({"type": "app_home_opened", "user": "U0STRANGER", "channel": "D0X", "tab": "home"})
    stranger = slack_api.wait_for("views.publish", 4)[3]
    assert "名簿に登録されていません" in json.dumps(stranger.json_param("view"), ensure_ascii=False)


def test_retried_event_publishes_once(slack, slack_api, bolt_app):
    event = {"type": "app_home_opened", "user": AUTHOR, "channel": "D0STAFF001", "tab": "home"}
    first = slack.event(event, event_id="Ev0HOME0001")
    retry = slack.replay(first, retry_num=1)
    assert first.status == retry.status == 200
    drain(bolt_app)
    assert len(slack_api.calls_to("views.publish")) == 1


# ------------------------------------------------------------------ signatures
def test_forged_and_stale_requests_touch_nothing(slack, slack_api, core, committed_factory):
    before = rows(committed_factory)
    body = signing.interaction_body(
        signing.view_submission_payload("draft_submit", draft_values(TEXT))
    )
    forged = slack.post(body, signing.FORM, signature="v0=" + "0" * 64)
    stale = slack.post(body, signing.FORM, timestamp=int(time.time()) - 600)
    command = signing.slash_command_body("/check", "テスト", user_id=AUTHOR)
    forged_command = slack.post(command, signing.FORM, signature="v0=deadbeef")
    assert forged.status == stale.status == forged_command.status == 401
    slack_api.assert_quiet(0.3)
    assert rows(committed_factory) == before


# ------------------------------------------------------------------ outbox reliability
def _enqueue_dm(factory: sessionmaker[Session], clock, handle: str = "yamada") -> int:
    with transaction(factory) as session:
        person = session.scalar(sa.select(Person).where(Person.handle == handle))
        row = enqueue(
            session,
            message=OutMessage(kind="info", title="お知らせ"),
            to_person=person,
            clock=clock,
        )
        assert row is not None
        return row.id


def test_server_errors_keep_the_message_until_the_next_sweep(
    slack_api, core, committed_factory, clock, retry_sleeps, city
):
    slack_api.fail_next("chat.postMessage", status=500, times=3)  # first try + 2 retries
    _enqueue_dm(committed_factory, clock)
    core.courier.kick()
    slack_api.wait_for("chat.postMessage", 3)
    assert core.courier.wait_idle()
    (row,) = outbox(committed_factory)
    assert row.status == "pending" and row.attempts == 1 and "internal_error" in row.last_error
    assert len(retry_sleeps) == 2  # the client backed off twice (nothing really slept)

    core.courier.kick()  # not due yet: the outbox backs off too
    assert core.courier.wait_idle()
    assert len(slack_api.calls_to("chat.postMessage")) == 3

    clock.advance(minutes=5)
    core.courier.kick()
    slack_api.wait_for("chat.postMessage", 4)
    assert core.courier.wait_idle()
    (row,) = outbox(committed_factory)
    assert row.status == "sent" and row.sent_ref["channel"] == "D0HEAD0001"


def test_rate_limit_beyond_the_wait_budget_is_left_to_the_outbox(
    slack_api, core, committed_factory, clock, retry_sleeps, city
):
    slack_api.fail_next("chat.postMessage", status=429, retry_after=120)
    _enqueue_dm(committed_factory, clock)
    core.courier.kick()
    slack_api.wait_for("chat.postMessage")
    assert core.courier.wait_idle()
    (row,) = outbox(committed_factory)
    assert row.status == "pending" and "ratelimited" in row.last_error
    assert retry_sleeps == []  # a 2-minute wait is not done inside a request
    clock.advance(minutes=5)
    core.courier.kick()
    slack_api.wait_for("chat.postMessage", 2)
    assert core.courier.wait_idle()
    assert outbox(committed_factory)[0].status == "sent"


# ------------------------------------------------------------------ Block Kit limits
def test_long_draft_and_many_findings_stay_within_limits():
    findings = [
        FindingView("7(1)エ", "block", "090-1234-5678" * 30, "個人の電話番号です。" * 50, i, i + 13)
        for i in range(300)
    ]
    message = OutMessage(
        kind="draft.approval_request",
        title="【決裁依頼】" + "長い題名" * 100,
        text="本文" * 3000,
        fields=[Field(f"項目{i}", "値" * 500) for i in range(30)],
        findings=findings,
        actions=[
            Action("incident.toggle", "☐ " + "x" * 100, {"incident_id": 1, "item": i})
            for i in range(30)
        ],
        quote=("とても長い下書きの一行です。<!channel> & " * 40 + "\n") * 60,
        context="下書き #1 第1版",
    )
    payload = render.message(message, mention_ids=[f"U{i:09d}" for i in range(80)])
    assert (
        _message_error(
            {"channel": "D1", "text": payload["text"], "blocks": json.dumps(payload["blocks"])}
        )
        is None
    )
    assert len(payload["blocks"]) <= 50
    shown = json.dumps(payload["blocks"], ensure_ascii=False)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert "（以下省略）" in shown and "ほか 290 件" in shown


def test_modals_stay_within_limits():
    from bot.actions import PROMPTS
    from bot.commands import DraftForm

    many = DraftForm(accounts=[(f"acct-{i}", "アカウント" * 20) for i in range(150)])
    assert _view_error(render.draft_modal(many, initial_text="あ" * 5000)) is None
    for action_id, prompt in PROMPTS.items():
        view = render.prompt_modal(prompt, action_id=action_id, metadata={"value": {"draft_id": 1}})
        assert _view_error(view) is None, action_id

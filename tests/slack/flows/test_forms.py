"""/account new and /incident open forms (modals) through the real Bolt app, both backends."""

from __future__ import annotations

import sqlalchemy as sa

from bot.directory.models import Account
from bot.incidents.models import Incident
from tests.slack.flows.conftest import (
    INFO_POLICY_CHANNEL,
    SLACK_IDS,
    submit_view,
    text_of,
    wait_dms,
)

AUTHOR = SLACK_IDS["sato"]
PR_HEAD = SLACK_IDS["takahashi"]


def account_values(**overrides: str) -> dict:
    values = {
        "code": "kanko-line",
        "department": "kanko",
        "organisation": "みどり市 観光課",
        "purpose": "観光情報を届けるため",
        "information": "イベントと観光施設の情報",
        "response": "コメントには原則として個別に返信しません",
        "media": "LINE",
        "name": "みどり市観光課 LINE",
        "url": "https://line.me/R/ti/p/@midori-kanko",
        "start_date": "2026-04-01",
        "manager": "sato",
        "operators": "suzuki",
    }
    values.update(overrides)
    return {
        key: {key: {"type": "plain_text_input", "value": value or None}}
        for key, value in values.items()
    }


def open_modal(slack, slack_api, command: str, text: str):
    slack.command(command, text, user_id=AUTHOR)
    (opened,) = slack_api.wait_for("views.open")
    return opened


def count(factory, model) -> int:
    with factory() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


# ------------------------------------------------------------------ /account new
def test_account_new_opens_the_policy_form(slack, slack_api):
    view = open_modal(slack, slack_api, "/account", "new").json_param("view")
    assert view["callback_id"] == "account_form"
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(blocks) == [
        "code", "department", "organisation", "purpose", "information", "response",
        "media", "name", "url", "start_date", "manager", "operators",
    ]  # fmt: skip
    assert "4(1)イ" in blocks["purpose"]["label"]["text"]
    assert blocks["purpose"]["element"]["multiline"] is True
    assert blocks["operators"]["optional"] is True and blocks["code"]["optional"] is False
    assert blocks["manager"]["element"]["initial_value"] == "sato"
    assert slack_api.calls_to("response_url") == []


def test_account_form_errors_are_shown_by_field_and_nothing_is_stored(
    slack, slack_api, committed_factory
):
    opened = open_modal(slack, slack_api, "/account", "new")
    before = count(committed_factory, Account)
    resp = submit_view(
        slack,
        opened,
        account_values(url="https://x.com/midori", purpose="", manager="nobody"),
        user_id=AUTHOR,
    )
    assert resp.status == 200
    body = resp.json()
    assert body["response_action"] == "errors"
    errors = body["errors"]
    assert "LINE" in errors["url"]  # the URL is not the platform's
    assert "利用目的" in errors["purpose"] and "4(1)イ" in errors["purpose"]
    assert "名簿" in errors["manager"]
    assert count(committed_factory, Account) == before

    # The corrected form goes through: the modal closes and a receipt arrives.
    resp = submit_view(slack, opened, account_values(), user_id=AUTHOR)
    assert resp.status == 200 and resp.text == ""
    (receipt,) = wait_dms(slack_api, AUTHOR)
    assert "みどり市観光課 LINE" in text_of(receipt) and "開設届" in text_of(receipt)
    with committed_factory() as session:
        account = session.scalar(sa.select(Account).where(Account.code == "kanko-line"))
        assert account is not None and account.status == "registered"


def test_account_form_refuses_someone_not_in_the_directory(slack, slack_api):
    slack.command("/account", "new", user_id="U0STRANGER")
    (hook,) = slack_api.wait_for("response_url")
    assert "名簿に登録されていません" in text_of(hook)
    assert slack_api.calls_to("views.open") == []


def test_account_with_values_still_runs_as_text(slack, slack_api):
    slack.command("/account", "list", user_id=AUTHOR)
    (hook,) = slack_api.wait_for("response_url")
    assert hook.params["response_type"] == "ephemeral"
    assert slack_api.calls_to("views.open") == []


# ------------------------------------------------------------------ /incident
def incident_values(kind: str | None, account: str | None, summary: str = "", url: str = ""):
    return {
        "type": {"type": {"type": "radio_buttons", "selected_option": kind and {"value": kind}}},
        "account": {
            "account": {"type": "static_select", "selected_option": account and {"value": account}}
        },
        "summary": {"summary": {"type": "plain_text_input", "value": summary or None}},
        "url": {"url": {"type": "plain_text_input", "value": url or None}},
    }


def test_incident_without_arguments_opens_the_form(slack, slack_api):
    view = open_modal(slack, slack_api, "/incident", "").json_param("view")
    assert view["callback_id"] == "incident_form"
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert [o["text"]["text"] for o in blocks["type"]["element"]["options"]] == [
        "炎上（6(3)）",
        "なりすまし（6(4)）",
        "訂正（6(1)）",
    ]
    assert "kanko-x" in [o["value"] for o in blocks["account"]["element"]["options"]]


def test_incident_with_type_and_account_prefills_the_form(slack, slack_api):
    view = open_modal(slack, slack_api, "/incident", "なりすまし kanko-x").json_param("view")
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert blocks["type"]["element"]["initial_option"]["value"] == "impersonation"
    assert blocks["account"]["element"]["initial_option"]["value"] == "kanko-x"


def test_incident_form_submission_opens_the_thread(slack, slack_api, committed_factory):
    opened = open_modal(slack, slack_api, "/incident", "")
    resp = submit_view(slack, opened, incident_values(None, "kanko-x"), user_id=AUTHOR)
    errors = resp.json()["errors"]
    assert "種別" in errors["type"] and "概要" in errors["summary"]
    assert count(committed_factory, Incident) == 0

    resp = submit_view(
        slack,
        opened,
        incident_values("flaming", "kanko-x", "昨日の投稿に批判が集中しています"),
        user_id=AUTHOR,
    )
    assert resp.status == 200 and resp.text == ""
    posts = slack_api.wait_for("chat.postMessage", 2)
    root = next(c for c in posts if c.params["channel"] == INFO_POLICY_CHANNEL)
    assert "炎上" in text_of(root) and "批判が集中" in text_of(root)
    (notice,) = wait_dms(slack_api, AUTHOR)  # one receipt: the incident's own notice
    # Sent only after the root was posted, and it says so.
    assert "対応スレッドを作成しました" in text_of(notice)
    assert "incident.open_thread" in text_of(notice)
    assert count(committed_factory, Incident) == 1


def test_incident_subcommands_still_run_as_text(slack, slack_api):
    slack.command("/incident", "help", user_id=AUTHOR)
    (hook,) = slack_api.wait_for("response_url")
    assert "/incident update" in text_of(hook)
    assert slack_api.calls_to("views.open") == []


# ------------------------------------------------------------------ receipts via the outbox
def _outbox_kinds(factory) -> list[tuple[str, str]]:
    from bot.notify.models import OutboxMessage

    with factory() as session:
        rows = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.message["kind"], r.status) for r in rows]


def test_a_refused_receipt_is_kept_and_sent_on_a_later_sweep(
    slack, slack_api, core, committed_factory, clock, retry_sleeps
):
    opened = open_modal(slack, slack_api, "/account", "new")
    slack_api.fail_next("chat.postMessage", status=429, retry_after=120)
    resp = submit_view(slack, opened, account_values(), user_id=AUTHOR)
    assert resp.status == 200 and resp.text == ""
    slack_api.wait_for("chat.postMessage")
    assert core.courier.wait_idle()
    assert _outbox_kinds(committed_factory) == [("account.reply", "pending")]

    clock.advance(minutes=5)
    core.courier.kick()
    (receipt,) = wait_dms(slack_api, AUTHOR)  # the second attempt
    assert "開設届" in text_of(receipt)
    assert core.courier.wait_idle()
    assert _outbox_kinds(committed_factory) == [("account.reply", "sent")]


def test_draft_receipt_goes_through_the_outbox(slack, slack_api, core, committed_factory):
    from tests.slack.flows.conftest import draft_values

    slack.command("/draft", "", user_id=AUTHOR)
    (opened,) = slack_api.wait_for("views.open")
    resp = submit_view(slack, opened, draft_values("本日、防災訓練を行います。"), user_id=AUTHOR)
    assert resp.status == 200 and resp.text == ""
    (receipt,) = wait_dms(slack_api, AUTHOR)
    assert "決裁" in text_of(receipt)
    assert core.courier.wait_idle()
    assert ("draft.receipt", "sent") in _outbox_kinds(committed_factory)


def test_open_thread_gives_a_link_to_the_thread_root(slack, slack_api, core):
    from tests.slack.flows.conftest import buttons, click

    slack.command("/incident", "なりすまし kanko-x 偽アカウントを確認", user_id=AUTHOR)
    (notice,) = wait_dms(slack_api, AUTHOR)  # the incident's notice to the reporter
    assert core.courier.wait_idle()
    slack_api.clear()
    click(slack, buttons(notice)["incident.open_thread"], user_id=AUTHOR, channel="D0STAFF001")
    (link,) = slack_api.wait_for("chat.getPermalink")
    assert link.params["channel"] == INFO_POLICY_CHANNEL
    (hook,) = slack_api.wait_for("response_url")
    assert f"https://example.slack.com/archives/{INFO_POLICY_CHANNEL}/p" in text_of(hook)

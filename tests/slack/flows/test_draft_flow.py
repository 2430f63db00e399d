"""W1/W2 through the real Bolt app over HTTP: /draft → form → approval DM → decision.

Every test runs on SQLite and PostgreSQL (``committed_factory``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.models import AuditEvent
from bot.drafts.models import Draft, DraftVersion
from bot.notify.models import OutboxMessage
from handlers.slack.runtime import Core
from tests.slack.flows.conftest import (
    SLACK_IDS,
    buttons,
    click,
    dms_to,
    draft_values,
    submit_view,
    text_of,
    wait_dms,
)
from tests.slack.harness import SlackSimulator
from tests.slack.mock_web_api_server import MockSlackWebApi

AUTHOR, HEAD, DEPUTY, OPERATOR = (SLACK_IDS[h] for h in ("sato", "yamada", "kato", "suzuki"))
TEXT = "本日から市民課の窓口時間を19時まで延長します。"
BLOCKED = "担当の山田さんの携帯は090-1234-5678です。"


def count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def draft_state(factory: sessionmaker[Session], draft_id: int = 1) -> str:
    with factory() as session:
        draft = session.scalar(sa.select(Draft).order_by(Draft.id).offset(draft_id - 1))
        assert draft is not None
        return draft.state


def open_form(slack: SlackSimulator, api: MockSlackWebApi, user_id: str = AUTHOR, text: str = ""):
    assert slack.command("/draft", text, user_id=user_id).status == 200
    return api.wait_for("views.open")[-1]


def submit_new_draft(slack, api, core: Core, text: str = TEXT, **values):
    opened = open_form(slack, api)
    resp = submit_view(slack, opened, draft_values(text, **values), user_id=AUTHOR)
    assert resp.status == 200 and resp.body == b"", resp.text
    # The receipt comes from the listener; the approval requests from the courier, which
    # the listener kicked before: once they are here, waiting for it to go idle is exact.
    wait_dms(api, AUTHOR)
    wait_dms(api, HEAD)
    wait_dms(api, DEPUTY)
    core.courier.wait_idle()
    return resp


def test_draft_form_offers_only_my_confirmed_accounts(slack, slack_api) -> None:
    opened = open_form(slack, slack_api, text="下書きの本文")
    view = opened.json_param("view")
    assert view["callback_id"] == "draft_submit"
    account = next(b for b in view["blocks"] if b.get("block_id") == "account")
    assert [o["value"] for o in account["element"]["options"]] == ["kanko-x"]
    text = next(b for b in view["blocks"] if b.get("block_id") == "text")
    assert text["element"]["initial_value"] == "下書きの本文"
    exemption = next(b for b in view["blocks"] if b.get("block_id") == "exemption")
    assert [o["value"] for o in exemption["element"]["options"]] == ["none", "ア", "イ", "ウ", "エ"]
    photo = next(b for b in view["blocks"] if b.get("block_id") == "photo")
    assert len(photo["element"]["options"]) == 3


def test_unknown_slack_user_is_told_to_register(slack, slack_api) -> None:
    slack.command("/draft", "", user_id="U0STRANGER")
    (hook,) = slack_api.wait_for("response_url")
    assert hook.params["response_type"] == "ephemeral"
    assert "名簿に登録されていません" in text_of(hook)
    assert slack_api.calls_to("views.open") == []


def test_approve_updates_the_dm_in_place_and_tells_the_author(
    slack, slack_api, core, committed_factory
) -> None:
    submit_new_draft(slack, slack_api, core)
    (receipt,) = wait_dms(slack_api, AUTHOR)
    assert "決裁" in text_of(receipt)
    (request,) = wait_dms(slack_api, HEAD)
    assert len(wait_dms(slack_api, DEPUTY)) == 1
    assert set(buttons(request)) == {"draft.approve", "draft.request_changes", "draft.reject"}
    assert TEXT in text_of(request)

    slack_api.clear()
    resp = click(slack, buttons(request)["draft.approve"], user_id=HEAD)
    assert resp.status == 200
    (hook,) = slack_api.wait_for("response_url")
    assert hook.params["response_type"] == "ephemeral" and "承認" in text_of(hook)
    updates = slack_api.wait_for("chat.update", 2)
    core.courier.wait_idle()
    assert {u.params["channel"] for u in updates} == {"D0HEAD0001", "D0DEPUTY01"}
    for update in updates:
        assert buttons(update) == {}
        assert "承認済み" in text_of(update) and "山田" in text_of(update)
    (decided,) = wait_dms(slack_api, AUTHOR)
    assert "承認されました" in text_of(decided)
    assert "draft.publish" in buttons(decided)
    assert draft_state(committed_factory) == "approved"


def test_double_click_and_stale_click_change_nothing(
    slack, slack_api, core, committed_factory
) -> None:
    submit_new_draft(slack, slack_api, core)
    (request,) = wait_dms(slack_api, HEAD)
    approve = buttons(request)["draft.approve"]
    click(slack, approve, user_id=HEAD)
    slack_api.wait_for("chat.update", 2)
    core.courier.wait_idle()
    decisions = count(committed_factory, AuditEvent)
    slack_api.clear()
    click(slack, approve, user_id=DEPUTY, channel="D0DEPUTY01")
    (hook,) = slack_api.wait_for("response_url")
    assert "既に" in text_of(hook)
    core.courier.wait_idle()
    assert count(committed_factory, AuditEvent) == decisions
    assert slack_api.calls_to("chat.update") == []


def test_non_approver_click_is_refused_ephemerally_and_nothing_changes(
    slack, slack_api, core, committed_factory
) -> None:
    submit_new_draft(slack, slack_api, core)
    (request,) = wait_dms(slack_api, HEAD)
    before = (count(committed_factory, AuditEvent), count(committed_factory, OutboxMessage))
    slack_api.clear()
    click(slack, buttons(request)["draft.approve"], user_id=OPERATOR, channel="D0STAFF002")
    (hook,) = slack_api.wait_for("response_url")
    assert hook.params["response_type"] == "ephemeral"
    assert hook.params.get("replace_original") in (False, "false", None)
    assert "所属長" in text_of(hook) or "決裁" in text_of(hook)
    core.courier.wait_idle()
    assert draft_state(committed_factory) == "pending_approval"
    assert (count(committed_factory, AuditEvent), count(committed_factory, OutboxMessage)) == before
    assert [c.method for c in slack_api.calls] == ["response_url"]


def test_reject_asks_for_a_reason_in_a_modal(slack, slack_api, core, committed_factory) -> None:
    submit_new_draft(slack, slack_api, core)
    (request,) = wait_dms(slack_api, HEAD)
    slack_api.clear()
    click(slack, buttons(request)["draft.reject"], user_id=HEAD)
    (opened,) = slack_api.wait_for("views.open")
    view = opened.json_param("view")
    assert view["callback_id"] == "action_prompt" and view["title"]["text"] == "却下の理由"
    assert '"draft_id"' in view["private_metadata"] and TEXT not in view["private_metadata"]
    empty = submit_view(slack, opened, {"reason": {"reason": {"value": " "}}}, user_id=HEAD)
    assert empty.json()["response_action"] == "errors" and "reason" in empty.json()["errors"]
    assert draft_state(committed_factory) == "pending_approval"

    done = submit_view(
        slack, opened, {"reason": {"reason": {"value": "開始日が誤っています"}}}, user_id=HEAD
    )
    assert done.status == 200 and done.body == b""
    updates = slack_api.wait_for("chat.update", 2)
    assert all("却下済み" in text_of(u) and buttons(u) == {} for u in updates)
    (decided,) = wait_dms(slack_api, AUTHOR)
    assert "却下" in text_of(decided) and "開始日が誤っています" in text_of(decided)
    assert draft_state(committed_factory) == "rejected"


def test_request_changes_then_edit_then_approve_again(
    slack, slack_api, core, committed_factory
) -> None:
    submit_new_draft(slack, slack_api, core)
    (request,) = wait_dms(slack_api, HEAD)
    slack_api.clear()
    click(slack, buttons(request)["draft.request_changes"], user_id=HEAD)
    (opened,) = slack_api.wait_for("views.open")
    submit_view(slack, opened, {"reason": {"reason": {"value": "時間を明記"}}}, user_id=HEAD)
    (decided,) = wait_dms(slack_api, AUTHOR)
    assert "差し戻されました" in text_of(decided)
    core.courier.wait_idle()

    slack_api.clear()
    click(slack, buttons(decided)["draft.edit"], user_id=AUTHOR, channel="D0STAFF001")
    (edit_form,) = slack_api.wait_for("views.open")
    view = edit_form.json_param("view")
    assert view["callback_id"] == "draft_edit"
    text_block = next(b for b in view["blocks"] if b.get("block_id") == "text")
    assert text_block["element"]["initial_value"] == TEXT
    resp = submit_view(slack, edit_form, draft_values(TEXT + "（9時〜19時）"), user_id=AUTHOR)
    assert resp.status == 200 and resp.body == b"", resp.text
    (second,) = wait_dms(slack_api, HEAD)
    assert "第2版" in text_of(second) and "改めて決裁" in text_of(second)
    core.courier.wait_idle()
    assert count(committed_factory, DraftVersion) == 2

    click(slack, buttons(second)["draft.approve"], user_id=HEAD)
    slack_api.wait_for("chat.update", 2)
    core.courier.wait_idle()
    assert draft_state(committed_factory) == "approved"


def test_blocking_finding_is_shown_in_the_form_and_nothing_is_stored(
    slack, slack_api, core, committed_factory
) -> None:
    opened = open_form(slack, slack_api)
    resp = submit_view(slack, opened, draft_values(BLOCKED), user_id=AUTHOR)
    answer = resp.json()
    assert answer["response_action"] == "errors"
    assert "7(1)エ" in answer["errors"]["text"] and "090-1234-5678" in answer["errors"]["text"]
    assert "false_positive_reason" in answer["errors"]
    assert count(committed_factory, Draft) == 0

    with_reason = submit_view(
        slack, opened, draft_values(BLOCKED, fp="市が公開している代表番号です"), user_id=AUTHOR
    )
    assert with_reason.status == 200 and with_reason.body == b""
    (request,) = wait_dms(slack_api, HEAD)
    assert "誤検知" in text_of(request)
    assert count(committed_factory, Draft) == 1


def test_validation_errors_are_keyed_by_block(slack, slack_api, core, committed_factory) -> None:
    opened = open_form(slack, slack_api)
    no_evidence = submit_view(slack, opened, draft_values(TEXT, exemption="ア"), user_id=AUTHOR)
    assert set(no_evidence.json()["errors"]) == {"evidence"}
    no_consent = submit_view(slack, opened, draft_values(TEXT, photo="no_consent"), user_id=AUTHOR)
    assert "7(1)ク" in no_consent.json()["errors"]["photo"]
    unregistered = submit_view(slack, opened, draft_values(TEXT, exemption="ウ"), user_id=AUTHOR)
    assert "exemption" in unregistered.json()["errors"]
    assert count(committed_factory, Draft) == 0


def test_double_submit_creates_one_draft(slack, slack_api, core, committed_factory) -> None:
    opened = open_form(slack, slack_api)
    values = draft_values(TEXT)
    first = submit_view(slack, opened, values, user_id=AUTHOR, view_id="V0SAME0001")
    resent = slack.replay(first, retry_num=1)
    assert first.status == resent.status == 200
    wait_dms(slack_api, HEAD)
    core.courier.wait_idle()
    assert count(committed_factory, Draft) == 1
    assert len(dms_to(slack_api, AUTHOR)) == 1


def test_planned_time_from_the_datetimepicker(slack, slack_api, core, committed_factory) -> None:
    planned = 1795482000  # 2026-11-24T01:00:00Z = 10:00 JST
    submit_new_draft(slack, slack_api, core, planned=planned)
    (request,) = wait_dms(slack_api, HEAD)
    assert "2026年11月24日 10:00" in text_of(request)

"""adaptiveCard/action invokes: the invoke response replaces the card; the right person only."""

from __future__ import annotations

from typing import Any

from handlers.teams.fake_core import Draft, FakeCore, TeamsUser

from .harness import Bot, StubConnector, payload, texts_of

AUTHOR = TeamsUser("29:1author", "aad-author", "山田 太郎", "tenant-city")


def _invoke(
    stub: StubConnector,
    *,
    verb: str = "draft.approve",
    activity_id: str = "f:invoke-0001",
    data: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    activity = payload("invoke_card_action", stub, id=activity_id, **overrides)
    activity["value"]["action"]["verb"] = verb
    activity["value"]["action"]["data"] = data or {"draft_id": "d-1", "version": 1}
    return activity


def _with_draft(core: FakeCore) -> None:
    core.drafts["d-1"] = Draft("d-1", AUTHOR, "新年度の窓口時間のお知らせ")


def test_approve_returns_the_decided_card_and_updates_it_for_everyone(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    _with_draft(core)

    response = bot.post(_invoke(stub))

    assert response.status_code == 200
    body = response.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    card = body["value"]
    assert card["version"] == "1.5"
    assert "承認されました" in texts_of(card) and "佐藤 部長" in texts_of(card)
    assert "actions" not in card  # the buttons are gone
    # The message holding the card is overwritten, so everybody sees the decision.
    (put,) = stub.of("PUT")
    assert put.path == "/v3/conversations/a:1personal-head/activities/1700000000500"
    assert put.body["attachments"][0]["content"] == card
    (request,) = core.actions
    assert request.activity_id == "f:invoke-0001" and request.message_id == "1700000000500"
    assert request.data == {"draft_id": "d-1", "version": 1}
    assert len(core.decisions) == 1


def test_someone_else_clicking_gets_a_refusal_and_the_card_stays(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    _with_draft(core)
    stranger = {"id": "29:1other", "name": "鈴木 一郎", "aadObjectId": "aad-other"}

    response = bot.post(_invoke(stub, **{"from": stranger}))

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "所属長" in body["value"] and "だけ" in body["value"]
    assert stub.of("PUT") == [] and core.decisions == []
    assert core.actions[0].user.aad_object_id == "aad-other"


def test_a_replayed_invoke_decides_nothing_twice(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    _with_draft(core)

    first = bot.post(_invoke(stub, activity_id="f:invoke-dup"))
    again = bot.post(_invoke(stub, activity_id="f:invoke-dup"))
    reject_after = bot.post(
        _invoke(
            stub,
            verb="draft.reject",
            activity_id="f:invoke-late",
            data={"draft_id": "d-1", "version": 1, "reason": "遅れて押された"},
        )
    )

    assert [a.activity_id for a in core.actions] == [
        "f:invoke-dup",
        "f:invoke-dup",
        "f:invoke-late",
    ]
    assert len(core.decisions) == 1
    assert first.json() == again.json()
    assert "承認されました" in texts_of(reject_after.json()["value"])  # still approved


def test_reject_needs_a_reason_then_is_recorded_with_it(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    _with_draft(core)

    empty = bot.post(
        _invoke(
            stub,
            verb="draft.reject",
            activity_id="f:1",
            data={"draft_id": "d-1", "version": 1, "reason": "  "},
        )
    )
    given = bot.post(
        _invoke(
            stub,
            verb="draft.reject",
            activity_id="f:2",
            data={"draft_id": "d-1", "version": 1, "reason": "個人名が含まれる"},
        )
    )

    assert empty.json()["type"] == "application/vnd.microsoft.activity.message"
    assert "理由" in empty.json()["value"]
    decided = texts_of(given.json()["value"])
    assert "却下されました" in decided and "個人名が含まれる" in decided
    assert core.decisions[0].decision == "rejected"


def test_unknown_verb_is_answered_not_dispatched(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    response = bot.post(_invoke(stub, verb="draft.delete_everything"))

    assert response.status_code == 200
    assert response.json()["type"] == "application/vnd.microsoft.activity.message"
    assert core.actions == []


def test_interactor_only_update_does_not_touch_the_shared_message(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    response = bot.post(
        _invoke(stub, verb="reminder.snooze", data={"reminder_id": "r-1", "minutes": 60})
    )

    assert response.json()["type"] == "application/vnd.microsoft.card.adaptive"
    assert "再通知します" in texts_of(response.json()["value"])
    assert stub.of("PUT") == []


def test_card_update_failing_at_the_connector_still_answers_the_clicker(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    _with_draft(core)
    stub.script("PUT", "/activities/", *[(503, {})] * 4)

    response = bot.post(_invoke(stub))

    assert response.status_code == 200
    assert "承認されました" in texts_of(response.json()["value"])
    assert len(stub.of("PUT")) == 4  # retried, then given up
    assert len(core.decisions) == 1


def test_incident_checklist_toggles_come_back_as_inputs(
    bot: Bot, stub: StubConnector, core: FakeCore
) -> None:
    bot.post(payload("message_personal", stub, text="/incident 炎上 市長の投稿への批判が拡散"))
    (incident_id,) = core.incidents

    response = bot.post(
        _invoke(
            stub,
            verb="incident.update",
            data={"incident_id": incident_id, "item:no-rebuttal": "true", "item:consult": "false"},
        )
    )

    card = response.json()["value"]
    toggles = {e["id"]: e["value"] for e in card["body"] if e["type"] == "Input.Toggle"}
    assert toggles == {"item:no-rebuttal": "true", "item:consult": "false"}

"""OutMessage → Adaptive Card 1.5: one generic renderer for every message kind."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.notify.messages import Action, Field, FindingView, OutMessage
from handlers.teams.render import MentionTarget, render_card, split_action_data

from .harness import executes, texts_of

APPROVAL = OutMessage(
    kind="draft.approval_request",
    title="【決裁依頼】下書き #3（第1版）",
    text="佐藤さんから決裁依頼です（4(3)）。\n二行目",
    fields=[Field("アカウント", "みどり市観光課（公式）"), Field("掲載予定", "未定")],
    findings=[FindingView("7(1)エ", "block", "090-1234-5678", "個人の電話番号です", 5, 18)],
    actions=[
        Action("draft.approve", "承認", {"draft_id": 3, "version": 1}, style="primary"),
        Action(
            "draft.request_changes", "差し戻し", {"draft_id": 3, "version": 1}, needs_reason=True
        ),
        Action("draft.reject", "却下", {"draft_id": 3, "version": 1}, "danger", True),
    ],
    quote="**太字にならない** 本文\n\n連絡先 090-1234-5678",
    context="下書き #3 第1版",
)


def as_json(message: OutMessage, **kwargs: Any) -> dict[str, Any]:
    card = render_card(message, **kwargs)
    return json.loads(card.model_dump_json(by_alias=True, exclude_none=True))


def test_approval_request_card() -> None:
    card = as_json(APPROVAL)

    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    facts = next(e for e in card["body"] if e["type"] == "FactSet")["facts"]
    assert facts[0] == {"title": "アカウント", "value": "みどり市観光課（公式）"}
    # The draft text is shown verbatim (TextRun: no Markdown), line by line.
    quote = next(e for e in card["body"] if e.get("style") == "emphasis")
    runs = [i["inlines"][0]["text"] for i in quote["items"]]
    assert runs == ["**太字にならない** 本文", " ", "連絡先 090-1234-5678"]
    assert quote["items"][0]["type"] == "RichTextBlock"
    # Findings name clause, severity, excerpt and position.
    text = texts_of(card)
    assert "【7(1)エ・掲載不可】" in text and "「090-1234-5678」" in text and "6〜18文字目" in text


def test_actions_are_execute_with_verb_and_value_and_reasons_are_inputs() -> None:
    card = as_json(APPROVAL)
    approve, changes, reject = card["actions"]

    assert approve["type"] == "Action.Execute" and approve["verb"] == "draft.approve"
    # The value, and the kind of card the button is on (a click knows what it was on).
    assert approve["data"] == {"draft_id": 3, "version": 1, "_kind": "draft.approval_request"}
    assert split_action_data(approve["data"]) == ({"draft_id": 3, "version": 1}, {})
    assert approve["style"] == "positive"
    assert changes["type"] == "Action.ShowCard" and reject["type"] == "Action.ShowCard"
    (reason_input,) = reject["card"]["body"]
    assert reason_input["type"] == "Input.Text" and reason_input["isRequired"] is True
    (submit,) = reject["card"]["actions"]
    assert submit["verb"] == "draft.reject" and submit["style"] == "destructive"
    assert submit["associatedInputs"] == "auto"
    # Each action's inputs have their own ids, and the click gives them back by name.
    assert reason_input["id"].startswith(submit["data"]["_p"])
    data = {**submit["data"], reason_input["id"]: "日付が違います", "a1.reason": "other"}
    assert split_action_data(data) == ({"draft_id": 3, "version": 1}, {"reason": "日付が違います"})


def test_many_actions_go_into_action_sets() -> None:
    toggles = [
        Action("incident.toggle", f"☐ 項目{i}", {"incident_id": 1, "item": i}) for i in range(8)
    ]
    card = as_json(OutMessage(kind="incident.opened", title="【炎上】#1", actions=toggles))

    sets = [e for e in card["body"] if e["type"] == "ActionSet"]
    assert "actions" not in card
    assert [len(s["actions"]) for s in sets] == [5, 3]
    assert len(executes(card)) == 8


def test_mentions_become_teams_mentions_and_unknown_people_plain_names() -> None:
    message = OutMessage(
        kind="incident.opened", title="【炎上】#1", mentions=["yamada", "takahashi"]
    )
    targets = {
        "yamada": MentionTarget("山田 花子", "aad-yamada"),
        "takahashi": MentionTarget("高橋 誠", None),
    }

    card = as_json(message, mentions=targets)

    assert "宛先: <at>山田 花子</at>、高橋 誠" in texts_of(card)
    assert card["msteams"]["entities"] == [
        {
            "type": "mention",
            "text": "<at>山田 花子</at>",
            "mentioned": {"id": "aad-yamada", "name": "山田 花子"},
        }
    ]


@pytest.mark.parametrize(
    "message",
    [
        OutMessage(kind="check.result", title="チェック結果: 問題なし"),
        OutMessage(
            kind="reminder.approval",
            title="決裁待ち",
            actions=[
                Action("reminder.snooze", "30分後に再通知", {"reminder_id": 1, "minutes": 30})
            ],
        ),
        OutMessage(
            kind="account.registration",
            title="開設届",
            actions=[Action("account.return", "差し戻し", {"registration_id": 1}, "danger", True)],
        ),
        OutMessage(
            kind="incident.opened",
            title="x",
            actions=[
                Action("incident.respond", "説明・訂正・謝罪等の投稿を起案", {"incident_id": 1})
            ],
        ),
        OutMessage(kind="draft.decided", title="承認されました", text="x" * 20000),
    ],
)
def test_every_kind_renders_within_teams_limits(message: OutMessage) -> None:
    card = as_json(message)

    assert card["version"] == "1.5"
    assert len(json.dumps(card, ensure_ascii=False).encode()) < 28_000


def test_prompt_with_choices_becomes_a_choice_set() -> None:
    message = OutMessage(
        kind="incident.opened",
        title="x",
        actions=[Action("incident.respond", "起案", {"incident_id": 1})],
    )

    (show,) = as_json(message)["actions"]

    kinds = [e["type"] for e in show["card"]["body"]]
    assert kinds == ["Input.ChoiceSet", "Input.Text"]

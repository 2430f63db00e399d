"""Adaptive Cards: schema 1.5, Action.Execute with verb and data, Japanese, JSON shape."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from handlers.teams.cards import card_json, format_jst, render
from handlers.teams.port import (
    ApprovalRequestView,
    ChecklistItem,
    CheckResultView,
    DecisionView,
    DraftFormView,
    Finding,
    IncidentView,
    ReminderView,
    ReportView,
    Verb,
)

from .harness import texts_of

WHEN = datetime(2025, 4, 1, 0, 5, tzinfo=UTC)
FINDING = Finding("pii.phone", "7(1)エ", "block", "090-1234-5678", "個人の電話番号です。", 4, 17)
APPROVAL = ApprovalRequestView(
    "d-1", 2, "市公式X", "山田 太郎", "本文 090-1234-5678", WHEN, (FINDING,)
)
DECISION = DecisionView("d-1", 2, "市公式X", "山田 太郎", "rejected", "佐藤 部長", WHEN, "個人情報")
REPORT = ReportView("rep-1", "市公式X", "山田 太郎", "4(3)エ", WHEN, "避難所を開設しました。")
REMINDER = ReminderView("r-1", "決裁待ち", "決裁待ちの投稿案があります。", WHEN, (30, 120, 1440))
INCIDENT = IncidentView(
    "i-1",
    "炎上",
    "6(3)",
    "市公式X",
    "批判が拡散",
    (ChecklistItem("a", "個別に反論しない", True, "佐藤 部長"), ChecklistItem("b", "協議する")),
)
ALL_VIEWS = [
    CheckResultView((FINDING,), ("勤務時間中の私的投稿は控えてください（7(2)オ）",)),
    DraftFormView((("acc-1", "市公式X"),)),
    APPROVAL,
    DECISION,
    REPORT,
    REMINDER,
    INCIDENT,
]

ELEMENTS = {
    "TextBlock",
    "FactSet",
    "Container",
    "Input.Text",
    "Input.Toggle",
    "Input.ChoiceSet",
    "Input.Date",
    "Input.Time",
    "ActionSet",
}


def _walk(node: Any, seen: list[dict[str, Any]]) -> None:
    if isinstance(node, dict):
        seen.append(node)
        for value in node.values():
            _walk(value, seen)
    elif isinstance(node, list):
        for value in node:
            _walk(value, seen)


@pytest.mark.parametrize("view", ALL_VIEWS, ids=lambda v: type(v).__name__)
def test_shape(view: Any) -> None:
    card = card_json(render(view))

    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    nodes: list[dict[str, Any]] = []
    _walk(card["body"], nodes)
    for node in nodes:
        assert not any("_" in key for key in node if key not in ("draft_id",)), node
        if "type" in node:
            assert node["type"] in ELEMENTS, node["type"]
        if str(node.get("type", "")).startswith("Input."):
            assert node.get("id"), node
    for action in card.get("actions", []):
        assert action["type"] == "Action.Execute"
        assert action["verb"] in Verb.ALL and isinstance(action["data"], dict)
        assert action["title"]


def test_approval_buttons_and_reason_rules() -> None:
    card = card_json(render(APPROVAL))

    titles = {a["title"]: a for a in card["actions"]}
    assert list(titles) == ["承認", "差し戻し", "却下"]
    assert titles["承認"]["associatedInputs"] == "none"  # approving needs no reason
    assert titles["却下"]["associatedInputs"] == "auto"
    assert all(a["data"] == {"draft_id": "d-1", "version": 2} for a in card["actions"])
    reason = next(e for e in card["body"] if e.get("id") == "reason")
    assert reason["isRequired"] is True
    text = texts_of(card)
    assert "【7(1)エ・修正必須】「090-1234-5678」（5〜17文字目）" in text
    assert "2025年4月1日 09:05" in text and "第2版" in text


def test_decided_card_has_no_buttons_and_names_who_when_which_version() -> None:
    card = card_json(render(DECISION))

    assert "actions" not in card
    text = texts_of(card)
    assert "却下されました" in text and "佐藤 部長" in text
    assert "2025年4月1日 09:05" in text and "第2版" in text and "個人情報" in text


def test_report_ack_button_until_acknowledged() -> None:
    open_card = card_json(render(REPORT))
    done = card_json(
        render(
            ReportView(
                **{**REPORT.__dict__, "acknowledged_by": "佐藤 部長", "acknowledged_at": WHEN}
            )
        )
    )

    assert [a["title"] for a in open_card["actions"]] == ["確認"]
    assert "actions" not in done and "佐藤 部長 が" in texts_of(done)


def test_reminder_snooze_choices() -> None:
    card = card_json(render(REMINDER))

    assert [a["title"] for a in card["actions"]] == [
        "スヌーズ（30分後）",
        "スヌーズ（2時間後）",
        "スヌーズ（1日後）",
    ]
    assert card["actions"][1]["data"] == {"reminder_id": "r-1", "minutes": 120}


def test_incident_toggles_then_closed_record() -> None:
    card = card_json(render(INCIDENT))
    toggles = [e for e in card["body"] if e["type"] == "Input.Toggle"]
    closed = card_json(render(IncidentView(**{**INCIDENT.__dict__, "status": "closed"})))

    assert [(t["id"], t["value"]) for t in toggles] == [("item:a", "true"), ("item:b", "false")]
    assert [a["verb"] for a in card["actions"]] == ["incident.update", "incident.close"]
    assert "actions" not in closed and "☑ 個別に反論しない（佐藤 部長）" in texts_of(closed)


def test_format_jst_treats_naive_as_utc() -> None:
    assert format_jst(datetime(2025, 12, 31, 15, 30)) == "2026年1月1日 00:30"
    assert format_jst(None) == "未設定"

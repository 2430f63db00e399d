"""Adaptive Cards (schema 1.5) for the views the core returns.

Built with the SDK's own card models (``microsoft_teams.cards``) rather than dicts: they are
what ``ctx.send``/``app.send`` and the typed invoke response take, they serialise with the
right camelCase names, and their ``Literal`` fields reject wrong enum values (``style``,
``weight`` …) at construction time. Their ``extra="allow"`` means misspelt field names are
not caught, so ``tests/teams/test_cards.py`` checks the JSON shape as well.

Every button is ``Action.Execute`` with a ``verb`` and ``data`` so a click comes back as an
``adaptiveCard/action`` invoke and the card can be replaced in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import singledispatch
from typing import Any, Literal
from zoneinfo import ZoneInfo

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Container,
    DateInput,
    ExecuteAction,
    Fact,
    FactSet,
    TextBlock,
    TextInput,
    TimeInput,
    ToggleInput,
)

from .port import (
    ApprovalRequestView,
    CheckResultView,
    DecisionView,
    DraftFormView,
    Finding,
    IncidentView,
    ReminderView,
    ReportView,
    Verb,
    View,
)

SCHEMA_VERSION: Literal["1.5"] = "1.5"
JST = ZoneInfo("Asia/Tokyo")

SEVERITY_LABELS = {"block": "修正必須", "review": "要確認", "info": "参考"}
DECISION_LABELS = {
    "approved": "承認されました",
    "rejected": "却下されました",
    "changes_requested": "差し戻されました",
}
EXEMPTIONS: tuple[tuple[str, str], ...] = (
    ("none", "該当なし（所属長の決裁を受ける）"),
    ("4(3)ア", "4(3)ア 既に公開済みの情報"),
    ("4(3)イ", "4(3)イ"),
    ("4(3)ウ", "4(3)ウ"),
    ("4(3)エ", "4(3)エ 大規模災害時の緊急情報"),
)


def format_jst(moment: datetime | None) -> str:
    """``2025年4月1日 09:05`` in Japan time; naive datetimes are taken as UTC."""
    if moment is None:
        return "未設定"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(JST)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _card(body: list[CardElement], actions: list[ExecuteAction] | None = None) -> AdaptiveCard:
    card = AdaptiveCard(version=SCHEMA_VERSION, body=body, fallback_text=_fallback(body))
    if actions:
        card.actions = list(actions)
    return card


def _fallback(body: Sequence[CardElement]) -> str:
    first = next((e for e in body if isinstance(e, TextBlock)), None)
    return first.text if first and first.text else "カードを表示できません。"


def _title(text: str) -> TextBlock:
    return TextBlock(text=text, weight="Bolder", size="Medium", wrap=True)


def _text(text: str, *, subtle: bool = False, color: Any = None) -> TextBlock:
    block = TextBlock(text=text, wrap=True)
    if subtle:
        block.is_subtle = True
    if color:
        block.color = color
    return block


def _quote(text: str) -> Container:
    """The draft text, shown as written (approvers decide on exactly this text)."""
    return Container(style="emphasis", items=[TextBlock(text=text, wrap=True)])


def _findings(findings: Sequence[Finding]) -> list[CardElement]:
    if not findings:
        return [_text("内容チェック: 指摘はありません。", color="Good")]
    items: list[CardElement] = [_text(f"内容チェック: {len(findings)} 件の指摘", color="Attention")]
    for f in findings:
        label = SEVERITY_LABELS.get(f.severity, f.severity)
        color = (
            "Attention" if f.severity == "block" else "Warning" if f.severity == "review" else None
        )
        items.append(
            _text(
                f"【{f.clause}・{label}】「{f.excerpt}」"
                f"（{f.start + 1}〜{f.end}文字目）{f.message}",
                color=color,
            )
        )
    return items


def _execute(title: str, verb: str, data: dict[str, Any], **kwargs: Any) -> ExecuteAction:
    return ExecuteAction(title=title, verb=verb, data={**data}, **kwargs)


@singledispatch
def render(view: View) -> AdaptiveCard:
    """Render a core view as an Adaptive Card."""
    raise TypeError(f"no card for {type(view).__name__}")


@render.register
def check_result_card(view: CheckResultView) -> AdaptiveCard:
    """``/check`` result: findings with clause, excerpt and position, then section-7 notes."""
    body: list[CardElement] = [_title("投稿前チェックの結果（あなたにだけ表示しています）")]
    body += _findings(view.findings)
    for note in view.notes:
        body.append(_text(f"・{note}", subtle=True))
    body.append(_text("この結果は保存されません。", subtle=True))
    return _card(body)


@render.register
def draft_form_card(view: DraftFormView) -> AdaptiveCard:
    """The ``/draft`` form (W1): account, text, planned time, exemption, people in media."""
    body: list[CardElement] = [
        _title("投稿案の作成"),
        ChoiceSetInput(
            id="account_id",
            label="アカウント",
            is_required=True,
            error_message="アカウントを選んでください。",
            choices=[Choice(title=name, value=account_id) for account_id, name in view.accounts],
        ),
        TextInput(
            id="text",
            label="本文",
            is_multiline=True,
            is_required=True,
            error_message="本文を入力してください。",
            value=view.text or None,
        ),
        DateInput(id="planned_date", label="公開予定日"),
        TimeInput(id="planned_time", label="公開予定時刻"),
        ChoiceSetInput(
            id="exemption",
            label="決裁の例外（4(3)ただし書）",
            value="none",
            choices=[Choice(title=title, value=value) for value, title in EXEMPTIONS],
        ),
        TextInput(id="evidence", label="例外の根拠（公開済みページのURLなど）"),
        ToggleInput(
            id="has_people",
            title="写真・動画に個人が特定できる人物が写っている",
            value_on="true",
            value_off="false",
            value="false",
        ),
        ToggleInput(
            id="consent",
            title="写っている人物の同意を得ている（7(1)ク、7(2)ア）",
            value_on="true",
            value_off="false",
            value="false",
        ),
    ]
    return _card(body, [_execute("チェックして提出", Verb.DRAFT_SUBMIT, {}, style="positive")])


@render.register
def approval_request_card(view: ApprovalRequestView) -> AdaptiveCard:
    """決裁依頼 (4(3)): approve, request changes or reject (the last two need a reason)."""
    ids = {"draft_id": view.draft_id, "version": view.version}
    body: list[CardElement] = [
        _title("投稿案の決裁依頼"),
        FactSet(
            facts=[
                Fact(title="アカウント", value=view.account_name),
                Fact(title="作成者", value=view.author_name),
                Fact(title="公開予定", value=format_jst(view.planned_at)),
                Fact(title="版", value=f"第{view.version}版"),
            ]
        ),
        _quote(view.text),
        *_findings(view.findings),
    ]
    if view.false_positive_reason:
        body.append(
            _text(f"作成者による誤検知の説明: {view.false_positive_reason}", color="Warning")
        )
    body.append(
        TextInput(
            id="reason",
            label="理由（差し戻し・却下のときは必須）",
            is_multiline=True,
            is_required=True,
            error_message="差し戻し・却下の理由を入力してください。",
        )
    )
    actions = [
        # Approving needs no reason: do not validate or send the reason box.
        _execute("承認", Verb.DRAFT_APPROVE, ids, style="positive", associated_inputs="none"),
        _execute("差し戻し", Verb.DRAFT_REQUEST_CHANGES, ids, associated_inputs="auto"),
        _execute("却下", Verb.DRAFT_REJECT, ids, style="destructive", associated_inputs="auto"),
    ]
    return _card(body, actions)


@render.register
def decision_card(view: DecisionView) -> AdaptiveCard:
    """A decided draft: no buttons; who decided what, when, on which version (W2)."""
    label = DECISION_LABELS[view.decision]
    color = "Good" if view.decision == "approved" else "Attention"
    facts = [
        Fact(title="アカウント", value=view.account_name),
        Fact(title="作成者", value=view.author_name),
        Fact(title="決裁者", value=view.decided_by),
        Fact(title="日時", value=format_jst(view.decided_at)),
        Fact(title="対象", value=f"第{view.version}版"),
    ]
    if view.reason:
        facts.append(Fact(title="理由", value=view.reason))
    return _card([_title(f"投稿案は{label}"), _text(label, color=color), FactSet(facts=facts)])


@render.register
def report_card(view: ReportView) -> AdaptiveCard:
    """事後報告 of an exempt post, with 確認 until acknowledged."""
    facts = [
        Fact(title="アカウント", value=view.account_name),
        Fact(title="投稿者", value=view.author_name),
        Fact(title="例外の区分", value=view.exemption_clause),
        Fact(title="投稿日時", value=format_jst(view.posted_at)),
    ]
    body: list[CardElement] = [
        _title("事後報告（決裁の例外による投稿）"),
        FactSet(facts=facts),
        _quote(view.text),
    ]
    if view.acknowledged_by:
        body.append(
            _text(
                f"{view.acknowledged_by} が {format_jst(view.acknowledged_at)} に確認しました。",
                color="Good",
            )
        )
        return _card(body)
    return _card(
        body,
        [
            _execute(
                "確認", Verb.REPORT_ACKNOWLEDGE, {"report_id": view.report_id}, style="positive"
            )
        ],
    )


def _snooze_label(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"{minutes // 1440}日後"
    if minutes % 60 == 0:
        return f"{minutes // 60}時間後"
    return f"{minutes}分後"


@render.register
def reminder_card(view: ReminderView) -> AdaptiveCard:
    """A reminder (W3) with スヌーズ choices."""
    body: list[CardElement] = [_title(f"リマインド: {view.title}"), _text(view.body)]
    if view.due_at:
        body.append(_text(f"期限: {format_jst(view.due_at)}", subtle=True))
    if view.snoozed_until:
        body.append(_text(f"{format_jst(view.snoozed_until)} に再通知します。", color="Accent"))
        return _card(body)
    actions = [
        _execute(
            f"スヌーズ（{_snooze_label(m)}）",
            Verb.REMINDER_SNOOZE,
            {"reminder_id": view.reminder_id, "minutes": m},
        )
        for m in view.snooze_minutes
    ]
    return _card(body, actions)


@render.register
def incident_card(view: IncidentView) -> AdaptiveCard:
    """Incident checklist (6): one toggle per item, saved together; closed shows the record."""
    ids = {"incident_id": view.incident_id}
    body: list[CardElement] = [
        _title(f"インシデント対応（{view.kind}・{view.clause}）"),
        FactSet(
            facts=[
                Fact(title="アカウント", value=view.account_name),
                Fact(title="状況", value="対応中" if view.status == "open" else "完了"),
            ]
        ),
        _text(view.summary),
    ]
    closed = view.status == "closed"
    for item in view.items:
        if closed:
            mark = "☑" if item.done else "☐"
            who = f"（{item.done_by}）" if item.done_by else ""
            body.append(_text(f"{mark} {item.label}{who}"))
        else:
            body.append(
                ToggleInput(
                    id=f"item:{item.item_id}",
                    title=item.label + (f"（{item.done_by}）" if item.done_by else ""),
                    value="true" if item.done else "false",
                    value_on="true",
                    value_off="false",
                    wrap=True,
                )
            )
    if view.updated_by:
        body.append(
            _text(f"最終更新: {view.updated_by}（{format_jst(view.updated_at)}）", subtle=True)
        )
    if closed:
        return _card(body)
    body.append(TextInput(id="note", label="状況の更新（任意）", is_multiline=True))
    actions = [
        _execute("チェック状況を保存", Verb.INCIDENT_UPDATE, ids, style="positive"),
        _execute("対応を完了する", Verb.INCIDENT_CLOSE, ids, style="destructive"),
    ]
    return _card(body, actions)


def card_json(card: AdaptiveCard) -> dict[str, Any]:
    """The card as the JSON Teams receives (for tests and logs of shape, never of text)."""
    return card.model_dump(exclude_none=True)


__all__ = ["SCHEMA_VERSION", "ActionSet", "card_json", "format_jst", "render"]

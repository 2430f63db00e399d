"""The draft form (W1) as an Adaptive Card, and its submission back into ``DraftInput``.

``/draft`` with no text (or the author's 「修正する」 button, ``draft.edit``) shows this
card; its 「チェックして送信」 button is ``Action.Execute`` with verb ``draft.submit`` and
``data = {"draft_id"?}``. What the core says is wrong with the input (``Reply.fields``,
form names) is shown above the form, which keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from microsoft_teams.cards import (
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    DateInput,
    ExecuteAction,
    TextBlock,
    TextInput,
    TimeInput,
)

from bot.clock import JST, to_jst
from bot.commands import EXEMPTION_CHOICES, PHOTO_CHOICES, DraftForm, DraftInput
from bot.errors import ValidationFailed

from .render import SCHEMA_VERSION

SUBMIT_VERB = "draft.submit"
FIELD_LABELS = {
    "account": "アカウント",
    "text": "本文",
    "planned_at": "掲載予定",
    "exemption": "決裁の例外",
    "evidence": "例外の根拠",
    "photo": "写真・映像",
    "false_positive_reason": "誤検知の説明",
}


def _s(values: Mapping[str, Any], key: str) -> str | None:
    value = values.get(key)
    if value is None or value == "":
        return None
    return str(value)


def form_card(
    form: DraftForm,
    *,
    values: Mapping[str, Any] | None = None,
    problems: Mapping[str, str] | None = None,
    notice: str | None = None,
) -> AdaptiveCard:
    """The draft form; ``values`` refill it, ``problems`` (form field → message) explain."""
    current: dict[str, Any] = {**form.values, **(values or {})}
    planned = current.get("planned_at")
    if isinstance(planned, datetime):
        local = to_jst(planned)
        current.setdefault("planned_date", local.date().isoformat())
        current.setdefault("planned_time", local.strftime("%H:%M"))
    title = (
        f"下書き #{form.draft_id} の修正（第{form.version}版から）"
        if form.draft_id is not None
        else "公式アカウントの投稿案"
    )
    body: list[CardElement] = [TextBlock(text=title, weight="Bolder", size="Medium", wrap=True)]
    if notice:
        body.append(TextBlock(text=notice, wrap=True, color="Attention"))
    for name, problem in (problems or {}).items():
        label = FIELD_LABELS.get(name, name)
        body.append(TextBlock(text=f"{label}: {problem}", wrap=True, color="Attention"))
    accounts = [Choice(title=name, value=code) for code, name in form.accounts]
    body += [
        ChoiceSetInput(
            id="account",
            label="アカウント",
            is_required=True,
            error_message="アカウントを選んでください。",
            choices=accounts,
            value=_s(current, "account") or (form.accounts[0][0] if len(accounts) == 1 else None),
        ),
        TextInput(
            id="text",
            label="本文",
            is_multiline=True,
            is_required=True,
            error_message="本文を入力してください。",
            max_length=10000,
            value=_s(current, "text"),
        ),
        DateInput(
            id="planned_date", label="掲載予定日（日本時間）", value=_s(current, "planned_date")
        ),
        TimeInput(id="planned_time", label="掲載予定時刻", value=_s(current, "planned_time")),
        ChoiceSetInput(
            id="exemption",
            label="決裁の例外（4(3)ただし書）",
            choices=[Choice(title=t, value=v) for v, t in EXEMPTION_CHOICES],
            value=_s(current, "exemption") or "none",
        ),
        TextInput(
            id="evidence",
            label="例外の根拠（公開済みページの URL など）",
            value=_s(current, "evidence"),
        ),
        ChoiceSetInput(
            id="photo",
            label="写真・映像に写る人物（7(1)ク、7(2)ア）",
            choices=[Choice(title=t, value=v) for v, t in PHOTO_CHOICES],
            value=_s(current, "photo") or "none",
        ),
        TextInput(
            id="false_positive_reason",
            label="誤検知の説明（指摘が誤りだと考える場合）",
            is_multiline=True,
            value=_s(current, "false_positive_reason"),
        ),
    ]
    data: dict[str, Any] = {}
    if form.draft_id is not None:
        data["draft_id"] = form.draft_id
    submit = ExecuteAction(title="チェックして送信", verb=SUBMIT_VERB, data=data, style="positive")
    return AdaptiveCard(version=SCHEMA_VERSION, body=body, actions=[submit], fallback_text=title)


def planned_at(values: Mapping[str, Any]) -> datetime | None:
    """``planned_date`` + ``planned_time`` (Japan time) as an aware datetime, or None."""
    day = _s(values, "planned_date")
    if day is None:
        return None
    try:
        when = time.fromisoformat(_s(values, "planned_time") or "09:00")
        return datetime.combine(date.fromisoformat(day), when, tzinfo=JST)
    except ValueError:
        raise ValidationFailed(
            "掲載予定の日付・時刻が読み取れません。",
            fields={"planned_at": "日付と時刻を選び直してください。"},
        ) from None


def draft_input(values: Mapping[str, Any]) -> DraftInput:
    """The submitted card inputs as the core's ``DraftInput``."""
    return DraftInput(
        account=_s(values, "account") or "",
        text=str(values.get("text") or ""),
        planned_at=planned_at(values),
        exemption=_s(values, "exemption") or "none",
        evidence=_s(values, "evidence"),
        photo=_s(values, "photo") or "none",
        false_positive_reason=_s(values, "false_positive_reason"),
    )

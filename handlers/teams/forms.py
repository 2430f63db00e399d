"""The draft form (W1) as an Adaptive Card, and its submission back into ``DraftInput``.

``/draft`` with no text (or the author's 「修正する」 button, ``draft.edit``) shows this
card; its 「チェックして送信」 button is ``Action.Execute`` with verb ``draft.submit`` and
``data = {"draft_id"?}``. What the core says is wrong with the input (``Reply.fields``,
form names) is shown above the form, which keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from microsoft_teams.cards import (
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    DateInput,
    ExecuteAction,
    OpenUrlAction,
    TextBlock,
    TextInput,
    TimeInput,
)

from bot.accounts.validation import FIELDS, LIMITS, TEXT_LIMIT, form_fields
from bot.clock import JST, to_jst
from bot.commands import PHOTO_CHOICES, DraftForm, DraftInput
from bot.custody.api import FORM_FIELDS as CUSTODY_FIELDS
from bot.custody.api import CustodyForm
from bot.errors import ValidationFailed
from bot.forms import IncidentForm
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms

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
            label=f"決裁の例外（{form.terms.approval_clause}ただし書）",
            choices=[Choice(title=t, value=v) for v, t in form.terms.exemption_choices],
            value=_s(current, "exemption") or "none",
        ),
        TextInput(
            id="evidence",
            label="例外の根拠（公開済みページのURLなど）",
            value=_s(current, "evidence"),
        ),
        ChoiceSetInput(
            id="photo",
            label=form.terms.fill("写真・映像に写る人物（{rights}、{photo_consent}）"),
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


# --- /account new and /incident (bot.forms) ------------------------------------------------

ACCOUNT_VERB = "form.account"
INCIDENT_VERB = "form.incident"
INCIDENT_LABELS = {
    "type": "種別",
    "account": "対象の公式アカウント",
    "summary": "概要",
    "url": "URL",
}


def _problems(
    body: list[CardElement], labels: Mapping[str, str], problems: Mapping[str, str]
) -> None:
    for name, problem in problems.items():
        label = labels.get(name)
        text = f"{label}: {problem}" if label else problem
        body.append(TextBlock(text=text, wrap=True, color="Attention"))


def account_card(
    *,
    values: Mapping[str, Any] | None = None,
    problems: Mapping[str, str] | None = None,
    notice: str | None = None,
    terms: Terms | None = None,
) -> AdaptiveCard:
    """The 運用ポリシー form (4(1)ア〜キ); ``values`` refill it, ``problems`` explain."""
    current = values or {}
    terms = terms or guideline_terms.of(default_guideline())
    title = "公式アカウントの登録（運用ポリシー）"
    body: list[CardElement] = [
        TextBlock(text=title, weight="Bolder", size="Medium", wrap=True),
        TextBlock(
            text=terms.fill(
                "{guideline}{policy_items}の項目を入力してください。"
                "登録後、{form}を{confirmer}へ提出します（{confirmation}）。"
            ),
            wrap=True,
        ),
    ]
    if notice:
        body.append(TextBlock(text=notice, wrap=True, color="Attention"))
    _problems(body, {f.key: f.label for f in FIELDS}, problems or {})
    for f in form_fields(terms):
        body.append(
            TextInput(
                id=f.key,
                label=f"{f.label}（{f.clause}）" if f.clause else f.label,
                placeholder=f.hint or None,
                is_multiline=f.multiline,
                is_required=f.required,
                error_message=f"{f.label}を入力してください。" if f.required else None,
                max_length=LIMITS.get(f.key, TEXT_LIMIT),
                value=_s(current, f.key),
            )
        )
    submit = ExecuteAction(title="登録する", verb=ACCOUNT_VERB, data={}, style="positive")
    return AdaptiveCard(version=SCHEMA_VERSION, body=body, actions=[submit], fallback_text=title)


def incident_card(
    form: IncidentForm,
    *,
    values: Mapping[str, Any] | None = None,
    problems: Mapping[str, str] | None = None,
    notice: str | None = None,
) -> AdaptiveCard:
    """The /incident form: type, account, summary, URL (ガイドライン6)."""
    current: dict[str, Any] = {**form.values, **(values or {})}
    title = "事案の報告（炎上・なりすまし・訂正）"
    body: list[CardElement] = [TextBlock(text=title, weight="Bolder", size="Medium", wrap=True)]
    if notice:
        body.append(TextBlock(text=notice, wrap=True, color="Attention"))
    _problems(body, INCIDENT_LABELS, problems or {})
    body += [
        ChoiceSetInput(
            id="type",
            label="種別",
            style="expanded",
            is_required=True,
            error_message="種別を選んでください。",
            choices=[Choice(title=t, value=v) for v, t in form.types],
            value=_s(current, "type"),
        ),
        ChoiceSetInput(
            id="account",
            label="対象の公式アカウント",
            is_required=True,
            error_message="アカウントを選んでください。",
            choices=[Choice(title=f"{name}（{code}）", value=code) for code, name in form.accounts],
            value=_s(current, "account"),
        ),
        TextInput(
            id="summary",
            label="概要（何が起きているか）",
            is_multiline=True,
            max_length=2000,
            value=_s(current, "summary"),
        ),
        TextInput(id="url", label="該当する投稿のURL", max_length=1000, value=_s(current, "url")),
    ]
    submit = ExecuteAction(title="報告する", verb=INCIDENT_VERB, data={}, style="positive")
    return AdaptiveCard(version=SCHEMA_VERSION, body=body, actions=[submit], fallback_text=title)


# --- the custody record (5(10), bot.custody.api) -------------------------------------------

CUSTODY_VERB = "form.custody"


def custody_card(
    form: CustodyForm,
    *,
    values: Mapping[str, Any] | None = None,
    problems: Mapping[str, str] | None = None,
    notice: str | None = None,
) -> AdaptiveCard:
    """The custody record of one account; the account code rides in the submit's data."""
    current = {**form.values, **(values or {})}
    title = f"認証情報の管理記録: {form.name}"
    body: list[CardElement] = [
        TextBlock(text=title, weight="Bolder", size="Medium", wrap=True),
        TextBlock(
            text="誰が認証情報を管理し、復旧先・二要素認証がどうなっているかを記録します"
            f"（{form.clause}）。"
            "パスワード・認証コード・リカバリーキーそのものは入力しないでください。",
            wrap=True,
        ),
    ]
    if notice:
        body.append(TextBlock(text=notice, wrap=True, color="Attention"))
    _problems(body, {f.key: f.label for f in CUSTODY_FIELDS}, problems or {})
    for f in CUSTODY_FIELDS:
        if f.choices:
            body.append(
                ChoiceSetInput(
                    id=f.key,
                    label=f.label,
                    choices=[Choice(title=t, value=v) for v, t in f.choices],
                    value=_s(current, f.key),
                )
            )
        else:
            body.append(
                TextInput(
                    id=f.key,
                    label=f.label,
                    placeholder=f.hint or None,
                    max_length=254,
                    value=_s(current, f.key),
                )
            )
    submit = ExecuteAction(
        title="保存する", verb=CUSTODY_VERB, data={"account": form.code}, style="positive"
    )
    return AdaptiveCard(version=SCHEMA_VERSION, body=body, actions=[submit], fallback_text=title)


def link_card(title: str, text: str, *, label: str, url: str) -> AdaptiveCard:
    """A short card with one link button (e.g. the incident thread in the channel)."""
    return AdaptiveCard(
        version=SCHEMA_VERSION,
        body=[
            TextBlock(text=title, weight="Bolder", size="Medium", wrap=True),
            TextBlock(text=text, wrap=True),
        ],
        actions=[OpenUrlAction(title=label, url=url)],
        fallback_text=title,
    )


def form_values(data: Mapping[str, Any], keys: Iterable[str]) -> dict[str, str]:
    """The submitted inputs named ``keys`` as strings (absent → empty)."""
    return {k: str(data.get(k) or "") for k in keys}

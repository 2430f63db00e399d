"""Views and messages of the Slack adapter, built from `blocks` (no Slack client here).

``message(OutMessage)`` renders any core message as Block Kit within Slack's limits: a long
draft is paged into several quote sections (then cut), findings are capped with "ほか N 件",
buttons carry the core's action id and its JSON value (ids only). Modals: the draft form,
the prompt forms of ``bot.actions.PROMPTS``, and the App Home tab.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.accounts.validation import FIELDS, LIMITS, TEXT_LIMIT, form_fields
from bot.actions import Prompt
from bot.commands import PHOTO_CHOICES, DraftForm
from bot.custody.api import FORM_FIELDS as CUSTODY_FIELDS
from bot.custody.api import CustodyForm
from bot.forms import IncidentForm
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms
from bot.notify.messages import Action, OutMessage
from handlers.slack import blocks as bk

# Templates: the guideline's words in braces are filled in by ``home_view``.
COMMAND_GUIDE = (
    ("/draft", "公式アカウントの投稿案を作成し、内容チェックのうえ{approver}の決裁に回します。"),
    ("/check", "投稿前の文章をチェックします（本人にだけ表示され、記録は残りません）。"),
    ("/incident", "炎上・なりすまし・訂正が必要な事案を報告し、対応スレッドを開きます。"),
    ("/account", "公式アカウントの登録・{form}の提出を行います。"),
    (
        "/custody",
        "公式アカウントの認証情報の管理状況（管理者・復旧先・二要素認証・媒体）と異動の引継ぎを"
        "記録します（{credentials}）。パスワードそのものは記録しません。",
    ),
)

QUOTE_PAGES_MAX = 6  # 6 × 3,000 characters of draft text, then "…（以下省略）"
FINDINGS_MAX = 10
FALLBACK_TEXT_MAX = 3000
DRAFT_CALLBACK = "draft_submit"
DRAFT_EDIT_CALLBACK = "draft_edit"
PROMPT_CALLBACK = "action_prompt"
# Slack refuses two elements with the same action_id in one block; a suffix keeps them apart.
ACTION_SUFFIX = "#"


# ------------------------------------------------------------------ messages
def action_id_of(slack_action_id: str) -> str:
    """The core's action id of a rendered button (drops the uniqueness suffix)."""
    return slack_action_id.split(ACTION_SUFFIX, 1)[0]


def encode_value(value: Mapping[str, Any]) -> str:
    """A button value: the action's ids as compact JSON."""
    return json.dumps(dict(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode_value(raw: str | None) -> dict[str, Any]:
    """The ids a button carried ({} when absent or unreadable)."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _buttons(actions: Sequence[Action]) -> list[bk.Block]:
    seen: dict[str, int] = {}
    elements = []
    for action in actions:
        n = seen.get(action.action_id, 0)
        seen[action.action_id] = n + 1
        action_id = action.action_id if n == 0 else f"{action.action_id}{ACTION_SUFFIX}{n}"
        elements.append(
            bk.button(action.label, action_id, encode_value(action.value), style=action.style)
        )
    return [
        bk.actions(*elements[i : i + bk.ACTIONS_ELEMENTS_MAX])
        for i in range(0, len(elements), bk.ACTIONS_ELEMENTS_MAX)
    ]


def _paged_sections(text: str, *, prefix: str = "", pages: int) -> list[bk.Block]:
    """Escaped ``text`` as up to ``pages`` sections of at most 3,000 characters each."""
    budget = bk.SECTION_TEXT_MAX - 50
    pieces: list[str] = []
    for raw in text.splitlines() or [""]:
        line = prefix + bk.escape(raw)
        while bk.slack_len(line) > budget:  # one very long line is cut into pieces
            head = bk.truncate(line, budget, "")
            pieces.append(head)
            line = prefix + line[len(head) :]
        pieces.append(line)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if current and bk.slack_len(candidate) > budget:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    chunks.append(current)
    if len(chunks) > pages:
        chunks = chunks[:pages]
        chunks[-1] += "\n" + bk.TRUNCATION_MARK
    return [bk.section(c) for c in chunks if c.strip()]


def message_blocks(
    message: OutMessage,
    *,
    mention_ids: Sequence[str] = (),
    people: Mapping[str, str] | None = None,
) -> list[bk.Block]:
    """Block Kit for a core message (at most 50 blocks); ``people`` maps the handles that
    fields name (``Field.person``) to Slack user ids, shown as mentions."""
    people = people or {}
    blocks: list[bk.Block] = []
    if message.kind == "error":
        blocks.append(bk.section(f":warning: *{bk.escape(message.title)}*"))
    else:
        blocks.append(bk.header(message.title))
    if mention_ids:
        blocks.append(bk.section(" ".join(f"<@{u}>" for u in mention_ids)))
    if message.text:
        blocks.append(bk.section(bk.escape(message.text)))
    if message.fields:
        blocks.append(
            bk.section(
                "\n".join(
                    f"*{bk.escape(f.label)}*: "
                    + (
                        f"<@{people[f.person]}>"
                        if f.person is not None and f.person in people
                        else bk.escape(f.value)
                    )
                    for f in message.fields
                )
            )
        )
    if message.quote:
        blocks.append(bk.context("本文"))
        blocks.extend(_paged_sections(message.quote, prefix="> ", pages=QUOTE_PAGES_MAX))
    if message.findings:
        blocks.append(bk.context(f"チェック結果: {bk.findings_summary(message.findings)}"))
        blocks.extend(bk.findings_blocks(message.findings, FINDINGS_MAX))
    if message.actions:
        blocks.extend(_buttons(message.actions))
    if message.context:
        blocks.append(bk.context(bk.escape(message.context)))
    if len(blocks) > bk.MESSAGE_BLOCKS_MAX:  # keep the buttons: they are the point
        tail = [b for b in blocks if b["type"] == "actions"]
        head = [b for b in blocks if b["type"] != "actions"]
        blocks = bk.limit_blocks(head, bk.MESSAGE_BLOCKS_MAX - len(tail)) + tail
    return blocks


def fallback_text(message: OutMessage) -> str:
    """The notification / screen-reader text of a message."""
    text = message.title + (f"\n{message.text}" if message.text else "")
    return bk.truncate(bk.escape(text), FALLBACK_TEXT_MAX)


def message(
    message: OutMessage,
    *,
    mention_ids: Sequence[str] = (),
    people: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``text`` and ``blocks`` for chat.postMessage / chat.update / respond()."""
    return {
        "text": fallback_text(message),
        "blocks": message_blocks(message, mention_ids=mention_ids, people=people),
    }


# ------------------------------------------------------------------ draft form
def _options(choices: Sequence[tuple[str, str]]) -> list[bk.Block]:
    return [bk.option(label, value) for value, label in choices]


def _radio(action_id: str, choices: Sequence[tuple[str, str]], initial: str | None) -> bk.Block:
    options = _options(choices)
    element: bk.Block = {"type": "radio_buttons", "action_id": action_id, "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def draft_modal(form: DraftForm, *, initial_text: str | None = None) -> bk.Block:
    """The /draft form (new draft, or a revision of ``form.draft_id``)."""
    values = form.values
    blocks: list[bk.Block] = []
    if form.draft_id is None:
        options = _options(form.accounts[: bk.OPTIONS_MAX])
        select: bk.Block = {
            "type": "static_select",
            "action_id": "account",
            "placeholder": bk.plain_text("アカウントを選択", bk.PLACEHOLDER_MAX),
            "options": options,
        }
        chosen = [o for o in options if o.get("value") == values.get("account")]
        if chosen or len(options) == 1:
            select["initial_option"] = (chosen or options)[0]
        blocks.append(
            bk.input_block(
                "公式アカウント",
                select,
                block_id="account",
                hint=form.terms.fill(
                    "あなたが管理者・担当者として登録されているアカウントです（{operators_item}）。"
                ),
            )
        )
    else:
        name = form.accounts[0][1] if form.accounts else ""
        blocks.append(
            bk.section(
                f"*下書き #{form.draft_id}（第{form.version}版）を修正します*　"
                f"アカウント: {bk.escape(name)}\n修正後は改めて{form.terms.approver}の決裁が必要です"
                f"（{form.terms.approval_clause}）。"
            )
        )
    blocks.append(
        bk.input_block(
            "投稿する文章",
            bk.plain_text_input(
                "text",
                multiline=True,
                initial_value=values.get("text") or initial_text,
            ),
            block_id="text",
            hint=f"送信すると内容チェック（{form.terms.short_name}{form.terms.check_scope}）を行います。",
        )
    )
    picker: bk.Block = {"type": "datetimepicker", "action_id": "planned_at"}
    planned = values.get("planned_at")
    if isinstance(planned, datetime):
        picker["initial_date_time"] = int(planned.timestamp())
    blocks.append(bk.input_block("掲載予定日時", picker, block_id="planned_at", optional=True))
    blocks.append(
        bk.input_block(
            f"決裁不要の区分（{form.terms.approval_clause}ただし書）",
            _radio("exemption", form.terms.exemption_choices, values.get("exemption", "none")),
            block_id="exemption",
            hint="事前に掲載ルールを取り決めた区分だけ選べます。掲載後は速やかに事後報告が必要です。",
        )
    )
    blocks.append(
        bk.input_block(
            "根拠（掲載済みページのURLなど）",
            bk.plain_text_input(
                "evidence", max_length=1000, initial_value=values.get("evidence") or None
            ),
            block_id="evidence",
            optional=True,
            hint=form.terms.evidence_hint or None,
        )
    )
    blocks.append(
        bk.input_block(
            form.terms.fill("写真・映像に写っている人物（{rights}・{photo_consent}）"),
            _radio("photo", PHOTO_CHOICES, values.get("photo", "none")),
            block_id="photo",
        )
    )
    blocks.append(
        bk.input_block(
            "誤検知の説明（任意）",
            bk.plain_text_input("false_positive_reason", multiline=True, max_length=2000),
            block_id="false_positive_reason",
            optional=True,
            hint="チェックで「要修正」と判定されたが誤検知だと考える場合に記入します。"
            f"{form.terms.approver}に伝えられます。",
        )
    )
    editing = form.draft_id is not None
    return bk.modal(
        "下書きの修正" if editing else "投稿案の作成",
        blocks,
        callback_id=DRAFT_EDIT_CALLBACK if editing else DRAFT_CALLBACK,
        submit="修正して送信" if editing else "チェックして送信",
        close="キャンセル",
        private_metadata=json.dumps({"draft_id": form.draft_id}) if editing else "",
    )


DRAFT_BLOCKS = (
    "account",
    "text",
    "planned_at",
    "exemption",
    "evidence",
    "photo",
    "false_positive_reason",
)


def form_errors(
    fields: Mapping[str, str], message: str, present: Sequence[str], *, fallback: str
) -> dict[str, str]:
    """``response_action: errors`` keyed by block id; problems without a block go to ``fallback``."""
    errors: dict[str, str] = {}
    for name, problem in fields.items():
        block = name if name in present else fallback
        errors[block] = (errors[block] + " " if block in errors else "") + problem
    if not errors:
        errors[fallback] = message
    return {k: bk.truncate(v, 1000, bk.ELLIPSIS) for k, v in errors.items()}


# ------------------------------------------------------------------ /account new, /incident
ACCOUNT_CALLBACK = "account_form"
INCIDENT_CALLBACK = "incident_form"
ACCOUNT_BLOCKS = tuple(f.key for f in FIELDS)


def account_modal(values: Mapping[str, str] | None = None, terms: Terms | None = None) -> bk.Block:
    """The 運用ポリシー form (4(1)ア〜キ): one input per ``FIELDS`` entry, block id = key."""
    values = values or {}
    terms = terms or guideline_terms.of(default_guideline())
    blocks: list[bk.Block] = [
        bk.section(
            terms.fill(
                "公式アカウントの運用ポリシー（{guideline}{policy_items}）を入力してください。"
                "登録後、{form}を{confirmer}へ提出します（{confirmation}）。"
            )
        )
    ]
    for f in form_fields(terms):
        label = f"{f.label}（{f.clause}）" if f.clause else f.label
        blocks.append(
            bk.input_block(
                label,
                bk.plain_text_input(
                    f.key,
                    multiline=f.multiline,
                    max_length=LIMITS.get(f.key, TEXT_LIMIT),
                    initial_value=values.get(f.key) or None,
                ),
                block_id=f.key,
                optional=not f.required,
                hint=f.hint or None,
            )
        )
    return bk.modal(
        "公式アカウントの登録",
        blocks,
        callback_id=ACCOUNT_CALLBACK,
        submit="登録する",
        close="キャンセル",
    )


def _select(
    action_id: str, choices: Sequence[tuple[str, str]], initial: str | None, placeholder: str
) -> bk.Block:
    options = _options(choices[: bk.OPTIONS_MAX])
    element: bk.Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": bk.plain_text(placeholder, bk.PLACEHOLDER_MAX),
        "options": options,
    }
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def incident_modal(form: IncidentForm) -> bk.Block:
    """The /incident form: type, account, summary, URL (ガイドライン6)."""
    values = form.values
    blocks: list[bk.Block] = [
        bk.input_block(
            "種別",
            _radio("type", form.types, values.get("type")),
            block_id="type",
            hint=f"{form.steps_from}の対応手順が対応スレッドに表示されます。"
            if form.steps_from
            else None,
        ),
        bk.input_block(
            "対象の公式アカウント",
            _select("account", form.accounts, values.get("account"), "アカウントを選択"),
            block_id="account",
        ),
        bk.input_block(
            "概要",
            bk.plain_text_input(
                "summary", multiline=True, max_length=2000, initial_value=values.get("summary")
            ),
            block_id="summary",
            optional=True,
            hint="何が起きているか。概要かURLのどちらかは必須です。",
        ),
        bk.input_block(
            "該当する投稿のURL",
            bk.plain_text_input("url", max_length=1000, initial_value=values.get("url")),
            block_id="url",
            optional=True,
        ),
    ]
    return bk.modal(
        "事案の報告",
        blocks,
        callback_id=INCIDENT_CALLBACK,
        submit="報告する",
        close="キャンセル",
    )


def view_inputs(view: Mapping[str, Any]) -> dict[str, str]:
    """A submitted modal's values by block id (text, selected option or radio value)."""
    inputs: dict[str, str] = {}
    for block, elements in ((view.get("state") or {}).get("values") or {}).items():
        for element in elements.values():
            if element.get("selected_option"):
                inputs[block] = element["selected_option"].get("value") or ""
            elif element.get("value") is not None:
                inputs[block] = element["value"]
    return inputs


# ------------------------------------------------------------------ custody record (5(10))
CUSTODY_CALLBACK = "custody_form"


def custody_modal(form: CustodyForm) -> bk.Block:
    """The custody record of one account: one input per ``FORM_FIELDS`` entry (block id =
    key); the account code rides in private_metadata. No field asks for a secret."""
    values = form.values
    blocks: list[bk.Block] = [
        bk.section(
            f"*{bk.escape(form.name)}*\n誰が認証情報を管理し、復旧先・二要素認証がどうなっているかを"
            f"記録します（{form.guideline}{form.clause}）。*パスワード・認証コード・リカバリーキーそのものは"
            "入力しないでください*（入力されても記録しません）。"
        )
    ]
    for f in CUSTODY_FIELDS:
        element = (
            _select(f.key, f.choices, values.get(f.key) or None, "選択")
            if f.choices
            else bk.plain_text_input(f.key, max_length=254, initial_value=values.get(f.key) or None)
        )
        blocks.append(
            bk.input_block(f.label, element, block_id=f.key, optional=True, hint=f.hint or None)
        )
    return bk.modal(
        "認証情報の管理記録",
        blocks,
        callback_id=CUSTODY_CALLBACK,
        submit="保存する",
        close="キャンセル",
        private_metadata=json.dumps({"account": form.code}, ensure_ascii=False),
    )


# ------------------------------------------------------------------ prompts
def prompt_modal(prompt: Prompt, *, action_id: str, metadata: Mapping[str, Any]) -> bk.Block:
    """The form an action asks for first (a reason, a URL); metadata carries ids only."""
    blocks: list[bk.Block] = []
    for item in prompt.inputs:
        if item.choices:
            element: bk.Block = {
                "type": "static_select",
                "action_id": item.name,
                "options": _options(item.choices),
            }
        else:
            element = bk.plain_text_input(
                item.name, multiline=item.multiline, max_length=item.max_length
            )
        blocks.append(
            bk.input_block(
                item.label,
                element,
                block_id=item.name,
                optional=not item.required,
                hint=item.hint,
            )
        )
    return bk.modal(
        prompt.title,
        blocks,
        callback_id=PROMPT_CALLBACK,
        submit=prompt.submit,
        close="キャンセル",
        private_metadata=json.dumps({"action_id": action_id, **metadata}, ensure_ascii=False),
    )


def problems_section(title: str, problems: str) -> bk.Block:
    """What stopped a submission, shown above the form when it cannot sit next to a field."""
    return bk.section(f":warning: *{bk.escape(title)}*\n{bk.escape(problems)}")


def notice_modal(title: str, text: str) -> bk.Block:
    """A modal that only shows a message (e.g. the outcome of a form)."""
    return bk.modal(title, [bk.section(bk.escape(text))], callback_id="notice")


# ------------------------------------------------------------------ App Home
def home_view(
    sections: Sequence[OutMessage] = (),
    *,
    notice: str | None = None,
    cards: Sequence[OutMessage] = (),
    terms: Terms | None = None,
) -> dict:
    """The App Home tab: my drafts, what waits for me, the custody records and handovers
    I may act on (``cards``: whole messages with their buttons), then the command guide."""
    terms = terms or guideline_terms.of(default_guideline())
    blocks: list[bk.Block] = [bk.header("SNSガイドライン確認ボット")]
    if notice:
        blocks.append(bk.section(f":warning: {bk.escape(notice)}"))
    for part in sections:
        blocks.append(bk.divider())
        blocks.append(bk.section(f"*{bk.escape(part.title)}*"))
        if part.text:
            blocks.extend(_paged_sections(part.text, pages=4))
    if cards:
        blocks.append(bk.divider())
        blocks.append(bk.header(terms.fill("認証情報の管理（{credentials}）")))
        for card in cards:
            blocks.extend(message_blocks(card))
    blocks.append(bk.divider())
    blocks.append(
        bk.section(
            f"{terms.guideline.name}に沿って、投稿前のチェック、"
            f"{terms.approver}の決裁、事後報告、炎上時の対応を支援します。"
        )
    )
    blocks.extend(
        bk.section(f"*{command}*\n{terms.fill(description)}")
        for command, description in COMMAND_GUIDE
    )
    return {"type": "home", "blocks": bk.limit_blocks(blocks, bk.MODAL_BLOCKS_MAX)}

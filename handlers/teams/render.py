"""Render the core's platform-neutral ``OutMessage`` as an Adaptive Card (schema 1.5).

One generic renderer for every message kind (approval request, decision, after-posting
report, reminder, incident checklist, account registration…), so a new kind in the core
needs no Teams code:

* ``title`` → bold heading; ``text`` → paragraphs; ``fields`` → a ``FactSet``;
* ``quote`` (the draft text) → an emphasis container of ``TextRun``s, which Teams shows
  verbatim (no Markdown), because the approver decides on exactly this text;
* ``findings`` → one line each: clause, severity, excerpt (verbatim), position, message;
* ``mentions`` (person handles) → ``<at>`` mentions with ``msteams.entities``;
* ``actions`` → ``Action.Execute`` with ``verb`` = the action id and ``data`` = its value,
  so a click comes back as an ``adaptiveCard/action`` invoke. An action that needs input
  first (``needs_reason`` or a form in ``bot.actions.PROMPTS``) becomes an
  ``Action.ShowCard`` holding the inputs and the ``Action.Execute`` that submits them.

Input ids are prefixed per action (``a<index>.<name>``) because a card may carry two
actions with the same input name; ``data["_p"]`` names the prefix so :func:`split_action_data`
can give the router back ``value`` and ``inputs`` separately.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Choice,
    ChoiceSetInput,
    Container,
    ExecuteAction,
    Fact,
    FactSet,
    Mention,
    MentionedEntity,
    RichTextBlock,
    ShowCardAction,
    TeamsCardProperties,
    TextBlock,
    TextInput,
    TextRun,
)

from bot.actions import PROMPTS, Prompt, PromptInput
from bot.notify.messages import Action, FindingView, OutMessage

SCHEMA_VERSION: Literal["1.5"] = "1.5"
# Teams shows at most six card-level actions; more go into action sets in the body.
MAX_CARD_ACTIONS = 6
ACTION_SET_SIZE = 5
# Teams refuses messages over ~28 KB; long texts are cut (the full text stays in the core).
MAX_TEXT = 6000
PREFIX_KEY = "_p"
# Every button carries the kind of the message it is on, so a click knows whether it was
# on a card that must stay (an incident root, a notice with a reason) or on a decision.
KIND_KEY = "_kind"

SEVERITY_LABELS = {"block": "掲載不可", "review": "要確認", "info": "参考"}
_SEVERITY_COLORS: dict[str, Any] = {"block": "Attention", "review": "Warning"}
_STYLES: dict[str | None, Any] = {"primary": "positive", "danger": "destructive"}
_INPUT_KEY = re.compile(r"^a\d+\.")


@dataclass(frozen=True)
class MentionTarget:
    """A person to @mention: display name and Teams user id (Entra object id), if known."""

    name: str
    teams_user_id: str | None = None


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…（以下省略）"


def _block(text: str, **kwargs: Any) -> TextBlock:
    return TextBlock(text=text, wrap=True, **kwargs)


def _verbatim(text: str, **kwargs: Any) -> RichTextBlock:
    """Text shown exactly as written: ``TextRun`` is not Markdown-processed."""
    inlines: list[CardElement] = [TextRun(text=text, **kwargs)]
    return RichTextBlock(inlines=inlines)


def _paragraphs(text: str) -> list[CardElement]:
    # One block per line: a TextBlock's single newlines are not reliably shown as breaks.
    return [_block(line) for line in _cut(text).split("\n") if line.strip()]


def _quote(text: str) -> Container:
    lines = _cut(text).split("\n")
    return Container(
        style="emphasis",
        items=[_verbatim(line if line else " ") for line in lines],
    )


def _finding(f: FindingView) -> RichTextBlock:
    label = SEVERITY_LABELS.get(f.severity, f.severity)
    color = _SEVERITY_COLORS.get(f.severity)
    position = f"（{f.position}）" if f.position else ""
    inlines: list[CardElement] = [
        TextRun(text=f"【{f.clause}・{label}】", weight="Bolder", color=color),
        TextRun(text=f"「{f.excerpt}」"),
        TextRun(text=f"{position}{f.message}"),
    ]
    return RichTextBlock(inlines=inlines)


def _mentions(
    handles: Sequence[str], targets: Mapping[str, MentionTarget], *, notify: bool = True
) -> tuple[TextBlock | None, list[Mention]]:
    parts: list[str] = []
    entities: list[Mention] = []
    for handle in handles:
        target = targets.get(handle)
        if target is None or not target.teams_user_id or not notify:
            parts.append(target.name if target else handle)  # not on Teams: the name alone
            continue
        tag = f"<at>{target.name}</at>"
        parts.append(tag)
        entities.append(
            Mention(text=tag, mentioned=MentionedEntity(id=target.teams_user_id, name=target.name))
        )
    if not parts:
        return None, []
    return _block("宛先: " + "、".join(parts)), entities


def _prompt(action: Action) -> Prompt | None:
    prompt = PROMPTS.get(action.action_id)
    if prompt is None and action.needs_reason:
        prompt = Prompt(action.label, action.label, (PromptInput("reason", "理由"),))
    return prompt


def _input(spec: PromptInput, input_id: str) -> CardElement:
    label = spec.label
    if spec.choices:
        return ChoiceSetInput(
            id=input_id,
            label=label,
            is_required=spec.required,
            error_message=f"{spec.label}を選んでください。",
            choices=[Choice(title=title, value=value) for value, title in spec.choices],
        )
    return TextInput(
        id=input_id,
        label=label,
        is_multiline=spec.multiline,
        is_required=spec.required,
        error_message=f"{spec.label}を入力してください。",
        max_length=spec.max_length,
        placeholder=spec.hint,
    )


def _action(action: Action, index: int, kind: str) -> ExecuteAction | ShowCardAction:
    data = dict(action.value)
    data[KIND_KEY] = kind
    style = _STYLES.get(action.style)
    prompt = _prompt(action)
    if prompt is None:
        return ExecuteAction(
            title=action.label,
            verb=action.action_id,
            data=data,
            style=style,
            associated_inputs="none",
        )
    prefix = f"a{index}."
    data[PREFIX_KEY] = prefix
    body: list[CardElement] = [_input(spec, prefix + spec.name) for spec in prompt.inputs]
    submit = ExecuteAction(
        title=prompt.submit, verb=action.action_id, data=data, style=style, associated_inputs="auto"
    )
    return ShowCardAction(
        title=action.label,
        card=AdaptiveCard(version=SCHEMA_VERSION, body=body, actions=[submit]),
    )


def render_card(
    message: OutMessage,
    *,
    mentions: Mapping[str, MentionTarget] | None = None,
    notify_mentions: bool = True,
) -> AdaptiveCard:
    """The Adaptive Card for ``message``; ``mentions`` maps handles to Teams identities.

    ``notify_mentions=False`` (a message updated in place, a card re-rendered for the
    clicker) keeps the 宛先 line with the names but without ``<at>`` mentions: the people
    were notified when the message was first posted.
    """
    body: list[CardElement] = [_block(message.title, weight="Bolder", size="Medium")]
    mention_block, entities = _mentions(message.mentions, mentions or {}, notify=notify_mentions)
    if mention_block is not None:
        body.append(mention_block)
    if message.text:
        body.extend(_paragraphs(message.text))
    if message.fields:
        body.append(
            FactSet(facts=[Fact(title=f.label, value=_cut(f.value, 2000)) for f in message.fields])
        )
    if message.quote:
        body.append(_quote(message.quote))
    if message.findings:
        body.append(_block(f"内容チェックの指摘（{len(message.findings)}件）", weight="Bolder"))
        body.extend(_finding(f) for f in message.findings)
    if message.context:
        body.append(_block(message.context, size="Small", is_subtle=True))
    actions = [_action(a, i, message.kind) for i, a in enumerate(message.actions)]
    if len(actions) > MAX_CARD_ACTIONS:
        # The card copies ``body`` when built: the action sets must be in it before.
        for start in range(0, len(actions), ACTION_SET_SIZE):
            body.append(ActionSet(actions=list(actions[start : start + ACTION_SET_SIZE])))
        actions = []
    card = AdaptiveCard(version=SCHEMA_VERSION, body=body, fallback_text=message.title)
    if actions:
        card.actions = list(actions)
    if entities:
        card.msteams = TeamsCardProperties(width="full", entities=entities)
    return card


def card_kind(data: Mapping[str, Any]) -> str | None:
    """The kind of the message whose button was clicked (None: a card from before kinds
    were marked, or a form card)."""
    kind = data.get(KIND_KEY)
    return kind if isinstance(kind, str) else None


def split_action_data(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """An invoke's ``action.data`` → (the action's ``value``, the inputs typed into the card).

    Teams merges the card's input values into ``data``; the ``_p`` prefix says which of
    them belong to the clicked action. Inputs of other actions are dropped.
    """
    prefix = data.get(PREFIX_KEY)
    value: dict[str, Any] = {}
    inputs: dict[str, str] = {}
    for key, item in data.items():
        if key in (PREFIX_KEY, KIND_KEY) or key.startswith("msteams"):
            continue
        if isinstance(prefix, str) and key.startswith(prefix):
            inputs[key[len(prefix) :]] = "" if item is None else str(item)
        elif not _INPUT_KEY.match(key):
            value[key] = item
    return value, inputs

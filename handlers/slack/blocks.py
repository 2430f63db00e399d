"""Block Kit builders that keep every message and modal inside Slack's limits.

Pure functions, no Slack client. Lengths are measured in UTF-16 code units, which is never
less than the number of characters, so an emoji or a rare kanji outside the BMP cannot push a
text past a limit. User-written text must go through :func:`escape` before it is put into
mrkdwn: a draft containing ``<!channel>`` must be shown, not notify a channel.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from bot.notify.messages import position

Block = dict[str, Any]

# Slack's documented limits (https://docs.slack.dev/reference/block-kit/).
SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
MESSAGE_BLOCKS_MAX = 50
MODAL_BLOCKS_MAX = 100
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTION_ID_MAX = 255
BLOCK_ID_MAX = 255
ACTIONS_ELEMENTS_MAX = 25
MODAL_TITLE_MAX = 24
MODAL_BUTTON_MAX = 24
PRIVATE_METADATA_MAX = 3000
CALLBACK_ID_MAX = 255
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
PLACEHOLDER_MAX = 150
PLAIN_TEXT_INPUT_MAX = 3000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_MAX = 100

ELLIPSIS = "…"
TRUNCATION_MARK = "…（以下省略）"
EXCERPT_MAX = 200

SEVERITY_ORDER = ("block", "review", "info")
SEVERITY_LABELS = {"block": "⛔ 要修正", "review": "⚠️ 要確認", "info": "ℹ️ 参考"}


class Finding(Protocol):
    """What the content check (rules/) reports; only these attributes are read here."""

    @property
    def rule(self) -> str: ...
    @property
    def clause(self) -> str: ...
    @property
    def severity(self) -> Any: ...  # "block" | "review" | "info", or an enum of those
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def excerpt(self) -> str: ...
    @property
    def message(self) -> str: ...


class PayloadTooLargeError(ValueError):
    """A value Slack would reject; keep the payload server side and send only its id."""


def slack_len(text: str) -> int:
    """Length as Slack limits count it (UTF-16 code units, an upper bound on characters)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Escape user text for mrkdwn so that it cannot form links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")


def truncate(text: str, limit: int, mark: str = TRUNCATION_MARK) -> str:
    """Cut ``text`` to at most ``limit`` units, ending with ``mark`` when something was cut.

    Never leaves half an ``&amp;`` entity or an unclosed ``<…>`` link/mention at the cut.
    """
    if slack_len(text) <= limit:
        return text
    if slack_len(mark) >= limit:
        mark = ELLIPSIS if limit >= 1 else ""
    budget = limit - slack_len(mark)
    kept: list[str] = []
    used = 0
    for char in text:
        size = slack_len(char)
        if used + size > budget:
            break
        kept.append(char)
        used += size
    head = _PARTIAL_ENTITY.sub("", "".join(kept))
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    return head + mark


def plain_text(text: str, limit: int | None = None, *, emoji: bool = True) -> Block:
    """A plain_text object, truncated to ``limit`` when given."""
    value = truncate(text, limit, ELLIPSIS) if limit is not None else text
    return {"type": "plain_text", "text": value or " ", "emoji": emoji}


def mrkdwn(text: str, limit: int = SECTION_TEXT_MAX) -> Block:
    """A mrkdwn text object, truncated with "…（以下省略）"."""
    return {"type": "mrkdwn", "text": truncate(text, limit) if text else "（なし）"}


def section(text: str, *, block_id: str | None = None, accessory: Block | None = None) -> Block:
    """A section block; text over 3,000 characters ends in "…（以下省略）"."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id is not None:
        block["block_id"] = _checked_id(block_id, BLOCK_ID_MAX, "block_id")
    if accessory is not None:
        block["accessory"] = accessory
    return block


def header(text: str) -> Block:
    """A header block (plain text, at most 150 characters)."""
    return {"type": "header", "text": plain_text(text, HEADER_TEXT_MAX)}


def divider() -> Block:
    """A divider block."""
    return {"type": "divider"}


def context(*texts: str) -> Block:
    """A context block of mrkdwn texts (at most 10 elements)."""
    if not texts:
        raise ValueError("a context block needs at least one element")
    if len(texts) > CONTEXT_ELEMENTS_MAX:
        texts = (*texts[: CONTEXT_ELEMENTS_MAX - 1], " ".join(texts[CONTEXT_ELEMENTS_MAX - 1 :]))
    return {"type": "context", "elements": [mrkdwn(t) for t in texts]}


def _checked_id(value: str, limit: int, what: str) -> str:
    # Ids are chosen by our code, so an over-long one is a bug to fail loudly on, not to cut.
    if not value or len(value) > limit:
        raise ValueError(f"{what} must be 1..{limit} characters, got {len(value)}")
    return value


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    *,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    """A button element. ``value`` must be an id (≤ 2,000 chars), never the payload itself."""
    element: Block = {
        "type": "button",
        "text": plain_text(text, BUTTON_TEXT_MAX),
        "action_id": _checked_id(action_id, ACTION_ID_MAX, "action_id"),
    }
    if value is not None:
        if len(value) > BUTTON_VALUE_MAX:
            raise PayloadTooLargeError(
                f"button value is {len(value)} characters (max {BUTTON_VALUE_MAX}); "
                "store the payload server side and put its id in the value"
            )
        element["value"] = value
    if style is not None:
        if style not in ("primary", "danger"):
            raise ValueError(f"button style must be 'primary' or 'danger', got {style!r}")
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, confirm: str = "はい", deny: str = "キャンセル") -> Block:
    """A confirmation dialog for a destructive button."""
    return {
        "title": plain_text(title, 100),
        "text": plain_text(text, 300),
        "confirm": plain_text(confirm, 30),
        "deny": plain_text(deny, 30),
    }


def actions(*elements: Block, block_id: str | None = None) -> Block:
    """An actions block (at most 25 elements)."""
    if not elements or len(elements) > ACTIONS_ELEMENTS_MAX:
        raise ValueError(f"an actions block holds 1..{ACTIONS_ELEMENTS_MAX} elements")
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = _checked_id(block_id, BLOCK_ID_MAX, "block_id")
    return block


def option(text: str, value: str, description: str | None = None) -> Block:
    """An option for selects and radio buttons; the text is cut to 75 characters."""
    if not value or len(value) > OPTION_VALUE_MAX:
        raise PayloadTooLargeError(f"option value must be 1..{OPTION_VALUE_MAX} characters")
    result: Block = {"text": plain_text(text, OPTION_TEXT_MAX), "value": value}
    if description:
        result["description"] = plain_text(description, OPTION_TEXT_MAX)
    return result


def plain_text_input(
    action_id: str,
    *,
    multiline: bool = False,
    max_length: int = PLAIN_TEXT_INPUT_MAX,
    initial_value: str | None = None,
    placeholder: str | None = None,
) -> Block:
    """A plain_text_input element; max_length is capped at Slack's 3,000."""
    max_length = max(1, min(max_length, PLAIN_TEXT_INPUT_MAX))
    element: Block = {
        "type": "plain_text_input",
        "action_id": _checked_id(action_id, ACTION_ID_MAX, "action_id"),
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial_value:
        # An initial value longer than max_length makes views.open fail.
        element["initial_value"] = truncate(initial_value, max_length, "")
    if placeholder:
        element["placeholder"] = plain_text(placeholder, PLACEHOLDER_MAX)
    return element


def input_block(
    label: str,
    element: Block,
    *,
    block_id: str,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """An input block for modals."""
    block: Block = {
        "type": "input",
        "block_id": _checked_id(block_id, BLOCK_ID_MAX, "block_id"),
        "label": plain_text(label, INPUT_LABEL_MAX),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint, INPUT_HINT_MAX)
    return block


def modal_title(text: str) -> Block:
    """A modal title (24 characters at most, cut with "…")."""
    return plain_text(text, MODAL_TITLE_MAX)


def limit_blocks(blocks: Sequence[Block], max_blocks: int) -> list[Block]:
    """Keep at most ``max_blocks`` blocks, replacing the overflow by one "ほか N 件" note."""
    if len(blocks) <= max_blocks:
        return list(blocks)
    kept = list(blocks[: max_blocks - 1])
    omitted = len(blocks) - len(kept)
    return [*kept, context(f"ほか {omitted} 件のブロックは表示しきれないため省略しました。")]


def modal(
    title: str,
    blocks: Sequence[Block],
    *,
    callback_id: str,
    submit: str | None = None,
    close: str = "閉じる",
    private_metadata: str | None = None,
    external_id: str | None = None,
) -> Block:
    """A modal view within Slack's limits (24-character title/buttons, 100 blocks)."""
    view: Block = {
        "type": "modal",
        "callback_id": _checked_id(callback_id, CALLBACK_ID_MAX, "callback_id"),
        "title": modal_title(title),
        "close": plain_text(close, MODAL_BUTTON_MAX),
        "blocks": limit_blocks(blocks, MODAL_BLOCKS_MAX),
    }
    if submit is not None:
        view["submit"] = plain_text(submit, MODAL_BUTTON_MAX)
    if private_metadata is not None:
        if len(private_metadata) > PRIVATE_METADATA_MAX:
            raise PayloadTooLargeError(
                f"private_metadata is {len(private_metadata)} characters "
                f"(max {PRIVATE_METADATA_MAX}); store it server side and keep only its id"
            )
        view["private_metadata"] = private_metadata
    if external_id is not None:
        view["external_id"] = _checked_id(external_id, 255, "external_id")
    return view


def paginate(blocks: Sequence[Block], max_blocks: int = MESSAGE_BLOCKS_MAX) -> list[list[Block]]:
    """Split blocks into messages of at most ``max_blocks``; a header never ends a page."""
    if max_blocks < 2:
        raise ValueError("max_blocks must be at least 2")
    pages: list[list[Block]] = []
    current: list[Block] = []
    for block in blocks:
        if len(current) == max_blocks:
            carry: list[Block] = []
            if current[-1].get("type") == "header":
                carry = [current.pop()]
            pages.append(current)
            current = carry
        current.append(block)
    if current:
        pages.append(current)
    return pages


def severity_key(severity: Any) -> str:
    """Normalise a severity (string or enum) to "block", "review" or "info"."""
    value = str(getattr(severity, "value", severity)).lower()
    return value if value in SEVERITY_LABELS else "info"


def _finding_order(finding: Finding) -> tuple[int, int, int]:
    return (SEVERITY_ORDER.index(severity_key(finding.severity)), finding.start, finding.end)


def findings_summary(findings: Iterable[Finding]) -> str:
    """One line counting findings by severity, e.g. "⛔ 要修正 1 件・⚠️ 要確認 2 件"."""
    counts = Counter(severity_key(f.severity) for f in findings)
    parts = [f"{SEVERITY_LABELS[s]} {counts[s]} 件" for s in SEVERITY_ORDER if counts[s]]
    return "・".join(parts) if parts else "✅ 指摘事項はありません"


def finding_text(finding: Finding) -> str:
    """mrkdwn for one finding: severity, clause, position, excerpt and message."""
    label = SEVERITY_LABELS[severity_key(finding.severity)]
    excerpt = truncate(finding.excerpt.replace("\n", " "), EXCERPT_MAX, ELLIPSIS)
    return (
        f"*{label}*　{escape(finding.clause)}　（{position(finding.start, finding.end)}）\n"
        f"> 「{escape(excerpt)}」\n"
        f"{escape(finding.message)}"
    )


def findings_blocks(findings: Sequence[Finding], limit: int = 10) -> list[Block]:
    """Findings as section blocks, most severe first; those past ``limit`` become "ほか N 件"."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if not findings:
        return [section("✅ 指摘事項はありません。")]
    ordered = sorted(findings, key=_finding_order)
    blocks = [section(finding_text(f)) for f in ordered[:limit]]
    rest = ordered[limit:]
    if rest:
        blocks.append(context(f"ほか {len(rest)} 件（{findings_summary(rest)}）"))
    return blocks

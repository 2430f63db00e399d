"""Text commands: Teams has no slash commands, so ``/draft …`` arrives as message text.

In channels the text also carries the bot's @mention (``<at>Bot</at>``); the SDK strips the
tags it knows from ``entities`` and :func:`clean_text` removes any left over. The command
word is matched loosely (full-width slash, upper case, Japanese aliases) but the arguments
are kept exactly as written, because the content check reports offsets into them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from .port import Command

_AT_TAG = re.compile(r"<at(?:\s[^>]*)?>.*?</at>", re.IGNORECASE | re.DOTALL)
_AT_INNER = re.compile(r"</?at(?:\s[^>]*)?>", re.IGNORECASE)
# Command word, then the rest. Separators include the ideographic space (U+3000).
_HEAD = re.compile(r"^\s*(?P<word>\S+)(?:[\s\u3000]+(?P<rest>.*))?$", re.DOTALL)

_ALIASES: dict[str, str] = {
    "draft": "draft",
    "下書き": "draft",
    "投稿案": "draft",
    "check": "check",
    "チェック": "check",
    "incident": "incident",
    "インシデント": "incident",
    "account": "account",
    "アカウント": "account",
    "help": "help",
    "ヘルプ": "help",
    "?": "help",
}

INCIDENT_KINDS: dict[str, str] = {
    "炎上": "炎上",
    "flaming": "炎上",
    "なりすまし": "なりすまし",
    "impersonation": "なりすまし",
    "訂正": "訂正",
    "correction": "訂正",
}

ACCOUNT_SUBCOMMANDS = frozenset({"register", "list", "show", "登録", "一覧", "表示"})

HELP_TEXT = (
    "使えるコマンド:\n"
    "- `/draft` 投稿案を作成し、内容チェックのうえ所属長へ決裁を依頼します（4(3)）\n"
    "- `/check 本文` 投稿前の内容を自分だけに表示してチェックします（7）\n"
    "- `/incident 炎上|なりすまし|訂正 概要` インシデントを記録し、"
    "情報政策課のチャネルで対応スレッドを開きます（6）\n"
    "- `/account register|list` 公式アカウントの登録・一覧（4(1)、4(2)）\n"
    "- `help` この説明を表示します\n"
    "チャネルでは、先頭でボットを @メンションしてください。"
)


class CommandError(ValueError):
    """The text looks like a command but cannot be used; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Head:
    word: str
    rest: str


def clean_text(text: str | None) -> str:
    """Undo Teams' message markup: a leading bot mention, other ``<at>`` tags, HTML entities.

    The SDK has already removed the bot's own mention when ``entities`` named it; a leading
    ``<at>…</at>`` left here is a bot mention without an entity and is dropped. Any other
    mention keeps its display name, because it is part of what the author wrote.
    """
    if not text:
        return ""
    stripped = text.strip()
    while (leading := _AT_TAG.match(stripped)) is not None:
        stripped = stripped[leading.end() :].lstrip()
    without_tags = _AT_TAG.sub(lambda m: _AT_INNER.sub("", m.group(0)), stripped)
    return html.unescape(without_tags).replace("\u00a0", " ").strip()


def _split(text: str) -> _Head | None:
    match = _HEAD.match(text)
    if not match:
        return None
    return _Head(word=match.group("word"), rest=match.group("rest") or "")


def _command_word(word: str) -> str | None:
    normalised = unicodedata.normalize("NFKC", word).lower()
    normalised = normalised.removeprefix("/")
    return _ALIASES.get(normalised)


def _incident_kind(word: str) -> str | None:
    return INCIDENT_KINDS.get(unicodedata.normalize("NFKC", word).lower())


def parse_command(text: str | None) -> Command:
    """Parse cleaned message text into a :class:`Command`, or raise :class:`CommandError`.

    Empty text (only a mention) is ``help``. Text that is not a command is an error that
    tells the user what is available.
    """
    cleaned = clean_text(text)
    if not cleaned:
        return Command(name="help")
    head = _split(cleaned)
    name = _command_word(head.word) if head else None
    if head is None or name is None:
        raise CommandError("コマンドが認識できませんでした。\n" + HELP_TEXT)
    rest = head.rest.rstrip()

    if name == "help":
        return Command(name="help")
    if name == "check":
        if not rest.strip():
            raise CommandError("チェックする本文を `/check` の後に続けて入力してください。")
        return Command(name="check", args=rest)
    if name == "draft":
        return Command(name="draft", args=rest)
    if name == "incident":
        sub_head = _split(rest)
        kind = _incident_kind(sub_head.word) if sub_head else None
        if sub_head is None or kind is None:
            raise CommandError(
                "インシデントの種類を指定してください: `/incident 炎上|なりすまし|訂正 概要`"
            )
        return Command(name="incident", sub=kind, args=sub_head.rest.rstrip())
    # account
    sub_head = _split(rest)
    sub = unicodedata.normalize("NFKC", sub_head.word).lower() if sub_head else "list"
    if sub not in ACCOUNT_SUBCOMMANDS:
        raise CommandError("`/account register` または `/account list` を使ってください。")
    return Command(name="account", sub=sub, args=sub_head.rest.rstrip() if sub_head else "")

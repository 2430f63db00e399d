"""Text commands: Teams has no slash commands, so ``/draft …`` arrives as message text.

In channels the text also carries the bot's @mention (``<at>Bot</at>``); the SDK strips the
tags it knows from ``entities`` and :func:`clean_text` removes any left over. The command
word is matched loosely (full-width slash, upper case, Japanese aliases, a missing slash)
but the arguments are kept exactly as written, because the content check reports offsets
into them. The syntax after the word is the console's (``handlers/console/commands``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.guideline.terms import Terms
from bot.interaction.args import split_command

_AT_TAG = re.compile(r"<at(?:\s[^>]*)?>.*?</at>", re.IGNORECASE | re.DOTALL)
_AT_INNER = re.compile(r"</?at(?:\s[^>]*)?>", re.IGNORECASE)
# Command word, then the rest. Separators include the ideographic space (U+3000).
_HEAD = re.compile(r"^\s*(?P<word>[^\s\u3000]+)(?:[ \t\u3000]?(?P<rest>.*))?$", re.DOTALL)

ALIASES: dict[str, str] = {
    "draft": "draft",
    "下書き": "draft",
    "edit": "edit",
    "修正": "edit",
    "check": "check",
    "チェック": "check",
    "incident": "incident",
    "インシデント": "incident",
    "account": "account",
    "アカウント": "account",
    "custody": "custody",
    "認証情報": "custody",
    "drafts": "drafts",
    "inbox": "inbox",
    "approve": "approve",
    "承認": "approve",
    "changes": "changes",
    "差し戻し": "changes",
    "reject": "reject",
    "却下": "reject",
    "help": "help",
    "ヘルプ": "help",
    "?": "help",
    "as": "as",  # demo mode only
}

# (command, description, usage) for the manifest's command list and the help text:
# templates, the guideline's words in braces filled in by ``help_text`` (``Terms.fill``).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "/draft",
        "投稿案を作成して決裁へ（{approval}）",
        "/draft [account=…] [planned=…] [exempt={exemption_choices}] 本文",
    ),
    ("/check", "投稿前の内容チェック（{content}）", "/check 本文"),
    (
        "/incident",
        "{incident_names}の対応（{incidents}）",
        "/incident {incident_choices} アカウント 概要",
    ),
    ("/account", "公式アカウントの登録・一覧（{policy}、{confirmation}）", "/account list"),
    ("/custody", "認証情報の管理状況と異動の引継ぎ（{credentials}）", "/custody show コード"),
    ("/drafts", "自分の下書きの一覧", "/drafts"),
    ("/inbox", "決裁・確認の待ち一覧", "/inbox"),
    ("/edit", "下書きを修正して送り直す", "/edit 番号 修正後の本文"),
    ("help", "使い方を表示", "help"),
)
# The 決裁 as text, for the help only: the manifest allows ten commands per list, and the
# approval request card's buttons are the usual way.
DECISIONS: tuple[tuple[str, str, str], ...] = (
    ("/approve", "下書きを承認する（決裁依頼のカードのボタンでも可）", "/approve 番号 [コメント]"),
    ("/changes", "下書きを差し戻す（理由が必要）", "/changes 番号 理由"),
    ("/reject", "下書きを却下する（理由が必要）", "/reject 番号 理由"),
)


# What a command does first, then how it is written: an Adaptive Card TextBlock shows no
# inline code, so "usage summary" on one line ran the two together ("… 本文 投稿案を…").
def help_text(terms: Terms) -> str:
    """The help, in the words of ``terms``' guideline."""
    return "\n".join(
        ["使えるコマンド:"]
        + [
            f"- {terms.fill(summary)}：{terms.fill(usage)}"
            for _, summary, usage in COMMANDS[:-1] + DECISIONS + COMMANDS[-1:]  # help last
        ]
        + [
            "/draft だけを送ると入力フォームを表示します。",
            "チャネルでは、先頭でボットを @メンションしてください。",
        ]
    )


@dataclass(frozen=True)
class TextCommand:
    """A command word (canonical name) and its arguments exactly as typed."""

    name: str
    args: str = ""


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


def parse(text: str | None) -> TextCommand | None:
    """``TextCommand`` for the cleaned text, ``help`` for empty text, None if not a command."""
    cleaned = clean_text(text)
    if not cleaned:
        return TextCommand("help")
    # The one command-line split every adapter shares (full-width slash, letters, digits and
    # spaces from the IME); Teams also takes the word without its slash.
    parsed = split_command(cleaned) or split_command("/" + cleaned)
    if parsed is None:
        return None
    word, rest = parsed
    name = ALIASES.get(word)
    if name is None:
        return None
    return TextCommand(name, rest.rstrip())

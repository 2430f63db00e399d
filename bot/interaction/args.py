"""The tokens every text grammar shares: ``key=value`` options, ids, versions, times, yes/no.

Each command's grammar (``bot.drafts.commands``, ``bot.incidents.commands``,
``bot.accounts.commands``) is written once with these, and every adapter calls it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from bot.clock import JST
from bot.errors import ValidationFailed

_OPTION = re.compile(r'([a-z_]+)=("([^"]*)"|「([^」]*)」|(\S*))(?:[ \t\u3000]+|(?=\n)|$)')


# Staff type with the IME on: a command line may start with a full-width slash, use
# full-width letters and digits, and separate its words with the ideographic space (U+3000).
_COMMAND_HEAD = re.compile(r"^[ \t\u3000]*[/／](?P<word>[^\s\u3000]*)(?P<rest>.*)$", re.DOTALL)


def split_command(line: str) -> tuple[str, str] | None:
    """``("approve", "8")`` for ``/approve 8``, ``／approve　8`` or ``／ＡＰＰＲＯＶＥ　８``.

    The command word comes back NFKC-normalised and lower-case; the arguments after the one
    separator (a space of either width or a line break) exactly as typed, because a body's
    findings refer to its offsets. None if the line is not a command (no leading slash).
    """
    match = _COMMAND_HEAD.match(line)
    if match is None:
        return None
    word = unicodedata.normalize("NFKC", match.group("word")).lower()
    rest = match.group("rest")
    if rest[:1] in (" ", "\t", "\u3000"):
        rest = rest[1:]
    return word, rest


def first_word(text: str) -> tuple[str, str]:
    """The first word of ``text`` and the rest, split at a space of either width or a line
    break: ``first_word("8　v2 理由")`` → ``("8", "v2 理由")``."""
    stripped = text.lstrip(" \t\u3000")
    match = re.match(r"([^\s\u3000]*)[ \t\u3000\n]?(.*)", stripped, re.DOTALL)
    assert match is not None
    return match.group(1), match.group(2)


def split_options(args: str, known: set[str]) -> tuple[dict[str, str], str]:
    """Leading ``key=value`` options (value may be "quoted" or 「bracketed」), then the body.

    The body keeps its own spacing and line breaks: offsets of findings refer to it.
    """
    options: dict[str, str] = {}
    pos = 0
    text = args.lstrip(" \t\u3000")
    while pos < len(text):
        match = _OPTION.match(text, pos)
        if match is None:
            break
        key = match.group(1)
        if key not in known:
            # An ASCII key=value where the body should start is most likely a mistyped option.
            raise ValidationFailed(
                f"「{key}=」という指定はありません（使えるのは {', '.join(sorted(known))}）。"
            )
        value = next(g for g in (match.group(3), match.group(4), match.group(5)) if g is not None)
        options[key] = value
        pos = match.end()
    body = text[pos:]
    return options, body[1:] if body.startswith("\n") else body


def number(token: str, *, what: str, example: str = "12") -> int:
    """A number as staff type it: ``12``, ``#12``, ``１２``, ``＃１２``."""
    value = unicodedata.normalize("NFKC", token.strip(" \t\u3000")).lstrip("#")
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ValidationFailed(
            f"{what}「{token}」が読み取れません。数字で指定してください（例: {example}）。"
        )
    return int(value)


def draft_id(token: str | None) -> int:
    """A draft number such as ``12`` or ``#12``."""
    if token is None or not token.strip():
        raise ValidationFailed("下書きの番号を指定してください（例: 12）。")
    value = unicodedata.normalize("NFKC", token.strip(" \t\u3000")).lstrip("#")
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise ValidationFailed(
            f"下書きの番号「{token}」が読み取れません。数字で指定してください（例: 12）。"
        )
    return int(value)


def leading_draft_id(args: str) -> int:
    """The draft number a command line starts with (``/ack 12``, ``/withdraw #12``)."""
    return draft_id(first_word(args)[0] if args else None)


def version_token(token: str) -> int | None:
    """``v2`` / ``第2版`` → 2, else None."""
    match = re.fullmatch(r"(?:v|V|第)(\d{1,6})版?", unicodedata.normalize("NFKC", token))
    return int(match.group(1)) if match else None


def when(value: str, *, what: str = "日時") -> datetime:
    """A Japan-time date-time: 2026-12-01T10:00, 2026-12-01 10:00, 2026/12/01 10:00."""
    text = unicodedata.normalize("NFKC", value).strip().replace("/", "-")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"{what}「{value}」が読み取れません（例: 2026-12-01T10:00、日本時間）。"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=JST)


def yes_no(value: str, *, what: str) -> bool:
    """yes/no in either language."""
    v = value.strip().lower()
    if v in ("yes", "y", "true", "1", "はい", "あり", "済", "済み"):
        return True
    if v in ("no", "n", "false", "0", "いいえ", "なし", "未"):
        return False
    raise ValidationFailed(f"{what}は yes か no で指定してください。")

"""argparse speaking Japanese: its own strings (usage, options, errors) in a Japanese catalogue.

Staff read ``--help``, usage lines and errors too, so argparse's own strings (``usage:``,
``options``, ``error:``, ``the following arguments are required``…) are given in Japanese.
argparse looks its strings up through the module-level ``_``/``ngettext`` (gettext) at the
moment it formats them; ``JapaneseArgumentParser`` swaps in a Japanese catalogue for the
duration of its own calls only, so other parsers in the process are left as they are.

It lives in ``rules`` because the content check's command line (``python -m rules``) stands
alone (it imports nothing from ``bot``); the bot's command lines use it through
``bot.cliutil``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import re
import textwrap
import unicodedata
from collections.abc import Iterator
from typing import Any

# argparse's msgids (CPython 3.11–3.13) → Japanese. Unknown strings stay as they are.
CATALOGUE: dict[str, str] = {
    "usage: ": "使い方: ",
    "options": "オプション",
    "positional arguments": "引数",
    "show this help message and exit": "このヘルプを表示して終了します",
    "show program's version number and exit": "バージョンを表示して終了します",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "the following arguments are required: %s": "次の引数を指定してください: %s",
    "unrecognized arguments: %s": "知らない引数があります: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "%(value)r は指定できません（%(choices)s のどれかを指定してください）"
    ),
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "expected one argument": "値を1つ指定してください",
    "expected at least one argument": "値を1つ以上指定してください",
    "expected at most one argument": "値は1つまでです",
    "ignored explicit argument %r": "値 %r は指定できません",
    "invalid %(type)s value: %(value)r": "%(value)r が読み取れません",
    "one of the arguments %s is required": "%s のどれかを指定してください",
    "not allowed with argument %s": "%s と一緒には指定できません",
    "ambiguous option: %(option)s could match %(matches)s": (
        "%(option)s では %(matches)s のどれか分かりません（省略せずに指定してください）"
    ),
    "unexpected option string: %s": "予期しないオプションです: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "%(parser_name)r というコマンドはありません（使えるのは %(choices)s）"
    ),
    "can't open '%(filename)s': %(error)s": "「%(filename)s」を開けません: %(error)s",
    "subcommands": "コマンド",
}
PLURALS: dict[str, str] = {
    "expected %s argument": "値を%s個指定してください",
    "conflicting option string: %s": "オプションが重複しています: %s",
}


def _gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


@contextlib.contextmanager
def japanese() -> Iterator[None]:
    """argparse's strings in Japanese while the block runs (re-entrant)."""
    module: Any = argparse
    saved = (module._, module.ngettext)
    module._, module.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        module._, module.ngettext = saved


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes: a full-width character (漢字, かな) takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# An option or sub-command line of a help text: indent, invocation, gap, help.
_HELP_LINE = re.compile(
    r"^(?P<indent> {2,})(?P<invocation>\S(?:.*?\S)?)(?P<gap> {2,})(?P<help>\S.*)$"
)


def align_columns(text: str, *, usage: bool = True) -> str:
    """``text`` (argparse's output) with its columns lined up on the screen.

    argparse counts characters, so an option whose metavar is Japanese (``--script ファイル``)
    pushes its help to the right, and a usage line's continuation starts left of the first
    option after 「使い方: 」. Each gap is shortened by the extra columns of what precedes it.
    """
    lines = text.split("\n")
    out: list[str] = []
    in_usage = False
    shift = 0
    for line in lines:
        if usage and line.startswith(CATALOGUE["usage: "]):
            in_usage = True
            head = line.split("[", 1)[0]  # 「使い方: python -m bot console 」
            shift = display_width(head) - len(head)
            out.append(line)
            continue
        if in_usage:
            if line.startswith(" ") and line.strip():
                out.append(" " * shift + line)
                continue
            in_usage = False
        match = _HELP_LINE.match(line)
        if match:
            invocation = match["invocation"]
            extra = display_width(invocation) - len(invocation)
            gap = len(match["gap"])
            if extra and gap - extra >= 2:
                line = f"{match['indent']}{invocation}{' ' * (gap - extra)}{match['help']}"
            elif extra:  # no room left: the help goes under, at its column
                column = len(match["indent"]) + len(invocation) + gap
                line = f"{match['indent']}{invocation}\n{' ' * column}{match['help']}"
        out.append(line)
    return "\n".join(out)


class _PathKeepingFormatter(argparse.HelpFormatter):
    """Wraps help only at spaces: a path such as ``build/teams-app.zip`` is never split at
    its hyphen (argparse's default would print ``teams-`` and ``app.zip`` on two lines)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.wrap(text, width, break_on_hyphens=False)


class JapaneseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are Japanese (sub-parsers too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _PathKeepingFormatter)
        with japanese():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", type(self))
        with japanese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with japanese():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with japanese():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with japanese():
            return align_columns(super().format_usage())

    def format_help(self) -> str:
        with japanese():
            return align_columns(super().format_help())

    def error(self, message: str) -> Any:
        with japanese():
            super().error(message)


# Why a file could not be read or written, as staff read it (``OSError.strerror`` is the C
# library's English: "No such file or directory").
OS_ERRORS: dict[int, str] = {
    errno.ENOENT: "ファイルまたはフォルダーがありません",
    errno.EACCES: "読み書きの権限がありません",
    errno.EPERM: "この操作の権限がありません",
    errno.EISDIR: "フォルダーです。ファイルを指定してください",
    errno.ENOTDIR: "途中の名前がフォルダーではありません",
    errno.ENOSPC: "ディスクの空きがありません",
    errno.EROFS: "読み取り専用の場所です",
    errno.EEXIST: "同じ名前のファイルがすでにあります",
}


def os_error(exc: OSError) -> str:
    """Why ``exc`` happened, in Japanese (the error number when it is an unusual one)."""
    known = OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    return known or f"入出力のエラー（エラー番号 {exc.errno}）"

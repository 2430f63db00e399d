"""What every command line of the bot shares: argparse speaking Japanese, a quiet closed pipe.

Staff read ``--help``, usage lines and errors too: ``JapaneseArgumentParser`` (defined in
``rules.argparse_ja``, shared with ``python -m rules``) gives argparse's own strings in
Japanese.

``fill_help`` writes the guideline's words into every ``--help`` text: a help text names
``{records}``, ``{desk}``, ``{approver}``… (``bot.guideline.terms.Terms.fill``), never the
seed city's clause ids or titles, so another city's file shows its own.

``exit_quietly_on_closed_pipe`` turns ``python -m bot directory show | head`` into a quiet
exit instead of a ``BrokenPipeError`` traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TypeVar

from rules.argparse_ja import CATALOGUE, PLURALS, JapaneseArgumentParser, japanese, os_error

__all__ = [
    "CATALOGUE",
    "PLURALS",
    "JapaneseArgumentParser",
    "exit_quietly_on_closed_pipe",
    "fill_help",
    "japanese",
    "os_error",
]

T = TypeVar("T")


def fill_help(parser: argparse.ArgumentParser, fill: Callable[[str], str]) -> None:
    """Fill the description and every help text of ``parser`` and its sub-commands."""
    seen: set[int] = set()

    def walk(p: argparse.ArgumentParser) -> None:
        if id(p) in seen:
            return
        seen.add(id(p))
        if p.description:
            p.description = fill(p.description)
        for action in p._actions:
            if isinstance(action.help, str):
                action.help = fill(action.help)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:  # the lines of the parent's list
                    if isinstance(choice.help, str):
                        choice.help = fill(choice.help)
                for sub in action.choices.values():
                    walk(sub)

    walk(parser)


def exit_quietly_on_closed_pipe(main: Callable[[], T]) -> T | int:
    """Run ``main``; if the reader of stdout went away (``| head``), exit without a traceback.

    Python's own recipe: point stdout at /dev/null so that the interpreter's final flush does
    not fail again, and end with the status a shell gives a process killed by SIGPIPE.
    """
    try:
        result = main()
        sys.stdout.flush()
        return result
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + 13

"""What every command line of the bot shares: argparse speaking Japanese, a quiet closed pipe.

Staff read ``--help``, usage lines and errors too: ``JapaneseArgumentParser`` (defined in
``rules.argparse_ja``, shared with ``python -m rules``) gives argparse's own strings in
Japanese.

``exit_quietly_on_closed_pipe`` turns ``python -m bot directory show | head`` into a quiet
exit instead of a ``BrokenPipeError`` traceback.
"""

from __future__ import annotations

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
    "japanese",
    "os_error",
]

T = TypeVar("T")


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

"""Helpers for construction rules: two cues in one sentence, in order, within a distance.

A construction rule reads the sentence around a match rather than one word: a group noun
followed by a generalisation (7(1)イ), an act followed by a reassurance (7(1)ウ), a hearsay
source followed by an evidential (7(1)カ). Cue patterns come from each family's cue file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import Context


def ordered(
    ctx: Context, first: re.Pattern[str], second: re.Pattern[str], gap: int
) -> Iterator[tuple[int, int, int, int]]:
    """``(sentence_start, sentence_end, start, end)`` for ``first`` … ``second`` in a sentence.

    ``second`` must start at most ``gap`` characters after ``first`` ends. The span runs
    from the start of ``first`` to the end of ``second``; at most one per ``first`` match.
    """
    text = ctx.norm.text
    for s, e in ctx.sentences():
        pos = s
        while True:
            m1 = first.search(text, pos, e)
            if m1 is None:
                break
            m2 = second.search(text, m1.end(), min(e, m1.end() + gap))
            if m2 is not None:
                yield s, e, m1.start(), m2.end()
                pos = m2.end()
            else:
                pos = m1.end() if m1.end() > m1.start() else m1.start() + 1


def near(text: str, pattern: re.Pattern[str] | None, a: int, b: int) -> bool:
    """True when ``pattern`` matches in ``text[a:b]``."""
    return pattern is not None and pattern.search(text, a, b) is not None

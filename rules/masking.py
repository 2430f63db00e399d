"""Lexicon words with one letter masked by a symbol (「ガ〇ジ」「エ□動画」).

Masking one character of a word shows the writer knows it; a family that wants masked forms
of its lexicon builds them once at load time with :func:`masked_forms` and finds them with
:func:`masked_hits`. The masks are symbols no word is spelt with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

MASKS = "●○〇◯□■◇◆×＊*"
MASK_RE = re.compile(f"[{re.escape(MASKS)}]")


def masked_forms(terms: Iterable[str], min_len: int = 3) -> dict[str, str]:
    """Every term of ``min_len`` or more characters with one character replaced by ``●``."""
    forms: dict[str, str] = {}
    for term in terms:
        if len(term) < min_len or MASK_RE.search(term):
            continue
        for i in range(len(term)):
            if not term[i].isspace():
                forms.setdefault(term[:i] + "●" + term[i + 1 :], term)
    return forms


def masked_hits(
    text: str, forms: dict[str, str], lengths: tuple[int, ...]
) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that are a masked form (one mask; 「●●」 is a redaction, not a word)."""
    if not forms or MASK_RE.search(text) is None:
        return
    masked = MASK_RE.sub("●", text)
    seen: set[tuple[int, int]] = set()
    for m in MASK_RE.finditer(text):
        i = m.start()
        if (i > 0 and text[i - 1] == text[i]) or (i + 1 < len(text) and text[i + 1] == text[i]):
            continue
        for n in lengths:
            for a in range(max(0, i - n + 1), min(i, len(text) - n) + 1):
                if (a, a + n) not in seen and masked[a : a + n] in forms:
                    seen.add((a, a + n))
                    yield a, a + n

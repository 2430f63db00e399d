"""Many-term matching in one regex scan, compiled from a trie.

Python's ``re`` does not merge an alternation of literals, so ``a|b|c…`` with hundreds of
terms retries every term at every position. A trie-shaped pattern has one branch per first
character, so a scan costs about as much as for a single word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_END = ""


def _trie_pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    ends = _END in node
    branches = []
    singles = []
    for ch in sorted(k for k in node if k != _END):
        child = node[ch]
        sub = _trie_pattern(child)
        if sub:
            branches.append(re.escape(ch) + sub)
        else:
            singles.append(re.escape(ch))
    if singles:
        branches.append(singles[0] if len(singles) == 1 else "[" + "".join(singles) + "]")
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def trie_regex(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Compile terms into one regex preferring the longest term at each position."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for term in terms:
        if not term:
            continue
        node = root
        for ch in term:
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not root:
        return None
    return re.compile(_trie_pattern(root))


class TermMatcher:
    """Find occurrences of a fixed set of terms (leftmost-longest, non-overlapping)."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(t for t in terms if t)
        self._re = trie_regex(self.terms)

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Yield ``(start, end, term)``."""
        if self._re is None:
            return
        for m in self._re.finditer(text):
            yield m.start(), m.end(), m.group()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """True when any term occurs in ``text[pos:endpos]``."""
        if self._re is None:
            return False
        return self._re.search(text, pos, len(text) if endpos is None else endpos) is not None

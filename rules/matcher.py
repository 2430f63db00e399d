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


# Characters that are frequent in Japanese posts, most frequent first (plus ASCII by
# English letter frequency). A term is indexed on its least frequent character, so that
# the scan stops rarely: 「との情報」 is found at 情, not at every と.
_COMMON = (
    "のにはをたがでてとしいまおごすれなるかもっうらせこりくあわんきさだよつやえけどじみ"
    "ろめへねそちばびぶべぼほひふむゆぎぐげざずぞぜぬぷぴぺぽぱゅょぁぃぅぇぉーゃ"
    "、。・「」()-/.:0123456789 "
    "etaoinshrdlcumwfgypbvkjxqz"
    "日月年市本出人大中時会事合方分生行上下前後内明知見問場所用課実施開催参加詳子地区町"
    "公園民等的性者度定間新高円名一二三十"
    "ストンルイクリラシアッーコトカタレマ"
)
_RANK = {ch: i for i, ch in enumerate(_COMMON)}


def _anchor(term: str) -> int:
    """Index of the rarest character of ``term`` (characters not in _COMMON are rarest)."""
    best, best_rank = 0, -1
    for i, ch in enumerate(term):
        rank = _RANK.get(ch, len(_COMMON))
        if rank > best_rank:
            best, best_rank = i, rank
    return best


class TermMatcher:
    """Find occurrences of a fixed set of terms (leftmost-longest, non-overlapping).

    Each term is indexed on its rarest character; one character class of those anchors
    finds candidates in C, and only candidates are verified in Python. (Python's ``re``
    tries the branches of an alternation one by one, so one big alternation or trie regex
    over hundreds of terms costs far more per character.)
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(t for t in terms if t)
        grouped: dict[str, dict[int, list[str]]] = {}
        for t in self.terms:
            k = _anchor(t)
            grouped.setdefault(t[k], {}).setdefault(k, []).append(t)
        # anchor character -> [(offset of the anchor in the term, trie regex of terms)]
        buckets: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        for ch, by_offset in grouped.items():
            for k, ts in sorted(by_offset.items()):
                rx = trie_regex(ts)
                assert rx is not None
                buckets.setdefault(ch, []).append((k, rx))
        self._buckets = buckets
        self._anchors = (
            re.compile("[" + "".join(re.escape(c) for c in sorted(buckets)) + "]")
            if buckets
            else None
        )

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[tuple[int, int, str]]:
        """Yield ``(start, end, term)``, leftmost-longest and non-overlapping."""
        if self._anchors is None:
            return
        limit = len(text) if endpos is None else endpos
        hits: list[tuple[int, int, str]] = []
        buckets = self._buckets
        for m in self._anchors.finditer(text, pos, limit):
            p = m.start()
            for offset, rx in buckets[text[p]]:
                a = p - offset
                if a >= pos:
                    hit = rx.match(text, a, limit)
                    if hit is not None:
                        hits.append((a, hit.end(), hit.group()))
        if len(hits) > 1:
            hits.sort(key=lambda h: (h[0], -h[1]))
        last_end = -1
        for a, b, term in hits:
            if a >= last_end:
                last_end = b
                yield a, b, term

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """True when any term occurs in ``text[pos:endpos]``."""
        return next(self.finditer(text, pos, endpos), None) is not None

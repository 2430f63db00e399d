"""Many-term matching in one regex scan, compiled from a trie.

Python's ``re`` does not merge an alternation of literals, so ``a|b|c…`` with hundreds of
terms retries every term at every position. A trie-shaped pattern has one branch per first
character, so a scan costs about as much as for a single word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_END = ""
_Trie = dict[str, "_Trie"]


def _trie_pattern(node: _Trie) -> str:
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
    root: _Trie = {}
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
    # Characters of official Japanese prose by falling frequency (counted once over the
    # guideline text and clean example posts), then the remaining kana, punctuation and
    # digits.
    "のすし。をまに、るはいーでたとがて市用アン報情な等さりル本くトめ発行利信メれシィイこウ日や公らカ内かソャデ合だよお者う場ごも意け人松つ開きあ"
    "容せ定「」月対時（）事式ペ見職え理み民スジ管載ドラ務上活リクど解へ員所的分わそ運個受掲込関ホムタ要確会性認年ッキ不特正適体応っ長知投注策広記"
    "大表設止法稿間館政課成サ方予生及十プ始当次実明気コび書他守第保中ガじ目んブ・業全留以名録属別誤招道セ写真前施今口マ部図ネ必ワロ安点下出決各害"
    "項禁遵機又地覧入通城園付期集新休：午速ビ向手国災一グ自フ相含ポ防エオ届取後令急外責示ずテ電文断例頼条助為得権団了ち育申ダ庁窓支交動象子願無介"
    "ばびぶべぼほひふむゆぎぐげざずぞぜぬぷぴぺぽぱゅょぁぃぅぇぉゃろねちへ"
    "・()-/.:0123456789"
)
# Posts carry URLs, so the space and ASCII letters (by English frequency) are common too:
# ranked with the frequent kana, 「twitterで見つけた」 is anchored on 見, not on every w of www.
_COMMON = " " + _COMMON[:80] + "etaoinshrdlcumwfgypbvkjxqz" + _COMMON[80:]
_RANK = {ch: i for i, ch in enumerate(_COMMON)}


def _anchor(term: str) -> int:
    """Index of the rarest character of ``term`` (characters not in _COMMON are rarest)."""
    best, best_rank = 0, -1
    for i, ch in enumerate(term):
        rank = _RANK.get(ch, len(_COMMON))
        if rank > best_rank:
            best, best_rank = i, rank
    return best


_Bucket = tuple[int, re.Pattern[str], frozenset[str] | None, frozenset[str] | None]


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
        # anchor character -> [(offset of the anchor in the term, trie regex of the terms,
        # the characters that may stand just before / after the anchor)]: the neighbours
        # reject most candidates with a set lookup instead of a regex match.
        buckets: dict[str, list[_Bucket]] = {}
        for ch, by_offset in grouped.items():
            for k, ts in sorted(by_offset.items()):
                rx = trie_regex(ts)
                assert rx is not None
                before = frozenset(t[k - 1] for t in ts) if k else None
                after = (
                    None if any(len(t) == k + 1 for t in ts) else frozenset(t[k + 1] for t in ts)
                )
                buckets.setdefault(ch, []).append((k, rx, before, after))
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
            for offset, rx, before, after in buckets[m.group()]:
                a = p - offset
                if a >= pos:
                    if before is not None and text[p - 1] not in before:
                        continue
                    if after is not None and text[p + 1 : p + 2] not in after:
                        continue
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
        """True when any term occurs in ``text[pos:endpos]`` (stops at the first one)."""
        if self._anchors is None:
            return False
        limit = len(text) if endpos is None else endpos
        buckets = self._buckets
        for m in self._anchors.finditer(text, pos, limit):
            p = m.start()
            for offset, rx, before, after in buckets[m.group()]:
                a = p - offset
                if a < pos or (before is not None and text[p - 1] not in before):
                    continue
                if after is not None and text[p + 1 : p + 2] not in after:
                    continue
                if rx.match(text, a, limit) is not None:
                    return True
        return False

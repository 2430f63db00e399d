"""Cue patterns that skip ahead in C: a regex plus a character class of its first characters.

Python's ``re`` tries an alternation of many cue phrases at every position of the text,
which costs far more than the lexicon scan (:mod:`rules.matcher`). A :class:`Cue` computes,
once, the set of characters a match can start with; a search then lets one character-class
scan (in C) find the candidate positions and tries the full pattern only there. When the
first characters cannot be worked out (a leading optional part, ``.``, a negated class), it
falls back to the plain pattern. Results are exactly those of the pattern.

A cue is also *gated* on rare characters: from the parsed pattern it works out a set of
characters of which every match must contain at least one (for 「噂|デマ|未確認」 that is
one rare character per alternative: 噂, デ or マ, 確 …, each alternative on its rarest
required character, by the frequency table of :mod:`rules.matcher`). When none of them
occurs in the text, the cue cannot match and no regex runs at all. The characters of a
text are computed once per text (the last text is remembered), so a post with no rare
anchor of a family skips that family's regexes for the price of one set lookup.
"""

from __future__ import annotations

import importlib
import itertools
import operator
import re
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from .matcher import _COMMON, _RANK

if TYPE_CHECKING:
    from .context import Context
    from .family import RuleDoc
    from .model import Finding, Severity

# The parser ``re`` itself uses (Python 3.11+).
sre_constants: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

_MAXCHARS = 400
# Typical post text (written for this purpose) on which a cue's two search strategies are timed.
_SAMPLE = (
    "【お知らせ】11月3日（日）に松本城公園で秋の市民まつりを開催します。皆さまのご来場を"
    "お待ちしています。燃やせるごみの収集日は年末年始に変更になります。詳しくは市ホームページを"
    "ご覧ください。今週末は気温が下がる見込みです。体調管理にお気をつけください。市営住宅の"
    "入居者募集を行います。申込期間は5月1日から5月15日までです。熱中症警戒アラートが発表"
    "されました。こまめな水分補給をお願いします。地域包括支援センターでは高齢者の介護に関する"
    "相談を受け付けています。お問い合わせは市役所（0263-34-3000）まで。"
) * 2


class _Unknown(Exception):
    pass


def _weight(ch: str) -> float:
    """How often ``ch`` occurs in posts, roughly (Zipf over the frequency table)."""
    rank = _RANK.get(ch)
    return 1.0 / (rank + 1) if rank is not None else 1.0 / (4 * len(_COMMON))


def _required(items: list[Any]) -> frozenset[str] | None:
    """Characters of which every match of the parsed sequence holds at least one.

    None when no such set can be worked out (the sequence may match without a literal).
    Among the mandatory parts of a sequence, the one with the rarest characters is kept.
    """
    C: Any = sre_constants
    best: frozenset[str] | None = None
    best_cost = float("inf")
    av: Any
    for op, av in items:
        cand: frozenset[str] | None = None
        if op is C.LITERAL or op is C.IN:
            cand = _char_set(op, av)
        elif op is C.SUBPATTERN:
            if not av[1] & re.IGNORECASE:  # (?i:…) literals match other cases too
                cand = _required(list(av[3]))
        elif op is C.BRANCH:
            union: set[str] = set()
            for alt in av[1]:
                sub = _required(list(alt))
                if sub is None:
                    union = set()
                    break
                union |= sub
            cand = frozenset(union) if union else None
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            if av[0] >= 1:
                cand = _required(list(av[2]))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            cand = _required(list(av))
        if cand:
            cost = sum(_weight(c) for c in cand)
            if cost < best_cost:
                best, best_cost = cand, cost
    return best


# The characters of the last text a cue looked at: the same text object is searched by
# every cue of every family in one check, so its set is built once per check.
_last: tuple[str, frozenset[str]] = ("", frozenset())
# A few recent texts by content: families alternate between the post and one of its
# sentences, which the one-entry memo above would rebuild each time.
_recent: dict[str, frozenset[str]] = {}
_recent_grams: dict[str, frozenset[str]] = {}
_RECENT = 8
# Longer texts are neither kept nor indexed on pairs (their pair set would be large): their
# cues fall back to the plain pattern once a gate character is present.
_LONG = 20_000


def chars_of(text: str) -> frozenset[str]:
    """The set of characters of ``text`` (cached for the last few texts seen)."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    chars = _recent.get(text) if len(text) <= _LONG else None
    if chars is None:
        chars = frozenset(text)
        if len(text) <= _LONG:
            if len(_recent) >= _RECENT:
                _recent.clear()
            _recent[text] = chars
    _last = (text, chars)
    return chars


def grams_of(text: str) -> frozenset[str] | None:
    """The characters and the two-character substrings of ``text`` (cached like chars_of);
    None for a text longer than ``_LONG`` characters (then every pair counts as present)."""
    if len(text) > _LONG:
        return None
    grams = _recent_grams.get(text)
    if grams is None:
        grams = chars_of(text).union(map(operator.add, text, itertools.islice(text, 1, None)))
        if len(_recent_grams) >= _RECENT:
            _recent_grams.clear()
        _recent_grams[text] = grams
    return grams


def _has_any(gate: frozenset[str], text: str) -> bool:
    """Whether ``text`` may hold one of the characters or pairs of ``gate``."""
    grams = grams_of(text)
    return grams is None or not gate.isdisjoint(grams)


_MAX_PAIRS = 64  # two-character gates of one adjacent pair of character classes, at most


def _char_set(op: Any, av: Any) -> frozenset[str] | None:
    """The characters one parsed item matches, when it is exactly one of a few characters."""
    C: Any = sre_constants
    if op is C.LITERAL:
        return frozenset({chr(av)})
    if op is C.IN:
        chars: set[str] = set()
        for iop, iav in av:
            if iop is C.LITERAL:
                chars.add(chr(iav))
            elif iop is C.RANGE and iav[1] - iav[0] <= 64:
                chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
            else:
                return None
        return frozenset(chars) if chars else None
    return None


def _gram_cost(gram: str) -> float:
    if len(gram) == 1:
        return _weight(gram)
    # Two adjacent characters occur together far more rarely than either one alone.
    return min(_weight(gram[0]), _weight(gram[1])) * 0.2


def _required_grams(items: list[Any]) -> frozenset[str] | None:
    """Like :func:`_required`, but the set may also hold two-character strings.

    Two single-character items side by side (literals or small classes, nothing between
    them, not even a zero-width assertion) give the pairs they can form: every match then
    holds one of those two-character substrings. The cheapest mandatory part is kept.
    """
    C: Any = sre_constants
    best: frozenset[str] | None = None
    best_cost = float("inf")
    prev: frozenset[str] | None = None
    av: Any
    for op, av in items:
        cands: list[frozenset[str] | None] = []
        single = _char_set(op, av)
        if single is not None:
            cands.append(single)
            if prev is not None and len(prev) * len(single) <= _MAX_PAIRS:
                cands.append(frozenset(a + b for a in prev for b in single))
            prev = single
        else:
            prev = None
            if op is C.SUBPATTERN:
                if not av[1] & re.IGNORECASE:
                    cands.append(_required_grams(list(av[3])))
            elif op is C.BRANCH:
                union: set[str] = set()
                for alt in av[1]:
                    sub = _required_grams(list(alt))
                    if sub is None:
                        union = set()
                        break
                    union |= sub
                cands.append(frozenset(union) if union else None)
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
                if av[0] >= 1:
                    cands.append(_required_grams(list(av[2])))
            elif op is getattr(C, "ATOMIC_GROUP", None):
                cands.append(_required_grams(list(av)))
        for cand in cands:
            if cand:
                cost = sum(_gram_cost(g) for g in cand)
                if cost < best_cost:
                    best, best_cost = cand, cost
    return best


def _first_nullable(items: list[Any]) -> tuple[set[str], bool]:
    """First characters of a parsed sequence, and whether it can match the empty string.

    An optional part (``(まだ)?案``) contributes its first characters and lets the next
    part's count too. Raises :class:`_Unknown` for what cannot be enumerated.
    """
    C: Any = sre_constants
    out: set[str] = set()
    av: Any
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
            return out, False
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero-width: look at what follows
        if op is C.IN:
            for iop, iav in av:
                if iop is C.LITERAL:
                    out.add(chr(iav))
                elif iop is C.RANGE:
                    lo, hi = iav
                    if hi - lo > _MAXCHARS:
                        raise _Unknown
                    out.update(chr(c) for c in range(lo, hi + 1))
                else:
                    raise _Unknown
            return out, False
        if op is C.SUBPATTERN:
            sub, nullable = _first_nullable(list(av[3]))
        elif op is C.BRANCH:
            sub, nullable = set(), False
            for alt in av[1]:
                alt_first, alt_nullable = _first_nullable(list(alt))
                sub |= alt_first
                nullable = nullable or alt_nullable
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, _hi, item = av
            sub, nullable = _first_nullable(list(item))
            nullable = nullable or lo == 0
        else:
            raise _Unknown
        out |= sub
        if len(out) > _MAXCHARS:
            raise _Unknown
        if not nullable:
            return out, False
    return out, True


def _first(items: list[Any]) -> set[str] | None:
    """First characters of a parsed pattern; None when it can match the empty string."""
    chars, nullable = _first_nullable(items)
    return None if nullable else chars


def _split_top(source: str) -> list[str]:
    """``source`` split at its top-level ``|`` (outside groups and character classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source[i + 1 : i + 2] == "]":  # a literal ] first in the class
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts


def _wrapped(piece: str) -> str | None:
    """The inside of ``(?:…)`` when the group spans the whole piece."""
    if not (piece.startswith("(?:") and piece.endswith(")")):
        return None
    inner = piece[3:-1]
    depth, i, in_class = 0, 0, False
    while i < len(inner):
        ch = inner[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None  # 「(?:a)|(?:b)」 is two groups, not one
        i += 1
    return inner if depth == 0 else None


def _branches(source: str) -> list[str]:
    """The alternatives of ``source``, flattened through whole-piece ``(?:…)`` groups."""
    out = []
    for piece in _split_top(source):
        inner = _wrapped(piece)
        if inner is not None and len(_split_top(inner)) > 1:
            out.extend(_branches(inner))
        else:
            out.append(piece)
    return out


_MIN_BRANCHES = 4


class Cue:
    """A compiled cue pattern with a first-character prefilter (``search``/``finditer``).

    A cue of many alternatives is also *indexed* on its alternatives' rare characters: for
    a given text only the alternatives whose gate characters occur in it (and those with
    no gate) are searched, each compiled on its own, and the leftmost match wins (the
    earlier alternative at the same start, as in the alternation). An alternative left
    out cannot match anywhere in the text, so the matches are the same.
    """

    __slots__ = (
        "_always",
        "_branches",
        "_compiled",
        "_gates",
        "_index",
        "_index_chars",
        "_keeps",
        "_memo",
        "_pair_branches",
        "_pair_gate",
        "_starts",
        "gate",
        "pattern",
    )

    def __init__(self, source: str) -> None:
        self.pattern = re.compile(source)
        try:
            gate = (
                None
                if self.pattern.flags & re.IGNORECASE
                else _required(list(sre_parse.parse(source)))
            )
        except (re.error, RecursionError):
            gate = None
        #: Every match holds one of these characters (None: no gate could be worked out).
        self.gate: frozenset[str] | None = gate
        # The same with two-character substrings where the pattern has them (only kept
        # when it has some: a set of single characters would repeat ``gate``).
        pair_gate: frozenset[str] | None = None
        if gate is not None:
            try:
                pair_gate = _required_grams(list(sre_parse.parse(source)))
            except (re.error, RecursionError):
                pair_gate = None
        self._pair_gate = (
            pair_gate if pair_gate is not None and any(len(g) > 1 for g in pair_gate) else None
        )
        try:
            chars = _first(list(sre_parse.parse(source)))
        except (_Unknown, re.error, RecursionError):
            chars = None
        self._starts = (
            re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
            if chars and len(chars) <= _MAXCHARS
            else None
        )
        if self._starts is not None and not self._prefilter_pays():
            self._starts = None
        self._branches: list[str] = []
        self._gates: list[frozenset[str] | None] = []
        self._compiled: list[re.Pattern[str]] = []
        if gate is not None:
            branches = _branches(source)
            if len(branches) >= _MIN_BRANCHES:
                try:
                    gates = [_required_grams(list(sre_parse.parse(b))) for b in branches]
                    for b in branches:
                        re.compile(b)
                except (re.error, RecursionError):
                    gates = []
                if gates and sum(g is not None for g in gates) * 2 >= len(gates):
                    self._branches, self._gates = branches, gates
                    self._compiled = [re.compile(b) for b in branches]
        # The alternatives as bit masks: the ones with no gate, and by gate character the
        # ones that character opens. A text's alternatives are then the union of the masks
        # of the gate characters it holds (one set intersection in C, no loop over gates).
        self._always = 0
        index: dict[str, int] = {}
        for i, g in enumerate(self._gates):
            if g is None:
                self._always |= 1 << i
            else:
                for ch in g:
                    index[ch] = index.get(ch, 0) | 1 << i
        self._index = index
        self._index_chars = frozenset(index)
        self._pair_branches = 0  # the alternatives whose gate holds a two-character substring
        for i, g in enumerate(self._gates):
            if g is not None and any(len(x) > 1 for x in g):
                self._pair_branches |= 1 << i
        self._keeps: dict[int, tuple[int, ...] | None] = {}
        # The last text looked at and its alternatives: a family searches one text (the
        # post, or one sentence of it) with the same cue several times in a row.
        self._memo: tuple[str | None, tuple[int, ...] | None] = (None, None)

    def _prefilter_pays(self) -> bool:
        """Whether the prefilter beats ``re`` on typical post text (``re`` already skips
        ahead in C when every alternative starts with a literal; then it is faster)."""
        starts, pattern = self._starts, self.pattern
        assert starts is not None
        candidates = sum(1 for _ in starts.finditer(_SAMPLE))
        t0 = time.perf_counter()
        for _ in range(3):
            pattern.search(_SAMPLE)
        plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(3):
            for m in starts.finditer(_SAMPLE):
                pattern.match(_SAMPLE, m.start())
        filtered = time.perf_counter() - t0
        return candidates == 0 or filtered < plain

    def _kept(self, text: str) -> tuple[int, ...] | None:
        """Indices of the alternatives that can match in ``text``; None: all of them."""
        memo = self._memo
        if memo[0] is text:
            return memo[1]
        chars = chars_of(text)
        gate = self.gate
        keep: tuple[int, ...] | None
        pair_gate = self._pair_gate
        if (gate is not None and gate.isdisjoint(chars)) or (
            pair_gate is not None and not _has_any(pair_gate, text)
        ):
            keep = ()
        elif not self._branches:
            keep = None
        else:
            mask = self._always
            index = self._index
            grams = grams_of(text)
            if grams is None:  # no pairs: the alternatives gated on pairs all stay
                mask |= self._pair_branches
                present = self._index_chars.intersection(chars)
            else:
                present = self._index_chars.intersection(grams)
            for gram in present:
                mask |= index[gram]
            try:
                keep = self._keeps[mask]
            except KeyError:
                n = len(self._branches)
                kept = tuple(i for i in range(n) if mask >> i & 1)
                keep = None if len(kept) == n else kept
                if len(self._keeps) < 4096:
                    self._keeps[mask] = keep
        self._memo = (text, keep)
        return keep

    def _search_in(
        self, keep: tuple[int, ...], text: str, pos: int, end: int
    ) -> re.Match[str] | None:
        # Leftmost match; at the same start the earlier alternative wins, as in the
        # alternation itself (nothing follows it, so no backtracking crosses alternatives).
        best: re.Match[str] | None = None
        compiled = self._compiled
        for i in keep:
            m = compiled[i].search(text, pos, end)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def possible(self, text: str) -> bool:
        """False when the cue cannot match anywhere in ``text`` (no gate character in it)."""
        gate = self.gate
        if gate is not None and gate.isdisjoint(chars_of(text)):
            return False
        pair_gate = self._pair_gate
        return pair_gate is None or _has_any(pair_gate, text)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        keep = self._kept(text)
        if keep is not None:
            return self._search_in(keep, text, pos, end) if keep else None
        if self._starts is None:
            return self.pattern.search(text, pos, end)
        match = self.pattern.match
        for m in self._starts.finditer(text, pos, end):
            hit = match(text, m.start(), end)
            if hit is not None:
                return hit
        return None

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        keep = self._kept(text)
        if keep is not None:
            while keep and pos <= end:
                hit = self._search_in(keep, text, pos, end)
                if hit is None:
                    return
                yield hit
                pos = hit.end() if hit.end() > hit.start() else hit.start() + 1
            return
        if self._starts is None:
            yield from self.pattern.finditer(text, pos, end)
            return
        # One pass over the candidate positions (in C); a match is tried only where one
        # can start and where the previous match has ended.
        match = self.pattern.match
        allowed = pos
        for m in self._starts.finditer(text, pos, end):
            p = m.start()
            if p < allowed:
                continue
            hit = match(text, p, end)
            if hit is not None:
                yield hit
                allowed = hit.end() if hit.end() > p else p + 1

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        keep = self._kept(text)
        if keep is None:
            return self.pattern.match(text, pos, end)
        for i in keep:
            m = self._compiled[i].match(text, pos, end)
            if m is not None:
                return m
        return None


class CueSet:
    """A family's cue file, one :class:`Cue` per kind (``cues["modality"]``)."""

    __slots__ = ("kinds",)

    def __init__(self, kinds: dict[str, Cue]) -> None:
        self.kinds = kinds

    def __getitem__(self, kind: str) -> Cue:
        return self.kinds[kind]


#: ``keep(match, sentence_start, sentence_end)``: whether a cue match is reported.
Keep = Callable[[re.Match[str], int, int], bool]


def cue_findings(
    ctx: Context,
    cue: Cue | re.Pattern[str],
    doc: RuleDoc,
    *,
    keep: Keep | None = None,
    severity: Severity | None = None,
    clause: str | None = None,
) -> Iterator[Finding]:
    """The shared "cue + context window → finding" scan of the construction families.

    Every match of ``cue`` in the normalised text is one finding of rule ``doc`` (its
    clause and severity unless given), on the match's span, when ``keep`` (given the
    match and the bounds of its sentence) accepts it. The cue runs once over the whole
    text, not once per sentence; its gate (see :class:`Cue`) skips it when it cannot match.
    """
    text = ctx.norm.text
    cl = clause or doc.clause
    sev = cast("Severity", severity or doc.severity)
    for m in cue.finditer(text):
        a, b = m.start(), m.end()
        if keep is not None:
            s, e = ctx.sentence(a, b)
            if not keep(m, s, e):
                continue
        yield ctx.finding(
            ctx.norm,
            a,
            b,
            rule=doc.id,
            clause=cl,
            severity=sev,
            message=doc.format(ctx.display(ctx.norm, a, b), cl),
        )

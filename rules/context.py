"""Per-check context: the views of one text, its tokens (at most once), helpers."""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .model import Finding, Severity
from .normalize import View, build_views
from .tokens import Token, tokenize
from .urls import IpHit, TrustedLinks, UrlHit, extract

if TYPE_CHECKING:
    from .config import Config

_SENTENCE_END = re.compile(r"[。．！？!?\n]")
_DISPLAY_MAX = 40
_WINDOW = 400


class Context:
    """Everything a rule may read about the text being checked."""

    def __init__(
        self,
        text: str,
        config: Config,
        trusted: TrustedLinks | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.text = text
        self.config = config
        self.trusted = trusted if trusted is not None else TrustedLinks()
        self._data = data or {}
        self.norm, self.num = build_views(text)
        self._windows: dict[tuple[int, int], list[Token]] = {}
        self._bounds_cache: dict[int, tuple[list[Token], list[int], set[int], set[int]]] = {}

    def data(self, family: str) -> Any:
        """The data object family ``family`` loaded (see :mod:`rules.family`)."""
        return self._data[family]

    @cached_property
    def tokens(self) -> list[Token]:
        """Morphemes of the normalised text; tokenized on first use only."""
        return tokenize(self.norm.text)

    @cached_property
    def _links(self) -> tuple[list[UrlHit], list[IpHit]]:
        return extract(self.norm.text)

    @property
    def urls(self) -> list[UrlHit]:
        """Links and e-mail addresses in the normalised text."""
        return self._links[0]

    @property
    def ips(self) -> list[IpHit]:
        """IPv4 addresses in the normalised text."""
        return self._links[1]

    def tokens_in(self, a: int, b: int) -> list[Token]:
        """Tokens of the sentence around ``norm[a:b]`` (at most ±400 characters of it).

        Morphological analysis costs more than all the regex rules together, and most
        posts need none, so tokenization is lazy and per sentence: a sentence is tokenized
        at most once per check, on the first rule that asks, and every later rule gets the
        same tokens (Presidio's "tokenize once, share with every recognizer", applied to
        the sentences that need it rather than to the whole text).
        """
        s, e = self.sentence(a, b)
        s, e = max(s, a - _WINDOW), min(e, b + _WINDOW)
        key = (s, e)
        cached = self._windows.get(key)
        if cached is None:
            cached = tokenize(self.norm.text[s:e], s)
            self._windows[key] = cached
        return cached

    def _bounds(self, a: int, b: int) -> tuple[list[Token], list[int], set[int], set[int]]:
        tokens = self.tokens_in(a, b)
        key = id(tokens)
        found = self._bounds_cache.get(key)
        if found is None:
            starts = [t.start for t in tokens]
            found = (tokens, starts, set(starts), {t.end for t in tokens})
            self._bounds_cache[key] = found
        return found

    def token_at(self, i: int) -> Token | None:
        """The token of the normalised text that contains position ``i``."""
        tokens, starts, _, _ = self._bounds(i, i + 1)
        k = bisect.bisect_right(starts, i) - 1
        if k >= 0 and tokens[k].start <= i < tokens[k].end:
            return tokens[k]
        return None

    def on_token_boundaries(self, a: int, b: int) -> bool:
        """True when ``norm[a:b]`` starts and ends on morpheme boundaries."""
        _, _, starts, ends = self._bounds(a, b)
        return a in starts and b in ends

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [m.end() for m in _SENTENCE_END.finditer(self.norm.text)]

    def sentences(self) -> list[tuple[int, int]]:
        """Bounds in ``norm`` of every sentence (split at 。．！？!? and line breaks)."""
        out, start = [], 0
        for end in self._sentence_ends:
            if end > start:
                out.append((start, end))
            start = end
        if start < len(self.norm.text):
            out.append((start, len(self.norm.text)))
        return out

    def line_before(self, i: int) -> str:
        """The line before the one holding ``norm[i]`` (empty for the first line)."""
        text = self.norm.text
        line_start = text.rfind("\n", 0, i)
        if line_start <= 0:
            return ""
        prev_start = text.rfind("\n", 0, line_start) + 1
        return text[prev_start:line_start]

    def sentence(self, i: int, j: int | None = None) -> tuple[int, int]:
        """Bounds in ``norm`` of the sentence(s) around ``norm[i:j]``."""
        ends = self._sentence_ends
        k = bisect.bisect_right(ends, i)
        start = ends[k - 1] if k else 0
        k2 = bisect.bisect_left(ends, (j if j is not None else i + 1))
        end = ends[k2] if k2 < len(ends) else len(self.norm.text)
        return start, max(end, j or 0)

    def sentence_text(self, i: int, j: int | None = None) -> str:
        """Text of the sentence around ``norm[i:j]``."""
        a, b = self.sentence(i, j)
        return self.norm.text[a:b]

    def finding(
        self,
        view: View,
        i: int,
        j: int,
        *,
        rule: str,
        clause: str,
        severity: Severity,
        message: str,
    ) -> Finding:
        """A finding for ``view.text[i:j]`` with offsets into the original text."""
        start, end = view.span(i, j)
        return Finding(rule, clause, severity, start, end, self.text[start:end], message)

    def display(self, view: View, i: int, j: int) -> str:
        """Short, normalised form of a hit for use inside a message."""
        s = view.text[i:j].replace("\n", " ")
        return s if len(s) <= _DISPLAY_MAX else s[: _DISPLAY_MAX - 1] + "…"

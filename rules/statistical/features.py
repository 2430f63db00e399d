"""Sentence features of the statistical tier, shared by training and inference.

A sentence is the one the check itself uses (``Context.sentences``: split at 。．！？!? and
line breaks, on the normalised text), without white space at either end. Its features are
the characters, character bigrams and trigrams of the sentence with every ASCII digit read
as ``0``, taken as a set (binary features). The n-grams are cut once per post
(:class:`PostGrams`) and sliced per sentence.

Character n-grams need no morphological analysis, so the tier costs no tokenization: the
check tokenizes only the sentences a rule asks for, and tokenizing every sentence would cost
several times the tier's speed budget (docs/rules.md, "Statistical tier").
"""

from __future__ import annotations

from operator import add

#: Sentences shorter than this (after stripping) are not classified: 「】」, a bare date.
MIN_CHARS = 6

_DIGITS = str.maketrans("123456789", "000000000")
_SPACE = " \t\u3000\n"
_CLOSE = _SPACE + "。．！？!?"


class PostGrams:
    """The character n-grams of one post, position by position."""

    __slots__ = ("bi", "text", "tri")

    def __init__(self, text: str) -> None:
        self.text = text.translate(_DIGITS)
        self.bi = list(map(add, self.text, self.text[1:]))
        self.tri = list(map(add, self.bi, self.text[2:]))

    def sentence(self, a: int, b: int) -> set[str]:
        """The features of ``text[a:b]`` (bounds from :func:`sentence_bounds`)."""
        out = set(self.text[a:b])
        out.update(self.bi[a : b - 1])
        out.update(self.tri[a : b - 2])
        return out


def sentence_bounds(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``text[a:b]`` without white space at either end; None when too short to classify."""
    while a < b and text[a] in _SPACE:
        a += 1
    while b > a and text[b - 1] in _SPACE:
        b -= 1
    return (a, b) if b - a >= MIN_CHARS else None


def sentence_features(sentence: str) -> set[str]:
    """The features of one sentence on its own (training, tests)."""
    bounds = sentence_bounds(sentence, 0, len(sentence))
    if bounds is None:
        return set()
    return PostGrams(sentence).sentence(*bounds)


def span_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    """The span a finding points at: the sentence without its closing mark."""
    while b > a and text[b - 1] in _CLOSE:
        b -= 1
    return a, b

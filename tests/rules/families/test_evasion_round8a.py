"""Normalisation added from blind round 8a (own wording): a symbol put between each character
of a word, a dot spelt in kana in a link."""

from __future__ import annotations

import pytest

from rules import check

from .table import assert_invalid, assert_valid

INVALID = [
    ("入札の最★低★制★限★価★格は2,400万円です。", "confidential.non-public", "7(1)コ", "最★低"),
    ("申込はこちら bit (ドット) ly / abc123 から", "link.shortener", "5(9)", "bit (ドット) ly"),
    ("詳細は tinyurl ドット com/xyz9 へ", "link.shortener", "5(9)", "tinyurl ドット com"),
]
VALID = [
    "好き♡好き♡好き、夏のひまわり🌻ひまわり",
    "ルートは東→西→南の順に回ります。",
    "🎉お知らせ🎉 ドットコム通信の最新号です。",
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, ("confidential.non-public", "link.shortener", "confidential.marking"))
    assert all(text[f.start : f.end] == f.excerpt for f in check(text).findings)

"""Masked words, letter-spaced Japanese, threats and insults aimed at someone (blind round 3).

The rows are this project's own wording of the constructions, not the corpus posts.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    # One character of a lexicon word hidden behind a symbol.
    ("昨夜はエ○動画を見ていて寝不足です。", "obscene.term", "7(1)キ", "エ○動画"),
    ("受付のお姉さん、おっ□いが大きいね。", "obscene.term", "7(1)キ", "おっ□い"),
    # Paid sex offered or sought.
    ("駅前で会える方、パパ活のお相手を探しています。", "obscene.term", "7(1)キ", "パパ活"),
    # Japanese spelt out one character at a time still reads as the words.
    ("無断で駐車しても ば れ ま せ ん よ。", "illegal.encouragement", "7(1)ウ", "ば れ ま せ ん"),
    # A threat: going to someone's home, said as a warning.
    (
        "先日窓口で騒いだ方へ。次はご自宅まで伺いますからね。",
        "illegal.defamation",
        "7(1)ア",
        "ご自宅まで伺いますからね",
    ),
    # Contempt aimed at a named official or a business named in hiragana.
    ("市議会の北村議員は頭が悪すぎて困ります。", "illegal.defamation", "7(1)ア", "頭が悪"),
    ("駅前のひかり不動産は悪徳業者です。", "illegal.defamation", "7(1)ア", "悪徳業者"),
]

VALID = [
    ("〇×クイズ大会を開きます。", ("obscene.term",)),
    ("○○町の皆さん、回覧板をご覧ください。", ("obscene.term",)),
    ("伝統の野球拳おどりを披露します。", ("obscene.term",)),
    ("援助交際の被害防止について、学校で講話を行いました。", ("obscene.term",)),
    ("開館日：月 水 金（祝日を除く）", ("illegal.encouragement", "obscene.term")),
    ("市長 佐藤 太郎が出席します。", ("illegal.defamation",)),
    ("ご自宅まで伺いますので、ご在宅の日時をお知らせください。", ("illegal.defamation",)),
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

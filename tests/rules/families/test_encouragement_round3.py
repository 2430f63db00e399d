"""Rule-breaking acts waved through (7(1)ウ), constructions added from blind round 3.

Own wording; each VALID row is the ordinary use of the same words.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("illegal.encouragement",)

INVALID = [
    ("ごみは夜に河川敷へ置いてくれば、見てる人はいないので平気です。", "見てる人はいない"),
    ("空き家の届出は出さなくてもノーチェックですよ。", "ノーチェック"),
    ("駅裏の路上は夜はとりしまりゼロ、停め放題です。", "停め放題"),
    ("駐車禁止の通りですが、取り締まりがないので停めて大丈夫です。", "取り締まりがない"),
    ("限定チケットは転売サイトで定価の3倍で売れますよ。", "定価の3倍で売れ"),
    ("大麻は体にいいので、少しなら問題ないと思います。", "大麻は体にいい"),
    ("畑を荒らすカラスは毒餌で駆除すると早いです。", "毒餌で駆除"),
    ("他人の山でも少しなら勝手に入って採ってOKです。", "採ってOK"),
]

VALID = [
    "いちご狩りは30分間、食べ放題・採り放題です。",
    "無料駐車場は200台、終日停め放題です。",
    "ノーマークだった選手が優勝しました。",
    "手荷物の検査はありません。お気軽にお越しください。",
    "大麻の乱用防止を呼びかける街頭キャンペーンを行いました。",
    "ネズミの駆除には、毒餌の置き場所に注意が必要です。子どもやペットが触れない場所に置いてください。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "illegal.encouragement", "7(1)ウ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

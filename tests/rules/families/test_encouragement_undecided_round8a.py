"""7(1)ウ and 7(2)キ(ウ) constructions added from blind round 8a (own wording)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    (
        "illegal.encouragement",
        "7(1)ウ",
        "飲み会のあと、タクシー呼ばなくても取り締まりはないから平気。",
        "タクシー呼ばなくても",
    ),
    (
        "illegal.encouragement",
        "7(1)ウ",
        "自治会の旅行、夜はポーカーで1000点50円で遊ぼう",
        "1000点50円",
    ),
    (
        "illegal.encouragement",
        "7(1)ウ",
        "空き地に車を停めても、ここは見逃してくれるよ。",
        "見逃してくれる",
    ),
    (
        "illegal.encouragement",
        "7(1)ウ",
        "古い家電はバレないように夜中に山へ捨ててる人もいる。",
        "バレないように",
    ),
    (
        "undecided.policy",
        "7(2)キ(ウ)",
        "春のさくらまつり、会場を河川敷から市民広場に移す方向で協議しています。",
        "市民広場に移す方向",
    ),
    (
        "undecided.policy",
        "7(2)キ(ウ)",
        "北小と南小の統廃合、北小が廃止される見込みです。",
        "見込み",
    ),
]
VALID = [
    "母の日のカード、ママにバレないように学童でこっそり描きました。",
    "朝の公園ではみんなやってるよ！ 太極拳、初めての方も歓迎です。",
    "健康麻雀の教室、参加費は1回500円です。",
    "講演会の会場は調整中です。決まり次第お知らせします。",
]


@pytest.mark.parametrize(("rule", "clause", "text", "excerpt"), INVALID)
def test_invalid(rule: str, clause: str, text: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, ("illegal.encouragement", "undecided.policy"))

"""7(1)ウ act + reassurance (rules/encouragement)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("illegal.encouragement",)

INVALID = [
    (
        "空き地に粗大ごみを置いてきても、どうせバレないよ。",
        "粗大ごみを置いてきても、どうせバレない",
    ),
    ("確定申告で副収入を書かなくても、まず調べられません。", "調べられません"),
    ("あの交差点は検問なんてやってないから、少し飲んでても運転して平気。", "検問なんてやってない"),
    ("駅前の歩道に自転車を停めちゃえば大丈夫、夜は取り締まりもないし。", "停めちゃえば大丈夫"),
    ("コンサートのチケット、転売もOKだよ。", "転売もOK"),
    ("深夜にこっそり河原で燃やしちゃえばいい。", "深夜にこっそり河原で燃やしちゃえ"),
    ("通行止めの林道も、係員がいないので早朝なら入れちゃいます。", "係員がいないので"),
]
VALID = [
    "雨が降っても大丈夫、屋根のある会場です。",
    "駐車場に停めても大丈夫です。料金は無料です。",
    "「バレないだろう」という油断が事故につながります。",
    "不法投棄はバレないと思っていませんか。防犯カメラで監視しています。",
    "夜間のパトロールを強化し、違法駐車を取り締まります。",
    "お子さま連れでも大丈夫です。どうぞお越しください。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "illegal.encouragement", "7(1)ウ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

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
    # round 3: a prohibition acknowledged and a way round it; "everyone does it"; kana
    ("遊泳禁止だけど、岩場の裏から入ればちゃんと泳げるしOKです。", "遊泳禁止だけど"),
    ("この公園の花火はダメだけど、端っこでやれば大丈夫。", "ダメだけど"),
    ("ゴミの持ち込みは、少量なら通報されないよ。", "通報されない"),
    ("夜の駐車は取り締まりがゆるいからﾊﾞﾚﾅｲ。", "ﾊﾞﾚﾅｲ"),
    ("空き缶を川に流しても平気、みんなやってるし。", "みんなやってる"),
    ("粗大ごみは林道の脇に置いとけばいいよ。誰も見てないし。", "林道の脇に置いとけば"),
]
VALID = [
    "雨が降っても大丈夫、屋根のある会場です。",
    "駐車場に停めても大丈夫です。料金は無料です。",
    "「バレないだろう」という油断が事故につながります。",
    "不法投棄はバレないと思っていませんか。防犯カメラで監視しています。",
    "夜間のパトロールを強化し、違法駐車を取り締まります。",
    "お子さま連れでも大丈夫です。どうぞお越しください。",
    "遊泳禁止の区域には入らないでください。違反すると罰せられます。",
    "みんなやってる体操を、今年も公民館で行います。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "illegal.encouragement", "7(1)ウ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

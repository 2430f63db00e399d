"""7(1)イ constructions added from blind round 4 (own wording, not the corpus).

A group pointed back to (ああいう人たち, あそこは), a crime pinned on a group, segregation and
unequal treatment, hiring by sex, marriage opposed for an origin, agreeing with a remark, a
slur with one letter masked; a quoted prejudice answered with facts stays quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("discrimination.generalisation", "discrimination.term")

INVALID = [
    (
        "駅裏の市営住宅の人が最近よく相談に来ます。ああいう人たちは役所に頼りすぎで迷惑です。",
        "discrimination.generalisation",
        "ああいう人たちは役所に頼りすぎで迷惑",
    ),
    (
        "畑の野菜を盗んだのは、たぶん近くの寮の外国人だと思う。",
        "discrimination.generalisation",
        "盗んだのは",
    ),
    (
        "車いすの人は、準備が大変なので別の日に分けて参加してもらいましょう。",
        "discrimination.generalisation",
        "別の日に分け",
    ),
    (
        "パートさんには正社員と同じ扱いにする必要はないと思います。",
        "discrimination.generalisation",
        "正社員と同じ扱いにする必要はない",
    ),
    (
        "外国籍の申込者の書類は、受付で少し厳しめにチェックしています。",
        "discrimination.generalisation",
        "厳しめにチェック",
    ),
    (
        "窓口の担当を採るなら女性がいいですね。",
        "discrimination.generalisation",
        "採るなら女性がいい",
    ),
    (
        "付き合っている人の実家があの地区なら、うちの親は反対するだろうな。",
        "discrimination.generalisation",
        "付き合っている人の実家があの地区なら、うちの親は反対",
    ),
    (
        "課長が「シングルマザーの人はすぐ休むから重要な担当は任せない」と言っていて、私も同感でした。",
        "discrimination.generalisation",
        "私も同感",
    ),
    ("あの子、ガ●ジみたいな走り方だった。", "discrimination.term", "ガ●ジ"),
]

VALID = [
    "「外国人が増えると犯罪が増える」という声がありますが、統計上そのような事実はありません。",
    "特別支援学級の子どもたちが育てた花を、市役所のロビーに飾りました。",
    "車いすの方も参加できるよう、会場にはスロープを用意しています。",
    "犯人は現在も逃走中です。不審な人物を見かけたら110番通報してください。",
    "パートの方も正社員と同じように、有給休暇を取得できます。",
    "審査は書類の内容で行い、国籍による違いはありません。",
    "結婚や出身地を理由にした差別をなくすための講演会を開きます。",
    "〇〇地区の公民館は、耐震工事のため別の日程に変更します。",
    "あそこの公園は桜がきれいなので、ぜひ行ってみてください。",
]


@pytest.mark.parametrize(("text", "rule", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, excerpt: str) -> None:
    assert_invalid(text, rule, "7(1)イ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""Non-public information by its content (7(1)コ, 7(1)エ, 7(1)サ), blind round 5: what a kept
marking marks (the rest of its sentence and the next one), a 'not announced yet, but' frame
and what it introduces, telling it ahead of the announcement, an investigation's findings,
an examination's questions, a disciplinary case before it is announced, the other side's
bottom line in a land negotiation, a review's scores, a closed session's content, a
division-only marking, a move to a named division after the informal notice; quiet for ㊙ as
a feature's title and 非公開 in an explainer of the disclosure ordinance.

Own wording; VALID rows are what a city does publish about the same subjects.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("confidential.marking", "confidential.non-public", "confidential.marked-content")

INVALID = [
    (
        "部外秘の封筒が届いた。開けてみたら来年度の組織図だった。",
        "来年度の組織図",
        "confidential.marked-content",
        "7(1)サ",
    ),
    (
        "取扱注意の名簿を渡された。見たら知り合いの名前がたくさん。",
        "見たら知り合いの名前",
        "confidential.marked-content",
        "7(1)エ",
    ),
    (
        "公表はまだしてないけど、今年の応募者は去年の半分くらい。",
        "公表はまだしてないけど",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "点数はまだ出してないけど、うちの地区が一番低かった。",
        "うちの地区が一番低かった",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "プレスリリースより先に書いちゃいます。新しい図書館は駅の北側です。",
        "新しい図書館は駅の北側",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "調査中の不正請求の件、相手は市内の介護事業所なんだって。",
        "相手は市内の介護事業所",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "昇任試験の面接の質問、今回は『職場の改善』について聞かれるはず。",
        "面接の質問、今回は",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "減給になるのは会計課の主査らしい。まだ発表されてない。",
        "減給になるのは会計課の主査",
        "confidential.non-public",
        "7(1)エ",
    ),
    (
        "買い取りの件、売主さんは1㎡あたり8万までなら手を打つって。",
        "1㎡あたり8万までなら手を打つ",
        "confidential.non-public",
        "7(1)エ",
    ),
    (
        "選考の評価表、うちの団体は41点でぎりぎりだった。",
        "評価表、うちの団体は41点",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "秘密会では、副市長が辞任をほのめかしたらしい。",
        "秘密会では",
        "confidential.marking",
        "7(1)コ",
    ),
    (
        "係内限定のメモによると、来月から窓口が2つ減るみたい。",
        "係内限定",
        "confidential.marking",
        "7(1)エ",
    ),
    (
        "内々示が出た。主任は福祉課へ行くことに。",
        "主任は福祉課へ",
        "confidential.non-public",
        "7(1)エ",
    ),
]

VALID = [
    "まだ公表していませんが、決まり次第ホームページでお知らせします。",
    "警察が捜査中の事件については、お答えを控えさせていただきます。",
    "採用試験の過去の出題テーマは、今年もホームページでご覧いただけます。",
    "審査の結果、評価表で60点以上の団体を採択しました。配点は要綱のとおりです。",
    "㊙スポット探訪！地元の人しか知らない夕日の名所を紹介します。",
    "情報公開条例で定める非公開情報に当たる部分は、公開できない場合があります。",
    "懲戒処分の指針は、市のホームページで公開しています。",
    "用地交渉の進め方について、地権者の皆さまへの説明会を開きます。",
]


@pytest.mark.parametrize(("text", "excerpt", "rule", "clause"), INVALID)
def test_invalid(text: str, excerpt: str, rule: str, clause: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

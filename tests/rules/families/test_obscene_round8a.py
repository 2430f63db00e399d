"""7(1)キ constructions added from blind round 8a (own wording, not the corpus).

Someone's underwear looked into as a privilege (下着の柄までチェック); sexual material passed
round or watched together, a partner sought (探すなら) or a place recommended (が穴場) after a
sexual word, joined to its finding; a person's genitals named by a euphemism (男性のアソコ).
Lost property, a recommendation without a sexual word, and あそこ as "over there" stay quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("obscene.term",)

INVALID = [
    ("運動会の応援団の女子、下着の柄までしっかりチェックさせてもらいました。", "柄までしっかり"),
    ("寄贈されたエロ本、倉庫でみんなで回し見してます(笑)", "回し見"),
    ("出会い系で若い子を漁るなら、駅裏のネットカフェが穴場です。", "漁るなら"),
    ("直売所のにんじん、女性の下半身みたいな形で話題です。", "女性の下半身みたいな"),
    ("このきのこ、どう見てもアソコそっくりですね♡", "アソコそっくり"),
]

VALID = [
    "忘れ物の下着は、体育館の事務室でお預かりしています。色や柄をお知らせください。",
    "駅裏のネットカフェが、夜勤明けの休憩に穴場です。",
    "図書館の絵本を、子どもたちとみんなで回し読みしました。",
    "あそこの信号を右に曲がると、男性の職員がご案内します。",
    "申込書の記入内容を確認させてもらいました。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "obscene.term", "7(1)キ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

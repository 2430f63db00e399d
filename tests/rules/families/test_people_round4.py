"""People identified by more than a name (7(1)エ, 7(1)ク), blind round 4: the home named
beside the person (a 丁目, a 団地 block, 「〇〇在住」 in brackets), a place word before 「の」
and a full name, an age bracket that carries more than the age, a class (「4年1組の」), the
life or health detail the same sentence gives, a child's kana name in brackets, a birth date
given for one person, and the portrait in a caption or a shelter list (7(1)ク as well).

Own wording; VALID rows are posts a city does publish about people and places.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("pii.named-person", "pii.birth-date")

INVALID = [
    # the home beside the name
    (
        "見守りの対象は、南原町二丁目の石田キヨさんです。",
        "pii.named-person",
        "7(1)エ",
        "南原町二丁目",
    ),
    (
        "苦情をくださったのは、さくら団地3号棟の野口さんです。",
        "pii.named-person",
        "7(1)エ",
        "3号棟",
    ),
    ("表彰されたのは高畑義男さん（青葉町在住）です。", "pii.named-person", "7(1)エ", "青葉町在住"),
    (
        "窓口に来られた大沢の川村清子さん（79）は、一人暮らしで不安だそうです。",
        "pii.named-person",
        "7(1)エ",
        "一人暮らし",
    ),
    # an age bracket that carries more
    ("当選は荒木正人さん（58・本町在住）でした。", "pii.named-person", "7(1)エ", "58・本町在住"),
    # a class, and the portrait in a caption
    (
        "入賞作品の写真です。4年1組の森田結衣さん、おめでとう！",
        "pii.named-person",
        "7(1)エ",
        "4年1組",
    ),
    (
        "入賞作品の写真です。4年1組の森田結衣さん、おめでとう！",
        "pii.named-person",
        "7(1)ク",
        "森田結衣さん",
    ),
    # a shelter list is the person's whereabouts
    (
        "【安否情報】公民館に避難されている方：大野みさきちゃん（6歳）。",
        "pii.named-person",
        "7(1)ク",
        "みさきちゃん（6歳）",
    ),
    # a child's kana name in brackets
    (
        "保護したのは小学1年生の女の子（ゆいちゃん）でした。",
        "pii.named-person",
        "7(1)エ",
        "ゆいちゃん",
    ),
    # the same sentence's health detail, before the name
    (
        "参加者には糖尿病の方が2人いて、その一人が中西テルさん（77）です。",
        "pii.named-person",
        "7(1)エ",
        "糖尿病",
    ),
    # one person's birth date
    (
        "生年月日が平成2年3月9日の方、財布が届いています。",
        "pii.birth-date",
        "7(1)エ",
        "平成2年3月9日",
    ),
]

VALID = [
    "中央公民館の田中さんが、そば打ち講座の講師を務めます。",
    "みどり台地区の皆さん、ごみの出し方にご協力ください。",
    "今年は3丁目の公園で盆踊りを開きます。",
    "4年1組の皆さんが育てたアサガオが咲きました。",
    "生年月日が平成20年4月2日から平成21年4月1日までの方が対象です。",
    "避難所の開設状況は市ホームページでお知らせしています。",
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

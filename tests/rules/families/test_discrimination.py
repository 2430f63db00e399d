"""7(1)イ group + generalisation / exclusion (rules/discrimination)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("discrimination.generalisation", "discrimination.term")

INVALID = [
    ("留学生はだいたい夜中までうるさいので困ります。", "留学生はだいたい夜中までうるさい"),
    ("派遣社員に大事な仕事は任せられない。", "派遣社員に大事な仕事は任せられない"),
    ("市営住宅の人たちは、ゴミのルールを守らない。", "市営住宅の人たちは、ゴミのルールを守らない"),
    ("〇〇教の信者には会議室を貸したくない。", "信者には会議室を貸したくない"),
    ("窓口の受付は日本人のみでお願いしたい。", "日本人のみ"),
    ("夜うるさいのは、大抵ベトナム人の若者です。", "うるさい"),
    ("母子家庭の子は勉強ができない傾向がある。", "母子家庭の子は勉強ができない"),
    # round 3: origin as a place, differential treatment, gendered prescriptions, kana slurs
    ("あの集落の出身だと、就職で敬遠されるのは仕方ない。", "集落の出身"),
    ("ブラジル人は申込みの審査を厳しめにした方がいい。", "審査を厳しめにした方が"),
    ("信仰をやってる人たちにはホールを使わせない方がいい。", "使わせない方がいい"),
    ("障がい者枠で採用された人って、正直使い物にならない。", "使い物にならない"),
    ("男の子なんだから、人前で泣くなんてするな。", "男の子なんだから"),
    ("水商売の人に子育ての手当なんていらないよね。", "手当なんていらない"),
    ("ｶﾞｲｼﾞﾝには部屋を貸さない方がいい。", "貸さない方がいい"),
]
VALID = [
    "外国人の方も利用できます。多言語の窓口をご案内します。",
    "高齢者の方は無理をせず、こまめに休憩してください。",
    "女性の消防職員を募集しています。性別に関係なく応募できます。",
    "「障害者は仕事ができない」という思い込みをなくしましょう。",
    "留学生の皆さん、ようこそ松本へ！",
    "ひとり親家庭への支援金の申請を受け付けています。",
    "県外の出身の方も、移住支援の対象になります。",
    "女の子だから、男の子だからという決めつけをやめましょう。",
    "審査を厳しくした方がいいとの意見がありましたが、国籍による区別は行いません。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "discrimination.generalisation", "7(1)イ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

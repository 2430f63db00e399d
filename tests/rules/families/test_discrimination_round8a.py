"""7(1)イ constructions added from blind round 8a (own wording, not the corpus).

A group named by where its people came from (アフリカから来た人), belittled as decoration or a
burden or expected to fail (お飾り, 足手まとい, 期待できない), said to cause trouble or to have
no sense of duty; a service or a place kept for the majority (日本国籍の方に限り) or the majority
put first (健常者を優先), read before 優先 makes a sentence look supportive; a group of its own in
a sentence that also states a preference; the next sentence going on about the group with no
group named (どうせ…). The opposite (に限らず), priority for those who need it, and an argument
against favouring the majority stay quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("discrimination.generalisation",)

INVALID = [
    ("アフリカから来た人は約束を守らないので、シフトには入れにくいです。", "アフリカから来た人"),
    ("男性の保育士さんは正直足手まといで、戦力にならないと思っています。", "足手まとい"),
    ("市民農園の区画は、日本国籍の方に限り貸し出しています。", "日本国籍の方に限"),
    ("体育館の予約が重なった場合は、健常者のチームを優先します。", "健常者のチームを優先"),
    ("パートさんに鍵の管理は任せられない。どうせ責任感もないし、すぐ辞めるし。", "責任感もないし"),
    ("女の職員には夜間の当直は任せられないので、当直は男性のみ採用します。", "女の職員には"),
]

VALID = [
    "国籍に限らず、どなたでも市民農園に申し込めます。",
    "日本人のお客様に限らず、海外からのお客様にも楽しんでいただけます。",
    "優先席は高齢者や妊婦さんを優先してください。",
    "アフリカから来た留学生の皆さんが、小学校で母国の料理を紹介してくれました。",
    "「日本人を優先すべき」という意見には、差別につながるので反対です。",
    "女性の団員さんが、今年も炊き出し訓練の中心になってくれました。",
    "パートさんの募集を始めました。どうせなら一緒に楽しく働きましょう。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "discrimination.generalisation", "7(1)イ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

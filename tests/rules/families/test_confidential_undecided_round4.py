"""Confidential frames and undecided plans (7(1)エ/コ, 7(2)キ(ウ)), blind round 4.

A frame such as 「ここだけの話」 says that what follows was learned at work: the finding
reaches the sentence it introduces, under 7(1)エ, and leaves an undecided plan to the
undecided-policy rule. A marked document's plan for next year is undecided. A plan stated
as a direction without a particle, an option still on the table, a cut that may happen,
kana readings (ひこうかい, 調整ちゅう), 内部の試算 as a marking.

Own wording; VALID rows are what a city does publish.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    # the frame reaches what it introduces
    (
        "ここだけの話、福引の一等は最終日まで箱に入れないそうです。",
        "confidential.marking",
        "7(1)エ",
        "一等は最終日まで",
    ),
    (
        "今年度の入札に参加したのは3社だけでした。まだ内緒ですが。",
        "confidential.marking",
        "7(1)エ",
        "参加したのは3社",
    ),
    # a marked document's plan for next year
    (
        "【内部資料】次年度の図書館分館の閉鎖候補は、北分館と西分館です。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "次年度の図書館分館の閉鎖候補",
    ),
    (
        "機密性2の資料によると、来年度の敬老祝金は一律2割削減の方針です。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "来年度の敬老祝金",
    ),
    # a direction with no particle, an option on the table, a possible cut
    ("旧庁舎の跡地は、市が買い取る方向。", "undecided.policy", "7(2)キ(ウ)", "方向"),
    (
        "体育館の改修は、取り壊しも選択肢に入っています。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "選択肢に入って",
    ),
    (
        "来年度予算で、保育料の補助が減らされる可能性があります。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "可能性があります",
    ),
    ("ごみ袋の値上げは、まだ検討ちゅうです。", "undecided.policy", "7(2)キ(ウ)", "検討ちゅう"),
    # markings
    ("内部の試算では、新駅の整備費は80億円です。", "confidential.marking", "7(1)エ", "内部の試算"),
    (
        "ひこうかいの選考会で聞いた話では、採択は3件だけでした。",
        "confidential.marking",
        "7(1)コ",
        "ひこうかい",
    ),
]

VALID = [
    # a frame before an undecided plan is the undecided finding's, not a second one
    "ここだけの話、来年度から公民館の使用料を値上げする方向で調整中です。",
    # a next-year plan in a post with no marking is announced policy
    "来年度の敬老祝金は、これまでどおり支給する予定です。",
    # the ordinary sense of 方向 and 可能性
    "駅の方向に進むと、右手に市役所があります。",
    "大雨の際は、道路が冠水する可能性があります。ご注意ください。",
    "図書館の臨時休館日は未定です。決まり次第お知らせします。",
]

RULES = ("confidential.marking", "undecided.policy")


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


def test_frame_before_a_plan_leaves_it_to_undecided() -> None:
    text = VALID[0]
    assert_invalid(text, "undecided.policy", "7(2)キ(ウ)", "方向で調整")
    assert_valid(text, ("confidential.marking",))


@pytest.mark.parametrize("text", VALID[1:])
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""Context that makes a risky-looking word harmless, across families.

Each VALID row is an ordinary post whose wording a word list would hold up; each INVALID row
is the nearest violation, which must still be caught (so the frame is not a blanket pass).
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    # A resident's number stays personal when the household is named.
    (
        "佐藤宅の電話 0263-48-1234 まで連絡してください。",
        "pii.landline-phone",
        "7(1)エ",
        "0263-48-1234",
    ),
    # A living person's birth date.
    ("申請者は1988年5月3日生まれの男性です。", "pii.birth-date", "7(1)エ", "1988年5月3日生まれ"),
    # A marking quoted as a marking, not as a title.
    (
        "資料に「部外秘」と書いてありますが、ここで共有します。",
        "confidential.marking",
        "7(1)サ",
        "部外秘",
    ),
    # The rumour itself, without a debunk.
    ("未確認ですが、明日は浄水場が止まるそうです。", "rumour.hearsay", "7(1)カ", "未確認"),
    # A city measure not yet decided.
    ("新庁舎は駅前に移転する見込みです。", "undecided.policy", "7(2)キ(ウ)", "見込み"),
]

VALID = [
    # Offices: 住宅 is not a household (宅), and a heading names the facility.
    ("お問い合わせは市営住宅課（電話 0263-48-1234）まで。", ("pii.landline-phone",)),
    (
        "【東町公民館】\n開館時間が変わります。\n9:00〜21:00\nTEL 0263-48-1234",
        ("pii.landline-phone",),
    ),
    # Historical figures: not a living individual's personal information.
    ("野口英世（1876年11月9日生まれ）の生涯をたどる展示を開きます。", ("pii.birth-date",)),
    ("郷土の画家・森川（明治12年3月14日生まれ）の作品展です。", ("pii.birth-date",)),
    # A marking word inside a programme title.
    ("ラジオ番組『役所のマル秘ニュース』で、新しい図書館を紹介します。", ("confidential.marking",)),
    # 未確認生物 is a cryptid, not unconfirmed information; a debunk frame.
    ("未確認生物を探す親子イベントを開きます。", ("rumour.hearsay",)),
    (
        "「明日から断水する」という投稿が広まっていますが、そのような事実はありません。"
        "不確かな情報を転送しないでください。",
        ("rumour.hearsay",),
    ),
    # A weather forecast is not an undecided policy.
    ("台風は今夜、本市に最も近づく見込みです。早めの備えをお願いします。", ("undecided.policy",)),
    # A fraud hashtag on a warning post.
    (
        "市の職員を名乗る電話の相談が相次いでいます。市が電話で口座番号を聞くことはありません。#特殊詐欺",
        ("illegal.content",),
    ),
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)


def test_closing_date_of_a_hall_is_policy_but_a_holiday_is_not() -> None:
    assert_invalid(
        "公民館の閉館時期は未定ですが、令和10年度末で調整しています。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "未定",
    )
    assert_valid("図書館の臨時休館日は未定です。決まり次第お知らせします。", ("undecided.policy",))

"""Undecided policy (7(2)キ(ウ)), blind round 6: what the plan would do, said around an
undecided remark (a rate that goes up, a facility closed or moved, a line in next year's
budget), a budget still being assessed, a plan spoken of as talk that has come up, a dialect
"may", a document marked 関係者限り with the plan in it.

Own wording; VALID rows are weather, a decided change, a quoted rule.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

R, C = "undecided.policy", "7(2)キ(ウ)"

INVALID = [
    ("下水道使用料は協議中ですが、15%程度の値上げになる見込みです", "15%程度の値上げになる"),
    ("調整中だけど、児童館は公民館と統合の方向", "統合の方向"),
    ("駅前広場の整備、再来年度の予算に入る予定。まだ査定中やけど", "予算に入る"),
    ("公民館の土日開館をやめる話が上で出てるらしい", "やめる話が上で出てる"),
    ("児童公園の古い遊具、来年にはなくなるかもしれん", "かもしれん"),
    ("幹部会議資料（関係者限り）によると、旧庁舎は来春に解体予定", "解体予定"),
]

VALID = [
    "明日のお祭り、雨で中止になるかもしれません",
    "4月から図書館の開館時間が変わります。詳しくはホームページで",
    "研修で「まだ決まっていない計画は発信しない」と確認しました",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, R, C, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, (R,))

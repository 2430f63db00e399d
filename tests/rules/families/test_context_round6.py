"""False alarms of blind round 6, fixed by context (own wording): a person the post says agreed
to be named, someone named in a public office, 非公開 as the disclosure ordinance's term or an
announced closed session, a list of prohibited uses after 無断転載, a quoted rule about undecided
information, a fake site's address named in the warning about it. The INVALID rows are the
same words where they do leak or mislead.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

VALID = [
    (
        "米寿を迎えられた本町の佐藤ハルさんに記念品をお贈りしました（ご本人の了承を得て掲載）",
        ("pii.named-person",),
    ),
    ("副市長 田中一郎は本日、〇〇中学校の卒業式で式辞を述べました", ("pii.named-person",)),
    (
        "開示請求の結果、法人の事業上の秘密など非公開情報に該当する部分は黒塗りになります",
        ("confidential.marking", "confidential.marked-content"),
    ),
    (
        "本日の農業委員会で、1件の案件は非公開で審議されました。",
        ("confidential.marking", "confidential.marked-content"),
    ),
    ("ロゴマークの無断転載、無断複製は禁止です", ("rights.reprint",)),
    ("研修資料より：「まだ決まっていない計画は、個人の投稿で発信しない」", ("undecided.policy",)),
    (
        "市を名乗るフィッシングメールが届いています。example-city-pay.com などのリンクは開かないでください",
        ("link.third-party",),
    ),
]

INVALID = [
    (
        "米寿を迎えた本町の佐藤ハルさん（090-2233-4455）",
        "090-2233-4455",
        "pii.mobile-phone",
        "7(1)エ",
    ),
    ("非公開の資料に書いてあったけど、あの案件は否決", "非公開", "confidential.marking", "7(1)コ"),
    ("ロゴの無断転載しちゃいました", "無断転載", "rights.reprint", "7(1)ク"),
    (
        "キャンペーン詳細は example-city-pay.com へ",
        "example-city-pay.com",
        "link.third-party",
        "7(2)エ",
    ),
]


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)


@pytest.mark.parametrize(("text", "excerpt", "rule", "clause"), INVALID)
def test_invalid(text: str, excerpt: str, rule: str, clause: str) -> None:
    assert_invalid(text, rule, clause, excerpt)

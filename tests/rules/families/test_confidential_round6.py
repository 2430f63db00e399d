"""Non-public and marked information (7(1)コ, 7(1)サ), blind round 6: a closed council session
and what was said in it, a non-disclosure spelt in kana, a document designated secret or
marked against copying (also quoted in 『』 as the stamp on it), a figure "not yet published",
a selection's cutoff or result told before the announcement, an inspection the inspected must
not know of, a company's filed accounts, land the city plans to buy.

Own wording; VALID rows are the same words in an announcement or a rule.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    (
        "秘密会の議論、ちょっとだけ教えると副議長の辞任の件",
        "秘密会の議論",
        "confidential.marking",
        "7(1)コ",
    ),
    (
        "ひかいじ部分に書いてあったのは補償額でした",
        "ひかいじ部分",
        "confidential.marking",
        "7(1)コ",
    ),
    (
        "秘密指定の報告書、家で読もうと思って鞄に入れた",
        "秘密指定",
        "confidential.marking",
        "7(1)サ",
    ),
    (
        "『コピー禁止』の判が押された名簿、写メしといた",
        "コピー禁止",
        "confidential.marking",
        "7(1)サ",
    ),
    (
        "まだ公表してないデータだけど、今年の不登校は過去最多の305人",
        "過去最多の305人",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "技能職の採用試験、今年の合格ラインは55点だったらしい",
        "合格ラインは55点",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "保育所の入所選考、もう結果出てて。通知の発表は来週だけどね",
        "もう結果出てて",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "来月、予告なしで〇〇食品の工場を立入検査します",
        "予告なしで〇〇食品の工場を立入検査",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "補助金申請の決算書を見ると大幅な赤字だった",
        "決算書を見ると大幅な赤字",
        "confidential.non-public",
        "7(1)コ",
    ),
    (
        "道路拡幅で取得予定の土地は〇〇2丁目の角らしい",
        "取得予定の土地",
        "confidential.non-public",
        "7(1)コ",
    ),
]

VALID = [
    (
        "抜き打ちの立入検査を10件実施しました。結果はホームページで公表しています",
        ("confidential.non-public",),
    ),
    ("採用試験の合格点は昨年度の例をホームページに掲載しています", ("confidential.non-public",)),
    ("秘密文書は廃棄の際に必ずシュレッダー処理してください", ("confidential.marking",)),
    ("道路拡幅で取得予定の用地について、地権者説明会を開きます", ("confidential.non-public",)),
]


@pytest.mark.parametrize(("text", "excerpt", "rule", "clause"), INVALID)
def test_invalid(text: str, excerpt: str, rule: str, clause: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

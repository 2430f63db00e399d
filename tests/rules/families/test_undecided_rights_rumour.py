"""Constructions of 7(2)キ(ウ), 7(1)ク and 7(1)カ (rules/undecided, rules/rights, rules/rumour)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    ("市民会館の使用料は来年から上がりそうです。", "undecided.policy", "7(2)キ(ウ)", "上がりそう"),
    (
        "新しい図書館の建設地は駅の東側でほぼ固まっています。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "ほぼ固ま",
    ),
    ("バス路線の再編、2つの案で調整しています。", "undecided.policy", "7(2)キ(ウ)", "で調整して"),
    (
        "公民館の統合案が出ています。議会にはまだ諮っていません。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "統合案が",
    ),
    (
        "教室の子どもたちの写真です。掲載の了解はあとで取ります。",
        "rights.no-consent",
        "7(1)ク",
        "あとで取ります",
    ),
    (
        "お祭りで撮った家族の写真、載せることは伝えていないけど紹介します。",
        "rights.no-consent",
        "7(1)ク",
        "載せることは伝えていない",
    ),
    ("雑誌の特集ページを画像で貼っておきますね。", "rights.reprint", "7(1)ク", "画像で貼"),
    (
        "同僚から聞いたんだけど、駅前のビルが取り壊されるって。",
        "rumour.hearsay",
        "7(1)カ",
        "同僚から聞い",
    ),
    ("北部で停電が続くみたいです。", "rumour.hearsay", "7(1)カ", "みたいです"),
    # round 3
    ("新しい図書館の場所は、まだ構想の段階です。", "undecided.policy", "7(2)キ(ウ)", "構想の段階"),
    (
        "プールの使用料は、来年度に値上げする予定みたい。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "予定みたい",
    ),
    (
        "駐輪場の設置場所はまだきょうぎちゅうです。",
        "undecided.policy",
        "7(2)キ(ウ)",
        "きょうぎちゅう",
    ),
    ("市民課の課長が春に替わるみたいです。", "undecided.policy", "7(2)キ(ウ)", "替わるみたいです"),
    ("ホームで寝ている人をこっそり撮りました。", "rights.no-consent", "7(1)ク", "こっそり撮り"),
    (
        "窓口に来た申請者の方の顔写真を載せておきます。",
        "rights.no-consent",
        "7(1)ク",
        "申請者の方の顔写真",
    ),
    (
        "窓口に来た申請者の方の顔写真を載せておきます。",
        "rights.no-consent",
        "7(1)エ",
        "申請者の方の顔写真",
    ),
    ("雑誌のイラストをむだんで使わせてもらいました。", "rights.reprint", "7(1)ク", "むだんで使わ"),
    (
        "確証はないけど、川の水が汚染されているらしい。",
        "rumour.hearsay",
        "7(1)カ",
        "確証はないけど",
    ),
    (
        "停電の原因は、詳細はまだ不明ですが変電所の火災らしい。",
        "rumour.hearsay",
        "7(1)カ",
        "詳細はまだ不明",
    ),
    ("給付金は来月もう一度もらえるってさ。", "rumour.hearsay", "7(1)カ", "ってさ"),
]
VALID = [
    ("図書館の開館時間は変わりません。詳しくはホームページへ。", ("undecided.policy",)),
    ("明日は雪になるかもしれません。路面の凍結にご注意ください。", ("undecided.policy",)),
    ("計画の素案を公表し、ご意見を募集します。", ("undecided.policy",)),
    ("写真は保護者の了解を得て掲載しています。", ("rights.no-consent", "rights.reprint")),
    ("工事の許可はまだ出ていません。", ("rights.no-consent",)),
    ("「ダムが決壊した」という投稿がありますが、事実ではありません。", ("rumour.hearsay",)),
    ("気象庁が発表した情報によると、停電のおそれがあるそうです。", ("rumour.hearsay",)),
    ("電子申請の停止時間の短縮に向けて調整中です。", ("undecided.policy",)),
    (
        "「水道水が飲めないらしい」と不安に思っている方へ。水質に問題はありません。",
        ("rumour.hearsay",),
    ),
    (
        "公園で不審火があったという未確認の情報が出回っていますが、被害の報告はありません。",
        ("rumour.hearsay",),
    ),
    ("無断で撮影することはご遠慮ください。", ("rights.no-consent", "rights.reprint")),
    ("申請者の顔写真（縦4cm×横3cm）を添付してください。", ("rights.no-consent",)),
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

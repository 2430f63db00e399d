"""People identified by a case the writer handled, and named children (7(1)エ, 7(1)ク), blind
round 5: a notification filed or accepted, a visit to a counter, an application, a report to
the child guidance centre, a test result, a book borrowed, someone sheltering from violence,
with the person named or placed by what the case says; a named child with age, grade or
class is also the child's rights (7(1)ク); a katakana child's name; 中学2年; each person of a
list; a caller's number; the name before a mobile number; quiet for a facility's number
under its title line.

Own wording; VALID rows are notices about the same procedures.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("pii.named-person", "pii.landline-phone", "pii.mobile-phone")

INVALID = [
    ("出生届を出しに来た佐々木さん、双子だったのでびっくり。", "佐々木さん", "7(1)エ"),
    ("納付に来た〇〇さん、滞納が3年分たまってた。", "〇〇さん", "7(1)エ"),
    (
        "通報があった家の子、うちの近所の小学校に通ってる3年生の男の子だった。",
        "通報があった家の子",
        "7(1)エ",
    ),
    ("PCRで陽性だった職員、税務課の30代の女性です。", "税務課の30代の女性", "7(1)エ"),
    (
        "離婚届を受理しました。受付させていただいた高橋さん、お疲れさまでした。",
        "高橋さん",
        "7(1)エ",
    ),
    ("そうたくん（4年1組）、リレーのアンカーで大活躍！", "そうたくん（4年1組）", "7(1)ク"),
    ("ﾕｳｷｸﾝ(6)、はじめての自転車です", "ﾕｳｷｸﾝ(6)", "7(1)ク"),
    ("合唱で指揮をした中学3年の田中ひなさん、見事でした。", "田中ひなさん", "7(1)ク"),
    (
        "避難所の名簿：佐藤みおちゃん（3歳）、佐藤健一さん（45歳）、佐藤和子さん（72歳）",
        "佐藤和子さん（72歳）",
        "7(1)エ",
    ),
    ("今朝も電話してきた人、番号は0544-21-9087でした。", "0544-21-9087", "7(1)エ"),
    ("折り返し：川口さん 080-4412-7731", "川口さん", "7(1)エ"),
    (
        "相談に見えたのは北町3丁目の森さん（50代）。家賃の滞納が半年続いているそうです。",
        "滞納",
        "7(1)エ",
    ),
]

VALID = [
    "転出届を出した方は、転入先の市区町村で転入の手続きをしてください。",
    "窓口で相談に来られた方には、専門の相談員が対応します。",
    "DVで避難している方の住所は、申出により非開示にできます。",
    "婚姻届は、休日も夜間窓口で受け付けています。",
    "市民会館 大ホール\n所在地：本町2丁目1番1号\nTEL：0544-22-0101\n休館日 月曜",
]


@pytest.mark.parametrize(("text", "excerpt", "clause"), INVALID)
def test_invalid(text: str, excerpt: str, clause: str) -> None:
    rule = {"0544-21-9087": "pii.landline-phone", "川口さん": "pii.mobile-phone"}.get(
        excerpt, "pii.named-person"
    )
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""Evasion: normalisation undoes disguises, offsets still point into the original text."""

from __future__ import annotations

import random

import pytest

from rules import check
from rules.normalize import build_views, kanji_number
from rules.personal import my_number_valid

INVISIBLES = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\u2061",
    "\u2062",
    "\u2063",
    "\u2064",
    "\ufeff",
    "\u00ad",
    "\ufe0f",
    "\ufe00",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u180e",
    "\U000e0041",
    "\U000e0100",
]

# (disguised text, rule, clause that must be found)
EVASIONS = [
    ("０９０－１２３４－５６７８", "pii.mobile-phone"),
    ("〇九〇‐一二三四‐五六七八", "pii.mobile-phone"),
    ("〇八〇ー一二三四ー五六七八に連絡", "pii.mobile-phone"),
    ("090–1234—5678", "pii.mobile-phone"),
    ("090―1234―5678", "pii.mobile-phone"),
    ("090−1234−5678", "pii.mobile-phone"),
    ("090ｰ1234ｰ5678", "pii.mobile-phone"),
    ("090〜1234〜5678", "pii.mobile-phone"),
    ("0 9 0 1 2 3 4 5 6 7 8", "pii.mobile-phone"),
    ("090\u200b1234\u200b5678", "pii.mobile-phone"),
    ("０９０\u2060１２３４\ufeff５６７８", "pii.mobile-phone"),
    ("𝟎𝟗𝟎-𝟏𝟐𝟑𝟒-𝟓𝟔𝟕𝟖", "pii.mobile-phone"),
    ("マイナンバー１２３４５６７８９０１８", "pii.my-number"),
    ("マイナンバー 一二三四 五六七八 九〇一八", "pii.my-number"),
    ("taro\u200b@gmail.com", "pii.email"),
    ("ｔａｒｏ＠ｇｍａｉｌ．ｃｏｍ", "pii.email"),
    ("taro[at]gmail.com", "pii.email"),
    ("生年月日 昭和六十年四月一日", "pii.birth-date"),
    ("中央一丁目二番三号の山田さん宅", "pii.address"),
    ("部\u200b外\u200b秘", "confidential.marking"),
    ("ﾌﾞｶﾞｲﾋ 部外秘", "confidential.marking"),
    ("ｶﾞｲｼﾞ", "discrimination.term"),
    ("hxxps://bit[.]ly/abc", "link.shortener"),
    ("https://BIT.LY/abc", "link.shortener"),
    ("https://bit.ly./abc", "link.shortener"),
    ("bit(.)ly/abc", "link.shortener"),
    ("bit[dot]ly/abc", "link.shortener"),
    ("ｈｔｔｐｓ：／／ｂｉｔ．ｌｙ／ａｂｃ", "link.shortener"),
    ("192[.]168[.]1[.]1", "security.internal-host"),
    ("１９２．１６８．１．１", "security.internal-host"),
    ("ﾊﾟｽﾜｰﾄﾞ：Secret99", "security.password"),
    ("らしい\u200bです、閉店する", "rumour.hearsay"),
]


@pytest.mark.parametrize(("text", "rule"), EVASIONS)
def test_evasion_is_caught(text: str, rule: str) -> None:
    report = check(text)
    hits = [f for f in report.findings if f.rule == rule]
    assert hits, f"{rule} missed in {text!r}: {report.findings}"
    for f in report.findings:
        assert text[f.start : f.end] == f.excerpt
        assert f.excerpt and not f.excerpt[0].isspace()


SEEDS = [
    "担当の090-1234-5678までご連絡ください。",
    "マイナンバー 1234 5678 9018 の方",
    "山田太郎さんから生活保護の申請がありました。",
    "【部外秘】資料は https://bit.ly/3abc と http://192.168.1.10/admin にあります。",
    "パスワード：Matsu2024! を共有します。taro@gmail.com",
    "生年月日：昭和60年4月1日。住所は松本市中央1丁目2番3号の山田さん宅。",
    "市は新庁舎の移転を検討中です。駅前の店が閉店するらしいです。",
]


@pytest.mark.parametrize("seed", range(40))
def test_property_random_invisibles_keep_offsets(seed: int) -> None:
    """Property: inserting invisible characters anywhere never breaks offsets, and the
    same rules are still found (same clause, same normalised excerpt)."""
    rnd = random.Random(seed)
    base = SEEDS[seed % len(SEEDS)]
    chars = list(base)
    for _ in range(rnd.randint(1, 12)):
        chars.insert(rnd.randint(0, len(chars)), rnd.choice(INVISIBLES))
    text = "".join(chars)
    plain, disguised = check(base), check(text)
    for f in disguised.findings:
        assert text[f.start : f.end] == f.excerpt
        assert 0 <= f.start < f.end <= len(text)
    assert sorted(f.rule for f in plain.findings) == sorted(f.rule for f in disguised.findings)


@pytest.mark.parametrize("seed", range(30))
def test_property_random_text_never_crashes(seed: int) -> None:
    """Property: arbitrary code points (controls, surrogates, emoji, RTL) never crash."""
    rnd = random.Random(1000 + seed)
    pools = [
        (0x0000, 0x007F),
        (0x3000, 0x30FF),
        (0x4E00, 0x4FFF),
        (0xFF00, 0xFFEF),
        (0xD800, 0xDFFF),
        (0x1F300, 0x1F6FF),
        (0x2000, 0x206F),
        (0x0300, 0x036F),
    ]
    chars = []
    for _ in range(rnd.randint(0, 400)):
        a, b = rnd.choice(pools)
        chars.append(chr(rnd.randint(a, b)))
    text = "".join(chars)
    report = check(text)
    for f in report.findings:
        assert text[f.start : f.end] == f.excerpt
    report.to_json()


def test_views_map_back() -> None:
    text = "ＴＥＬ：〇九〇\u200b‐一二三四"
    norm, num = build_views(text)
    assert norm.text == "TEL:〇九〇‐一二三四"
    assert num.text == "TEL:090-1234"
    i = num.text.index("090")
    start, end = num.span(i, len(num.text))
    assert text[start:end] == "〇九〇\u200b‐一二三四"


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("〇九〇", "090"),
        ("二十三", "23"),
        ("十", "10"),
        ("千二百三十四", "1234"),
        ("二〇二四", "2024"),
    ],
)
def test_kanji_number(run: str, expected: str) -> None:
    assert kanji_number(run) == expected


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("123456789018", True),
        ("123456789010", False),
        ("000000000000", True),
        ("12345678901", False),
    ],
)
def test_my_number_check_digit(number: str, valid: bool) -> None:
    assert my_number_valid(number) is valid


def test_wrong_check_digit_is_not_my_number_even_with_keyword() -> None:
    assert not [
        f for f in check("マイナンバー 1234 5678 9010").findings if f.rule == "pii.my-number"
    ]

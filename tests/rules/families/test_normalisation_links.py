"""Normalisation gaps and look-alike links (rules/normalize, rules/urls, rules/links)."""

from __future__ import annotations

import pytest

from rules import check

from .table import assert_invalid

INVALID = [
    ("携帯は080-12\n34-5678です", "pii.mobile-phone", "7(1)エ", "080-12\n34-5678"),
    ("電話 070一2345一6789 まで", "pii.mobile-phone", "7(1)エ", "070一2345一6789"),
    ("申込は bit。ly/abcd123 から", "link.shortener", "5(9)", "bit。ly/abcd123"),
    ("地図は goo . gl / xyz789 です", "link.shortener", "5(9)", "goo . gl / xyz789"),
    ("詳細：www.example-shop.com/sale", "link.third-party", "7(2)エ", "www.example-shop.com/sale"),
    (
        "こちら https://www.city.matsumоto.nagano.jp/a",
        "link.homograph",
        "7(2)エ",
        "https://www.city.matsumоto.nagano.jp/a",
    ),
    # round 3: 1/0 for l/o in an official-looking host; at/dot spelt out; letters spaced out;
    # kanji numerals between 「・」; an IP address with ideographic full stops
    ("新サイト https://www.town.sakai1ake.lg.jp/", "link.homograph", "7(2)エ", "sakai1ake"),
    ("連絡先 hanako.k (at) yahoo (dot) co (dot) jp", "pii.email", "7(1)エ", "hanako.k (at) yahoo"),
    ("申込は b i t . l y / q8rT から", "link.shortener", "5(9)", "b i t . l y"),
    (
        "携帯 〇八〇・一二三四・五六七八 へ",
        "pii.mobile-phone",
        "7(1)エ",
        "〇八〇・一二三四・五六七八",
    ),
    ("NAS は 10。0。3。25 です", "security.internal-host", "7(1)オ", "10。0。3。25"),
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


def test_a_look_alike_url_is_one_homograph_finding_not_two_links() -> None:
    text = "こちら https://www.city.matsumоto.nagano.jp/a を"
    findings = [f for f in check(text).findings if f.rule.startswith("link.")]
    assert [f.rule for f in findings] == ["link.homograph"]


@pytest.mark.parametrize(
    "text",
    [
        "OK。次はこちら",
        "第1版 . 改訂あり",
        "昭和一年",
        "Пожалуйста. Спасибо.",
        "会場は1・2階です。",
        "結果は 3。4。5。 の順でした",
        "a b c . d e f の順に押してください",
    ],
)
def test_ordinary_text_is_not_a_link(text: str) -> None:
    assert check(text).verdict == "ok"


def test_trusted_urls_per_call() -> None:
    text = "動画は https://www.youtube.com/@matsumoto_city_official/videos で"
    assert check(text).verdict == "review"
    official = ["https://www.youtube.com/@matsumoto_city_official"]
    assert check(text, trusted_urls=official).verdict == "ok"
    # Another channel on the same host is still a third-party link.
    other = "動画は https://www.youtube.com/@someone_else で"
    assert check(other, trusted_urls=official).verdict == "review"

"""Rights (7(1)ク), links (7(2)エ, 5(9)) and evasive spellings, blind round 5: consent put off
to later or spelt in kana, a professional's work used in the city's material, a newspaper
page screenshotted or an article transcribed, a bystander's face shown, a private moment
photographed, someone's home photographed; a line break after a dot in a link's host, a
capital I for l in an official host, a shop's shortener is a third-party link too.

Own wording; VALID rows are what a city does publish with the same words.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    (
        "写真の掲載について、ご本人への確認はあとでします。",
        "確認はあとで",
        "rights.no-consent",
        "7(1)ク",
    ),
    (
        "集合写真アップしました。みなさんのりょうかいはまだです！",
        "りょうかいはまだ",
        "rights.no-consent",
        "7(1)ク",
    ),
    (
        "イラストレーターさんの絵を市報の表紙に使わせてもらいました。",
        "イラストレーターさんの絵を市報の表紙",
        "rights.reprint",
        "7(1)ク",
    ),
    (
        "今日の朝刊の記事、スクショで全部のせときます。",
        "朝刊の記事、スクショ",
        "rights.reprint",
        "7(1)ク",
    ),
    (
        "火事の現場を撮影。見ていた男性の顔もはっきり写ってる。",
        "男性の顔もはっきり写って",
        "rights.no-consent",
        "7(1)ク",
    ),
    (
        "飲み会で寝ちゃった先輩の寝顔の写真、貼っておくね",
        "寝顔の写真",
        "rights.no-consent",
        "7(1)ク",
    ),
    (
        "向かいの山本さん宅の玄関、いつもこんな様子です（画像）",
        "宅の玄関、いつもこんな様子です（画像",
        "rights.no-consent",
        "7(1)ク",
    ),
    ("申込はこちら https://tinyurl.\ncom/abc123", "tinyurl", "link.shortener", "5(9)"),
    (
        "詳しくは www.city.exampIe.lg.jp/bousai へ",
        "www.city.exampIe.lg.jp/bousai",
        "link.homograph",
        "7(2)エ",
    ),
    ("おすすめの絵本はこちら amzn.asia/d/7xYz", "amzn.asia/d/7xYz", "link.third-party", "7(2)エ"),
    # a line of one kanji broken off its word is closed up, like one of two or three
    ("部\n外秘の資料です。", "部\n外秘", "confidential.marking", "7(1)サ"),
]

VALID = [
    ("写真はご本人の了承を得て掲載しています。", ("rights.no-consent", "rights.reprint")),
    (
        "写真家の山田さんの作品を観光パンフの表紙に使いました（ご本人の許可を得ています）。",
        ("rights.reprint",),
    ),
    ("新聞記事のスクショの転載はご遠慮ください。", ("rights.reprint",)),
    ("写真は、写っている方の顔が分からないよう加工しています。", ("rights.no-consent",)),
    ("市のホームページ www.city.example.lg.jp/Info/ をご覧ください。", ("link.homograph",)),
    ("今年度の予算は1,200万円です。\nご確認ください。", ("link.shortener",)),
]


@pytest.mark.parametrize(("text", "excerpt", "rule", "clause"), INVALID)
def test_invalid(text: str, excerpt: str, rule: str, clause: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

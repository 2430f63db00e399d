"""7(1)ク constructions added from blind round 8a (own wording, not the corpus).

A post or photo taken from a person's account (〜さんのインスタからお借り); a photo put up kept
from the person or the family (〜には内緒で載せ); the public asked to identify a person shown
in an image (この男性に見覚えのある方は); a whole work copied (一冊まるごとコピー) when the post
names someone else's work; a kana spelling of 無断転載 where the use word is 貼る or a comic.
A missing-person appeal, the city's own publication, a surprise kept from someone that is not
a post, and a notice forbidding reprints stay quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("rights.reprint", "rights.no-consent")

INVALID = [
    (
        "城址公園の夜桜、@hana_photo さんのインスタからお借りしてます🌸",
        "インスタからお借り",
        "rights.reprint",
    ),
    (
        "運動会のかけっこ、お父さんには内緒でアップしちゃいます!",
        "内緒でアップ",
        "rights.no-consent",
    ),
    (
        "駐輪場の自転車を壊した人、防犯カメラに写ってました。この男性に見覚えのある方はご連絡を。",
        "この男性に見覚え",
        "rights.no-consent",
    ),
    (
        "人気作家の新刊『星のかけら』、一冊まるごとコピーして回覧します。",
        "一冊まるごとコピー",
        "rights.reprint",
    ),
    ("好きな漫画の見開き、ムダンテンサイで貼っときます。", "ムダンテンサイ", "rights.reprint"),
]

VALID = [
    "行方不明の高齢の男性を捜しています。写真の方に見覚えのある方は警察署までご連絡ください。",
    "広報まつもと12月号の全ページをPDFで公開しました。",
    "誕生日会の準備は、主役の子には内緒で進めています。",
    "この写真の無断転載はご遠慮ください。",
    "駅前の落とし物の傘、写真の傘に心当たりのある方は窓口まで。",
]


@pytest.mark.parametrize(("text", "excerpt", "rule"), INVALID)
def test_invalid(text: str, excerpt: str, rule: str) -> None:
    assert_invalid(text, rule, "7(1)ク", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

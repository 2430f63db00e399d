"""Children named in kana, consent not asked, posts taken from accounts, and groups without a
slur (7(1)エ/ク/イ), constructions added from blind round 3. Own wording throughout.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    ("写真はすみれ組のひなたちゃん(5)です。", "pii.named-person", "7(1)ク", "ひなたちゃん(5)"),
    (
        "リレーで活躍した2年3組のそうたくん（8さい）！",
        "pii.named-person",
        "7(1)エ",
        "そうたくん（8さい）",
    ),
    (
        "発表会の写真です（保護者の方にはまだ聞いていません）。",
        "rights.no-consent",
        "7(1)ク",
        "聞いていません",
    ),
    (
        "店内で盗んだ人の防犯カメラの映像を載せます。",
        "rights.no-consent",
        "7(1)ク",
        "防犯カメラの映像を載せ",
    ),
    ("ご近所の方のインスタから拝借した写真です。", "rights.reprint", "7(1)ク", "インスタから拝借"),
    (
        "夜の仕事で働いている人の子どもは生活が乱れがちです。",
        "discrimination.generalisation",
        "7(1)イ",
        "生活が乱れ",
    ),
    (
        "あの団地の子が多い学区は避けた方が無難です。",
        "discrimination.generalisation",
        "7(1)イ",
        "避けた方が無難",
    ),
]

VALID = [
    ("ゆるキャラのみどりちゃんが会場に来ます。", ("pii.named-person",)),
    ("おばあちゃん（85）の知恵袋を紹介します。", ("pii.named-person",)),
    ("掲載は保護者の方の了承をいただいています。", ("rights.no-consent",)),
    ("防犯カメラの設置費用を補助します。", ("rights.no-consent",)),
    ("市の公式インスタから写真を選んで展示します。", ("rights.reprint",)),
    ("女性消防職員の採用を増やしています。", ("discrimination.generalisation",)),
    ("同性カップルのパートナーシップ宣誓を受け付けています。", ("discrimination.generalisation",)),
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

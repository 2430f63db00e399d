"""7(1)キ obscene content (rules/obscene): inflected forms, venues, close-ups of body parts."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    ("昨日の番組、かなりエロかったね。", "エロかった"),
    ("ﾒｲﾄﾞ喫茶の子、ｴ ﾛ くて最高", "ｴ ﾛ く"),
    ("駅の裏にソープ街があるので案内します。", "ソープ街"),
    ("ビーチバレーの写真、胸元のアップばかり撮れた。", "胸元のアップ"),
]
VALID = [
    "ハンドソープを補充しました。",
    "乳がん検診では胸のアップの画像を撮影することがあります。",
    "性風俗店の客引き防止の啓発を行っています。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "obscene.term", "7(1)キ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, ("obscene.term",))

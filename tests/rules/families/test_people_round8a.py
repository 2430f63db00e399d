"""7(1)エ constructions added from blind round 8a (own wording): money a named person has or
owes, an emergency told before the name, a named household where something happened, the name
of someone whose address follows, a former office holder."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    ("相談に来た北町3丁目の村井様で、年収は約300万円でした。", "年収は約300万円"),
    ("緑町1丁目の坂口さんのお宅は、住民税が未納のままです。", "未納のまま"),
    ("救急車で運ばれてきたのは元町長の石黒さんでした。", "石黒さん"),
    ("空き巣の被害は、桜町の大森さん宅でした。", "大森さん宅"),
    ("お問い合わせいただいた高梨様、お返事します。ご住所：若葉町2丁目5番地3", "高梨様"),
    ("新規出店の森田健一さん(45)を紹介します。借入は800万円とのこと。", "借入は800万円"),
]
VALID = [
    "年収や所得の証明書は、市民課の窓口で発行しています。",
    "市長の山田太郎が、病院の開院式であいさつしました。",
    "田中さんのお宅の庭で、地域の花まつりを開きました。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "pii.named-person", "7(1)エ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, ("pii.named-person",))

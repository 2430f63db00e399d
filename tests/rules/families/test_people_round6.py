"""People identified (7(1)エ), blind round 6: an illness in everyday shortening (糖尿, 痛風), a
surname the tagger reads as a place but an honorific makes a name (長野さん), a bare surname
marked as a person (「鈴木って女」) with a criminal record, a name right beside the person's own
phone number, a home given by its room number, a suspect given by home and occupation (also
7(1)コ), debt said in the same sentence as the named person.

Own wording; VALID rows are a public number, an office's room number, a police announcement.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

R = "pii.named-person"

INVALID = [
    ("同期の長野さん、痛風で通院中なんだって", "長野さん", "7(1)エ"),
    ("係の岡田さん高血圧で薬飲んでるらしい", "岡田さん高血圧", "7(1)エ"),
    ("前の職場の鈴木って女、逮捕歴があるらしい", "鈴木って女、逮捕歴", "7(1)エ"),
    ("拾った保険証の佐々木健一さん（080-1122-3344）に連絡つかない", "佐々木健一さん", "7(1)エ"),
    ("連絡先は0263-11-2233（次女の田中花子）です", "田中花子", "7(1)エ"),
    ("コーポ桜201号室の80代女性、昨日から連絡がとれません", "201号室の80代", "7(1)エ"),
    ("空き巣の犯人は〇〇地区の無職の男らしい", "〇〇地区の無職", "7(1)エ"),
    ("空き巣の犯人は〇〇地区の無職の男らしい", "〇〇地区の無職", "7(1)コ"),
    ("窓口に来た同級生の岡田くん、借金が300万あるって", "借金", "7(1)エ"),
]

VALID = [
    "市の代表番号は0263-34-3000です。山田課長まで",
    "本庁舎3階301号室の会議室で説明会を行います",
    "犯人は市内在住の40代の男と警察が発表しました",
    "長野県の高血圧予防キャンペーンのお知らせです",
]


@pytest.mark.parametrize(("text", "excerpt", "clause"), INVALID)
def test_invalid(text: str, excerpt: str, clause: str) -> None:
    assert_invalid(text, R, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, (R,))

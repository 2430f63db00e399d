"""Non-public shapes and ordinary-sense markings (rules/confidential)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("confidential.marking", "confidential.non-public")

INVALID = [
    (
        "体育館改修工事の最低制限価格は2億3,000万円です。",
        "confidential.non-public",
        "7(1)コ",
        "最低制限価格は2億3,000万円",
    ),
    (
        "入札の状況：甲社が1,800万、乙社が1,950万でした。",
        "confidential.non-public",
        "7(1)コ",
        "甲社が1,800万",
    ),
    (
        "4月から建設課の係長が総務部へ異動らしい。まだ内緒です。",
        "confidential.non-public",
        "7(1)エ",
        "係長が総務部へ異動",
    ),
    ("この表は機密性3の扱いです。", "confidential.marking", "7(1)サ", "機密性3"),
    (
        "非公開で行われた審議会での委員の発言を紹介します。",
        "confidential.marking",
        "7(1)コ",
        "非公開で行われた",
    ),
    (
        "開示請求で非開示部分になった箇所、実はこうです。",
        "confidential.marking",
        "7(1)コ",
        "非開示部分",
    ),
    ("配布資料（会議後回収）を写真で共有します。", "confidential.marking", "7(1)コ", "会議後回収"),
    # round 3: what was argued in a closed meeting; a non-disclosed part revealed; kana marking
    (
        "非公開の審議会で、会長が「この案には賛成できない」と述べた。",
        "confidential.marking",
        "7(1)コ",
        "非公開の審議会で",
    ),
    (
        "開示請求に非開示にした箇所、中身は業者の単価です。",
        "confidential.marking",
        "7(1)コ",
        "非開示にした",
    ),
    (
        "これ、とりあつかいちゅういの紙なんだけど",
        "confidential.marking",
        "7(1)エ",
        "とりあつかいちゅうい",
    ),
]
VALID = [
    "事業所の機密書類を溶解処理で回収するサービスを始めます。",
    "スプレー缶は「キケン」「取扱注意」と書いた袋で出してください。",
    "【極秘ミッション!?】キャラクターを探してね。",
    "普段は非公開の庭園を特別公開します。",
    "蔵の内部は、ふだんは非公開ですが、この週末だけ特別にご案内します。",
    "情報公開条例に基づき、非公開情報を除いて文書を開示しています。",
    "入札結果：予定価格は事前公表の3,000万円、落札価格は2,800万円です。",
    "4月1日付の人事異動を発表しました。",
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""7(1)ア campaigning, 7(1)ケ, 5(8), 7(2)オ, 7(2)カ (rules/inappropriate, rules/conduct)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    (
        "今度の市議選、〇〇党の山田さんを応援しています。",
        "illegal.campaigning",
        "7(1)ア",
        "山田さんを応援",
    ),
    (
        "投票日は日曜です。佐藤候補への一票をよろしくお願いします。",
        "illegal.campaigning",
        "7(1)ア",
        "候補への一票",
    ),
    (
        "国の新しい基地の計画には、市としても反対です。",
        "inappropriate.politics",
        "7(1)ケ",
        "市としても反対です",
    ),
    (
        "広告欄：「〇〇工務店 — 市公認の工務店として、確かな施工をお約束します」",
        "inappropriate.endorsement",
        "5(8)",
        "市公認",
    ),
    ("外壁塗装は「ミヤマ塗装」が一番安いです。", "inappropriate.endorsement", "7(1)ケ", "一番安"),
    (
        "「ほのか整骨院」は松本市推奨の整骨院です。",
        "inappropriate.endorsement",
        "5(8)",
        "松本市推奨",
    ),
    (
        "研修中だけどこっそりインスタ更新。",
        "conduct.working-hours",
        "7(2)オ",
        "研修中だけどこっそりインスタ",
    ),
    (
        "係の全員、週末までに私のアカウントをフォローすること。",
        "conduct.social-harassment",
        "7(2)カ",
        "フォロー",
    ),
]
VALID = [
    ("市長選挙の投票日は4月14日です。期日前投票もご利用ください。", ("illegal.campaigning",)),
    (
        "ご当地グルメ総選挙で、市の名物そばが2位に！応援ありがとうございました。",
        ("illegal.campaigning",),
    ),
    ("市内の登録店でプレミアム商品券が使えます。", ("inappropriate.endorsement",)),
    ("休憩時間に撮った中庭の花です。", ("conduct.working-hours",)),
    (
        "市の公式アカウントをフォローして最新情報を受け取ってください。",
        ("conduct.social-harassment",),
    ),
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

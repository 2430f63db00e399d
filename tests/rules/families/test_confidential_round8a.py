"""7(1)コ / 7(1)サ constructions added from blind round 8a (own wording)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    ("保育士試験の面接、質問は去年と同じで志望理由だけ。", "7(1)コ", "質問は去年と同じ"),
    ("来月の監査、3つの施設に抜き打ちで回ります。", "7(1)コ", "抜き打ちで回ります"),
    ("補助金の申請書類、B工務店の利益は3割減だった。", "7(1)コ", "利益は3割減"),
    ("裁判所からの照会の件、対象は市内の建設会社の社長です。", "7(1)コ", "裁判所からの照会の件"),
    ("回ってきた懲戒処分者のリスト、知ってる名前ばかり。", "7(1)サ", "懲戒処分者のリスト"),
    (
        "情報公開で非開示にしたのは、業者の見積額の部分。実は2,000万円でした",
        "7(1)コ",
        "実は2,000万円",
    ),
]
VALID = [
    "採用試験の過去の問題は市のホームページで公開しています。",
    "4月1日付の異動者の一覧は広報に掲載しています。",
    "非開示とした部分は、氏名など個人が特定される箇所です。",
    "立入検査を実施しました。結果はホームページでお知らせします。",
]


@pytest.mark.parametrize(("text", "clause", "excerpt"), INVALID)
def test_invalid(text: str, clause: str, excerpt: str) -> None:
    rule = "confidential.marked-content" if "非開示" in text else "confidential.non-public"
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(
        text, ("confidential.non-public", "confidential.marking", "confidential.marked-content")
    )

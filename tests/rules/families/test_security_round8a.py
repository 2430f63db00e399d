"""7(1)オ weaknesses added from blind round 8a (own wording, not the corpus)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    ("税務のサーバ、今でもWindows XPのまま動いてて怖い。", "今でもWindows XP"),
    ("窓口の端末、サポート切れのOSで使ってるんだよね。", "サポート切れのOSで使って"),
    ("公民館の合鍵の置き場所は、玄関横の消火器の裏です。", "合鍵の置き場所は"),
    ("駐車場の防犯カメラ、東の出口は死角になってる。", "防犯カメラ、東の出口は死角"),
    ("文書管理システム、認証なしで外から開けるみたい。", "認証なしで外から開け"),
    ("お盆の間、支所の守衛さんは夜8時から翌朝まで不在です。", "守衛さんは夜8時から翌朝まで不在"),
    ("住民情報の名簿、私物のPCにコピーして持ってきた。", "私物のPCにコピー"),
]
VALID = [
    "Windows 7のサポートは終了しています。更新をお願いします。",
    "鍵の置き場所は各自で確認し、管理を徹底してください。",
    "防犯カメラを設置しました。ご協力ありがとうございます。",
    "夜間は警備員が巡回しています。",
    "開館時間外は守衛が不在のため、ご利用は翌日にお願いします。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "security.weakness", "7(1)オ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, ("security.weakness",))

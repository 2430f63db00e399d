"""Property tests (hypothesis): offsets always slice back, nothing crashes, and invisible
characters inserted anywhere change neither the rules found nor the offsets' validity."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rules import check

INVISIBLE = st.sampled_from(
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f", "\u202e", "\u2066"]
)
ANY_CHAR = st.characters(codec=None, categories=None)
JAPANESE = st.sampled_from(
    [
        *"松本市の山田太郎さん申請相談噂らしい検討中部外秘番地号丁目〇一二三四五六七八九十ー‐－０９",
        *["090", "-", "1234", "5678", "@", "gmail.com", "https://", "bit.ly/", "[.]", " ", "\n"],
    ]
)

SEEDS = [
    "担当の090-1234-5678までご連絡ください。",
    "マイナンバー 1234 5678 9018 の方",
    "山田太郎さんから生活保護の申請がありました。",
    "【部外秘】資料は https://bit.ly/3abc と http://192.168.1.10/admin にあります。",
    "パスワード：Matsu2024! を共有します。taro@gmail.com",
    "生年月日：昭和60年4月1日。住所は松本市中央1丁目2番3号の山田さん宅。",
    "市は新庁舎の移転を検討中です。駅前の店が閉店するらしいです。",
]


def _assert_offsets(text: str) -> None:
    report = check(text)
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.excerpt
    report.to_json()


@settings(max_examples=300, deadline=None)
@given(st.text(ANY_CHAR, max_size=300))
def test_any_text_offsets_slice_back(text: str) -> None:
    _assert_offsets(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(JAPANESE, max_size=60).map("".join))
def test_japanese_like_text_offsets_slice_back(text: str) -> None:
    _assert_offsets(text)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(min_value=0, max_value=200), INVISIBLE), max_size=10),
)
def test_inserted_invisibles_change_nothing(seed: str, inserts: list[tuple[int, str]]) -> None:
    chars = list(seed)
    for pos, ch in inserts:
        chars.insert(min(pos, len(chars)), ch)
    text = "".join(chars)
    _assert_offsets(text)
    assert sorted(f.rule for f in check(seed).findings) == sorted(
        f.rule for f in check(text).findings
    )

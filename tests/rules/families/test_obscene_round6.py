"""Obscene content (7(1)キ), blind round 6: the bare trade words where someone goes (風俗 also
in kana, ヘルス, an SM club), arousal said of oneself, a sexless marriage offered a partner,
peeping where people undress, a leering remark with the writer's relish in the next sentence,
a sexual act boasted of (しっぽりやった), and sexual material or a service offered, handed round
or paid for after a sexual word (欲しい方には送ります, お手当は3万, リンク貼っとく).

Own wording; VALID rows use the same words in a city's ordinary sense.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

R, C = "obscene.term", "7(1)キ"

INVALID = [
    ("出張の夜はふうぞくに行くのが楽しみ", "ふうぞく"),
    ("先週はじめてフーゾクデビューした", "フーゾク"),
    ("給料日だから箱のヘルスで抜いてきた", "ヘルス"),
    ("出張先でSMクラブに寄ってみた", "SMクラブ"),
    ("残業続きでムラムラする", "ムラムラ"),
    ("セックスレスの人、相手してあげるよ", "相手してあげる"),
    ("男子更衣室の窓から女子の方も覗けるって知ってた？", "覗ける"),
    ("隣の席の子、ブラウスから下着見えそう。今日は眼福", "眼福"),
    ("昨夜は彼女としっぽりやった", "しっぽりやった"),
    ("このエロ動画、ほしい方には送ります", "ほしい方"),
    ("パパ活女子募集、お手当は3万から", "お手当は3万"),
    ("ヌード写真の撮影会やります。参加したい人DMして", "DMして"),
]

VALID = [
    "この地域の風俗習慣を伝える展示に行ってきました",
    "江戸時代の風俗を描いた絵を見に行った",
    "メンタルヘルスの研修に行ってきました",
    "ヘルスメイトさんの料理教室で抜いた野菜を使いました",
    "夫婦のセックスレス相談窓口を開設します",
    "女湯が外から見えるとの苦情があり、目隠しを設置しました",
    "下着が見えそうな服装は控えましょう",
    "歓送迎会のあとは部長としっぽり飲みました",
    "新しいパンツを買いました。週末のお出かけが楽しみ",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, R, C, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, (R,))

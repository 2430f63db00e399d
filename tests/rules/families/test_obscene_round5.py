"""Sexual content without the lexicon's words (7(1)キ), blind round 5: a leering remark (a
body part or underwear and the writer's desire in one sentence), a sexual act boasted of, a
performer's service at a sexual show, more sex-industry venues, the bare ソープ where it is a
place someone goes to (not hand soap).

Own wording; VALID rows are ordinary posts with the same words.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("obscene.term",)

INVALID = [
    ("隣の課の新人さん、お尻のラインがたまらない。", "お尻のラインがたまらない"),
    ("ビーチの監視、ビキニのJKをついガン見しちゃう。", "JKをついガン見"),
    ("研修の講師、ブラが透けててずっと目で追ってた。", "透けててずっと目で追"),
    ("週末はホテルで彼氏と5回戦、もう限界。", "ホテルで彼氏と5回戦"),
    ("嬢のサービスがすごすぎて延長しちゃった。", "嬢のサービスがすごすぎ"),
    ("出張の夜はセクキャバで盛り上がりました。", "セクキャバ"),
    ("駅前のソープに通ってるのがバレた。", "ソープ"),
]

VALID = [
    "ハンドソープの詰め替えは各階の給湯室にあります。",
    "固形ソープを手作りする講座を開きます。",
    "プールでは水着の着用をお願いします。下着での入水はご遠慮ください。",
    "胸が熱くなる試合でした。最後まで目で追ってしまいました。",
    "客引き行為の防止のため、駅前で夜間パトロールを行います（おっパブ等の勧誘に注意）。",
    "リーグ戦は3回戦まで進みました。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "obscene.term", "7(1)キ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

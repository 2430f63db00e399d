"""7(1)カ constructions added from blind round 8a (own wording, not the corpus).

Spread before it is confirmed (正式な発表はまだですが); common knowledge at one's own workplace
(うちの現場では常識); someone's post vouched for as all true (このアカウントの話は全部本当);
what a source is said to have said (「…って整体の先生が言ってた」) reported with its claim; a
secret-telling preface (内緒だけど) joining the hearsay of its sentence. A document the writer
read given as the source (名簿によると…らしい) and the person heard from themselves (ご本人から
聞いた) are not rumours; an official notice and a plain report stay quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("rumour.hearsay",)

INVALID = [
    (
        "正式な発表はまだですが、明日から西地区で断水になるので水をためてください。",
        "正式な発表はまだですが",
    ),
    ("熱が出たら解熱剤は飲まない方がいいって、うちの職場では常識です。", "うちの職場では常識"),
    ("市のごみ処理の闇、このアカウントの話は全部本当です。", "このアカウントの話は全部本当"),
    ("週末に大雨で橋が通れなくなるって整体の先生が言ってました。", "橋が通れなくなる"),
    ("内緒だけど、駅前のパン屋さん来月でやめちゃうらしいよ。", "内緒だけど"),
]

VALID = [
    "正式な発表は市ホームページでお知らせします。",
    "参加者名簿によると、今年の参加は120人らしいです。",
    "ご本人から聞いた話として、区長さんの挨拶を紹介します。ご本人の了承を得ています。",
    "うちの課では、毎朝ラジオ体操をしています。",
    "気象庁の発表によると、週末は大雨になる見込みです。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "rumour.hearsay", "7(1)カ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

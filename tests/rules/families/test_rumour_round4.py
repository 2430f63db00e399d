"""7(1)カ constructions added from blind round 4 (own wording, not the corpus).

An informal source saying it (…が言ってた, …いわく, …の話では), the source in the next
sentence, passing the rumour on or acting on it right after (念のため拡散して), half-endorsing
it instead of denying it (ないとは言えない). VALID rows: the same words in official or
ordinary use.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("rumour.hearsay",)

INVALID = [
    ("駅前の歩道橋、来月取り壊しだって同僚が言ってた。", "同僚が言ってた"),
    ("新しい体育館の工事、実は基礎が欠陥だったらしく、やり直しになるそうです。", "らしく"),
    ("ダムの水位がかなり危ないらしー。消防の人が飲み会で話してた。", "らしー"),
    ("隣町の親戚いわく、浄水場の水に薬品が混ざったとのこと。", "親戚いわく"),
    (
        "橋のひび割れがひどくて通れなくなるって話が出回ってます。念のため家族にも拡散してね。",
        "拡散してね",
    ),
    (
        "「予防接種で体調を崩す子が続出している」らしいと聞きました。ただ、全くないとは言い切れません。",
        "ないとは言い切れません",
    ),
    (
        "あの店の元店長、昔捕まったことがあるってまとめサイトに書いてあった。",
        "まとめサイトに書いてあった",
    ),
]

VALID = [
    "気象台によると、明日の朝は路面の凍結に注意が必要とのことです。",
    "市長が「来年も開催したい」と話していました。",
    "講師の先生が、早寝早起きが一番と言っていました。",
    "「水道水が汚染されている」という投稿が拡散していますが、そのような事実はありません。",
    "イベントの様子を、ぜひ皆さんのSNSで拡散してください！",
    "念のため、お出かけの際は雨具をお持ちください。",
    "春らしく、暖かい一日になりました。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "rumour.hearsay", "7(1)カ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

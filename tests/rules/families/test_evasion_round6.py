"""Evasive spellings, blind round 6: a line break that cuts one morpheme in two (a verb from
its ending, a two-kanji word, らしい) and a line break inside one label of a link's host name.

Own wording; VALID rows are line breaks between words, which stay.
"""

from __future__ import annotations

import pytest

from rules.normalize import build_views

from .table import assert_invalid, assert_valid

INVALID = [
    (
        "部長の話だと、この件はまだ決\nまっていない",
        "まだ決\nまって",
        "undecided.policy",
        "7(2)キ(ウ)",
    ),
    ("例の件、業者はほぼ内\n定してる", "内\n定", "undecided.policy", "7(2)キ(ウ)"),
    ("社外の方には見せないで。極\n秘扱いで", "極\n秘", "confidential.marking", "7(1)サ"),
    ("ウイルスが出たら\nしいよ", "ら\nしい", "rumour.hearsay", "7(1)カ"),
    (
        "管理画面はこちら admin.city.exam\nple.lg.jp/login",
        "admin.city.exam\nple.lg.jp/login",
        "security.admin-url",
        "7(1)オ",
    ),
]

VALID = [
    ("本日は晴天\nです。\nご来場\nください", ("rumour.hearsay", "undecided.policy")),
    ("申込は窓口で\nお願いします", ("undecided.policy",)),
]


@pytest.mark.parametrize(("text", "excerpt", "rule", "clause"), INVALID)
def test_invalid(text: str, excerpt: str, rule: str, clause: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "子どもたちは\n元気です",
        "お問い合わせは市民課\nまで",
        "3月末で\n閉館します",
        "www.example.jp\nへ",
    ],
)
def test_break_between_words_stays(text: str) -> None:
    assert build_views(text)[0].text == text


def test_break_inside_a_morpheme_is_closed_up() -> None:
    norm = build_views("あの店、来月閉\n店するって")[0]
    assert norm.text == "あの店、来月閉店するって"
    a, b = norm.span(6, 8)  # 「閉店」 maps back over the break
    assert "あの店、来月閉\n店するって"[a:b] == "閉\n店"

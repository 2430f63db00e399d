"""The /incident sub-commands: one table, each line parsed once into a typed input."""

from __future__ import annotations

import pytest

from bot.errors import ValidationFailed
from bot.incidents.commands import (
    BUTTONS,
    SUBCOMMANDS,
    Close,
    DeletedComment,
    EventEdit,
    ResponsePost,
    Show,
    StatusChange,
    Tick,
    Update,
)


def parse(line: str):
    word, _, rest = line.partition(" ")
    return SUBCOMMANDS[word.lower()](rest)


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("update 12 削除依頼を送付しました", Update(12, "削除依頼を送付しました")),
        ("status 12 収束", StatusChange(12, "収束", "")),
        ("status 12 終了 経緯は  次のとおり", StatusChange(12, "終了", "経緯は  次のとおり")),
        ("tick 12  1 ", Tick(12, "1", True)),
        ("UNTICK 12 削除依頼", Tick(12, "削除依頼", False)),
        ("toggle 12 2", Tick(12, "2", None)),
        ("close 12", Close(12, "")),
        ("show １２", Show(12)),
        ("edit 34 正しい本文", EventEdit(34, "正しい本文")),
        ("respond 12 謝罪 誤りが  ありました。", ResponsePost(12, "謝罪", "誤りが  ありました。")),
        (
            "comment city_x 7(1)イ 差別的な書き込み",
            DeletedComment("city_x", "7(1)イ", "差別的な書き込み"),
        ),
    ],
)
def test_each_sub_command_is_parsed_into_its_input(line, parsed):
    assert parse(line) == parsed


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("update 12", "/incident update 12 削除依頼を送付しました"),
        ("respond 12 謝罪", "/incident respond 12 謝罪"),
        ("show", "/incident show 12"),
        ("close abc まとめ", "事案番号"),
    ],
)
def test_a_short_or_mistyped_line_is_refused_in_japanese(line, words):
    with pytest.raises(ValidationFailed) as refused:
        parse(line)
    assert words in refused.value.message


def test_a_button_is_the_same_sub_command_as_its_text():
    assert BUTTONS["incident.toggle"](12, {"item": 1, "done": True}, "") == Tick(12, "1", True)
    assert BUTTONS["incident.update"](12, {}, "送付済み") == Update(12, "送付済み")
    assert BUTTONS["incident.close"](12, {}, "まとめ") == Close(12, "まとめ")

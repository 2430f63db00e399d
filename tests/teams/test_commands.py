"""Command parsing table: what Teams delivers as text, and what the core receives."""

from __future__ import annotations

import pytest

from handlers.teams.commands import clean_text, parse


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/check 090-1234-5678", "check", "090-1234-5678"),
        ("／ＣＨＥＣＫ　090-1234-5678", "check", "090-1234-5678"),  # IME full width
        ("check 090-1234-5678", "check", "090-1234-5678"),
        ("チェック 本文です", "check", "本文です"),
        ("/check  二行目も\n  そのまま ", "check", " 二行目も\n  そのまま"),
        ("/draft", "draft", ""),
        ("/draft account=kanko-x 明日の お知らせ", "draft", "account=kanko-x 明日の お知らせ"),
        ("/draft\n一行目\n二行目", "draft", "\n一行目\n二行目"),
        ("/edit 3 修正後", "edit", "3 修正後"),
        ("／edit　３　修正後", "edit", "３　修正後"),  # the shared split: the word only
        ("/incident 炎上 市長の投稿に批判", "incident", "炎上 市長の投稿に批判"),
        ("/account", "account", ""),
        ("/drafts", "drafts", ""),
        ("/inbox", "inbox", ""),
        ("help", "help", ""),
        ("ヘルプ", "help", ""),
        ("", "help", ""),
        ("<at>ガイドラインBot</at>", "help", ""),
    ],
)
def test_parse(text: str, name: str, args: str) -> None:
    command = parse(text)

    assert command is not None
    assert (command.name, command.args) == (name, args)


@pytest.mark.parametrize("text", ["こんにちは", "/delete 3", "承認します"])
def test_not_a_command(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<at>ガイドラインBot</at> /check a", "/check a"),
        ("<at>Bot</at><at>Bot</at> help", "help"),
        ("/incident 炎上 <at>鈴木 一郎</at>さんから連絡", "/incident 炎上 鈴木 一郎さんから連絡"),
        ("/check A&amp;B&nbsp;C", "/check A&B C"),
        (None, ""),
    ],
)
def test_clean_text(raw: str | None, cleaned: str) -> None:
    assert clean_text(raw) == cleaned

"""Command parsing table: what Teams delivers as text, and what the core receives."""

from __future__ import annotations

import pytest

from handlers.teams.commands import CommandError, clean_text, parse_command


@pytest.mark.parametrize(
    ("text", "name", "sub", "args"),
    [
        ("/check 090-1234-5678", "check", None, "090-1234-5678"),
        ("／ＣＨＥＣＫ　090-1234-5678", "check", None, "090-1234-5678"),  # IME full width
        ("check 090-1234-5678", "check", None, "090-1234-5678"),
        ("チェック 本文です", "check", None, "本文です"),
        ("/check  二行目も\n  そのまま ", "check", None, "二行目も\n  そのまま"),
        ("/draft", "draft", None, ""),
        ("/draft 明日の お知らせ", "draft", None, "明日の お知らせ"),
        ("/incident 炎上 市長の投稿に批判", "incident", "炎上", "市長の投稿に批判"),
        ("/incident なりすまし 偽アカウント", "incident", "なりすまし", "偽アカウント"),
        ("/incident correction 日付の誤り", "incident", "訂正", "日付の誤り"),
        ("/account", "account", "list", ""),
        ("/account register 市公式X", "account", "register", "市公式X"),
        ("help", "help", None, ""),
        ("ヘルプ", "help", None, ""),
        ("", "help", None, ""),
        ("<at>ガイドラインBot</at>", "help", None, ""),
    ],
)
def test_parse(text: str, name: str, sub: str | None, args: str) -> None:
    command = parse_command(text)

    assert (command.name, command.sub, command.args) == (name, sub, args)


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("こんにちは", "コマンドが認識できませんでした"),
        ("/check", "チェックする本文"),
        ("/incident", "インシデントの種類"),
        ("/incident 火事 なにか", "インシデントの種類"),
        ("/account delete x", "/account register"),
    ],
)
def test_errors_are_japanese_and_helpful(text: str, message_part: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_command(text)

    assert message_part in caught.value.message


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

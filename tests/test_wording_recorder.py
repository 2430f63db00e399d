"""The wording test itself: each surface's checker finds English and leaves out what the
person wrote (the draft, an excerpt), so a message that slipped would fail its test."""

from __future__ import annotations

from microsoft_teams.cards import AdaptiveCard, Container, RichTextBlock, TextBlock, TextRun

from handlers.slack import blocks as bk
from tests.wording import cli_words, console_words, form_error_words, slack_words, teams_words


def test_a_slack_modal_with_an_english_label_is_caught():
    view = bk.modal("下書きの作成", [bk.section("Please enter your message")], callback_id="x")
    assert slack_words(view) == ["Please", "enter", "your", "message"]
    assert (
        slack_words(
            bk.modal("下書きの作成", [bk.section("本文を入力してください")], callback_id="x")
        )
        == []
    )


def test_a_slack_message_leaves_out_the_quoted_draft_and_markup():
    blocks = [
        bk.section("&gt; Hello world, the draft as written"),
        bk.section(":warning: <@U123> 「Sakura festival」を確認してください"),
        bk.context("Sent by the bot"),
    ]
    assert slack_words(blocks) == ["Sent", "by", "the", "bot"]


def test_form_errors_are_checked():
    assert form_error_words({"text": "This field is required"}) == [
        "This",
        "field",
        "is",
        "required",
    ]
    assert form_error_words({"text": "本文を入力してください"}) == []


def test_a_teams_card_is_caught_but_its_quote_is_the_authors():
    quote = Container(style="emphasis", items=[RichTextBlock(inlines=[TextRun(text="Hi all")])])
    card = AdaptiveCard(
        version="1.5", body=[TextBlock(text="Approval request"), quote], fallback_text="決裁依頼"
    )
    assert teams_words(card) == ["Approval", "request"]


def test_console_text_leaves_out_the_draft_and_the_commands_of_buttons():
    text = "■ Draft saved\n  ┌ 本文\n  │ Hello world\n  └\n  操作:\n    承認: /approve 1 v1"
    assert console_words(text) == ["Draft", "saved"]


def test_command_line_output_is_caught_and_json_is_read_in_its_values():
    assert cli_words("usage: python -m bot [-h]\nerror: unrecognized arguments") == [
        "usage",
        "error",
        "unrecognized",
        "arguments",
    ]
    assert cli_words('{"decision": "approve", "note": "Looks good"}') == ["Looks", "good"]

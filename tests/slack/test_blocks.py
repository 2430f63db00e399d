"""Block Kit builders: every output stays inside Slack's limits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pytest

from handlers.slack import blocks as bk


@dataclass
class F:
    rule: str = "pii.phone"
    clause: str = "7(1)エ"
    severity: object = "block"
    start: int = 0
    end: int = 13
    excerpt: str = "090-1234-5678"
    message: str = "個人の電話番号が含まれています。"


class Severity(Enum):
    BLOCK = "block"
    REVIEW = "review"
    INFO = "info"


# ------------------------------------------------------------------ truncate / section
@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("あいうえお", 5, "あいうえお"),
        ("あいうえおか", 5, "あいうえ…"),
        ("", 5, ""),
        ("a" * 20, 10, "aaa…（以下省略）"),
        ("ab&amp;cdefghijklmn", 10, "ab…（以下省略）"),  # no half entity
        ("ab<@U123|x>cdefghijk", 10, "ab…（以下省略）"),  # no half mention
        ("ab<@U1>cdefghijklmn", 14, "ab<@U1>…（以下省略）"),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    mark = bk.ELLIPSIS if limit == 5 else bk.TRUNCATION_MARK
    assert bk.truncate(text, limit, mark) == expected


def test_truncate_counts_astral_characters_as_two() -> None:
    text = "😀" * 10  # 20 UTF-16 units
    out = bk.truncate(text, 11, bk.ELLIPSIS)
    assert out == "😀" * 5 + "…" and bk.slack_len(out) == 11


def test_section_truncates_long_text_at_3000_with_japanese_mark() -> None:
    block = bk.section("あ" * 5000)
    text = block["text"]["text"]
    assert bk.slack_len(text) == 3000
    assert text.endswith("…（以下省略）")
    assert block["type"] == "section" and block["text"]["type"] == "mrkdwn"


def test_section_keeps_text_at_exactly_the_limit() -> None:
    assert bk.section("い" * 3000)["text"]["text"] == "い" * 3000


def test_section_never_sends_empty_text() -> None:
    assert bk.section("")["text"]["text"] == "（なし）"


def test_escape_neutralises_mentions_and_links() -> None:
    assert bk.escape("<!channel> & <https://evil|city>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil|city&gt;"
    )


def test_header_and_context_limits() -> None:
    assert bk.slack_len(bk.header("見" * 200)["text"]["text"]) == 150
    block = bk.context(*[str(i) for i in range(12)])
    assert len(block["elements"]) == 10
    assert block["elements"][-1]["text"] == "9 10 11"
    with pytest.raises(ValueError):
        bk.context()


# ------------------------------------------------------------------ elements
def test_button_value_guard_points_to_server_side_storage() -> None:
    assert bk.button("承認", "approval:approve", "x" * 2000)["value"] == "x" * 2000
    with pytest.raises(bk.PayloadTooLargeError, match="server side"):
        bk.button("承認", "approval:approve", "x" * 2001)


def test_button_text_is_cut_and_ids_are_checked() -> None:
    button = bk.button("長" * 100, "a" * 255, "1", style="primary")
    assert bk.slack_len(button["text"]["text"]) == 75
    assert button["style"] == "primary"
    with pytest.raises(ValueError, match="action_id"):
        bk.button("x", "a" * 256)
    with pytest.raises(ValueError, match="action_id"):
        bk.button("x", "")
    with pytest.raises(ValueError, match="style"):
        bk.button("x", "a", style="warning")


def test_actions_block_holds_at_most_25_elements() -> None:
    buttons = [bk.button(str(i), f"b{i}") for i in range(26)]
    assert len(bk.actions(*buttons[:25])["elements"]) == 25
    with pytest.raises(ValueError):
        bk.actions(*buttons)


def test_option_text_cut_and_value_guarded() -> None:
    opt = bk.option("選" * 80, "acct-1", "説" * 80)
    assert bk.slack_len(opt["text"]["text"]) == 75
    assert bk.slack_len(opt["description"]["text"]) == 75
    with pytest.raises(bk.PayloadTooLargeError):
        bk.option("x", "v" * 151)


def test_plain_text_input_caps_max_length_and_initial_value() -> None:
    element = bk.plain_text_input(
        "text", multiline=True, max_length=10_000, initial_value="本" * 4000
    )
    assert element["max_length"] == 3000
    assert len(element["initial_value"]) == 3000
    assert element["multiline"] is True


def test_input_block() -> None:
    block = bk.input_block("本文", bk.plain_text_input("text"), block_id="text", hint="ヒント")
    assert block["label"]["text"] == "本文" and block["optional"] is False
    assert block["hint"]["text"] == "ヒント"


# ------------------------------------------------------------------ modals
def test_modal_title_is_cut_to_24() -> None:
    title = bk.modal_title("公式アカウントの投稿案の作成と内容チェックの実行および決裁依頼")
    assert bk.slack_len(title["text"]) == 24
    assert title["text"].endswith("…")
    assert bk.modal_title("投稿案の作成")["text"] == "投稿案の作成"


def test_modal_stays_within_limits() -> None:
    view = bk.modal(
        "とても長いタイトルのモーダルでございますのでご注意ください",
        [bk.section(str(i)) for i in range(150)],
        callback_id="draft_submit",
        submit="送信する前にもう一度内容を確認してから送る",
        private_metadata="draft:1",
    )
    assert len(view["blocks"]) == 100
    assert "ほか 51 件" in view["blocks"][-1]["elements"][0]["text"]
    assert bk.slack_len(view["title"]["text"]) <= 24
    assert bk.slack_len(view["submit"]["text"]) <= 24
    with pytest.raises(bk.PayloadTooLargeError):
        bk.modal("t", [], callback_id="c", private_metadata="x" * 3001)


# ------------------------------------------------------------------ paginate
def test_paginate_splits_into_pages_of_at_most_50() -> None:
    blocks = [bk.section(str(i)) for i in range(120)]
    pages = bk.paginate(blocks)
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [b for p in pages for b in p] == blocks


def test_paginate_never_ends_a_page_with_a_header() -> None:
    blocks = [bk.section(str(i)) for i in range(4)] + [bk.header("次"), bk.section("4")]
    pages = bk.paginate(blocks, max_blocks=5)
    assert pages[0][-1]["type"] == "section"
    assert pages[1][0]["type"] == "header"
    assert [b for p in pages for b in p] == blocks


def test_paginate_edge_cases() -> None:
    assert bk.paginate([]) == []
    assert bk.paginate([bk.divider()] * 50) == [[bk.divider()] * 50]
    with pytest.raises(ValueError):
        bk.paginate([], max_blocks=1)


# ------------------------------------------------------------------ findings
def test_findings_blocks_render_clause_severity_excerpt_position_and_message() -> None:
    (block,) = bk.findings_blocks([F(start=5, end=18)])
    text = block["text"]["text"]
    assert "⛔ 要修正" in text
    assert "7(1)エ" in text
    assert "「090-1234-5678」" in text
    assert "6〜18文字目" in text
    assert "個人の電話番号が含まれています。" in text


def test_findings_are_ordered_by_severity_then_position() -> None:
    findings = [
        F(severity="info", start=1, message="info"),
        F(severity="review", start=50, message="review-late"),
        F(severity="block", start=90, message="block"),
        F(severity="review", start=2, message="review-early"),
    ]
    texts = [b["text"]["text"] for b in bk.findings_blocks(findings)]
    order = [t.rsplit("\n", 1)[-1] for t in texts]
    assert order == ["block", "review-early", "review-late", "info"]
    assert texts[-1].startswith("*ℹ️ 参考*")


def test_findings_overflow_collapses_into_hoka_n_ken() -> None:
    findings = [F(severity="block")] * 3 + [F(severity="review")] * 4 + [F(severity="info")] * 5
    blocks = bk.findings_blocks(findings, limit=4)
    assert len(blocks) == 5
    note = blocks[-1]["elements"][0]["text"]
    assert note == "ほか 8 件（⚠️ 要確認 3 件・ℹ️ 参考 5 件）"


def test_findings_accept_enum_severity_and_unknown_maps_to_info() -> None:
    blocks = bk.findings_blocks([F(severity=Severity.REVIEW), F(severity="weird")])
    assert "⚠️ 要確認" in blocks[0]["text"]["text"]
    assert "ℹ️ 参考" in blocks[1]["text"]["text"]


def test_findings_excerpt_is_escaped_and_shortened() -> None:
    (block,) = bk.findings_blocks([F(excerpt="<!channel>" + "長" * 500, message="<b>")])
    text = block["text"]["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "&lt;b&gt;" in text
    assert bk.slack_len(text) < 400


def test_no_findings_renders_an_all_clear() -> None:
    assert bk.findings_blocks([])[0]["text"]["text"] == "✅ 指摘事項はありません。"
    assert bk.findings_summary([]) == "✅ 指摘事項はありません"


def test_findings_summary_counts() -> None:
    summary = bk.findings_summary([F(), F(severity="info"), F()])
    assert summary == "⛔ 要修正 2 件・ℹ️ 参考 1 件"


def test_many_huge_findings_still_fit_one_message() -> None:
    findings = [F(excerpt="x" * 10_000, message="m" * 10_000) for _ in range(200)]
    blocks = bk.findings_blocks(findings, limit=bk.MESSAGE_BLOCKS_MAX - 1)
    assert len(blocks) == bk.MESSAGE_BLOCKS_MAX
    assert all(bk.slack_len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")

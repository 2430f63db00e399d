"""Bad and huge input: a clear result or a clear error, never a traceback or a hang."""

from __future__ import annotations

import pytest

from rules import check
from rules.checker import MAX_LENGTH


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "\x00\x01\x07\x1b[31m",
        "\ud800\udfff 孤立サロゲート \udc80",
        "🎉🎉 お祭り開催！👨‍👩‍👧 ❤️",
        "\u202eRLO override 090-1234-5678\u202c",
        "\u0301\u0302 combining at start",
        "ｶﾞｷﾞｸﾞ" * 50,
        "a" * 100_000,
    ],
)
def test_bad_input_gives_a_result(text: str) -> None:
    report = check(text)
    assert report.verdict in {"ok", "review", "block"}
    for f in report.findings:
        assert text[f.start : f.end] == f.excerpt
    report.to_json()


def test_rlo_does_not_hide_a_phone_number() -> None:
    text = "\u202e090-1234-5678\u202c"
    assert check(text).verdict == "block"


def test_non_str_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="str"):
        check(b"bytes")  # type: ignore[arg-type]


def test_too_long_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="too long"):
        check("a" * (MAX_LENGTH + 1))


def test_200kb_text_completes_with_correct_findings() -> None:
    filler = "松本市では秋のイベントを開催します。詳しくは市ホームページをご覧ください。"
    body = filler * (200_000 // len(filler))
    text = body + "担当090-1234-5678" + body + "【部外秘】" + "1.2.3.4.5.6." * 2000 + "０" * 5000
    report = check(text)
    rules = [f.rule for f in report.findings]
    assert rules.count("pii.mobile-phone") == 1
    assert rules.count("confidential.marking") == 1
    mobile = next(f for f in report.findings if f.rule == "pii.mobile-phone")
    assert text[mobile.start : mobile.end] == "090-1234-5678"


@pytest.mark.parametrize(
    "text",
    [
        "a." * 50_000,  # dotted runs: URL extraction must stay linear
        "1 " * 50_000,  # digit groups joined by spaces: phone windows are bounded
        "-1" * 50_000,
        "番地" * 20_000 + "1",
        "http://" + "a" * 100_000,
        "@" * 50_000 + "a.jp",
        "十" * 50_000,
        "a.jp" + ")" * 100_000,  # trailing brackets are trimmed in linear time
        "(" * 50_000 + "a.jp",
    ],
)
def test_pathological_inputs_complete(text: str) -> None:
    check(text)

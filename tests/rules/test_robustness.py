"""Bad and huge input: a clear result or a clear error, never a traceback or a hang."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from rules import Finding, check, context
from rules import checker as checker_module
from rules.checker import MAX_LENGTH
from rules.family import Family
from rules.tokens import Token


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


def _work(text: str) -> int:
    """Deterministic work of one check: Python and C function calls made (a profiler
    counts them) plus characters handed to the tokenizer. Machine load cannot change it.

    Regex matching inside one ``re`` call is not counted (CPython exposes no step
    counter); the per-call count still grows with every scan a rule repeats per position
    or per sentence, which is how super-linear behaviour has crept in before.
    """
    chars = 0
    real = context.tokenize

    def counting_tokenize(t: str, base: int = 0) -> list[Token]:
        nonlocal chars
        chars += len(t)
        return real(t, base)

    calls = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    context.tokenize = counting_tokenize  # type: ignore[assignment]
    sys.setprofile(profile)
    try:
        check(text)
    finally:
        sys.setprofile(None)
        context.tokenize = real  # type: ignore[assignment]
    return calls + chars


def _grows_linearly(unit: str, n: int = 400) -> tuple[int, int]:
    check("準備 090-1234-5678 山田さんの相談")  # data and tagger loaded before counting
    return _work(unit * n), _work(unit * 4 * n)


# Units repeated n and 4n times: dotted runs (URL extraction), digit groups joined by
# spaces (phone windows), hyphen runs, address words, kanji numerals, brackets (link
# trimming), at-signs, many short sentences with names (tokenization, name rules),
# half-width kana (normalisation), and the cue families' anchors.
PATHOLOGICAL_UNITS = [
    "a.",
    "1 ",
    "-1",
    "番地",
    "十",
    ")",
    "(",
    "@",
    "山田さんの相談。",
    "ｶﾞ",
    "。",
    "パスワード ",
    "禁止だけど、",
    "女の子なんだから",
    "t i n y ",
    "噂らしい。",
    "非公開の委員会で",
]


@pytest.mark.parametrize("unit", PATHOLOGICAL_UNITS)
def test_pathological_inputs_take_linear_work(unit: str) -> None:
    small, large = _grows_linearly(unit)
    # Four times the input may cost at most a little over four times the work (the fixed
    # cost of a check is a few hundred calls).
    assert large <= 4.3 * small + 1_000, (unit, small, large)


def test_the_work_count_catches_a_quadratic_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The measure above can fail: a rule that rescans every sentence per sentence."""

    def quadratic(ctx: context.Context) -> Iterator[Finding]:
        for _s, _e in ctx.sentences():
            for s2, e2 in ctx.sentences():
                len(ctx.norm.text[s2:e2])
        return iter(())

    extra = Family(name="quadratic", clause="7(1)エ", doc="", rules=(), scan=quadratic)
    monkeypatch.setattr(checker_module, "FAMILIES", (*checker_module.FAMILIES, extra))
    small, large = _grows_linearly("山田さんの相談。", n=100)
    assert large > 4.3 * small + 1_000

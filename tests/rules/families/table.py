"""The shape of a family's test table (textlint / Presidio style).

``INVALID`` rows are ``(text, rule, clause, excerpt)``: the check must report ``rule`` with
``clause`` at a block/review severity on a span that overlaps the first occurrence of
``excerpt`` (positions are derived from the text, so the right words in the wrong place
fail). ``VALID`` rows are texts on which the family's rules must not hold the post up.
"""

from __future__ import annotations

from rules import check


def assert_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    a = text.index(excerpt)
    b = a + len(excerpt)
    report = check(text)
    got = [
        (f.rule, f.clause, f.severity, f.start, f.end, f.excerpt)
        for f in report.findings
        if f.severity in ("block", "review")
    ]
    assert any(r == rule and c == clause and s < b and a < e for r, c, _, s, e, _ in got), (
        f"expected {rule} {clause} over {excerpt!r} [{a}:{b}]; got {got}"
    )
    for f in report.findings:
        assert text[f.start : f.end] == f.excerpt


def assert_valid(text: str, rules: tuple[str, ...]) -> None:
    held = [
        (f.rule, f.excerpt)
        for f in check(text).findings
        if f.rule in rules and f.severity in ("block", "review")
    ]
    assert not held, f"false alarm on {text!r}: {held}"

"""Labelled corpus: recall on violations/evasions and false-positive rate on clean posts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules import check

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
CORPUS = Path(__file__).with_name("corpus.tsv")


def load() -> list[tuple[str, str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, clause, text = line.split("\t", 2)
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).replace("\\n", "\n")
        rows.append((label, clause, text))
    return rows


ROWS = load()


def caught(clause: str, text: str) -> bool:
    report = check(text)
    return report.verdict != "ok" and any(f.clause == clause for f in report.findings)


def test_corpus_size_and_mix() -> None:
    labels = [r[0] for r in ROWS]
    assert len(ROWS) >= 150
    assert {"clean", "near-miss", "violation", "evasion"} <= set(labels)


def test_recall_on_violations_and_evasions() -> None:
    positives = [(c, t) for label, c, t in ROWS if label in ("violation", "evasion")]
    missed = [t for c, t in positives if not caught(c, t)]
    recall = 1 - len(missed) / len(positives)
    assert recall >= 0.95, f"recall {recall:.3f}; missed: {missed}"


def test_false_positive_rate_on_clean_posts() -> None:
    negatives = [t for label, _, t in ROWS if label in ("clean", "near-miss")]
    flagged = [
        (t, [f.rule for f in check(t).findings]) for t in negatives if check(t).verdict != "ok"
    ]
    rate = len(flagged) / len(negatives)
    assert rate <= 0.03, f"false-positive rate {rate:.3f}; flagged: {flagged}"


@pytest.mark.parametrize(("label", "clause", "text"), ROWS)
def test_offsets_slice_back(label: str, clause: str, text: str) -> None:
    for f in check(text).findings:
        assert text[f.start : f.end] == f.excerpt

"""Held-out corpus: posts written from SPEC and the guideline before reading the rule data.

Scored exactly as ``benchmarks/eval_rules.py`` scores it (a positive is caught when the
verdict is at least the expected severity and the expected clause, or one of the same row
of SPEC's clause table, is among the findings; a clean or near-miss post is a false
positive when its verdict is not ``ok``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).with_name("corpus_heldout.jsonl")


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_rules", ROOT / "benchmarks/eval_rules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_rules", module)
    spec.loader.exec_module(module)
    return module


EVAL = _eval_module()
ROWS = EVAL.load(CORPUS)


@pytest.fixture(scope="module")
def outcome():  # type: ignore[no-untyped-def]
    return EVAL.evaluate(ROWS)


def test_heldout_size_and_mix() -> None:
    kinds = Counter(r["kind"] for r in ROWS)
    assert len(ROWS) >= 200
    assert kinds["clean"] >= 90 and kinds["near-miss"] >= 30
    assert kinds["violation"] >= 60 and kinds["evasion"] >= 30
    clauses = {c for r in ROWS for c in r["clauses"]}
    assert {
        "7(1)エ",
        "7(1)サ",
        "7(1)コ",
        "7(2)キ(ウ)",
        "7(1)カ",
        "7(1)イ",
        "7(1)ア",
        "7(1)ウ",
    } <= clauses
    assert {"7(1)キ", "7(1)オ", "7(1)ク", "5(9)", "7(2)エ"} <= clauses


def test_heldout_recall(outcome) -> None:  # type: ignore[no-untyped-def]
    missed = [(r["id"], r["text"], verdict, got) for r, verdict, got in outcome.misses]
    assert outcome.recall >= 0.95, f"recall {outcome.recall:.3f}; missed: {missed}"


def test_heldout_false_positive_rate(outcome) -> None:  # type: ignore[no-untyped-def]
    flagged = [(r["id"], r["text"], got) for r, _, got in outcome.flagged]
    assert outcome.fpr <= 0.03, f"false-positive rate {outcome.fpr:.3f}; flagged: {flagged}"


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_heldout_offsets_slice_back(row: dict[str, str]) -> None:
    text = row["text"]
    for f in EVAL.default_checker().check(text).findings:
        assert text[f.start : f.end] == f.excerpt

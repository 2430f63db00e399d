"""Evaluate the content check on a labelled JSONL corpus (prints numbers; not a test).

    python benchmarks/eval_rules.py [CORPUS.jsonl] [--misses]

Each corpus line is ``{"id", "kind", "text", "expect": "block"|"review"|"ok", "clauses"}``.
A post that expects ``block`` or ``review`` is *caught* when the verdict is at least that
severe and every expected clause is among the clauses of its block/review findings, where
clauses that share a row of SPEC's clause table count as one (7(1)ア/ウ; 7(1)エ/サ/コ for
confidential markings, i.e. サ and コ also accept エ). A post
that expects ``ok`` is a *false positive* when the verdict is ``block`` or ``review``.
Prints recall, false-positive rate, recall per kind and a per-clause confusion table
(caught / missed positives, and false-positive posts on which the clause fired).
Defaults to the held-out corpus ``tests/rules/corpus_heldout.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rules import Checker, default_checker  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "rules" / "corpus_heldout.jsonl"
RANK = {"ok": 0, "review": 1, "block": 2}
# Clauses that share one row of SPEC's clause table.
SAME_ROW = {
    "7(1)ア": {"7(1)ア", "7(1)ウ"},
    "7(1)ウ": {"7(1)ア", "7(1)ウ"},
    "7(1)サ": {"7(1)エ", "7(1)サ", "7(1)コ"},
    "7(1)コ": {"7(1)エ", "7(1)サ", "7(1)コ"},
}


def clause_found(expected: str, fired: list[str]) -> bool:
    """The expected clause, or one of the same row of SPEC's table, is among ``fired``."""
    return any(c in fired for c in SAME_ROW.get(expected, {expected}))


def load(path: Path) -> list[dict[str, Any]]:
    """Read the corpus, one JSON object a line (blank lines ignored)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: {exc}") from None
    return rows


@dataclass
class Outcome:
    """The evaluation of one corpus."""

    positives: int = 0
    caught: int = 0
    negatives: int = 0
    false_positives: int = 0
    misses: list[tuple[dict[str, Any], str, list[str]]] = field(default_factory=list)
    flagged: list[tuple[dict[str, Any], str, list[str]]] = field(default_factory=list)
    by_kind: Counter[tuple[str, bool]] = field(default_factory=Counter)
    clause_tp: Counter[str] = field(default_factory=Counter)
    clause_fn: Counter[str] = field(default_factory=Counter)
    clause_fp: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        """Caught positives / positives."""
        return self.caught / self.positives if self.positives else 1.0

    @property
    def fpr(self) -> float:
        """Flagged negatives / negatives."""
        return self.false_positives / self.negatives if self.negatives else 0.0


def evaluate(rows: list[dict[str, Any]], checker: Checker | None = None) -> Outcome:
    """Check every row and score it."""
    checker = checker or default_checker()
    out = Outcome()
    for row in rows:
        report = checker.check(row["text"])
        fired = sorted({f.clause for f in report.findings if f.severity != "info"})
        got = [f"{f.clause}:{f.severity}:{f.rule}:{f.excerpt}" for f in report.findings]
        if row["expect"] == "ok":
            out.negatives += 1
            bad = report.verdict != "ok"
            out.false_positives += bad
            out.by_kind[(row["kind"], not bad)] += 1
            if bad:
                out.flagged.append((row, report.verdict, got))
                for clause in fired:
                    out.clause_fp[clause] += 1
            continue
        out.positives += 1
        ok = RANK[report.verdict] >= RANK[row["expect"]] and all(
            clause_found(c, fired) for c in row["clauses"]
        )
        out.caught += ok
        out.by_kind[(row["kind"], ok)] += 1
        for clause in row["clauses"]:
            (out.clause_tp if ok else out.clause_fn)[clause] += 1
        if not ok:
            out.misses.append((row, report.verdict, got))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--misses", action="store_true", help="list misses and false positives")
    args = parser.parse_args()
    rows = load(args.corpus)
    out = evaluate(rows)
    kinds = Counter(r["kind"] for r in rows)
    print(
        f"corpus {args.corpus.name}: {len(rows)} posts "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    )
    print(
        f"recall {out.recall:.3f} ({out.caught}/{out.positives})   "
        f"false-positive rate {out.fpr:.3f} ({out.false_positives}/{out.negatives})"
    )
    for kind in sorted(kinds):
        good, n = out.by_kind[(kind, True)], kinds[kind]
        print(f"  {kind:<10} {good:>4}/{n:<4} {'correct':<8} {good / n:.3f}")
    print()
    print(f"{'clause':<11} {'caught':>6} {'missed':>6} {'recall':>7} {'FP posts':>9}")
    clauses = sorted(set(out.clause_tp) | set(out.clause_fn) | set(out.clause_fp))
    for clause in clauses:
        tp, fn, fp = out.clause_tp[clause], out.clause_fn[clause], out.clause_fp[clause]
        rec = f"{tp / (tp + fn):.3f}" if tp + fn else "-"
        print(f"{clause:<11} {tp:>6} {fn:>6} {rec:>7} {fp:>9}")
    if args.misses:
        print("\nmissed:")
        for row, verdict, got in out.misses:
            print(f"  {row['id']} expect {row['expect']} {row['clauses']} got {verdict} {got}")
            print(f"      {row['text']!r}")
        print("\nfalse positives:")
        for row, verdict, got in out.flagged:
            print(f"  {row['id']} got {verdict} {got}")
            print(f"      {row['text']!r}")


if __name__ == "__main__":
    main()

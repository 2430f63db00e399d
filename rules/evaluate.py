"""Scoring the check on a labelled corpus (``python -m rules eval FILE.jsonl``).

A city measures the check on its own past posts with this; we measure it on outside and
blind corpora. The scoring is defined in docs/rules.md ("Measuring the check") and here:

* A corpus line is ``{"id", "text", "expect", "must_cover", "kind", "note"}``. ``expect`` is
  the list of clauses the post violates (empty: the post is fine); ``must_cover`` lists
  substrings of ``text`` that the check must point at. The older project format
  (``"expect": "ok"|"review"|"block"``, ``"clauses": [...]``) is read too.
* Only *blocking or reviewable* findings count (``block``/``review``); ``info`` findings do
  not hold a post up and do not catch anything.
* A finding *answers* an expected clause when its clause is that clause or shares its row
  of SPEC's clause table: 7(1)ア and 7(1)ウ are one row; a confidentiality marking is
  7(1)エ/サ/コ, so an expected サ or コ is also answered by エ (not the other way round).
* A finding *covers* a must_cover span when it overlaps at least one occurrence of the span
  in the original text (at least one shared character): the reviewer's eye is brought to
  the place. Annotators mark spans of different widths, so strict containment would score
  annotation style rather than the check.
* A *positive* post (``expect`` not empty) is **caught** when (1) every must_cover span is
  covered by a finding that answers one of the expected clauses, and (2) every expected
  clause is answered by some finding (one that lies in the sentence of a span when spans
  are given, anywhere in the post when none are). Annotators often mark the spans of one
  clause only: in 「廃止の方向で協議中らしい」 the span is 協議中 (7(2)キ(ウ)) and the
  hearsay らしい (7(1)カ) sits right after it, in the same sentence; a finding elsewhere
  in the post does not answer the clause. A must_cover span that does not occur in the
  text is an annotation error: it is listed and ignored.
* A *negative* post (``expect`` empty: clean or near-miss) is a **false positive** when the
  check would hold it up: its verdict is ``block`` or ``review``.
* Recall = caught / positives; false-positive rate = false positives / negatives.
* Per clause C: recall = positives expecting C where C is answered (as in (2)) / positives
  expecting C; precision = posts where a block/review finding of C is *expected* (C answers
  one of the post's expected clauses) / posts with any block/review finding of C.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .argparse_ja import os_error
from .model import Finding, Report

#: Expected clause -> the finding clauses that answer it (SPEC's clause table rows).
ANSWERS: dict[str, frozenset[str]] = {
    "7(1)ア": frozenset({"7(1)ア", "7(1)ウ"}),
    "7(1)ウ": frozenset({"7(1)ア", "7(1)ウ"}),
    "7(1)サ": frozenset({"7(1)エ", "7(1)サ", "7(1)コ"}),
    "7(1)コ": frozenset({"7(1)エ", "7(1)サ", "7(1)コ"}),
}
HOLDING = ("block", "review")


def answers(expected: str, clause: str) -> bool:
    """True when a finding of ``clause`` answers an expected ``expected``."""
    return clause in ANSWERS.get(expected, frozenset({expected}))


class CorpusError(ValueError):
    """A corpus line is malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled post."""

    id: str
    text: str
    expect: tuple[str, ...]  # clauses; empty = the post is fine
    must_cover: tuple[str, ...] = ()
    kind: str = ""
    note: str = ""

    @property
    def positive(self) -> bool:
        return bool(self.expect)


def parse_case(obj: Any, where: str) -> Case:
    """A corpus line (new or old format) as a :class:`Case`."""
    if not isinstance(obj, dict):
        raise CorpusError(f"{where}: line is not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise CorpusError(f'{where}: "text" must be a string')
    expect = obj.get("expect", [])
    if isinstance(expect, str):  # the project's older format
        if expect not in ("ok", "review", "block"):
            raise CorpusError(f'{where}: "expect" must be a list of clauses')
        clauses = obj.get("clauses") or []
        expect = [] if expect == "ok" else list(clauses)
        if not expect and obj.get("expect") != "ok":
            raise CorpusError(f'{where}: a "{obj.get("expect")}" case needs "clauses"')
    if not isinstance(expect, list) or not all(isinstance(c, str) for c in expect):
        raise CorpusError(f'{where}: "expect" must be a list of clauses')
    cover = obj.get("must_cover") or []
    if not isinstance(cover, list) or not all(isinstance(s, str) and s for s in cover):
        raise CorpusError(f'{where}: "must_cover" must be a list of non-empty strings')
    return Case(
        id=str(obj.get("id", where)),
        text=text,
        expect=tuple(dict.fromkeys(expect)),
        must_cover=tuple(cover),
        kind=str(obj.get("kind", "")),
        note=str(obj.get("note", "")),
    )


def load_corpus(path: str | Path) -> list[Case]:
    """Read a JSONL corpus (blank lines ignored); raises :class:`CorpusError`."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise CorpusError(f"{p}: 読めません（{os_error(exc)}）") from exc
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{p}: not valid UTF-8") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{p}:{n}: not JSON ({exc.msg})") from None
        out.append(parse_case(obj, f"{p}:{n}"))
    return out


def _occurrences(text: str, span: str) -> list[tuple[int, int]]:
    out, i = [], text.find(span)
    while i >= 0:
        out.append((i, i + len(span)))
        i = text.find(span, i + 1)
    return out


def _overlaps(f: Finding, spans: Iterable[tuple[int, int]]) -> bool:
    return any(f.start < b and a < f.end for a, b in spans)


_SENTENCE_END = re.compile(r"[。．！？!?\n]")


def _sentence_of(text: str, a: int, b: int) -> tuple[int, int]:
    """Bounds of the sentence(s) holding ``text[a:b]`` (split at 。．！？!? and line breaks)."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, a):
        start = m.end()
    end = _SENTENCE_END.search(text, max(a, b - 1))
    return start, (end.end() if end else len(text))


@dataclass
class CaseResult:
    """How the check did on one case."""

    case: Case
    verdict: str
    findings: tuple[Finding, ...]
    caught: bool | None = None  # positives only
    false_positive: bool = False  # negatives only
    answered: frozenset[str] = frozenset()  # expected clauses that were answered
    uncovered: tuple[str, ...] = ()  # must_cover spans no answering finding overlaps
    missing_spans: tuple[str, ...] = ()  # must_cover spans absent from the text

    def to_dict(self) -> dict[str, Any]:
        c = self.case
        return {
            "id": c.id,
            "kind": c.kind,
            "expect": list(c.expect),
            "must_cover": list(c.must_cover),
            "verdict": self.verdict,
            "caught": self.caught,
            "false_positive": self.false_positive,
            "answered": sorted(self.answered),
            "uncovered": list(self.uncovered),
            "missing_spans": list(self.missing_spans),
            "findings": [
                {k: v for k, v in f.to_dict().items() if k != "message"} for f in self.findings
            ],
        }


def score_case(case: Case, report: Report) -> CaseResult:
    """Score one case against the check's report (the rules in the module docstring)."""
    holding = tuple(f for f in report.findings if f.severity in HOLDING)
    res = CaseResult(case, report.verdict, report.findings)
    if not case.positive:
        res.false_positive = report.verdict in HOLDING
        return res
    located: list[tuple[str, list[tuple[int, int]]]] = []
    missing = []
    for s in case.must_cover:
        occ = _occurrences(case.text, s)
        if occ:
            located.append((s, occ))
        else:
            missing.append(s)
    all_spans = [o for _, occ in located for o in occ]
    span_sentences = [_sentence_of(case.text, a, b) for a, b in all_spans]
    relevant = [f for f in holding if any(answers(e, f.clause) for e in case.expect)]
    uncovered = tuple(s for s, occ in located if not any(_overlaps(f, occ) for f in relevant))
    answered = frozenset(
        e
        for e in case.expect
        if any(
            answers(e, f.clause) and (not all_spans or _overlaps(f, span_sentences))
            for f in holding
        )
    )
    res.answered = answered
    res.uncovered = uncovered
    res.missing_spans = tuple(missing)
    res.caught = not uncovered and answered == frozenset(case.expect)
    return res


@dataclass
class ClauseScore:
    """Per-clause counts."""

    expected: int = 0  # positives expecting the clause
    answered: int = 0  # ... where it was answered
    reported: int = 0  # posts with a block/review finding of the clause
    reported_expected: int = 0  # ... where that finding answers an expected clause

    @property
    def recall(self) -> float | None:
        return self.answered / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        return self.reported_expected / self.reported if self.reported else None


@dataclass
class Evaluation:
    """The scores of one corpus."""

    results: list[CaseResult] = field(default_factory=list)

    @property
    def positives(self) -> list[CaseResult]:
        return [r for r in self.results if r.case.positive]

    @property
    def negatives(self) -> list[CaseResult]:
        return [r for r in self.results if not r.case.positive]

    @property
    def caught(self) -> int:
        return sum(1 for r in self.positives if r.caught)

    @property
    def false_positives(self) -> int:
        return sum(1 for r in self.negatives if r.false_positive)

    @property
    def recall(self) -> float:
        n = len(self.positives)
        return self.caught / n if n else 1.0

    @property
    def fp_rate(self) -> float:
        n = len(self.negatives)
        return self.false_positives / n if n else 0.0

    def clauses(self) -> dict[str, ClauseScore]:
        out: dict[str, ClauseScore] = {}
        for r in self.results:
            for e in r.case.expect:
                s = out.setdefault(e, ClauseScore())
                s.expected += 1
                s.answered += e in r.answered
            for c in sorted({f.clause for f in r.findings if f.severity in HOLDING}):
                s = out.setdefault(c, ClauseScore())
                s.reported += 1
                s.reported_expected += any(answers(e, c) for e in r.case.expect)
        return dict(sorted(out.items()))

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """kind -> (right, total): caught positives or passed negatives."""
        out: dict[str, list[int]] = {}
        for r in self.results:
            good = bool(r.caught) if r.case.positive else not r.false_positive
            cell = out.setdefault(r.case.kind or "-", [0, 0])
            cell[0] += good
            cell[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def to_dict(self) -> dict[str, Any]:
        return {
            "posts": len(self.results),
            "positives": len(self.positives),
            "caught": self.caught,
            "recall": round(self.recall, 4),
            "negatives": len(self.negatives),
            "false_positives": self.false_positives,
            "false_positive_rate": round(self.fp_rate, 4),
            "by_kind": {k: {"right": a, "total": b} for k, (a, b) in self.by_kind().items()},
            "clauses": {
                c: {
                    "expected": s.expected,
                    "answered": s.answered,
                    "recall": None if s.recall is None else round(s.recall, 4),
                    "reported": s.reported,
                    "reported_expected": s.reported_expected,
                    "precision": None if s.precision is None else round(s.precision, 4),
                }
                for c, s in self.clauses().items()
            },
            "misses": [r.to_dict() for r in self.positives if not r.caught],
            "false_alarms": [r.to_dict() for r in self.negatives if r.false_positive],
            "annotation_errors": [
                {"id": r.case.id, "missing_spans": list(r.missing_spans)}
                for r in self.results
                if r.missing_spans
            ],
        }


def evaluate(cases: Sequence[Case], check: Callable[[str], Report]) -> Evaluation:
    """Run ``check`` on every case and score it."""
    return Evaluation([score_case(c, check(c.text)) for c in cases])


def _fmt(x: float | None) -> str:
    return "    -" if x is None else f"{x:.3f}"


def _finding_line(f: Finding) -> str:
    excerpt = f.excerpt.replace("\n", "⏎")
    return f"{f.clause} {f.severity} [{f.rule}] {f.start}-{f.end} 「{excerpt}」"


def render_text(ev: Evaluation, name: str) -> str:
    """The human-readable report."""
    lines = [
        f"{name}: {len(ev.results)} posts ({len(ev.positives)} positive, "
        f"{len(ev.negatives)} negative)",
        f"recall {ev.recall:.3f} ({ev.caught}/{len(ev.positives)})   "
        f"false-positive rate {ev.fp_rate:.3f} ({ev.false_positives}/{len(ev.negatives)})",
        "",
        "by kind: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in ev.by_kind().items()),
        "",
        f"{'clause':<11} {'expected':>8} {'answered':>8} {'recall':>7} "
        f"{'reported':>8} {'precision':>9}",
    ]
    for c, s in ev.clauses().items():
        lines.append(
            f"{c:<11} {s.expected:>8} {s.answered:>8} {_fmt(s.recall):>7} "
            f"{s.reported:>8} {_fmt(s.precision):>9}"
        )
    misses = [r for r in ev.positives if not r.caught]
    lines += ["", f"misses ({len(misses)}):"]
    for r in misses:
        case = r.case
        lines.append(
            f"  {case.id} [{case.kind}] expect {','.join(case.expect)} got {r.verdict}"
            + (f"; uncovered {list(r.uncovered)}" if r.uncovered else "")
            + (f"; not answered {sorted(set(case.expect) - r.answered)}" if not r.uncovered else "")
        )
        for f in r.findings:
            lines.append(f"      {_finding_line(f)}")
    alarms = [r for r in ev.negatives if r.false_positive]
    lines += ["", f"false alarms ({len(alarms)}):"]
    for r in alarms:
        lines.append(f"  {r.case.id} [{r.case.kind}] got {r.verdict}")
        for f in r.findings:
            if f.severity in HOLDING:
                lines.append(f"      {_finding_line(f)}")
    errors = [r for r in ev.results if r.missing_spans]
    if errors:
        lines += ["", "annotation errors (must_cover span not in text, ignored):"]
        lines += [f"  {r.case.id}: {list(r.missing_spans)}" for r in errors]
    return "\n".join(lines) + "\n"

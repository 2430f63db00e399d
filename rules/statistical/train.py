"""Train the statistical tier and write ``rules/statistical/weights.json``.

    python -m rules.statistical.train [--without FILE ...] [--out PATH] [--cv] [--check]

Needs the ``[train]`` extra (scikit-learn); the check itself never imports it. Deterministic:
fixed folds (posts split by a hash of their id), liblinear with a fixed seed, weights
rounded to 4 decimals and written with sorted keys, so the same data gives the same file
(``--check`` retrains and compares with the shipped file's sha256; exit 1 when they differ).

Procedure (docs/rules.md, "Statistical tier"):

1. Data: every labelled corpus in ``tests/rules`` (``DATA``). Each post is cut into the
   check's own sentences. A sentence of a violating post that overlaps a ``must_cover``
   span is labelled with the post's expected clauses that the tier models; a post with no
   spans (corpus.tsv, corpus_heldout.jsonl) is used only when it has one classifiable
   sentence. Other sentences of violating posts are left out (the annotator may have
   marked one clause only). Every sentence of a clean or near-miss post is a negative.
2. Features: :mod:`rules.statistical.features` (characters, character 2- and 3-grams),
   kept when they occur in at least ``MIN_DF`` sentences.
3. One L2 logistic regression per clause (``C``), then weights below ``PRUNE`` dropped.
4. Thresholds by 5-fold cross-validation over posts: one probability threshold for all
   clauses, the lowest at which the tier alone holds up at most ``TARGET_FP`` of the
   negative posts of the held-out folds, but never below p = 0.5 (``THRESHOLD_FLOOR``).
   ``--cv`` prints the cross-validated figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config
from ..context import Context
from ..evaluate import Case, load_corpus
from . import CLAUSES, WEIGHTS, Weights
from .features import PostGrams, sentence_bounds

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "tests" / "rules"
#: The training data, in this order (blind_round4.jsonl and blind_round5.jsonl were each
#: left out for an honest measurement of the tier and added afterwards; rounds 6 and 8a
#: joined in round 8, while round 8's other half stayed held out; see docs/rules.md).
DATA: tuple[str, ...] = (
    "corpus.tsv",
    "corpus_heldout.jsonl",
    "outside_review_cases.jsonl",
    "blind_round1.jsonl",
    "blind_round2.jsonl",
    "blind_round3.jsonl",
    "blind_round4.jsonl",
    "blind_round5.jsonl",
    "blind_round6.jsonl",
    "blind_round8a.jsonl",
)
MODELLED: tuple[str, ...] = tuple(CLAUSES)
MIN_DF = 2
C = 3.0
PRUNE = 0.01
FOLDS = 5
TARGET_FP = 0.03
#: The threshold is never below p = 0.5 (margin 0): cross-validation over writers the model
#: has already seen chose p >= 0.071, which held up 9.3 % of a new writer's clean posts
#: (round 5); at p >= 0.5 it held up 4.3 % and still raised recall (docs/rules.md).
THRESHOLD_FLOOR = 0.0
SEED = 0

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _load_tsv(path: Path) -> list[Case]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, clause, text = line.split("\t", 2)
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).replace("\\n", "\n")
        expect = () if label in ("clean", "near-miss") else (clause,)
        out.append(Case(id=f"{path.name}:{n}", text=text, expect=expect, kind=label))
    return out


def load_posts(names: Sequence[str]) -> list[Case]:
    """The labelled posts of ``names`` (files in tests/rules)."""
    out: list[Case] = []
    for name in names:
        path = CORPORA / name
        cases = _load_tsv(path) if name.endswith(".tsv") else load_corpus(path)
        out.extend(Case(f"{name}:{c.id}", c.text, c.expect, c.must_cover, c.kind) for c in cases)
    return out


@dataclass(frozen=True)
class Example:
    post: int  # index into the post list
    features: frozenset[str]
    labels: frozenset[str]


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


def examples(posts: Sequence[Case]) -> list[Example]:
    """Labelled sentences (procedure step 1)."""
    config = Config()
    out: list[Example] = []
    for i, case in enumerate(posts):
        ctx = Context(case.text, config)
        grams = PostGrams(ctx.norm.text)
        sents = []
        for a, b in ctx.sentences():
            bounds = sentence_bounds(ctx.norm.text, a, b)
            if bounds is not None:
                sents.append((frozenset(grams.sentence(*bounds)), *ctx.norm.span(*bounds)))
        if not case.positive:
            out.extend(Example(i, k, frozenset()) for k, _, _ in sents)
            continue
        labels = frozenset(case.expect) & set(MODELLED)
        spans = []
        for s in case.must_cover:
            j = case.text.find(s)
            while j >= 0:
                spans.append((j, j + len(s)))
                j = case.text.find(s, j + 1)
        if spans:
            out.extend(Example(i, k, labels) for k, a, b in sents if _overlaps(a, b, spans))
        elif len(sents) == 1:
            out.append(Example(i, sents[0][0], labels))
    return out


def fold_of(post_id: str) -> int:
    """A post's cross-validation fold (a hash of its id: stable across runs and machines)."""
    return int(hashlib.sha256(post_id.encode("utf-8")).hexdigest()[:8], 16) % FOLDS


def fit(train: Sequence[Example]) -> dict[str, Any]:
    """Train on ``train``; the weights file's content, thresholds not set yet."""
    from scipy.sparse import csr_matrix  # the [train] extra
    from sklearn.linear_model import LogisticRegression

    df: dict[str, int] = {}
    feats = [sorted(e.features) for e in train]
    for fs in feats:
        for g in fs:
            df[g] = df.get(g, 0) + 1
    vocab = sorted(g for g, n in df.items() if n >= MIN_DF)
    col = {g: j for j, g in enumerate(vocab)}
    rows, cols = [], []
    for r, fs in enumerate(feats):
        for g in fs:
            j = col.get(g)
            if j is not None:
                rows.append(r)
                cols.append(j)
    x = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(train), len(vocab)))
    table: dict[str, list[list[float]]] = {}
    bias = []
    for k, clause in enumerate(MODELLED):
        y = [1 if clause in e.labels else 0 for e in train]
        model = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=1000)
        model.fit(x, y)
        bias.append(round(float(model.intercept_[0]), 4))
        for j, w in enumerate(model.coef_[0]):
            w = round(float(w), 4)
            if abs(w) >= PRUNE:
                table.setdefault(vocab[j], []).append([k, w])
    return {
        "clauses": list(MODELLED),
        "bias": bias,
        "thresholds": [0.0] * len(MODELLED),
        "features": dict(sorted(table.items())),
    }


def _margins(obj: dict[str, Any], features: Sequence[frozenset[str]]) -> list[list[float]]:
    w = Weights.parse(obj)
    return [w.margins(set(f)) for f in features]


@dataclass
class CrossValidation:
    """Held-out margins of every example (each predicted by the model of the other folds)."""

    posts: list[Case]
    examples: list[Example]
    margins: list[list[float]]

    def post_max(self) -> dict[int, list[float]]:
        """Per post, the highest margin of each clause over its labelled sentences."""
        out: dict[int, list[float]] = {}
        for e, m in zip(self.examples, self.margins, strict=True):
            cur = out.setdefault(e.post, [-math.inf] * len(MODELLED))
            out[e.post] = [max(a, b) for a, b in zip(cur, m, strict=True)]
        return out

    def negative_fp(self, margin: float) -> tuple[int, int]:
        """Negative posts held up by the tier at ``margin`` / all negative posts."""
        pm = self.post_max()
        neg = [p for p in pm if not self.posts[p].positive]
        return sum(1 for p in neg if max(pm[p]) >= margin), len(neg)

    def clause_recall(self, margin: float) -> dict[str, tuple[int, int]]:
        """Per clause: labelled positive posts whose span sentence reaches ``margin``."""
        out = {}
        for k, clause in enumerate(MODELLED):
            got = tot = 0
            best: dict[int, float] = {}
            for e, m in zip(self.examples, self.margins, strict=True):
                if clause in e.labels:
                    best[e.post] = max(best.get(e.post, -math.inf), m[k])
            tot = len(best)
            got = sum(1 for v in best.values() if v >= margin)
            out[clause] = (got, tot)
        return out


def cross_validate(posts: list[Case], exs: list[Example]) -> CrossValidation:
    margins: list[list[float]] = [[] for _ in exs]
    folds = [fold_of(posts[e.post].id) for e in exs]
    for f in range(FOLDS):
        obj = fit([e for e, g in zip(exs, folds, strict=True) if g != f])
        idx = [i for i, g in enumerate(folds) if g == f]
        for i, m in zip(idx, _margins(obj, [exs[i].features for i in idx]), strict=True):
            margins[i] = m
    return CrossValidation(posts, exs, margins)


def choose_threshold(cv: CrossValidation) -> float:
    """The lowest margin at which the tier holds up at most TARGET_FP of negative posts
    (never below THRESHOLD_FLOOR)."""
    pm = cv.post_max()
    neg = sorted((max(pm[p]) for p in pm if not cv.posts[p].positive), reverse=True)
    allowed = math.floor(TARGET_FP * len(neg))
    # Holding up exactly `allowed` posts: just above the (allowed+1)-th highest negative.
    cut = neg[allowed] if allowed < len(neg) else -math.inf
    return max(round(cut + 1e-4, 4), THRESHOLD_FLOOR)


def train(names: Sequence[str], *, report: bool = False) -> str:
    """The weights file's text for the corpora ``names``."""
    posts = load_posts(names)
    exs = examples(posts)
    cv = cross_validate(posts, exs)
    t = choose_threshold(cv)
    if report:
        _report(cv, t, posts, exs)
    obj = fit(exs)
    obj["thresholds"] = [t] * len(MODELLED)
    obj = {
        "about": "rules.statistical weights; regenerate with python -m rules.statistical.train",
        "data": list(names),
        "feature_kind": "characters and character 2-3-grams of the sentence",
        "cross_validation": {
            "folds": FOLDS,
            "target_fp": TARGET_FP,
            "threshold_probability": round(1 / (1 + math.exp(-t)), 4),
            "negative_posts_held_up": list(cv.negative_fp(t)),
            "recall_by_clause": {c: list(v) for c, v in cv.clause_recall(t).items()},
        },
        **obj,
    }
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _report(cv: CrossValidation, t: float, posts: list[Case], exs: list[Example]) -> None:
    pos = sum(1 for p in posts if p.positive)
    print(f"posts {len(posts)} ({pos} violating), labelled sentences {len(exs)}", file=sys.stderr)
    for margin in sorted({t, 0.0, -1.0, 1.0, 2.0}):
        fp, n = cv.negative_fp(margin)
        rec = cv.clause_recall(margin)
        cells = " ".join(f"{c} {a}/{b}" for c, (a, b) in rec.items())
        mark = " <- chosen" if margin == t else ""
        print(
            f"p>={1 / (1 + math.exp(-margin)):.3f}: FP {fp}/{n} = {fp / n:.3f}; {cells}{mark}",
            file=sys.stderr,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rules.statistical.train")
    parser.add_argument("--without", action="append", default=[], metavar="FILE")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--cv", action="store_true", help="print cross-validated figures")
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    names = [n for n in DATA if n not in set(args.without)]
    text = train(names, report=args.cv)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if args.check:
        shipped = hashlib.sha256(args.out.read_bytes()).hexdigest()
        print(f"trained {digest}\nshipped {shipped}")
        return 0 if digest == shipped else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

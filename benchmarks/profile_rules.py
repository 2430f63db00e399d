"""Where the content check spends its time, per stage (prints numbers; not a test).

    python benchmarks/profile_rules.py [--length 280] [--count 2000] [--pool mixed|clean]
    python benchmarks/profile_rules.py --cprofile   # the 30 costliest functions instead

Runs the same steps as ``Checker.check`` on the benchmark's generated posts and prints the
mean µs per post of each stage: building the views, the phrase scan, each family's scan
(less the tokenization it asked for first, which is counted on its own line), and merging the findings. The
time bare fugashi takes to tokenize the same posts is printed beside it.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import rules.context
from benchmarks.bench_rules import CLEAN, SENTENCES, make_texts
from rules import default_checker
from rules.checker import Checker, _trusted
from rules.context import Context
from rules.model import Finding
from rules.registry import FAMILIES
from rules.tokens import Token, get_tagger

_TOKENIZE = rules.context.tokenize
_tok_time = [0.0]


def _timed_tokenize(text: str, base: int = 0) -> list[Token]:
    a = time.perf_counter()
    try:
        return _TOKENIZE(text, base)
    finally:
        _tok_time[0] += time.perf_counter() - a


def staged(checker: Checker, text: str, acc: dict[str, float]) -> None:
    clock = time.perf_counter
    rules.context.tokenize = _timed_tokenize  # type: ignore[assignment]
    t0 = clock()
    ctx = Context(text, checker.config, _trusted(()), checker._data)
    t1 = clock()
    acc["views"] += t1 - t0
    before = _tok_time[0]
    found: list[Finding] = list(checker._phrases(ctx))
    t2 = clock()
    spent = _tok_time[0] - before
    acc["phrases"] += t2 - t1 - spent
    acc["(tokenize in phrases)"] += spent
    for family in FAMILIES:
        if family.scan is not None:
            a = clock()
            before = _tok_time[0]
            found.extend(family.scan(ctx))
            spent = _tok_time[0] - before
            acc[family.name] += clock() - a - spent
            acc["(tokenize in families)"] += spent
    a = clock()
    checker._finish(found)
    acc["finish"] += clock() - a


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--length", type=int, default=280)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--pool", choices=("mixed", "clean"), default="mixed")
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    checker = default_checker()
    tagger = get_tagger()
    pool = SENTENCES if args.pool == "mixed" else CLEAN
    texts = make_texts(args.length, args.count, random.Random(7), pool)
    for t in texts[:50]:
        checker.check(t)
    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        for t in texts:
            checker.check(t)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return
    acc: dict[str, float] = defaultdict(float)
    tok = total = 0.0
    for t in texts:
        a = time.perf_counter()
        staged(checker, t, acc)
        b = time.perf_counter()
        tagger.parseToNodeList(t)
        tok += time.perf_counter() - b
        total += b - a
    n = len(texts)
    print(f"{n} {args.pool} posts of {args.length} characters; mean µs per post")
    for name, secs in sorted(acc.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<16} {secs / n * 1e6:8.1f}")
    print(f"  {'check total':<16} {total / n * 1e6:8.1f}")
    print(f"  {'bare tokenize':<16} {tok / n * 1e6:8.1f}   ratio {total / tok:.2f}")


if __name__ == "__main__":
    main()

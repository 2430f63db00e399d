"""Dump every finding of the check on every bundled corpus (a guard for speed work).

    python benchmarks/dump_findings.py > before.txt
    ... change the check ...
    python benchmarks/dump_findings.py > after.txt && diff before.txt after.txt

One line per text: where it came from, then the findings (rule, clause, severity, span,
excerpt, message) as JSON. The texts are every post of the corpora in ``tests/rules/``
(``corpus.tsv`` and every ``*.jsonl``), every row of the family test tables, the benchmark's
generated posts, and seeded concatenations of corpus posts (so that findings of one post
next to another's sentences are compared too). Extra JSONL corpora may be named on the
command line. A speed change must leave the output byte-identical.
"""

from __future__ import annotations

import importlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_rules import CLEAN, make_texts  # noqa: E402
from rules import default_checker  # noqa: E402

CORPORA = ROOT / "tests" / "rules"


def _tsv(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t", 2)
        if len(parts) == 3:
            yield parts[2].replace("\\n", "\n")


def _jsonl(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.strip():
            yield str(json.loads(line)["text"])


def _tables() -> Iterator[tuple[str, str]]:
    for path in sorted((CORPORA / "families").glob("test_*.py")):
        mod = importlib.import_module(f"tests.rules.families.{path.stem}")
        for name in ("INVALID", "VALID"):
            for i, row in enumerate(getattr(mod, name, ())):
                text = row if isinstance(row, str) else row[0]
                yield f"{path.stem}:{name}:{i}", text


def texts(extra: list[str]) -> Iterator[tuple[str, str]]:
    corpus: list[str] = []
    for path in [CORPORA / "corpus.tsv", *sorted(CORPORA.glob("*.jsonl"))]:
        items = list(_tsv(path) if path.suffix == ".tsv" else _jsonl(path))
        corpus.extend(items)
        for i, t in enumerate(items):
            yield f"{path.name}:{i}", t
    for name in extra:
        for i, t in enumerate(_jsonl(Path(name))):
            yield f"{Path(name).name}:{i}", t
    yield from _tables()
    rnd = random.Random(11)
    for length, count in ((140, 300), (280, 300), (1000, 60)):
        for i, t in enumerate(make_texts(length, count, rnd)):
            yield f"bench:mixed{length}:{i}", t
    for i, t in enumerate(make_texts(280, 100, rnd, CLEAN)):
        yield f"bench:clean280:{i}", t
    for i in range(800):
        k = rnd.choice((2, 2, 3))
        yield f"joined:{i}", rnd.choice(("", "\n")).join(rnd.sample(corpus, k))


def main() -> None:
    checker = default_checker()
    out = sys.stdout
    for where, text in texts(sys.argv[1:]):
        found = [
            [f.rule, f.clause, f.severity, f.start, f.end, f.excerpt, f.message]
            for f in checker.check(text).findings
        ]
        out.write(f"{where}\t{json.dumps(found, ensure_ascii=False)}\n")


if __name__ == "__main__":
    main()

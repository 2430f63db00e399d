"""Instructions per post, per stage of the content check, under callgrind (prints numbers; not a test).

    python benchmarks/instructions_rules.py [--posts 60] [--pool mixed|clean] [--length 280]

Wall times on a shared machine swing with the load; instruction counts repeat. This runs
itself under ``valgrind --tool=callgrind`` (valgrind must be installed), then reads the
inclusive counts with ``callgrind_annotate``. Each stage runs inside a distinct C function
that calls back into Python (itertools and libc callbacks), so its inclusive count is the
instructions of that stage alone: building the views, the phrase scan, the personal,
security and encouragement families, undecided + rumour + discrimination together, the
other families with the merge, the tokenization asked for inside the check (counted inside
the stage that asked, and once more on its own line), the whole ``check`` and bare fugashi
tokenization (``parseToNodeList``) of the same posts. The ratio of the last two is in
instructions, not in time: MeCab's C++ runs more instructions per cycle than Python does,
so it is higher than ``bench_rules.py``'s ratio; compare it only with itself.
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import itertools
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# stage label -> the C function (as callgrind_annotate names it) it runs inside
_MARKS = {
    "views": "itertoolsmodule.c:starmap_next ",
    "phrases": "itertoolsmodule.c:dropwhile_next ",
    "personal": "itertoolsmodule.c:takewhile_next ",
    "security": "itertoolsmodule.c:filterfalse_next ",
    "encouragement": "itertoolsmodule.c:accumulate_next ",
    "undecided+rumour+discrimination": "itertoolsmodule.c:groupby_next ",
    "other families + merge": "lsearch.c:0x",
    "(tokenize inside check)": "_functoolsmodule.c:functools_reduce ",
    "check total": "stdlib-bsearch.h:0x",
    "bare tokenize": "msort.c:qsort_r ",
}


def _via_starmap(fn: Callable[[], Any]) -> Any:
    return next(itertools.starmap(fn, [()]))


def _via(kind: str) -> Callable[[Callable[[], Any]], Any]:
    def run(fn: Callable[[], Any]) -> Any:
        out: list[Any] = []

        def call(*_: object) -> None:
            out.append(fn())

        if kind == "dropwhile":
            list(itertools.dropwhile(call, [0]))
        elif kind == "takewhile":
            list(itertools.takewhile(call, [0]))
        elif kind == "filterfalse":
            list(itertools.filterfalse(call, [0]))
        elif kind == "accumulate":
            list(itertools.accumulate([0, 0], call))
        elif kind == "groupby":
            list(itertools.groupby([0], key=call))
        elif kind == "reduce":
            functools.reduce(call, [0, 0])
        return out[0]

    return run


def _via_libc(name: str) -> Callable[[Callable[[], Any]], Any]:
    libc = ctypes.CDLL("libc.so.6")
    cmp_t = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    one = (ctypes.c_int * 1)(0)
    two = (ctypes.c_int * 2)(0, 1)
    key = ctypes.c_int(0)
    nel = ctypes.c_size_t(1)
    size = ctypes.c_size_t(ctypes.sizeof(ctypes.c_int))

    def run(fn: Callable[[], Any]) -> Any:
        out: list[Any] = []

        def cmp(_a: int, _b: int) -> int:
            out.append(fn())
            return 0

        c = cmp_t(cmp)
        if name == "qsort":
            libc.qsort(two, ctypes.c_size_t(2), size, c)
        elif name == "bsearch":
            libc.bsearch(ctypes.byref(key), one, ctypes.c_size_t(1), size, c)
        else:
            libc.lfind(ctypes.byref(key), one, ctypes.byref(nel), size, c)
        return out[0]

    return run


def _workload(posts: int, pool_name: str, length: int) -> None:
    import rules.context
    from benchmarks.bench_rules import CLEAN, SENTENCES, make_texts
    from rules import default_checker
    from rules.checker import _trusted
    from rules.context import Context
    from rules.registry import FAMILIES
    from rules.tokens import get_tagger

    checker = default_checker()
    tagger = get_tagger()
    pool = CLEAN if pool_name == "clean" else SENTENCES
    texts = make_texts(length, max(posts, 20), random.Random(7), pool)
    for t in texts[:20]:
        checker.check(t)
    stage = {
        "personal": _via("takewhile"),
        "security": _via("filterfalse"),
        "encouragement": _via("accumulate"),
        "undecided": _via("groupby"),
        "rumour": _via("groupby"),
        "discrimination": _via("groupby"),
    }
    rest = _via_libc("lfind")
    phrases = _via("dropwhile")
    in_reduce = _via("reduce")
    real_tokenize = rules.context.tokenize

    def tokenize(text: str, base: int = 0) -> Any:
        return in_reduce(lambda: real_tokenize(text, base))

    rules.context.tokenize = tokenize  # type: ignore[assignment]
    try:
        for t in texts[:posts]:
            ctx = _via_starmap(lambda t=t: Context(t, checker.config, _trusted(()), checker._data))
            found = phrases(lambda ctx=ctx: list(checker._phrases(ctx)))
            for fam in FAMILIES:
                if fam.scan is not None:
                    scan = fam.scan
                    found.extend(
                        stage.get(fam.name, rest)(lambda scan=scan, ctx=ctx: list(scan(ctx)))
                    )
            rest(lambda found=found: checker._finish(found))
    finally:
        rules.context.tokenize = real_tokenize
    bare, whole = _via_libc("qsort"), _via_libc("bsearch")
    for t in texts[:posts]:
        bare(lambda t=t: tagger.parseToNodeList(t))
        whole(lambda t=t: checker.check(t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--pool", choices=("mixed", "clean"), default="mixed")
    parser.add_argument("--length", type=int, default=280)
    parser.add_argument("--workload", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workload:
        _workload(args.posts, args.pool, args.length)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--workload",
                f"--posts={args.posts}",
                f"--pool={args.pool}",
                f"--length={args.length}",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        report = subprocess.run(
            ["callgrind_annotate", "--inclusive=yes", "--threshold=100", "--auto=no", out],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    counts: dict[str, int] = {}
    for label, mark in _MARKS.items():
        for line in report.splitlines():
            if mark in line:
                m = re.match(r"\s*([\d,]+)", line)
                if m:
                    counts[label] = int(m.group(1).replace(",", ""))
                break
    n = args.posts
    print(f"{n} {args.pool} posts of {args.length} characters; instructions per post (thousands)")
    for label in _MARKS:
        print(f"  {label:<34} {counts.get(label, 0) / n / 1000:8.0f}k")
    if counts.get("bare tokenize"):
        ratio = counts.get("check total", 0) / counts["bare tokenize"]
        print(f"  instruction ratio check / bare tokenize: {ratio:.2f}")


if __name__ == "__main__":
    main()

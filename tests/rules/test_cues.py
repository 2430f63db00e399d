"""A Cue's prefilter never changes what is found: same matches as the plain regex."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules import default_checker
from rules.cues import Cue
from rules.registry import FAMILIES

HERE = Path(__file__).parent
TEXTS = [
    json.loads(line)["text"]
    for name in ("outside_review_cases.jsonl", "corpus_heldout.jsonl")
    for line in (HERE / name).read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _cues() -> list[tuple[str, Cue]]:
    checker = default_checker()
    out = []
    for fam in FAMILIES:
        data = checker.data(fam.name)
        for name in getattr(data, "__dataclass_fields__", {}):
            value = getattr(data, name)
            if isinstance(value, Cue):
                out.append((f"{fam.name}.{name}", value))
    return out


@pytest.mark.parametrize(("name", "cue"), _cues())
def test_cue_finds_what_its_pattern_finds(name: str, cue: Cue) -> None:
    for text in TEXTS:
        assert [m.span() for m in cue.finditer(text)] == [
            m.span() for m in cue.pattern.finditer(text)
        ], name
        mid = len(text) // 2
        a, b = cue.search(text, 3, mid), cue.pattern.search(text, 3, mid)
        assert (a.span() if a else None) == (b.span() if b else None), name


def test_look_behind_alternatives_match_as_the_pattern_does() -> None:
    cue = Cue("(?<=[ァ-ヴ])人|外国人")
    text = "ベトナム人と外国人"
    assert [m.group() for m in cue.finditer(text)] == ["人", "外国人"]

"""A Cue's prefilter never changes what is found: same matches as the plain regex."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules import default_checker
from rules.cues import Cue, CueSet
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
        if isinstance(data, CueSet):
            out.extend((f"{fam.name}.{k}", c) for k, c in data.kinds.items())
            continue
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


@pytest.mark.parametrize(("name", "cue"), _cues())
def test_every_match_holds_a_gate_character(name: str, cue: Cue) -> None:
    if cue.gate is None:
        return
    for text in TEXTS:
        for m in cue.pattern.finditer(text):
            assert not cue.gate.isdisjoint(m.group()), (name, m.group())


def test_gate_is_one_rare_character_per_alternative() -> None:
    cue = Cue("噂|デマ(?:情報)?|未確認|(?i:abc)")
    assert cue.gate is None  # the case-insensitive alternative has no safe character
    cue = Cue("噂|デマ(?:情報)?|未確認|ら[しし]い")
    assert cue.gate is not None and "噂" in cue.gate and len(cue.gate) == 4
    assert cue.search("本日は晴天です。") is None
    assert not cue.possible("本日は晴天です。") and cue.possible("未確認の情報")
    assert [m.group() for m in cue.finditer("デマ情報と未確認")] == ["デマ情報", "未確認"]


def test_most_cues_are_gated() -> None:
    cues = _cues()
    gated = [n for n, c in cues if c.gate is not None]
    assert len(gated) >= len(cues) * 0.8, [n for n, c in cues if c.gate is None]


def test_cue_findings_reports_each_kept_match_with_its_sentence() -> None:
    from rules.context import Context
    from rules.cues import cue_findings
    from rules.undecided import UNDECIDED

    checker = default_checker()
    text = "ｹﾝﾄｳ中の件。料金は検討中です。"
    ctx = Context(text, checker.config, None, {})
    seen: list[tuple[int, int]] = []

    def keep(m: object, s: int, e: int) -> bool:
        seen.append((s, e))
        return "料金" in ctx.norm.text[s:e]

    found = list(cue_findings(ctx, Cue("検討中|ケントウ中"), UNDECIDED, keep=keep))
    assert len(seen) == 2  # both matches were offered, each with its own sentence
    assert [f.excerpt for f in found] == ["検討中"]
    assert found[0].clause == "7(2)キ(ウ)" and found[0].severity == "review"
    assert text[found[0].start : found[0].end] == "検討中"


def test_indexed_alternatives_keep_alternation_order_and_leftmost_match() -> None:
    # Many alternatives, each with a rare character: only those present in a text run.
    cue = Cue("噂の話|噂|デマ情報|未確認|真偽不明|ソース不明")
    assert cue._branches  # indexed
    text = "真偽不明のデマ情報と噂の話"
    assert [m.group() for m in cue.finditer(text)] == [
        m.group() for m in cue.pattern.finditer(text)
    ]
    assert cue.search("噂の話です").group() == "噂の話"  # the earlier alternative wins
    assert cue.match("デマ情報", 0).group() == "デマ情報"
    assert cue.search("晴れの日") is None

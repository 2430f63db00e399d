"""The scorer behind ``python -m rules eval`` (definitions in rules/evaluate.py, docs/rules.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rules import Finding, Report
from rules.evaluate import Case, CorpusError, evaluate, load_corpus, parse_case, score_case

ROOT = Path(__file__).resolve().parents[2]


def _f(clause: str, severity: str, start: int, end: int, text: str) -> Finding:
    return Finding("x.rule", clause, severity, start, end, text[start:end], "m")  # type: ignore[arg-type]


TEXT = "担当の090-1234-5678まで。部外秘の資料です。"


def _case(expect: tuple[str, ...], cover: tuple[str, ...] = ()) -> Case:
    return Case("t", TEXT, expect, cover, "positive")


def test_overlap_of_one_character_covers_a_span() -> None:
    a = TEXT.index("5678")
    report = Report((_f("7(1)エ", "block", a, a + 4, TEXT),))
    assert score_case(_case(("7(1)エ",), ("090-1234-5678",)), report).caught


def test_a_finding_next_to_the_span_does_not_cover_it() -> None:
    a = TEXT.index("まで")
    report = Report((_f("7(1)エ", "block", a, a + 2, TEXT),))
    res = score_case(_case(("7(1)エ",), ("090-1234-5678",)), report)
    assert not res.caught
    assert res.uncovered == ("090-1234-5678",)


def test_wrong_clause_on_the_span_is_a_miss() -> None:
    a = TEXT.index("090")
    report = Report((_f("7(2)エ", "review", a, a + 13, TEXT),))
    assert not score_case(_case(("7(1)エ",), ("090-1234-5678",)), report).caught


def test_info_findings_neither_catch_nor_hold_up() -> None:
    a = TEXT.index("090")
    info = Report((_f("7(1)エ", "info", a, a + 13, TEXT),))
    assert not score_case(_case(("7(1)エ",), ("090-1234-5678",)), info).caught
    assert not score_case(Case("n", TEXT, ()), info).false_positive


def test_review_on_a_clean_post_is_a_false_positive() -> None:
    report = Report((_f("7(1)カ", "review", 0, 2, TEXT),))
    assert score_case(Case("n", TEXT, (), (), "clean"), report).false_positive
    assert not score_case(Case("n", TEXT, (), (), "clean"), Report(())).false_positive


def test_clause_rows_of_spec_table() -> None:
    a = TEXT.index("部外秘")
    marking_as_e = Report((_f("7(1)エ", "block", a, a + 3, TEXT),))
    assert score_case(_case(("7(1)サ",), ("部外秘",)), marking_as_e).caught
    # サ answers サ/コ/エ-row expectations, but a サ finding does not answer an expected エ.
    marking_as_sa = Report((_f("7(1)サ", "block", a, a + 3, TEXT),))
    assert not score_case(_case(("7(1)エ",), ("部外秘",)), marking_as_sa).caught
    # 7(1)ア and 7(1)ウ are one row.
    assert score_case(
        _case(("7(1)ウ",), ("部外秘",)), Report((_f("7(1)ア", "review", a, a + 3, TEXT),))
    ).caught


def test_every_span_and_every_clause_is_needed() -> None:
    p = TEXT.index("090")
    k = TEXT.index("部外秘")
    phone = _f("7(1)エ", "block", p, p + 13, TEXT)
    mark = _f("7(1)サ", "block", k, k + 3, TEXT)
    case = _case(("7(1)エ", "7(1)サ"), ("090-1234-5678", "部外秘"))
    assert score_case(case, Report((phone, mark))).caught
    only_phone = score_case(case, Report((phone,)))
    assert not only_phone.caught
    assert only_phone.uncovered == ("部外秘",)
    # No spans given: the clause anywhere in the post answers it.
    assert score_case(_case(("7(1)エ",)), Report((phone,))).caught
    assert not score_case(_case(("7(1)エ", "7(1)カ")), Report((phone,))).caught


def test_span_missing_from_text_is_reported_and_ignored() -> None:
    p = TEXT.index("090")
    res = score_case(
        _case(("7(1)エ",), ("090-1234-5678", "存在しない")),
        Report((_f("7(1)エ", "block", p, p + 13, TEXT),)),
    )
    assert res.caught
    assert res.missing_spans == ("存在しない",)


def test_totals_and_per_clause_precision() -> None:
    p = TEXT.index("090")
    phone = _f("7(1)エ", "block", p, p + 13, TEXT)
    cases = [
        Case("a", TEXT, ("7(1)エ",), ("090-1234-5678",), "positive"),
        Case("b", TEXT, (), (), "clean"),
        Case("c", TEXT, (), (), "near-miss"),
    ]
    reports = {"a": Report((phone,)), "b": Report((phone,)), "c": Report(())}
    by_text = iter([reports["a"], reports["b"], reports["c"]])
    ev = evaluate(cases, lambda _text: next(by_text))
    assert (ev.caught, len(ev.positives), ev.false_positives, len(ev.negatives)) == (1, 1, 1, 2)
    assert ev.recall == 1.0 and ev.fp_rate == 0.5
    score = ev.clauses()["7(1)エ"]
    assert (score.expected, score.answered, score.reported, score.reported_expected) == (1, 1, 2, 1)
    assert score.precision == 0.5
    assert ev.by_kind() == {"clean": (0, 1), "near-miss": (1, 1), "positive": (1, 1)}


def test_old_project_format_is_read() -> None:
    old = {"id": "x", "kind": "violation", "text": "t", "expect": "block", "clauses": ["7(1)エ"]}
    assert parse_case(old, "f:1").expect == ("7(1)エ",)
    ok = {"id": "y", "kind": "clean", "text": "t", "expect": "ok", "clauses": []}
    assert parse_case(ok, "f:2").expect == ()


@pytest.mark.parametrize(
    "line",
    [
        '{"id": 1}',
        '{"text": "t", "expect": "7(1)エ"}',
        '{"text": "t", "expect": [], "must_cover": [""]}',
        "[1, 2]",
        "not json",
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "ok", "expect": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.jsonl:2"):
        load_corpus(path)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rules", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_cli_scores_a_corpus_with_the_real_check(tmp_path: Path) -> None:
    rows = [
        {
            "id": "p1",
            "text": "担当の090-1234-5678まで",
            "expect": ["7(1)エ"],
            "must_cover": ["090-1234-5678"],
            "kind": "positive",
            "note": "",
        },
        {"id": "n1", "text": "本日は晴天です。", "expect": [], "must_cover": [], "kind": "clean"},
        {
            "id": "n2",
            "text": "詳しくは https://example.com/ を。",
            "expect": [],
            "must_cover": [],
            "kind": "near-miss",
        },
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = _run("eval", str(path), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["caught"], data["positives"]) == (1, 1)
    assert (data["false_positives"], data["negatives"]) == (1, 2)
    assert [a["id"] for a in data["false_alarms"]] == ["n2"]
    assert data["false_alarms"][0]["findings"][0]["clause"] == "7(2)エ"
    assert data["clauses"]["7(1)エ"]["recall"] == 1.0
    # The same link, vouched for as an official account URL, is not a false alarm.
    trusted = _run("eval", str(path), "--json", "--trusted-url", "https://example.com/")
    assert json.loads(trusted.stdout)["false_positives"] == 0
    text = _run("eval", str(path))
    assert "recall 1.000 (1/1)" in text.stdout
    assert "false alarms (1):" in text.stdout and "n2" in text.stdout


def test_cli_rejects_a_broken_corpus(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{oops\n", encoding="utf-8")
    out = _run("eval", str(path))
    assert out.returncode == 2
    assert "bad.jsonl:1" in out.stderr


def test_a_clause_is_answered_in_the_sentence_of_a_span_not_elsewhere() -> None:
    # The annotator marked only the undecided span; the hearsay marker follows it.
    text = "路線は廃止の方向で協議中らしい。別の話ですが、噂があります。"
    und = text.index("協議中")
    hearsay = text.index("らしい")
    far = text.index("噂")
    case = Case("t", text, ("7(2)キ(ウ)", "7(1)カ"), ("協議中",), "positive")
    near = Report(
        (
            _f("7(2)キ(ウ)", "review", und, und + 3, text),
            _f("7(1)カ", "review", hearsay, hearsay + 3, text),
        )
    )
    assert score_case(case, near).caught
    elsewhere = Report(
        (_f("7(2)キ(ウ)", "review", und, und + 3, text), _f("7(1)カ", "review", far, far + 1, text))
    )
    res = score_case(case, elsewhere)
    assert not res.caught
    assert res.answered == frozenset({"7(2)キ(ウ)"})

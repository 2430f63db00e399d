"""CLI through a real subprocess: exit codes 0/1/2, linter lines, --json, --jsonl."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "rules", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )


def test_clean_stdin_exits_0() -> None:
    r = run("check", stdin="松本城の紅葉が見頃です。")
    assert r.returncode == 0
    assert r.stdout == b""


def test_blocking_file_exits_1_with_linter_lines(tmp_path: Path) -> None:
    f = tmp_path / "post.txt"
    f.write_text("お知らせ\n担当の090-1234-5678まで\n", encoding="utf-8")
    r = run("check", str(f))
    assert r.returncode == 1
    line = r.stdout.decode().splitlines()[0]
    assert line.startswith(f"{f}:2:4 7(1)エ block ")
    assert "携帯電話番号" in line and "[pii.mobile-phone]" in line


def test_review_only_exits_0(tmp_path: Path) -> None:
    r = run("check", stdin="市は新庁舎の移転を検討中です。")
    assert r.returncode == 0
    assert "7(2)キ(ウ) review" in r.stdout.decode()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("check", "--nope").returncode == 2
    assert run().returncode == 2
    assert run("check", str(tmp_path / "missing.txt")).returncode == 2
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    r = run("check", str(bad))
    assert r.returncode == 2 and "UTF-8" in r.stderr.decode()


def test_json_output(tmp_path: Path) -> None:
    r = run("check", "--json", stdin="https://bit.ly/abc")
    assert r.returncode == 1
    payload = json.loads(r.stdout)
    assert payload["verdict"] == "block"
    f = payload["findings"][0]
    assert (f["rule"], f["clause"], f["start"], f["end"]) == ("link.shortener", "5(9)", 0, 18)


def test_json_several_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("大丈夫です", encoding="utf-8")
    b.write_text("【部外秘】", encoding="utf-8")
    payload = json.loads(run("check", "--json", str(a), str(b)).stdout)
    assert [p["verdict"] for p in payload] == ["ok", "block"]


def test_jsonl_keeps_order_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "本日は晴天なり"}),
        "{not json",
        json.dumps({"id": "c", "text": "090-1234-5678"}),
        json.dumps({"id": "d"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": 6, "text": "噂があります"}, ensure_ascii=False),
    ]
    r = run("check", "--jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert len(out) == 6
    assert out[0] == {"id": "a", "verdict": "ok", "findings": []}
    assert "error" in out[1] and out[1]["line"] == 2
    assert out[2]["id"] == "c" and out[2]["verdict"] == "block"
    assert out[3]["id"] == "d" and "error" in out[3]
    assert "error" in out[4]
    assert out[5]["id"] == 6 and out[5]["verdict"] == "review"
    assert r.returncode == 1
    assert r.stderr == b""  # no progress bar when stderr is not a terminal


def test_jsonl_with_lone_surrogate_escape() -> None:
    r = run("check", "--jsonl", stdin=b'{"id":1,"text":"\\ud800 090-1234-5678"}\n')
    out = json.loads(r.stdout)
    assert out["verdict"] == "block"


def test_bad_data_dir_exits_2(tmp_path: Path) -> None:
    (tmp_path / "rumour_terms.tsv").write_text("噂\tsevere\n", encoding="utf-8")
    r = run("check", "--data-dir", str(tmp_path), stdin="x")
    assert r.returncode == 2
    assert "rumour_terms.tsv:1" in r.stderr.decode()


def test_docs_are_generated_and_up_to_date() -> None:
    from rules.docs import MARKER, render

    text = render()
    for rule in ("pii.mobile-phone", "link.shortener", "confidential.marking"):
        assert f"`{rule}`" in text
    for section in ("**What it does.**", "**Why.**", "**Example.**", "**Use instead.**"):
        assert section in text
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed.startswith(text), "docs/rules.md is stale: run `python -m rules docs --write`"
    assert "## Measuring the check" in committed.split(MARKER, 1)[1]


def test_progress_line_only_on_a_terminal() -> None:
    import io

    from rules.cli import _Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        progress = _Progress(stream)
        for _ in range(3):
            progress.tick()
        progress.close()
    assert "件チェック完了" in tty.getvalue()
    assert pipe.getvalue() == ""

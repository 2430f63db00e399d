"""``python -m rules check``: lint files, stdin, or a JSONL archive of past posts."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from .argparse_ja import JapaneseArgumentParser, os_error
from .checker import Checker
from .config import Config
from .data import DataError
from .model import CLAUSES, Report, line_col

EXIT_OK, EXIT_BLOCK, EXIT_USAGE = 0, 1, 2
_STAT_HELP = "統計的な判定（学習した分類器）も行う（既定。環境変数 GUIDELINE_RULES_STATISTICAL=0 を打ち消す）"
_RULES_ONLY_HELP = (
    "規則による判定だけを行い、統計的な判定は行わない（GUIDELINE_RULES_STATISTICAL=0 と同じ）"
)


def _config(args: argparse.Namespace) -> Config | None:
    """The config the options ask for (None: the default checker's)."""
    if not args.data_dir and not args.statistical and not args.rules_only:
        return None
    config = Config.load(args.data_dir)
    if args.rules_only:
        return config.extend(statistical=False)
    return config.extend(statistical=True) if args.statistical else config


def _checked_groups() -> str:
    """「7(1)・7(2)・5(8)・5(9)」: the groups of the categories the check reports (its own
    keys, ``CLAUSES``, the seed numbering its findings cite; the bot shows a city's ids)."""
    groups = (re.match(r"\d+\(\d+\)", c) for c in CLAUSES)
    return "・".join(dict.fromkeys(m.group(0) for m in groups if m))


def _parser() -> argparse.ArgumentParser:
    parser = JapaneseArgumentParser(
        prog="python -m rules",
        description=f"ソーシャルメディアガイドライン（{_checked_groups()}）の内容チェック",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{check,eval,docs}")
    chk = sub.add_parser("check", help="ファイルの文章をチェックする（FILE を省略すると標準入力）")
    chk.add_argument(
        "files", nargs="*", metavar="FILE", help="UTF-8 のテキストファイル（「-」は標準入力）"
    )
    mode = chk.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="結果を JSON で出力する")
    mode.add_argument(
        "--jsonl",
        action="store_true",
        help='標準入力から1行に1件 {"id":…,"text":…} を読み、1行に1件の結果を出力する',
    )
    chk.add_argument(
        "--data-dir", metavar="フォルダ", help="同梱のデータファイルの代わりに使うフォルダ"
    )
    chk_tier = chk.add_mutually_exclusive_group()
    chk_tier.add_argument("--statistical", action="store_true", help=_STAT_HELP)
    chk_tier.add_argument("--rules-only", action="store_true", help=_RULES_ONLY_HELP)
    ev = sub.add_parser(
        "eval",
        help="正解付きの JSONL コーパスでチェックを評価する（検出率・誤検知、条項別）",
    )
    ev.add_argument(
        "corpus",
        metavar="FILE",
        help="1行に1件の JSON（キーは id・text・expect・must_cover・kind・note）",
    )
    ev.add_argument("--json", action="store_true", help="評価結果を JSON で出力する")
    ev.add_argument(
        "--data-dir", metavar="フォルダ", help="同梱のデータファイルの代わりに使うフォルダ"
    )
    ev.add_argument(
        "--trusted-url",
        action="append",
        default=[],
        metavar="URL",
        help="信頼する公式アカウントのURL（繰り返し指定可。ボットが渡すものと同じ）",
    )
    ev_tier = ev.add_mutually_exclusive_group()
    ev_tier.add_argument("--statistical", action="store_true", help=_STAT_HELP)
    ev_tier.add_argument("--rules-only", action="store_true", help=_RULES_ONLY_HELP)
    docs = sub.add_parser("docs", help="docs/rules.md の自動生成部分を出力する")
    docs.add_argument(
        "--write",
        metavar="PATH",
        nargs="?",
        const="docs/rules.md",
        help="PATH（既定は docs/rules.md）の自動生成部分を書き直す（手書きの部分は残す）",
    )
    return parser


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as fh:
            data = fh.read()
    return data.decode("utf-8-sig")


def _print_lines(path: str, text: str, report: Report, out: TextIO) -> None:
    for f in report.findings:
        line, col = line_col(text, f.start)
        out.write(f"{path}:{line}:{col} {f.clause} {f.severity} {f.message} [{f.rule}]\n")


class _Progress:
    """A hand-rolled progress line on stderr, only when stderr is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.1:
            self.last = now
            rate = self.count / max(now - self.started, 1e-9)
            self.stream.write(f"\r{self.count:,} 件チェック済み（{rate:,.0f} 件/秒）")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write(f"\r{self.count:,} 件チェック完了\n")
            self.stream.flush()


def _jsonl(checker: Checker, inp: TextIO, out: TextIO, err: TextIO) -> int:
    progress = _Progress(err)
    worst = EXIT_OK
    for number, line in enumerate(inp, start=1):
        if not line.strip():
            continue
        record: dict[str, Any]
        item_id: Any = None
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("line is not a JSON object")
            item_id = obj.get("id")
            text = obj.get("text")
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
            report = checker.check(text)
            record = {"id": item_id, **report.to_dict()}
            if report.verdict == "block":
                worst = EXIT_BLOCK
        except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
            record = {"id": item_id, "line": number, "error": str(exc)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        progress.tick()
    progress.close()
    return worst


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import CorpusError, evaluate, load_corpus, render_text

    try:
        checker = Checker(_config(args))
    except DataError as exc:
        print(f"データファイルの誤り: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        cases = load_corpus(args.corpus)
    except CorpusError as exc:
        print(f"コーパスの誤り: {exc}", file=sys.stderr)
        return EXIT_USAGE
    trusted = tuple(args.trusted_url)
    ev = evaluate(cases, lambda text: checker.check(text, trusted_urls=trusted))
    if args.json:
        json.dump(ev.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(ev, args.corpus))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (0 nothing blocks, 1 something blocks, 2 usage)."""
    args = _parser().parse_args(argv)
    if args.command == "docs":
        from pathlib import Path

        from .docs import render, write

        if args.write:
            write(Path(args.write))
        else:
            sys.stdout.write(render())
        return EXIT_OK
    if args.command == "eval":
        return _eval(args)
    # Lone surrogates in input must not crash output: escape what cannot be encoded.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        checker = Checker(_config(args))
    except DataError as exc:
        print(f"データファイルの誤り: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.jsonl:
        if args.files:
            print("--jsonl は標準入力だけを読みます（FILE は指定できません）", file=sys.stderr)
            return EXIT_USAGE
        # Invalid UTF-8 in one line must not end the run: keep it as lone surrogates,
        # which normalisation drops.
        with open(
            sys.stdin.fileno(), encoding="utf-8", errors="surrogateescape", closefd=False
        ) as inp:
            return _jsonl(checker, inp, sys.stdout, sys.stderr)

    paths = args.files or ["-"]
    results: list[tuple[str, str, Report]] = []
    for path in paths:
        try:
            text = _read(path)
        except OSError as exc:
            print(f"{path}: 読み込めません（{os_error(exc)}）", file=sys.stderr)
            return EXIT_USAGE
        except UnicodeDecodeError as exc:
            print(
                f"{path}: UTF-8 のテキストではありません（{exc.start} バイト目）", file=sys.stderr
            )
            return EXIT_USAGE
        try:
            report = checker.check(text)
        except ValueError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        results.append(("<stdin>" if path == "-" else path, text, report))

    if args.json:
        payload = [{"path": p, **r.to_dict()} for p, _, r in results]
        json.dump(payload[0] if len(payload) == 1 else payload, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for path, text, report in results:
            _print_lines(path, text, report, sys.stdout)
    return EXIT_BLOCK if any(r.verdict == "block" for _, _, r in results) else EXIT_OK

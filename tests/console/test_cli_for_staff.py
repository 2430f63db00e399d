"""Every command line as staff run it: Japanese help and errors, quiet on a closed pipe."""

from __future__ import annotations

import argparse
import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.cli import main as bot_main
from handlers.teams.__main__ import main as teams_main
from rules.argparse_ja import display_width
from rules.cli import _parser as rules_parser
from rules.cli import main as rules_main
from tests.wording import RECORDER, english_words

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    # A configured signing key: without one, audit commands rightly warn on stderr.
    key = base64.b64encode(os.urandom(32)).decode("ascii")
    return {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "AUDIT_SIGNING_KEY": key}


def run(env, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    RECORDER.saw_cli(proc.stdout, proc.stderr)  # a child process: checked as if in-process
    return proc


HELP = [
    ("bot", "--help"),
    ("bot", "db", "--help"),
    ("bot", "audit", "export", "--help"),
    ("bot", "directory", "load", "--help"),
    ("bot", "console", "--help"),
    ("bot", "accounts", "publish", "--help"),
    ("bot", "incident", "export", "--help"),
    ("bot", "worker", "--help"),
    ("bot", "rules", "--help"),
    ("bot", "rules", "allow", "--help"),
    ("bot", "guideline", "--help"),
    ("bot", "tenant", "--help"),
    ("bot", "tenant", "link-slack", "--help"),
    ("bot", "guideline", "load", "--help"),
    ("handlers.teams", "--help"),
    ("handlers.teams", "package", "--help"),
    ("rules", "--help"),
    ("rules", "check", "--help"),
    ("rules", "eval", "--help"),
    ("rules", "docs", "--help"),
]


def run_inline(capsys, args: tuple[str, ...]) -> tuple[int, str, str]:
    """The command line in this process (argparse's help and errors need no database)."""
    main = {"bot": bot_main, "handlers.teams": teams_main, "rules": rules_main}[args[0]]
    with pytest.raises(SystemExit) as exited:
        main(list(args[1:]))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.mark.parametrize("args", HELP, ids=lambda a: " ".join(a))
def test_help_is_japanese(capsys, args):
    code, out, _ = run_inline(capsys, args)
    assert code == 0
    assert out.startswith("使い方: python -m ")
    assert "このヘルプを表示して終了します" in out
    assert english_words(out) == []


def subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every sub-command path under ``parser`` (an alias once, under its first name)."""
    seen: set[int] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if id(sub) in seen:
                    continue
                seen.add(id(sub))
                yield (*path, name)
                yield from subcommands(sub, (*path, name))


EVERY_COMMAND = [("bot", *p) for p in subcommands(build_parser())] + [
    ("rules", *p) for p in subcommands(rules_parser())
]


def test_every_command_line_is_walked():
    # The walk reaches the nested commands, not only the first level.
    assert ("bot", "audit", "export") in EVERY_COMMAND
    assert ("bot", "tenant", "link-slack") in EVERY_COMMAND
    assert ("rules", "eval") in EVERY_COMMAND
    assert len(EVERY_COMMAND) > 30


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: " ".join(a))
def test_every_command_has_japanese_help(capsys, args):
    code, out, err = run_inline(capsys, (*args, "--help"))
    assert code == 0 and err == ""
    assert out.startswith(f"使い方: python -m {' '.join(args)}")
    assert "このヘルプを表示して終了します" in out
    assert english_words(out) == []
    # The help texts start in one column on the screen, Japanese metavars or not.
    columns = set()
    for line in out.splitlines():
        match = re.match(r"^( {2,}\S(?:.*?\S)?) {2,}(?=\S)", line)
        if match and line.startswith("  -"):
            columns.add(display_width(match.group(0)))
    assert len(columns) <= 1, out


def test_a_japanese_metavar_does_not_push_its_help_out_of_line(capsys):
    _, out, _ = run_inline(capsys, ("bot", "audit", "export", "--help"))
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  -")}
    assert display_width(lines["--from"].split("始まりの日")[0]) == display_width(
        lines["--format"].split("形式")[0]
    )
    usage = out.split("\n\n", 1)[0].splitlines()
    # The usage's second line starts under its first option, as the screen shows it.
    assert display_width(usage[0].split("[", 1)[0]) == len(usage[1]) - len(usage[1].lstrip())


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("bot", "audit", "export", "--format", "xml"), "'xml' は指定できません"),
        (("bot", "incident", "export"), "次の引数を指定してください: 番号"),
        (("bot", "incident", "export", "x"), "'x' が読み取れません"),
        (("bot", "audit", "export", "--from", "12/5"), "日付は YYYY-MM-DD で指定してください"),
        (("bot", "db", "upgrade", "--bogus"), "知らない引数があります: --bogus"),
        (("handlers.teams", "bogus"), "'bogus' は指定できません"),
        (("rules", "bogus"), "'bogus' は指定できません"),
        (("rules", "check", "--bogus"), "知らない引数があります: --bogus"),
    ],
)
def test_usage_errors_are_japanese(capsys, args, words):
    code, _, err = run_inline(capsys, args)
    assert code == 2
    assert words in err
    assert "使い方: python -m " in err and ": エラー: " in err
    assert english_words(err) == []


def test_audit_export_refuses_a_period_that_ends_before_it_starts(env):
    proc = run(env, "bot", "audit", "export", "--from", "2026-12-05", "--to", "2026-12-01")
    assert proc.returncode == 2
    assert proc.stdout == ""  # no header, nothing that looks like an empty export
    assert "期間の指定が逆です" in proc.stderr
    assert "--from に始まりの日、--to に終わりの日を指定してください" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("bot", "directory", "show"),
        ("bot", "audit", "export"),
        ("bot", "accounts", "publish"),
        ("bot", "--help"),
    ],
    ids=lambda a: " ".join(a),
)
def test_a_closed_pipe_ends_quietly(env, args):
    # ``python -m bot directory show | head -0``: the reader is gone before the first write.
    proc = subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.wait(timeout=120)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
    assert stderr == ""

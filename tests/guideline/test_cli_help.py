"""The command lines' ``--help`` texts speak the guideline file's words (issue 15, 2).

Each help text that cites a clause or names a role is a template (``{records}``,
``{desk}``, ``{approver}``…) filled by ``bot.cliutil.fill_help`` with the terms of the
guideline in force for ``--tenant``: the seed city reads 5(11) and 情報政策課, さくら町
reads 3(6) and 総務課情報係.
"""

from __future__ import annotations

import argparse
import sqlite3

import pytest

from bot import cli
from bot.config import get_settings
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import DATA_DIR, DEFAULT_FILE, load_file
from tests.wording import RECORDER

TOWN_FILE = DATA_DIR / "sakura-town-2.1.yaml"

# (what the seed city's help says, what さくら町's says), one pair per moved text.
MOVED = (
    ("公開記録（5(11)）の検証と書き出し", "公開記録（3(6)）の検証と書き出し"),
    (
        "確認済みの公式アカウント一覧を書き出す（4(2)、5(5)）",
        "確認済みの公式アカウント一覧を書き出す（2(2)(4)）",
    ),
    ("認証情報の管理状況を書き出す（内部監査用、5(10)）", "（内部監査用、3(5)）"),
    ("誤検知の申し出と許容設定（情報政策課）", "誤検知の申し出と許容設定（総務課情報係）"),
    (
        "誤検知の申し出と所属長の判断を規則ごとに表示",
        "誤検知の申し出と所管課長の判断を規則ごとに表示",
    ),
    ("許容設定を登録（情報政策課の担当者のみ）", "許容設定を登録（総務課情報係の担当者のみ）"),
    (
        "許容設定を取り消す（情報政策課の担当者のみ）",
        "許容設定を取り消す（総務課情報係の担当者のみ）",
    ),
)
SEED_ONLY = ("5(11)", "5(10)", "4(2)", "情報政策課", "所属長")
TOWN_ONLY = ("3(6)", "3(5)", "総務課情報係", "所管課長")


def _texts(parser: argparse.ArgumentParser) -> str:
    """Every help text of the parser and its sub-commands, as ``--help`` shows them."""
    out = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            out += [_texts(sub) for sub in dict.fromkeys(action.choices.values())]
    return "\n".join(out)


@pytest.mark.parametrize("file", [DEFAULT_FILE, TOWN_FILE], ids=["seed", "town"])
def test_every_moved_help_text_speaks_the_files_words(file):
    texts = _texts(cli.build_parser(guideline_terms.of(load_file(file))))

    town = file == TOWN_FILE
    for seed_text, town_text in MOVED:
        assert (town_text if town else seed_text) in texts
    for word in SEED_ONLY if town else TOWN_ONLY:
        assert word not in texts, word
    assert "{" + "records}" not in texts and "{desk}" not in texts


def test_without_terms_the_shipped_default_file_speaks():
    assert _texts(cli.build_parser()) == _texts(
        cli.build_parser(guideline_terms.of(load_file(DEFAULT_FILE)))
    )


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    RECORDER.saw_cli(out, "")
    return out


def test_help_speaks_the_guideline_in_force_for_the_tenant(
    committed_factory, db_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        assert cli.main(["tenant", "add", "minami-town", "さくら町"]) == 0
        assert cli.main(["guideline", "load", str(TOWN_FILE), "--tenant", "minami-town"]) == 0
        capsys.readouterr()

        town = _help(["rules", "--help", "--tenant", "minami-town"], capsys)
        seed = _help(["rules", "--help"], capsys)
        town_audit = _help(["audit", "--help", "--tenant=minami-town"], capsys)
    finally:
        get_settings.cache_clear()

    assert "許容設定を登録（総務課情報係の担当者のみ）" in town
    assert "誤検知の申し出と所管課長の判断" in town
    assert "許容設定を登録（情報政策課の担当者のみ）" in seed
    assert "公開記録（3(6)）" in town_audit


def test_help_without_a_database_uses_the_shipped_file_and_creates_none(
    tmp_path, monkeypatch, capsys
):
    missing = tmp_path / "none.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    get_settings.cache_clear()
    try:
        out = _help(["accounts", "--help", "--tenant", "minami-town"], capsys)
    finally:
        get_settings.cache_clear()

    assert "（4(2)、5(5)）" in out and "（内部監査用、5(10)）" in out
    assert not missing.exists()
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect(f"file:{missing}?mode=ro", uri=True)

"""Data files: editable, overridable by folder, malformed files fail naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import Checker, Config, DataError, check
from rules.data import ENV_VAR


def test_bundled_shortener_list_has_hundreds() -> None:
    data = Checker(Config.load()).data("shorteners")
    assert len(data.block) >= 300  # type: ignore[attr-defined]
    assert {"bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "amzn.to"} <= (
        data.block  # type: ignore[attr-defined]
    )
    assert "forms.gle" in data.review  # type: ignore[attr-defined]


def test_override_folder_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "public_numbers.tsv").write_text("0263-12-3456\t例の課\n", encoding="utf-8")
    cfg = Config.load(tmp_path)
    checker = Checker(cfg)
    assert checker.check("0263-12-3456").verdict == "ok"
    assert checker.check("0263-34-3000").verdict == "review"  # bundled list was replaced


def test_env_var_names_the_override_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "trusted_domains.txt").write_text("example.com\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    cfg = Config.load()
    assert Checker(cfg).check("https://example.com/").verdict == "ok"


def test_missing_env_folder_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "/nonexistent/folder")
    with pytest.raises(DataError, match=ENV_VAR):
        Config.load()


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("rumour_terms.tsv", "# c\n噂\treview\n噂話\tsevere\n", 3),
        ("rumour_terms.tsv", "噂\n", 1),
        ("rumour_terms.tsv", "噂\treview\tcolour=red\n", 1),
        ("rumour_terms.tsv", "噂\treview\tclause=7(9)ズ\n", 1),
        ("rumour_terms.tsv", "噂\treview\tnot_after=(\n", 1),
        ("url_shorteners.txt", "bit.ly\nBIT.LY\n", 2),
        ("trusted_domains.txt", "go.jp\nhttps://x.jp/\n", 2),
        ("public_numbers.tsv", "0263-34-3000\n12\n", 2),
    ],
)
def test_malformed_file_names_file_and_line(
    tmp_path: Path, name: str, content: str, line: int
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        Checker(Config.load(tmp_path))
    assert f"{name}:{line}:" in str(info.value)


def test_extend_adds_numbers_domains_allow_phrases() -> None:
    cfg = Config.load().extend(
        public_numbers=["0263-12-3456"],
        trusted_domains=["example.com"],
        allow_phrases=["噂"],
        disabled_rules=["pii.birth-date"],
    )
    text = "0263-12-3456 https://example.com/ 噂があります 1990年1月1日生まれ"
    assert check(text, config=cfg).verdict == "ok"
    assert check(text).verdict == "block"


def test_edited_lexicon_takes_effect(tmp_path: Path) -> None:
    (tmp_path / "obscene_terms.tsv").write_text("ふしだら\tblock\tnote=テスト\n", encoding="utf-8")
    checker = Checker(Config.load(tmp_path))
    report = checker.check("ふしだらな話")
    assert [(f.rule, f.clause, f.excerpt) for f in report.findings] == [
        ("obscene.term", "7(1)キ", "ふしだら")
    ]


def test_check_reuses_one_checker_per_config() -> None:
    from rules import checker as checker_module

    cfg = Config.load().extend(trusted_domains=["example.org"])
    check("https://example.org/", config=cfg)
    first = checker_module._by_config[id(cfg)][1]
    check("https://example.org/a", config=cfg)
    assert checker_module._by_config[id(cfg)][1] is first

"""The statistical tier (rules.statistical): what a user of the check notices.

The posts below were written for this test (they are in no training corpus). Figures of the
tier (cross-validation, round 4) are in docs/rules.md, "Statistical tier"; they are printed
by ``python -m rules.statistical.train --cv`` and ``python -m rules eval FILE --statistical``,
not asserted here.
"""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from rules import Checker, Config, DataError, check
from rules.cli import main as cli_main
from rules.statistical import CLAUSES, WEIGHTS, Weights
from rules.statistical import train as training

ON = Config.load().extend(statistical=True)
RULES_ONLY = Checker(Config.load().extend(statistical=False))
ROOT = Path(__file__).resolve().parents[2]

# (post, clause the tier should name): no rule of the check fires on any of them. When a
# rule comes to catch one, replace it with a post the rules still miss.
UNSEEN = [
    # (earlier 7(1)ウ posts here are now caught by the rules, or fall below p = 0.5)
    ("空き缶は川に流しておけば、そのうち見えなくなるので楽ですよ。", "7(1)ウ"),
    (
        "引っ越しても住民票はそのままで困ったことはないので、届け出はしなくていいと思います。",
        "7(1)ウ",
    ),
    (
        "女性の職員だと夜の現場は無理なので、当番から外しています。",
        "7(1)イ",
    ),
    ("隣の家のお子さんの写真、かわいかったので勝手にアップしちゃいました。", "7(1)ク"),
]
CLEAN = [
    "【お知らせ】12月の市民ギャラリーは、年末の点検のため28日から休館します。",
    "本日の給食は、地元産の白菜を使ったクリーム煮でした。子どもたちにも好評でした。",
    "市民課の窓口は、12月29日から1月3日までお休みです。お急ぎの方は電子申請をご利用ください。",
]


@pytest.mark.parametrize(("text", "clause"), UNSEEN)
def test_a_post_the_rules_miss_gets_a_statistical_finding_with_clause_and_span(
    text: str, clause: str
) -> None:
    assert RULES_ONLY.check(text).verdict == "ok"  # the rules alone let it through
    report = Checker(ON).check(text)
    stat = [f for f in report.findings if f.rule.startswith("stat.")]
    assert [f.clause for f in stat] == [clause]
    f = stat[0]
    assert f.rule == CLAUSES[clause][0]
    assert f.severity == "review"
    assert report.verdict == "review"
    assert text[f.start : f.end] == f.excerpt
    assert f.excerpt and f.excerpt in text and not f.excerpt.endswith("。")
    assert "統計的な判定" in f.message and clause in f.message
    assert "確からしさ0." in f.message


def test_the_span_is_the_sentence_in_a_longer_post_with_original_offsets() -> None:
    text = "【くらしの情報】\n年末の大掃除のお知らせです。\n" + UNSEEN[0][0] + "\nよいお年を。"
    f = next(f for f in Checker(ON).check(text).findings if f.rule.startswith("stat."))
    assert f.excerpt == UNSEEN[0][0].rstrip("。")
    assert text[f.start : f.end] == f.excerpt


def test_the_tier_reads_the_normalised_text_and_points_back_to_the_original() -> None:
    text = "【ごみ】" + UNSEEN[0][0].replace("空き缶", "空き\u200b缶")  # an invisible character
    f = next(f for f in Checker(ON).check(text).findings if f.rule.startswith("stat."))
    assert text[f.start : f.end] == f.excerpt
    assert "\u200b" in f.excerpt


@pytest.mark.parametrize("text", CLEAN)
def test_a_clean_notice_gets_no_statistical_finding(text: str) -> None:
    assert Checker(ON).check(text).verdict == "ok"


def test_no_second_finding_where_a_rule_already_names_the_clause() -> None:
    text = "来年度から市民プールの利用料を値上げする方向で話が進んでいて、ほぼ決まりだと思います。"
    report = Checker(ON).check(text)
    assert any(f.rule == "undecided.policy" for f in report.findings)
    assert not any(f.rule == "stat.undecided" for f in report.findings)


def test_on_by_default_and_switched_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    text = UNSEEN[0][0]
    monkeypatch.delenv("GUIDELINE_RULES_STATISTICAL", raising=False)
    assert any(f.rule.startswith("stat.") for f in check(text).findings)  # the default checker
    assert any(f.rule.startswith("stat.") for f in Checker(Config.load()).check(text).findings)
    monkeypatch.setenv("GUIDELINE_RULES_STATISTICAL", "0")
    assert not Config.load().statistical
    assert not any(f.rule.startswith("stat.") for f in Checker(Config.load()).check(text).findings)
    monkeypatch.setenv("GUIDELINE_RULES_STATISTICAL", "1")
    assert Config.load().statistical
    monkeypatch.setenv("GUIDELINE_RULES_STATISTICAL", "はい")
    with pytest.raises(DataError, match="GUIDELINE_RULES_STATISTICAL"):
        Config.load()


def test_a_rule_id_can_be_switched_off_like_any_rule() -> None:
    text = UNSEEN[0][0]
    report = Checker(ON.extend(disabled_rules=["stat.encouragement"])).check(text)
    assert report.verdict == "ok"


def test_the_weights_load_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_a: object, **_k: object) -> socket.socket:
        raise AssertionError("the statistical tier opened a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    weights = Weights.load(WEIGHTS)
    assert set(weights.clauses) == set(CLAUSES)
    assert weights.digest == hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()
    assert any(f.rule.startswith("stat.") for f in Checker(ON).check(UNSEEN[0][0]).findings)


def test_the_check_does_not_import_the_training_libraries() -> None:
    code = (
        "import sys; from rules import Checker, Config; "
        "Checker(Config.load().extend(statistical=True)).check('テスト投稿です。よろしくお願いします。'); "
        "print(sorted(m for m in ('sklearn', 'scipy', 'numpy', 'torch') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_a_broken_weights_file_in_the_override_folder_fails_at_start_up(tmp_path: Path) -> None:
    (tmp_path / "weights.json").write_text('{"clauses": ["7(1)ZZ"]}', encoding="utf-8")
    with pytest.raises(DataError, match=r"weights\.json"):
        Checker(Config.load(tmp_path).extend(statistical=True))


def test_the_shipped_file_records_its_data_and_cross_validation() -> None:
    obj = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert obj["data"] == list(training.DATA)
    cv = obj["cross_validation"]
    held, negatives = cv["negative_posts_held_up"]
    assert held / negatives <= training.TARGET_FP


def test_regenerating_the_weights_reproduces_the_shipped_file() -> None:
    pytest.importorskip("sklearn")
    text = training.train(training.DATA)
    assert (
        hashlib.sha256(text.encode("utf-8")).hexdigest()
        == hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()
    ), (
        "rules/statistical/weights.json is not what the training script makes from the corpora "
        "(a corpus, normalisation or sentence splitting changed?): run "
        "python -m rules.statistical.train and say in docs/rules.md that the weights changed"
    )


def test_the_cli_switch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = tmp_path / "post.txt"
    post.write_text(UNSEEN[1][0], encoding="utf-8")
    assert cli_main(["check", "--rules-only", str(post)]) == 0
    assert "stat." not in capsys.readouterr().out
    assert cli_main(["check", str(post)]) == 0  # on by default; review does not block
    out = capsys.readouterr().out
    assert "7(1)ウ review" in out and "[stat.encouragement]" in out
    assert cli_main(["check", "--statistical", str(post)]) == 0
    assert "[stat.encouragement]" in capsys.readouterr().out

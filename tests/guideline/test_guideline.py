"""Guideline files (issue 15): the schema, Japanese errors with lines, versions and diff."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from bot import cli
from bot.audit import verify
from bot.audit.models import AuditEvent
from bot.config import get_settings
from bot.directory.loader import DEMO_FILE
from bot.directory.loader import load_file as load_directory
from bot.errors import PermissionDenied
from bot.guideline import service
from bot.guideline.diff import diff
from bot.guideline.loader import DATA_DIR, DEFAULT_FILE, GuidelineError, load_file, parse
from bot.scheduler.settings import ReminderSettings
from rules import CLAUSES

TOWN_FILE = DATA_DIR / "sakura-town-2.1.yaml"

SEED_CHECKLISTS = [
    (
        "flaming",
        "炎上",
        "6(3)",
        "批判や苦情が殺到し、収拾がつかない状態",
        [
            ("no_rebuttal", "6(3)", "職員個人の判断で反論・抗弁をしない（担当者へ周知済み）"),
            ("consult", "6(3)", "所属長・公式アカウント管理者・情報政策課で協議した"),
            ("decide_response", "6(3)", "説明・訂正・謝罪の要否と内容を決めた"),
            (
                "in_progress_notice",
                "6(3)",
                "対応に時間がかかるため「対応中」である旨を書き込んだ（不要なら理由を記録）",
            ),
        ],
    ),
    (
        "impersonation",
        "なりすまし",
        "6(4)",
        "公式アカウントのなりすまし",
        [
            (
                "request_takedown",
                "6(4)",
                "プラットフォーム（管理者）になりすましアカウントの削除を依頼した",
            ),
            ("website_notice", "6(4)", "市ホームページでなりすましへの注意を周知した"),
            (
                "press",
                "6(4)",
                "必要に応じて報道機関へ情報提供した（不要と判断した場合はその旨を記録）",
            ),
        ],
    ),
    (
        "correction",
        "訂正",
        "6(1)",
        "発信した情報の誤り・誤解を招く書き込み",
        [("post_correction", "6(1)", "訂正または謝罪の書き込みを速やかに行った")],
    ),
]


def test_default_file_is_todays_behaviour():
    g = load_file(DEFAULT_FILE)
    assert g.title == "松本市ソーシャルメディアの利用に関するガイドライン Ver1.00"
    # Findings cite the seed city's own numbering unchanged.
    assert all(g.cite(key) == key for key in CLAUSES)
    assert tuple(e.label for e in g.exemptions) == ("ア", "イ", "ウ", "エ")
    assert [e.label for e in g.exemptions if not e.held] == ["エ"]
    assert [e.label for e in g.exemptions if e.evidence == "required"] == ["ア"]
    assert (g.approver, g.account_confirmer.title, g.incident_desk.title) == (
        "所属長",
        "広報課長",
        "情報政策課",
    )
    assert [i.label for i in g.policy_items] == list("アイウエオカキ")
    # Incident types and their checklists are the ones the bot walked before they moved
    # into the file (bot/incidents/checklists.py, before issue 15).
    assert [
        (t.code, t.name, t.clause, t.description, [(s.code, s.clause, s.label) for s in t.steps])
        for t in g.incident_types
    ] == SEED_CHECKLISTS
    settings = ReminderSettings()
    for key, value in g.reminders.items():
        assert getattr(settings, key) == value, key
    assert (g.calendar.start, g.calendar.end) == (settings.business_start, settings.business_end)
    assert list(g.calendar.days) == list(settings.business_days)
    assert list(g.calendar.closed_days) == list(settings.closed_days)
    assert g.calendar.holidays == settings.holiday_country


def test_second_guideline_numbers_and_names_differently():
    g = load_file(TOWN_FILE)
    assert g.cite("7(1)エ") == "5(1)エ"
    assert g.cite("7(1)サ") == "5(1)コ"
    assert g.cite("5(9)") == "3(4)"
    assert [(e.label, e.held) for e in g.exemptions] == [("甲", False), ("乙", True)]
    assert (g.account_confirmer.title, g.incident_desk.title) == ("企画課長", "総務課情報係")
    added = g.clause("5(1)シ")
    assert added is not None and "生成AI" in added.text and added.check is None
    assert g.rule_severity == {"link.third-party": "review"}


def _broken(old: str, new: str) -> bytes:
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def _line_of(raw: bytes, needle: str) -> int:
    return (
        raw.decode("utf-8")
        .split("\n")
        .index(next(line for line in raw.decode("utf-8").split("\n") if needle in line))
        + 1
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "message"),
    [
        (
            "  version: Ver1.00\n",
            "",
            "guideline:",
            "guideline",
            "必須の項目「version」がありません",
        ),
        (
            "  short_name: ガイドライン\n",
            "  shortname: ガイドライン\n",
            "guideline:",
            "guideline",
            "「shortname」という項目は使えません",
        ),
        (
            "      held: false\n",
            "      held: いいえ\n",
            "held: いいえ",
            "approval.exemptions[3].held",
            "true または false",
        ),
        (
            "      evidence: required\n",
            "      evidence: always\n",
            "evidence: always",
            "approval.exemptions[0].evidence",
            "required、optional、none",
        ),
        (
            '{id: "7(1)イ", title: 差別',
            '{id: "7(1)ア", title: 差別',
            "title: 差別",
            "clauses[14].id",
            "条項「7(1)ア」が重複",
        ),
        (
            'check: "7(1)キ"}',
            'check: "7(1)ん"}',
            'check: "7(1)ん"',
            "clauses[19].check",
            "内容チェックの区分「7(1)ん」はありません",
        ),
        (
            '  clause: "4(3)"\n  exemptions:',
            '  clause: "4(9)"\n  exemptions:',
            'clause: "4(9)"',
            "approval.clause",
            "条項「4(9)」は clauses にありません",
        ),
        (
            "  approval_after_hours: 4.0\n",
            "  approval_after_hours: 0\n",
            "approval_after_hours: 0",
            "reminders.approval_after_hours",
            "0 より大きい数",
        ),
        (
            '  start: "08:30"\n',
            '  start: "8時半"\n',
            "8時半",
            "calendar.start",
            "形式が正しくありません",
        ),
        (
            "      - {code: consult,",
            "      - {code: no_rebuttal,",
            'code: no_rebuttal, clause: "6(3)", label: 所属長',
            "incident_types[0].steps[1].code",
            "手順コード「no_rebuttal」が重複",
        ),
    ],
)
def test_errors_name_file_line_and_field_in_japanese(old, new, needle, field, message):
    raw = _broken(old, new)
    with pytest.raises(GuidelineError) as err:
        parse(raw, source="city.yaml")
    text = err.value.message
    assert text.startswith("ガイドラインのファイルに")
    line = _line_of(raw, needle)
    assert f"city.yaml:{line}: {field}: " in text, text
    assert message in text, text


def test_unmapped_check_category_and_unreadable_files():
    raw = _broken(', check: "7(1)ウ"}', "}")
    with pytest.raises(GuidelineError) as err:
        parse(raw, source="city.yaml")
    assert "内容チェックの区分「7(1)ウ」を引用する条項がありません" in err.value.message
    assert "disabled_checks" in err.value.message
    # Dropping the clause on purpose is allowed.
    parse(
        _broken("  disabled_checks: []", '  disabled_checks: ["7(1)ウ"]').replace(
            b', check: "7(1)\xe3\x82\xa6"}', b"}"
        )
    )
    with pytest.raises(GuidelineError) as err:
        parse(b"clauses: [\n  {id: x\n", source="x.yaml")
    assert "x.yaml:" in err.value.message and "YAML として読めません" in err.value.message
    with pytest.raises(GuidelineError) as err:
        parse("schema_version: 1\n".encode("cp932") + "名称".encode("cp932"), source="s.yaml")
    assert "UTF-8 で保存してください" in err.value.message


def test_diff_shows_what_changed():
    old = load_file(DEFAULT_FILE)
    new = parse(
        _broken("  version: Ver1.00\n", "  version: Ver1.10\n")
        .replace(b"  approval_after_hours: 4.0\n", b"  approval_after_hours: 2.0\n")
        .replace(
            '  - {id: "7(2)オ"'.encode(),
            '  - {id: "7(1)シ", title: 生成AI, text: 生成AIの画像を明示せずに掲載する内容}\n  - {id: "7(2)オ"'.encode(),
        )
    )
    assert diff(old, new) == [
        "~ 版: Ver1.00 → Ver1.10",
        "+ 条項 7(1)シ: 生成AI",
        "~ リマインダー approval_after_hours: 4.0 → 2.0",
    ]
    assert diff(old, old) == []
    town = diff(old, load_file(TOWN_FILE))
    assert "~ 開設の確認者: 広報課長（pr_head） → 企画課長（pr_head）" in town
    assert "~ 開設の確認者の条項: 4(2) → 2(2)" in town
    assert "~ 開設の確認者への届出の名称: 開設届 → 開設確認申請書" in town
    assert "~ メッセージが引用する条項 認証情報の管理: 5(10) → 3(5)" in town
    assert "- 個人アカウントの留意点 7(2)オ" in town
    assert any(line.startswith("+ 個人アカウントの留意点 6(1): 勤務時間中は") for line in town)
    assert not any("事案の窓口の条項" in line for line in town)  # neither file names one
    assert (
        "- 決裁不要の区分 ア" in town
        and "+ 決裁不要の区分 甲: 災害、事故その他緊急に周知を要する情報を発信する場合" in town
    )


def test_loading_a_version_is_recorded_and_keeps_history(session, clock):
    load_directory(session, path=DEMO_FILE, clock=clock)
    assert service.in_force(session).version == "Ver1.00"  # nothing loaded: the default
    with pytest.raises(PermissionDenied):
        service.record_load(session, raw=TOWN_FILE.read_bytes(), source="t.yaml", actor="sato")
    raw1 = DEFAULT_FILE.read_bytes()
    _, load1 = service.record_load(
        session, raw=raw1, source="m.yaml", actor="watanabe", clock=clock
    )
    assert load1 is not None
    # The same file again changes nothing.
    assert service.record_load(session, raw=raw1, source="m.yaml", actor="watanabe")[1] is None
    raw2 = raw1.replace(b"version: Ver1.00", b"version: Ver1.10")
    _, load2 = service.record_load(session, raw=raw2, source="m2.yaml", actor="system", clock=clock)
    assert load2 is not None
    assert service.in_force(session).version == "Ver1.10"
    assert [h.version for h in service.history(session)] == ["Ver1.00", "Ver1.10"]
    events = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "guideline.loaded")
        .order_by(AuditEvent.seq)
    ).all()
    assert [(e.actor, e.data["version"], e.data["sha256"]) for e in events] == [
        ("watanabe", "Ver1.00", hashlib.sha256(raw1).hexdigest()),
        ("system", "Ver1.10", hashlib.sha256(raw2).hexdigest()),
    ]
    assert verify(session) == []


def test_cli(committed_factory, db_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        assert cli.main(["guideline", "check", str(TOWN_FILE)]) == 0
        assert (
            "問題はありません: さくら町ソーシャルメディア運用指針 第2.1版"
            in capsys.readouterr().out
        )
        bad = tmp_path / "bad.yaml"
        bad.write_bytes(_broken("  version: Ver1.00\n", ""))
        assert cli.main(["guideline", "check", str(bad)]) == 1
        assert f"{bad}:" in capsys.readouterr().err
        assert cli.main(["guideline", "diff", str(DEFAULT_FILE), str(TOWN_FILE)]) == 0
        assert "~ 決裁者の呼び方: 所属長 → 所管課長" in capsys.readouterr().out
        assert cli.main(["guideline", "history"]) == 0
        assert "同梱の既定のガイドライン" in capsys.readouterr().out
        assert cli.main(["guideline", "load", str(TOWN_FILE)]) == 0
        assert "第2.1版 を読み込みました" in capsys.readouterr().out
        assert cli.main(["guideline", "show"]) == 0
        assert "開設の確認: 企画課長" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()

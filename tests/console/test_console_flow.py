"""End-to-end through the console: read like a chat between the clerk and the 所属長."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.audit import verify
from bot.drafts.models import Draft
from handlers.console.commands import build_registry
from handlers.console.testing import TestBot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bot(factory, clock):
    return TestBot(factory, clock=clock)


def test_draft_approve_publish(bot, factory):
    bot.push(
        "sato", "/draft account=kanko-x planned=2026-12-01T10:00 桜まつりを4月5日に開催します。"
    )
    receipt = bot.pop("sato")
    assert "決裁待ち" in receipt
    n = receipt.draft_id
    request = bot.pop("yamada")
    assert request.kind == "draft.approval_request"
    assert f"/approve {n} v1" in request
    assert bot.pop("kato").kind == "draft.approval_request"

    bot.push("yamada", f"/approve {n}")
    assert "承認しました" in bot.pop("yamada")  # the reply to the command
    closed = bot.pop("yamada")
    assert closed.is_update and closed.kind == "draft.approval_closed" and "山田 花子" in closed
    assert bot.pop("kato").is_update
    approved = bot.pop("sato")
    assert "承認されました" in approved.title
    # The text names the button (neutral on every platform); the console shows its command.
    assert "［掲載しました］から掲載先のURLを登録" in approved
    assert f"掲載しました: /published {n} 掲載先のURL" in approved

    bot.push("sato", f"/published {n} https://x.com/midori_kanko_demo/status/1")
    assert "掲載済み" in bot.pop("sato")
    with factory() as s:
        assert s.get(Draft, n).state == "published"
        assert verify(s) == []


def test_request_changes_edit_and_stale_buttons(bot):
    bot.push("sato", "/draft 紅葉ライトアップは11月30日まで。")
    n = bot.pop("sato").draft_id
    bot.clear()
    bot.push("kato", f"/changes {n} 終了時刻も書いてください")
    assert "差し戻されました" in bot.pop("sato", kind="draft.decided").title
    bot.push("sato", f"/edit {n} 紅葉ライトアップは11月30日21時まで。")
    assert "第2版" in bot.pop("sato")
    request = bot.pop("yamada", kind="draft.approval_request")
    assert f"/approve {n} v2" in request and "改めて決裁" in request
    # The head presses the button of the first version: refused, nothing changes.
    bot.push("yamada", f"/approve {n} v1")
    stale = bot.pop("yamada", kind="error")
    assert "第1版" in stale.title and "第2版" in stale.title
    bot.push("yamada", f"/approve {n} v2")
    assert "承認されました" in bot.pop("sato", kind="draft.decided").title


def test_double_decision_and_non_approver(bot):
    bot.push("sato", "/draft 秋の観光ガイドを配布します。")
    n = bot.pop("sato").draft_id
    bot.clear()
    bot.push("suzuki", f"/approve {n}")
    assert "所属長" in bot.pop("suzuki", kind="error").title
    bot.push("yamada", f"/reject {n} 時期を改めます")
    bot.push("kato", f"/approve {n}")
    refused = bot.pop("kato", kind="error")
    assert "既に山田 花子（yamada）" in refused.title and "却下" in refused.title
    assert "却下されました" in bot.pop("sato", kind="draft.decided").title


def test_exempt_report_and_acknowledge(bot):
    bot.push("sato", "/draft exempt=イ 紅葉まつりの来場者は1万人でした。")
    receipt = bot.pop("sato")
    assert "事後報告" in receipt
    n = receipt.draft_id
    assert bot.pending("yamada") == []  # no approval needed
    bot.push(
        "sato", f"/report {n} url=https://x.com/midori_kanko_demo/status/9 予定どおり掲載しました。"
    )
    bot.pop("sato")
    report = bot.pop("yamada", kind="report.filed")
    assert f"/ack {n}" in report and "予定どおり掲載しました" in report
    bot.push("yamada", f"/ack {n}")
    assert "確認済み" in bot.pop("sato", kind="report.acknowledged").title
    bot.push("kato", f"/ack {n}")
    assert "既に" in bot.pop("kato", kind="error").title


def test_blocked_draft_then_false_positive(bot, factory):
    bot.push("sato", "/draft 問い合わせは090-1234-5678まで。")
    refused = bot.pop("sato")
    assert refused.kind == "error" and "7(1)エ" in refused
    assert "090-1234-5678" in refused  # the excerpt, with its position
    with factory() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    bot.push("sato", '/draft fp="観光案内所の公開番号です" 問い合わせは090-1234-5678まで。')
    assert "誤検知の説明は所属長に伝えられます" in bot.pop("sato")
    assert "観光案内所の公開番号です" in bot.pop("yamada")


def test_multiline_draft(bot):
    bot.push("sato", "/draft account=kanko-x")
    assert bot.pop("sato").kind == "console.multiline"
    bot.push("sato", "一行目")
    bot.push("sato", "")
    bot.push("sato", "三行目")
    bot.push("sato", ".")
    bot.pop("sato")
    assert bot.pop("yamada").message.quote == "一行目\n\n三行目"


def test_check_is_private_and_adds_section7_reminders(bot, factory):
    bot.push("sato", "/check 今日は部外秘の資料を見た。")
    result = bot.pop("sato")
    assert result.kind == "check.result"
    assert "7(1)サ" in result and "7(2)オ" in result and "7(2)キ(ア)" in result
    assert "8:30" in result.message.text or "08:30" in result.message.text
    assert "保存されません" in result
    # The verdict is said once, in the title, with its count.
    assert result.title.startswith("チェック結果: ") and result.title.endswith("件）")
    verdict = result.title.removeprefix("チェック結果: ").split("（")[0]
    assert verdict not in result.message.text
    assert bot.pending("yamada") == []
    with factory() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


@pytest.mark.parametrize(
    ("user", "line", "words"),
    [
        ("sato", "/draft", "本文を入力してください"),
        ("sato", "/draft planned=あした 本文", "掲載予定"),
        ("sato", "/draft acount=kanko-x 本文", "acount="),
        ("sato", "/draft photo=maybe 本文", "photo"),
        ("sato", "/draft photo=identifiable 集合写真です", "7(1)ク"),
        ("sato", "/draft account=kanko-insta 本文", "4(2)"),
        ("sato", "/draft exempt=ウ 手続のお知らせ", "4(3)ただし書"),
        ("ito", "/draft account=kanko-x 本文", "担当者"),
        ("sato", "/approve", "番号"),
        ("sato", "/approve abc", "番号"),
        ("yamada", "/approve 999999", "#999999"),
        ("yamada", "/reject 999999", "理由"),
        ("yamada", "/reject 999999 時期が悪い", "#999999"),
        ("sato", "/published 1", "URL"),
        ("sato", "/nosuch", "/nosuch"),
        ("sato", "hello", "/ で始めて"),
        ("sato", "/as nobody", "nobody"),
        ("sato", "/draft " + "あ" * 20_001, "20,000文字"),
        ("sato", "/draft 見えない\u200b文字", "U+200B"),
    ],
)
def test_bad_input_gets_a_japanese_message(bot, factory, user, line, words):
    bot.push(user, line)
    message = bot.pop(user)
    assert words in str(message), str(message)
    with factory() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def test_help_lists_every_command(bot):
    bot.push("sato", "/help")
    text = str(bot.pop("sato"))
    commands = build_registry().order
    # Every command the console understands, and every one of its aliases, is listed.
    names = {c.name for c in commands}
    assert {
        "draft",
        "approve",
        "account",
        "incident",
        "custody",
        "snooze",
        "cancel",
        "quit",
    } <= names
    for cmd in commands:
        assert f"\n/{cmd.name} " in text, cmd.name
        for alias in cmd.aliases:
            assert f"/{alias}" in text, alias
    assert "（別名: /下書き）" in text and "（別名: /exit、/終了）" in text
    assert "/cancel（または /quit）を入力すると、その入力だけを取りやめます" in text


def test_script_mode_replays_the_whole_flow(tmp_path):
    script = tmp_path / "session.txt"
    script.write_text(
        "\n".join(
            [
                "# the whole W1 flow",
                "/draft planned=2026-12-01T10:00 桜まつりを開催します。",
                "/as yamada",
                "/approve 1",
                "/as sato",
                "/published 1 https://x.com/midori_kanko_demo/status/1",
                "/drafts",
            ]
        ),
        encoding="utf-8",
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'console.sqlite3'}", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--script", str(script), "--now", "2026-11-25T10:00"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "sato> /draft" in out and "【決裁依頼】下書き #1（第1版）" in out
    assert "下書き #1（第1版）は承認されました" in out
    assert "#1 みどり市観光課（公式） 第1版 掲載済み" in out
    assert "Traceback" not in proc.stderr
    again = subprocess.run(
        [sys.executable, "-m", "bot", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0 and "改ざんされていません" in again.stdout

"""Timeline export (Markdown, JSON, CLI) and the text form of /incident."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa

from bot import cli
from bot.config import get_settings
from bot.errors import InvalidTransition, ValidationFailed
from bot.incidents import commands, service
from bot.incidents.export import to_json, to_markdown
from bot.incidents.models import Incident
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from tests.incidents.conftest import build_org
from tests.people import who


def _story(session, clock):
    incident = service.declare(
        session,
        type="炎上",
        account_code="kanko_x",
        actor=who(session, "ito"),
        summary="イベント告知に批判",
        url="https://x.example/1",
        clock=clock,
    )
    clock.advance(minutes=10)
    service.set_item(
        session, incident_id=incident.id, item="consult", actor=who(session, "kato"), clock=clock
    )
    clock.advance(minutes=10)
    update = service.post_update(
        session,
        incident_id=incident.id,
        actor=who(session, "sato"),
        text="対応中の書き込み済み",
        clock=clock,
    )
    clock.advance(minutes=5)
    service.edit_event(
        session,
        event_id=update.id,
        actor=who(session, "sato"),
        text="「対応中」の書き込みを掲載",
        clock=clock,
    )
    clock.advance(hours=2)
    service.close(
        session,
        incident_id=incident.id,
        actor=who(session, "tanaka"),
        summary="説明文を掲載",
        clock=clock,
    )
    return incident


def test_markdown_export_is_dated_ordered_and_keeps_edits(session, clock, org):
    md = to_markdown(_story(session, clock))
    assert md.startswith("# 事案#")
    assert "- 報告日時: 2026年11月25日 10:00" in md
    assert (
        "- [x] 所属長・公式アカウント管理者・情報政策課で協議した［6(3)］（加藤（情報政策課）・2026年11月25日 10:10）"
        in md
    )
    assert "- [ ] 説明・訂正・謝罪の要否と内容を決めた［6(3)］" in md
    order = [
        md.index("10:00 発生報告"),
        md.index("10:10 チェック"),
        md.index("10:20 状況報告"),
        md.index("12:25 終了"),
    ]
    assert order == sorted(order)
    assert "「対応中」の書き込みを掲載" in md
    assert "2026年11月25日 10:25 佐藤 主査 が編集。編集前の本文" in md
    assert "> 対応中の書き込み済み" in md
    assert "## まとめ\n\n説明文を掲載" in md


def test_json_export(session, clock, org):
    data = json.loads(to_json(_story(session, clock)))
    assert data["type"] == "flaming" and data["status"] == "closed"
    assert data["opened_at"] == "2026-11-25T10:00:00+09:00"
    kinds = [e["kind"] for e in data["timeline"]]
    assert kinds == ["opened", "item_done", "update", "closed"]
    update = data["timeline"][2]
    assert update["text"] == "「対応中」の書き込みを掲載"
    assert update["edits"] == [
        {
            "previous_text": "対応中の書き込み済み",
            "edited_by": "sato",
            "edited_at": "2026-11-25T10:25:00+09:00",
        }
    ]
    assert [c["done"] for c in data["checklist"]] == [False, True, False, False]


def test_cli_export(committed_factory, db_url, clock, monkeypatch, capsys, tmp_path):
    with committed_factory() as session, session.begin():
        build_org(session, clock)
        incident_id = _story(session, clock).id
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        assert cli.main(["incident", "export", str(incident_id), "--format", "md"]) == 0
        assert "# 事案#" in capsys.readouterr().out
        out = tmp_path / "i.json"
        assert (
            cli.main(["incident", "export", str(incident_id), "--format", "json", "-o", str(out)])
            == 0
        )
        assert json.loads(out.read_text(encoding="utf-8"))["id"] == incident_id
        assert cli.main(["incident", "export", "9999"]) == 1
        assert "事案#9999は見つかりません" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def run(session, clock, actor, line):
    return commands.run(session, actor=who(session, actor), text=line, clock=clock)


def test_command_flow(session, clock, org):
    reply = run(session, clock, "ito", "炎上 kanko_x 夏祭りの投稿に苦情が殺到 https://x.example/9")
    assert reply.title == f"事案#{session.scalar(sa.select(Incident.id))}（炎上）を記録しました"
    incident = session.scalars(sa.select(Incident)).one()
    assert incident.url == "https://x.example/9"
    assert incident.summary == "夏祭りの投稿に苦情が殺到 https://x.example/9"  # as written
    n = incident.id
    assert "☑" in run(session, clock, "kato", f"tick {n} 1").title
    assert "☐" in run(session, clock, "kato", f"untick {n} consult").title
    assert "状況報告を追加" in run(session, clock, "sato", f"update #{n} 削除は しない 方針").title
    assert incident.events[-1].text == "削除は しない 方針"
    assert "収束" in run(session, clock, "sato", f"status {n} 収束 落ち着いた").title
    shown = run(session, clock, "ito", f"show {n}")
    assert shown.kind == "incident.detail" and "状況報告" in shown.text
    assert f"#{n}" in run(session, clock, "ito", "list").text
    closed = run(session, clock, "kato", f"close {n} 説明文を掲載して収束")
    assert "未完了のチェック項目" in closed.text
    assert incident.status == "closed"
    assert run(session, clock, "ito", "list").title == "対応中の事案はありません"


def test_command_url_only_and_other_types(session, clock, org):
    run(session, clock, "ito", "なりすまし kanko_x https://x.example/fake_kanko")
    incident = session.scalars(sa.select(Incident)).one()
    assert incident.type == "impersonation"
    assert (incident.summary, incident.url) == ("", "https://x.example/fake_kanko")


def test_missing_arguments_prompt_without_changes(session, clock, org):
    assert run(session, clock, "ito", "").kind == "incident.usage"
    prompt = run(session, clock, "ito", "炎上")
    assert prompt.kind == "incident.prompt" and "kanko_x（観光課公式X）" in prompt.text
    assert run(session, clock, "ito", "訂正 kanko_x").kind == "incident.prompt"
    assert session.scalar(sa.select(sa.func.count()).select_from(Incident)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_comment_command(session, clock, org):
    reply = run(
        session, clock, "ito", "comment kanko_x 7(1)イ 返信欄の差別的な書き込み（URLのみ記録）"
    )
    assert reply.kind == "incident.comment_recorded"
    assert {f.label: f.value for f in reply.fields}["理由"] == "7(1)イ"


def test_reminder_message_for_stale_flaming(session, clock, org):
    from bot.incidents.messaging import reminder_message

    run(session, clock, "ito", "炎上 kanko_x 苦情")
    inc = session.scalars(sa.select(Incident)).one()
    msg = reminder_message(inc, now=clock.advance(minutes=90), mentions=["sato"])
    assert msg.kind == "incident.reminder" and "90分" in msg.title and "6(3)" in msg.text
    assert OutMessage.from_dict(msg.to_dict()) == msg


def test_two_closes_racing_exactly_one_wins(committed_factory, clock):
    with committed_factory() as session, session.begin():
        build_org(session, clock)
        incident_id = service.declare(
            session,
            type="炎上",
            account_code="kanko_x",
            actor=who(session, "ito"),
            summary="投稿に批判が集まっています",
            clock=clock,
        ).id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def close(actor: str) -> None:
        barrier.wait()
        try:
            with committed_factory() as s, s.begin():
                service.close(
                    s, incident_id=incident_id, actor=who(s, actor), summary=actor, clock=clock
                )
            outcomes.append("won")
        except InvalidTransition:
            outcomes.append("refused")

    threads = [threading.Thread(target=close, args=(a,)) for a in ("kato", "tanaka")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "won"]
    with committed_factory() as s:
        events = s.scalars(
            sa.text("SELECT count(*) FROM incident_events WHERE kind = 'closed'")
        ).one()
        assert events == 1


def test_buttons_drive_the_same_services(session, clock, org):
    run(session, clock, "ito", "炎上 kanko_x 苦情")
    incident = session.scalars(sa.select(Incident)).one()
    root = OutMessage.from_dict(session.get(OutboxMessage, incident.thread_root_id).message)
    toggle = next(a for a in root.actions if a.action_id == "incident.toggle")

    def press(action, actor="kato", reason=None):
        return commands.run_action(
            session,
            actor=who(session, actor),
            action_id=action.action_id,
            value=action.value,
            reason=reason,
            clock=clock,
        )

    assert "☑" in press(toggle).title
    assert "☑" in press(toggle).title  # the same (stale) button again: still ticked
    assert incident.items[0].done_by.handle == "kato"
    update = next(a for a in root.actions if a.action_id == "incident.update")
    assert update.needs_reason
    press(update, reason="監視を継続")
    assert incident.events[-1].text == "監視を継続"
    press(next(a for a in root.actions if a.action_id == "incident.status"))
    assert incident.status == "contained"
    close = next(a for a in root.actions if a.action_id == "incident.close")
    with pytest.raises(ValidationFailed):
        press(close, reason="")
    press(close, reason="収束を確認")
    assert incident.status == "closed"

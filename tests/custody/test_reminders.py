"""Custody reminders (5(10)): rotation, 2FA off, personal recovery, not confirmed; escalation."""

from __future__ import annotations

import sqlalchemy as sa

from bot.custody import service as custody
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.scheduler.service import build_digest, sweep
from bot.scheduler.settings import load_settings
from tests.custody.conftest import deployment_plan, jst


def reminders(session):
    return sorted(
        tuple(r)
        for r in session.execute(
            sa.text(
                "SELECT kind, recipient_key FROM reminders WHERE item_type='custody' AND status='sent'"
            )
        )
    )


def test_rotation_due_goes_to_manager_then_head_and_is_in_the_digest(factory, session, demo, clock):
    custody.update_record(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={
            "holder": "sato",
            "twofa": "on",
            "twofa_method": "app",
            "password_changed": "2026-09-01",
            "recovery_email": "kanko-sns@city.example.lg.jp",
        },
        clock=clock,
    )
    custody.confirm(session, actor=demo.sato, code="kanko-x", clock=clock)
    session.flush()
    plan = deployment_plan(load_settings(custody_rotation_days=180))
    # 2026-09-01 + 180 days = 2027-02-28: due by 3/25, but the record is fine otherwise.
    sweep(factory, plan=plan, worker="w", clock=clock)
    assert ("custody.rotation", "sato") in reminders(session)
    assert ("custody.rotation.esc", "yamada") in reminders(session)  # 3/25 > 2/28 + 7 days
    kinds = {k for k, _ in reminders(session)}
    assert not kinds & {
        "custody.2fa_off",
        "custody.personal",
        "custody.unconfirmed",
        "custody.missing",
    }
    row = session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.recipient_key == "sato")
        .order_by(OutboxMessage.id.desc())
    )
    message = OutMessage.from_dict(row.message)
    assert message.kind == "custody.reminder" and "パスワードの変更から" in message.text
    digest = build_digest(session, plan=plan, now=clock.now())
    assert "パスワード変更期限切れ（5(10)）" in digest.text
    # Recording a fresh change ends the series: the next sweep sends nothing more about it.
    custody.update_record(
        session, actor=demo.sato, code="kanko-x", values={"password_changed": "今日"}, clock=clock
    )
    session.flush()
    clock.set(jst("2027-04-05 10:00"))
    before = len(reminders(session))
    sweep(factory, plan=plan, worker="w", clock=clock)
    assert len(reminders(session)) == before


def test_2fa_off_and_personal_recovery_are_flagged(factory, session, demo, clock):
    custody.update_record(
        session,
        actor=demo.yamada,
        code="kanko-x",
        values={
            "holder": "sato",
            "twofa": "off",
            "recovery_phone": "090-1111-2222",
            "password_changed": "2027-03-20",
        },
        clock=clock,
    )
    session.flush()
    plan = deployment_plan(load_settings())
    sweep(factory, plan=plan, worker="w", clock=clock)
    assert reminders(session) == []  # recorded just now; first reminder after a day
    clock.set(jst("2027-03-26 10:00"))
    sweep(factory, plan=plan, worker="w", clock=clock)
    assert ("custody.2fa_off", "sato") in reminders(session)
    assert ("custody.personal", "sato") in reminders(session)
    # kanko-x has a record now; kanko-insta is not confirmed yet, so no "missing" either.
    assert "custody.missing" not in {k for k, _ in reminders(session)}


def test_reminders_wait_for_business_hours(factory, session, demo, clock):
    custody.update_record(
        session, actor=demo.sato, code="kanko-x", values={"twofa": "off"}, clock=clock
    )
    session.flush()
    clock.set(jst("2027-03-27 10:00"))  # Saturday
    plan = deployment_plan(load_settings())
    sweep(factory, plan=plan, worker="w", clock=clock)
    assert reminders(session) == []
    clock.set(jst("2027-03-29 08:31"))  # Monday morning
    sweep(factory, plan=plan, worker="w", clock=clock)
    assert ("custody.2fa_off", "sato") in reminders(session)


def test_accounts_without_a_record_are_reminded_once_switched_on(factory, session, demo, clock):
    plan = deployment_plan(load_settings(custody_missing_reminders=True))
    sweep(factory, plan=plan, worker="w", clock=clock)
    # kanko-x is confirmed and has no record; kanko-insta is not confirmed yet.
    assert ("custody.missing", "sato") in reminders(session)
    assert ("custody.missing.esc", "yamada") in reminders(session)
    assert (
        "認証情報の管理記録なし（5(10)）" in build_digest(session, plan=plan, now=clock.now()).text
    )
    off = deployment_plan(load_settings())
    assert "custody.missing" not in {r.kind for r in off.rules}

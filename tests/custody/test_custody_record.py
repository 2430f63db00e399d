"""Custody records (5(10)): what is kept, who may change it, and that no secret is ever stored."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.custody import service as custody
from bot.custody.cli import custody_csv
from bot.custody.models import CustodyMedium, CustodyRecord
from bot.errors import PermissionDenied, ValidationFailed
from bot.notify.models import OutboxMessage

SECRET = "Kanko#2027spring"


def _all_text(session) -> str:
    """Every stored value of the tables a custody change writes, as one string."""
    parts: list[str] = []
    for table in ("custody_records", "custody_media", "audit_events", "outbox", "account_events"):
        for row in session.execute(sa.text(f"SELECT * FROM {table}")):
            parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_record_keeps_who_where_and_when_and_flags_personal_recovery(session, demo, clock):
    record = custody.update_record(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={
            "holder": "sato",
            "recovery_email": "sato.private@gmail.com",
            "recovery_phone": "090-1234-5678",
            "twofa": "on",
            "twofa_method": "アプリ",
            "password_changed": "2027-03-01",
        },
        clock=clock,
    )
    assert record.holder.handle == "sato"
    assert record.recovery_email_personal and record.recovery_phone_personal
    assert record.twofa_enabled and record.twofa_method == "app"
    custody.update_record(
        session,
        actor=demo.yamada,
        code="kanko-x",
        values={
            "復旧用メールアドレス": "kanko-sns@city.example.lg.jp",
            "recovery_phone": "0263-34-3000",
        },
        clock=clock,
    )
    assert not record.recovery_email_personal and not record.recovery_phone_personal
    # The work address of one person is that person's, not the department's.
    custody.update_record(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={"recovery_email": "sato@example.jp"},
        clock=clock,
    )
    assert record.recovery_email_personal
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.like("custody.%")).order_by(AuditEvent.seq)
    ).all()
    assert [(e.action, e.actor) for e in events] == [
        ("custody.created", "sato"),
        ("custody.updated", "yamada"),
        ("custody.updated", "sato"),
    ]
    # The audit log names fields and flags, never the addresses themselves.
    assert "gmail" not in str(events[0].data) and "090" not in str(events[0].data)
    assert events[1].data["changed"] == ["recovery_email", "recovery_phone"]


def test_operator_without_management_role_cannot_change_custody(session, demo, clock):
    with pytest.raises(PermissionDenied) as exc:
        custody.update_record(
            session, actor=demo.suzuki, code="kanko-x", values={"twofa": "off"}, clock=clock
        )
    assert "5(10)" in exc.value.message
    assert session.scalar(sa.select(sa.func.count()).select_from(CustodyRecord)) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recovery_email", SECRET),
        ("twofa_method", SECRET),
        ("password_changed", "パスワード: " + SECRET),
        ("holder", SECRET),
    ],
)
def test_password_typed_into_a_record_field_is_refused_and_stored_nowhere(
    session, demo, clock, caplog, field, value
):
    caplog.set_level(logging.DEBUG)
    custody.update_record(
        session, actor=demo.sato, code="kanko-x", values={"twofa": "on"}, clock=clock
    )
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    with pytest.raises(ValidationFailed) as exc:
        custody.update_record(
            session, actor=demo.sato, code="kanko-x", values={field: value}, clock=clock
        )
    assert "認証情報" in exc.value.message and "保存していません" in str(exc.value.fields)
    assert SECRET not in exc.value.message and SECRET not in str(exc.value.fields)
    session.flush()
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
    assert SECRET not in _all_text(session)
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    "storage",
    [
        "金庫 暗証番号は4821",
        "書庫の封筒（リカバリーコード 4f9k-2m7q 8x3p-1z6w）",
        "PIN=4821 の金庫",
        "ABCD-1234-EFGH",
    ],
)
def test_secret_in_a_medium_field_is_refused_and_stored_nowhere(
    session, demo, clock, caplog, storage
):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ValidationFailed) as exc:
        custody.set_medium(
            session,
            actor=demo.sato,
            code="kanko-x",
            values={"label": "ICカード1", "kind": "ic_card", "holder": "sato", "storage": storage},
            clock=clock,
        )
    assert "storage" in exc.value.fields
    session.flush()
    assert session.scalar(sa.select(sa.func.count()).select_from(CustodyMedium)) == 0
    secret = storage.split()[-1].strip("）")
    assert secret not in _all_text(session) and secret not in caplog.text
    assert secret not in exc.value.message


def test_ordinary_storage_places_are_accepted(session, demo, clock):
    for label, storage in (
        ("ICカード1", "観光課 金庫（2段目）"),
        ("予備キー", "情報政策課 保管庫 No.3"),
    ):
        medium = custody.set_medium(
            session,
            actor=demo.sato,
            code="kanko-x",
            values={"label": label, "kind": "security_key", "holder": "suzuki", "storage": storage},
            clock=clock,
        )
        assert medium.storage == storage and medium.holder.handle == "suzuki"


def test_internal_audit_csv_has_bom_and_current_state(session, demo, clock):
    custody.update_record(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={
            "holder": "sato",
            "recovery_email": "kanko-sns@city.example.lg.jp",
            "twofa": "off",
            "password_changed": "2027-03-01",
        },
        clock=clock,
    )
    custody.set_medium(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={
            "label": "ICカード1",
            "kind": "ic_card",
            "holder": "sato",
            "storage": "観光課 金庫",
        },
        clock=clock,
    )
    out = custody_csv(session)
    assert out.startswith("\ufeffアカウント,")
    lines = out.lstrip("\ufeff").split("\r\n")
    row = next(line for line in lines if line.startswith("kanko-x,"))
    assert "佐藤 美咲（sato）" in row and "kanko-sns@city.example.lg.jp,いいえ" in row
    assert ",off," in row and "2027年3月1日" in row and "ICカード1［ICカード］" in row
    assert next(line for line in lines if line.startswith("kanko-insta,")).count(",") == 14


def test_confirmation_is_audited(session, demo, clock):
    custody.update_record(
        session,
        actor=demo.sato,
        code="kanko-x",
        values={"twofa": "on", "twofa_method": "sms"},
        clock=clock,
    )
    record = custody.confirm(session, actor=demo.yamada, code="kanko-x", clock=clock)
    assert record.confirmed_by.handle == "yamada" and record.confirmed_at == clock.now()
    assert (
        session.scalar(sa.select(AuditEvent.actor).where(AuditEvent.action == "custody.confirmed"))
        == "yamada"
    )
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) >= 0

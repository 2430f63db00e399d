"""Helpers shared by the registry tests."""

from __future__ import annotations

import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.directory.models import Account
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage


def form(**overrides: str) -> dict[str, str]:
    values = {
        "code": "kankou-x",
        "department": "kankou",
        "organisation": "松本市 産業振興部 観光課",
        "purpose": "観光イベントの情報を市民・観光客に迅速に届けるため",
        "information": "イベント、観光施設、季節の見どころ",
        "response": "コメントには原則として個別に返信しません",
        "media": "X",
        "name": "松本市観光課",
        "url": "https://x.com/matsumoto_kankou",
        "start_date": "2026-04-01",
        "manager": "sato",
        "operators": "suzuki, tanaka",
    }
    values.update(overrides)
    return values


def counts(session) -> dict[str, int]:
    """Row counts a refused request must leave unchanged."""
    from bot.accounts.models import (
        AccountCheck,
        AccountEvent,
        AccountPolicy,
        AccountRegistration,
        ExemptionRuleHistory,
    )
    from bot.directory.models import ExemptionRule

    models = [
        Account,
        AccountPolicy,
        AccountRegistration,
        AccountEvent,
        AccountCheck,
        ExemptionRule,
        ExemptionRuleHistory,
        AuditEvent,
        OutboxMessage,
    ]
    out = {m.__name__: session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}
    out["statuses"] = tuple(session.scalars(sa.select(Account.status).order_by(Account.id)))
    return out


def outbox(
    session, *, to: str | None = None, kind: str | None = None
) -> list[tuple[OutboxMessage, OutMessage]]:
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        stmt = stmt.where(OutboxMessage.recipient_key == to)
    rows = [(r, OutMessage.from_dict(r.message)) for r in session.scalars(stmt)]
    return [(r, m) for r, m in rows if kind is None or m.kind == kind]


def audit_actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))

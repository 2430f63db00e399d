"""What the cross-tenant tests share (console, Slack-neutral core, Teams): tenant B's
seeded items, the commands and buttons that name them, and how replies are compared.

Tenants A and B load the same demo directory (the same handles and account codes); B has
drafts (pending, published), an incident, a reminder and an account code A does not have.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db import Base
from bot.directory.models import Account, Department, Person
from bot.incidents import service as incidents
from bot.incidents.models import IncidentEvent
from bot.scheduler.models import Reminder
from bot.tenancy import ensure_tenant, for_tenant
from handlers.console.testing import TestBot

NOWHERE = 987654  # an id no tenant has


def snapshot(factory, tenant: str) -> dict[str, list[tuple]]:
    """Every row of ``tenant`` in every tenant table (read past the ORM scoping)."""
    with factory() as s:
        return {
            t.name: sorted(
                tuple(str(v) for v in row)
                for row in s.execute(sa.select(t).where(t.c.tenant_id == tenant))
            )
            for t in Base.metadata.sorted_tables
            if "tenant_id" in t.c
        }


def seed_city_b(factory: sessionmaker[Session], clock: Clock) -> dict[str, int]:
    """Tenants "town-a" and "city-b"; B with the demo directory and its items: their ids."""
    with factory() as s, s.begin():
        ensure_tenant(s, tenant_id="town-a", name="A町", clock=clock)
        ensure_tenant(s, tenant_id="city-b", name="B市", clock=clock)
    fb = for_tenant(factory, "city-b")
    b = TestBot(fb, clock=clock)  # seeds the demo directory into B
    b.push("sato", "/draft account=kanko-x planned=2026-12-01T10:00 桜まつりを4月5日に開催します。")
    pending = b.pop("sato").draft_id
    b.push("sato", "/draft account=kanko-x planned=2026-12-02T10:00 紅葉まつりを開催します。")
    published = b.pop("sato").draft_id
    b.push("yamada", f"/approve {published}")
    b.push("sato", f"/published {published} https://x.com/midori_kanko_demo/status/9")
    with fb() as s, s.begin():
        sato = s.scalars(sa.select(Person).where(Person.handle == "sato")).one()
        incident = incidents.declare(
            s, type="炎上", account_code="kanko-x", actor=sato, summary="批判が集まっています"
        )
        dept = s.scalars(sa.select(Department)).first()
        s.add(
            Account(
                code="b-only",
                name="B市だけの広報",
                media="X",
                url="https://x.com/b_only_demo",
                department_id=dept.id,
            )
        )
        now = clock.now()
        reminder = Reminder(
            item_type="draft",
            item_id=pending,
            kind="approval.pending",
            anchor_at=now,
            occurrence=0,
            recipient_kind="person",
            recipient_key="yamada",
            created_at=now,
            due_at=now,
        )
        s.add(reminder)
        s.flush()
        ids = {
            "pending": pending,
            "published": published,
            "incident": incident.id,
            "event": s.scalars(
                sa.select(IncidentEvent.id).where(IncidentEvent.incident_id == incident.id)
            ).first(),
            "reminder": reminder.id,
        }
    return ids


# (user of A, command with {pending}, {published}, {incident}, {event}, {reminder}, {code})
COMMANDS = [
    ("yamada", "/approve {pending}"),
    ("yamada", "/changes {pending} 日付を確認してください"),
    ("yamada", "/reject {pending} 掲載の時期ではありません"),
    ("sato", "/edit {pending} 桜まつりは4月6日です。"),
    ("sato", "/withdraw {pending}"),
    ("sato", "/published {pending} https://x.com/midori_kanko_demo/status/1"),
    ("sato", "/report {published} 予定どおり掲載しました"),
    ("yamada", "/ack {published}"),
    ("yamada", "/snooze {reminder} 30"),
    ("watanabe", "/incident show {incident}"),
    ("watanabe", "/incident update {incident} 対応中です"),
    ("watanabe", "/incident status {incident} 収束"),
    ("watanabe", "/incident tick {incident} 1"),
    ("watanabe", "/incident close {incident} 収束しました"),
    ("watanabe", "/incident edit {event} 書き換え"),
    ("watanabe", "/incident respond {incident} 説明 ご説明します"),
    ("sato", "/draft account={code} 本文です。"),
    ("watanabe", "/account show {code}"),
    ("watanabe", "/account edit {code} name=乗っ取り"),
    ("watanabe", "/account submit {code}"),
    ("takahashi", "/account confirm {code}"),
    ("takahashi", "/account return {code} 不備があります"),
    ("yamada", "/account rule {code} ア 本文"),
    ("yamada", "/account check {code} 5(4)"),
    ("watanabe", "/account manager {code} sato"),
    ("watanabe", "/account operators {code} sato"),
    ("watanabe", "/account suspend {code} 休止します"),
    ("watanabe", "/custody show {code}"),
    ("watanabe", "/custody set {code} holder=sato"),
    ("watanabe", "/custody confirm {code}"),
]

# (user of A, action id, value with B's ids, inputs)
ACTIONS = [
    ("yamada", "draft.approve", {"draft_id": "pending", "version": 1}, {}),
    ("yamada", "draft.reject", {"draft_id": "pending", "version": 1}, {"reason": "不可"}),
    ("yamada", "draft.request_changes", {"draft_id": "pending", "version": 1}, {"reason": "修正"}),
    ("sato", "draft.publish", {"draft_id": "pending"}, {"url": "https://x.com/a/status/1"}),
    ("sato", "draft.report", {"draft_id": "published"}, {"url": "", "note": "掲載しました"}),
    ("sato", "draft.edit", {"draft_id": "pending"}, {}),
    ("yamada", "report.acknowledge", {"draft_id": "published"}, {}),
    ("watanabe", "incident.update", {"incident_id": "incident"}, {"reason": "対応中"}),
    ("watanabe", "incident.close", {"incident_id": "incident"}, {"reason": "終了"}),
    ("watanabe", "incident.status", {"incident_id": "incident", "status": "収束"}, {}),
    ("watanabe", "incident.toggle", {"incident_id": "incident", "item": "1"}, {}),
    ("watanabe", "incident.respond", {"incident_id": "incident"}, {"purpose": "説明", "text": "x"}),
    ("watanabe", "incident.open_thread", {"incident_id": "incident"}, {}),
    ("yamada", "reminder.snooze", {"reminder_id": "reminder", "minutes": 30}, {}),
    ("takahashi", "account.confirm", {"registration": "pending"}, {}),
    ("takahashi", "account.return", {"registration": "pending"}, {"reason": "不備"}),
    ("watanabe", "custody.confirm", {"account": "code"}, {}),
    ("watanabe", "custody.edit", {"account": "code"}, {}),
]


def normalised(text: str, ids: dict[str, int]) -> str:
    for n in sorted({str(v) for v in ids.values()} | {str(NOWHERE)}, key=len, reverse=True):
        text = re.sub(rf"(?<!\d){n}(?!\d)", "N", text)
    return text.replace("b-only", "CODE").replace("zz-none", "CODE")

"""Acting as a user of tenant A against tenant B's ids: nothing is found, nothing changes.

Two tenants with the same demo directory (the same handles and account codes). B has
drafts (pending, published), an incident, a reminder and an account code A does not have.
Users of A then try every console command, every button family and every export with B's
ids. Each attempt must get exactly the reply it gets for an id that exists nowhere (the
normal Japanese "not found", no hint that the id is in use elsewhere); B's rows, its
outbox and its audit chain stay as they were, and nobody is notified.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from bot.accounts.publish import published_accounts
from bot.actions import run_action
from bot.audit import verify
from bot.audit.models import AuditEvent
from bot.audit.service import export, iter_events
from bot.db import Base
from bot.directory.models import Account, Department, Person
from bot.drafts.models import Draft
from bot.errors import NotFound
from bot.incidents import service as incidents
from bot.incidents.models import Incident, IncidentEvent
from bot.interaction import Actor
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from bot.tenancy import ensure_tenant, for_tenant
from handlers.console.testing import TestBot

NOWHERE = 987654  # an id no tenant has


def _snapshot(factory, tenant: str) -> dict[str, list[tuple]]:
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


@pytest.fixture
def world(factory, clock):
    with factory() as s, s.begin():
        ensure_tenant(s, tenant_id="town-a", name="A町", clock=clock)
        ensure_tenant(s, tenant_id="city-b", name="B市", clock=clock)
    fa, fb = for_tenant(factory, "town-a"), for_tenant(factory, "city-b")
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
    a = TestBot(fa, clock=clock)  # A's own demo directory: same handles, same codes
    a.clear()
    return fa, fb, ids, a


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


def _normalised(text: str, ids: dict[str, int]) -> str:
    for n in sorted({str(v) for v in ids.values()} | {str(NOWHERE)}, key=len, reverse=True):
        text = re.sub(rf"(?<!\d){n}(?!\d)", "N", text)
    return text.replace("b-only", "CODE").replace("zz-none", "CODE")


def test_every_command_against_another_citys_ids_finds_nothing(world, factory, clock):
    _fa, _fb, ids, a = world
    before = _snapshot(factory, "city-b")
    tried = 0
    for user, line in COMMANDS:
        theirs = line.format(code="b-only", **ids)
        nowhere = line.format(code="zz-none", **dict.fromkeys(ids, NOWHERE))
        a.push(user, theirs)
        got = a.pop(user)
        a.push(user, nowhere)
        expected = a.pop(user)
        assert re.search("見つかりません|登録されていません", str(got)), (theirs, str(got))
        assert _normalised(str(got), ids) == _normalised(str(expected), ids), theirs
        assert a.pending(user) == [], theirs  # nothing more than the reply
        tried += 1
    # Nobody in A was notified of anything either.
    assert {k: v for k, v in a.queues.items() if v} == {}
    assert tried == len(COMMANDS) == 30
    assert _snapshot(factory, "city-b") == before


def test_every_button_against_another_citys_ids_is_refused(world, factory, clock):
    fa, _fb, ids, _a = world
    before = _snapshot(factory, "city-b")
    failures, tried = [], 0
    for user, action_id, value, inputs in ACTIONS:

        def filled(v, lookup):
            return {
                k: lookup(x) if isinstance(x, str) and x in ids | {"code": 0} else x
                for k, x in v.items()
            }

        theirs = filled(value, lambda x: "b-only" if x == "code" else ids[x])
        nowhere = filled(value, lambda x: "zz-none" if x == "code" else NOWHERE)
        got = run_action(
            fa,
            actor=Actor("console", user),
            action_id=action_id,
            value=theirs,
            inputs=inputs,
            clock=clock,
        )
        expected = run_action(
            fa,
            actor=Actor("console", user),
            action_id=action_id,
            value=nowhere,
            inputs=inputs,
            clock=clock,
        )
        if got.ok or _normalised(str(got.message), ids) != _normalised(str(expected.message), ids):
            failures.append((action_id, got, expected))
        tried += 1
    assert failures == []
    assert tried == len(ACTIONS) == 18
    assert _snapshot(factory, "city-b") == before
    with fa() as s:
        assert s.scalars(sa.select(OutboxMessage)).all() == []


def test_exports_of_a_city_hold_only_its_own_rows(world, factory, clock):
    fa, fb, ids, _a = world
    with fb() as b:
        b_hashes = set(b.scalars(sa.select(AuditEvent.hash)))
        b_head = b.scalars(sa.select(AuditEvent.hash).order_by(AuditEvent.seq.desc())).first()
        assert verify(b) == []
    with fa() as s:
        # incident export (python -m bot incident export N --tenant town-a)
        with pytest.raises(NotFound, match="見つかりません"):
            incidents.get(s, incident_id=ids["incident"])
        assert s.get(Incident, ids["incident"]) is None
        assert s.get(Draft, ids["pending"]) is None
        # audit export: A's own chain only
        out = export(iter_events(s), "json")
        assert not any(h in out for h in b_hashes)
        # the published list of confirmed accounts
        assert "B市だけの広報" not in {p.name for p in published_accounts(s)}
    with fb() as b:
        assert verify(b) == []
        assert (
            b.scalars(sa.select(AuditEvent.hash).order_by(AuditEvent.seq.desc())).first() == b_head
        )

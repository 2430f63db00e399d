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
from bot.drafts.models import Draft
from bot.errors import NotFound
from bot.incidents import service as incidents
from bot.incidents.models import Incident
from bot.interaction import Actor
from bot.notify.models import OutboxMessage
from bot.tenancy import for_tenant
from handlers.console.testing import TestBot
from tests.tenancy.crosstenant import ACTIONS, COMMANDS, NOWHERE, normalised, seed_city_b, snapshot


@pytest.fixture
def world(factory, clock):
    ids = seed_city_b(factory, clock)
    fa, fb = for_tenant(factory, "town-a"), for_tenant(factory, "city-b")
    a = TestBot(fa, clock=clock)  # A's own demo directory: same handles, same codes
    a.clear()
    return fa, fb, ids, a


def test_every_command_against_another_citys_ids_finds_nothing(world, factory, clock):
    _fa, _fb, ids, a = world
    before = snapshot(factory, "city-b")
    tried = 0
    for user, line in COMMANDS:
        theirs = line.format(code="b-only", **ids)
        nowhere = line.format(code="zz-none", **dict.fromkeys(ids, NOWHERE))
        a.push(user, theirs)
        got = a.pop(user)
        a.push(user, nowhere)
        expected = a.pop(user)
        assert re.search("見つかりません|登録されていません", str(got)), (theirs, str(got))
        assert normalised(str(got), ids) == normalised(str(expected), ids), theirs
        assert a.pending(user) == [], theirs  # nothing more than the reply
        tried += 1
    # Nobody in A was notified of anything either.
    assert {k: v for k, v in a.queues.items() if v} == {}
    assert tried == len(COMMANDS) == 30
    assert snapshot(factory, "city-b") == before


def test_every_button_against_another_citys_ids_is_refused(world, factory, clock):
    fa, _fb, ids, _a = world
    before = snapshot(factory, "city-b")
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
        if got.ok or normalised(str(got.message), ids) != normalised(str(expected.message), ids):
            failures.append((action_id, got, expected))
        tried += 1
    assert failures == []
    assert tried == len(ACTIONS) == 18
    assert snapshot(factory, "city-b") == before
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

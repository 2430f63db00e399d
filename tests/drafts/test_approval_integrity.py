"""Approval integrity (W2): only approvers decide, never on their own draft, exactly once,
on the current version; replays and races change nothing."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.audit import verify
from bot.audit.models import AuditEvent
from bot.clock import FakeClock
from bot.db import make_engine, make_sessionmaker, transaction
from bot.directory import service as directory
from bot.directory.loader import DEMO_FILE, load_file
from bot.drafts import api
from bot.drafts import service as drafts
from bot.drafts.models import Decision, Draft
from bot.errors import InvalidTransition, PermissionDenied
from bot.interaction import Actor

TEXT = "みどり市の紅葉ライトアップは11月30日まで開催中です。"


def _audit_count(session):
    return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def _decisions(session):
    return session.scalar(sa.select(sa.func.count()).select_from(Decision))


@pytest.fixture
def pending(session, demo, clock):
    return drafts.submit(
        session, author=demo.sato, account_code="kanko-x", text=TEXT, clock=clock
    ).draft


def test_non_approver_cannot_decide(session, demo, clock, pending):
    before = _audit_count(session)
    for handle in ("suzuki", "takahashi", "ito"):
        with pytest.raises(PermissionDenied) as err:
            drafts.decide(
                session,
                decider=demo.people[handle],
                draft_id=pending.id,
                kind="approve",
                clock=clock,
            )
        assert "観光課の所属長" in err.value.message and "4(3)" in err.value.message
    session.refresh(pending)
    assert pending.state == "pending_approval"
    assert _decisions(session) == 0 and _audit_count(session) == before


def test_deputy_outside_the_delegation_period_cannot_decide(session, demo, pending):
    before_delegation = FakeClock(datetime(2026, 3, 31, 1, 0, tzinfo=UTC))
    with pytest.raises(PermissionDenied):
        drafts.decide(
            session, decider=demo.kato, draft_id=pending.id, kind="approve", clock=before_delegation
        )


def test_author_who_is_a_deputy_cannot_decide_own_draft(session, demo, clock):
    account = directory.get_account(session, code="kanko-x")
    account.operators.append(demo.kato)
    session.flush()
    result = drafts.submit(
        session, author=demo.kato, account_code="kanko-x", text=TEXT, clock=clock
    )
    assert [p.handle for p in result.approvers] == ["yamada"]  # not asked to approve own draft
    with pytest.raises(PermissionDenied) as err:
        drafts.decide(
            session, decider=demo.kato, draft_id=result.draft.id, kind="approve", clock=clock
        )
    assert "あなたが作成した" in err.value.message
    assert _decisions(session) == 0


def test_stale_version_after_edit_changes_nothing(session, demo, clock, pending):
    drafts.edit(
        session, author=demo.sato, draft_id=pending.id, text=TEXT + "入場無料。", clock=clock
    )
    before = _audit_count(session)
    with pytest.raises(InvalidTransition) as err:
        drafts.decide(
            session,
            decider=demo.yamada,
            draft_id=pending.id,
            kind="approve",
            version=1,
            clock=clock,
        )
    assert "第1版" in err.value.message and "第2版" in err.value.message
    assert "何も変更していません" in err.value.message
    session.refresh(pending)
    assert (pending.state, pending.current_version) == ("pending_approval", 2)
    assert _decisions(session) == 0 and _audit_count(session) == before


def test_second_decision_and_replay_change_nothing(session, demo, clock, pending):
    drafts.decide(
        session, decider=demo.yamada, draft_id=pending.id, kind="approve", version=1, clock=clock
    )
    before = _audit_count(session)
    # The deputy clicks a second later; the head's button press is replayed.
    with pytest.raises(InvalidTransition) as err:
        drafts.decide(
            session,
            decider=demo.kato,
            draft_id=pending.id,
            kind="reject",
            version=1,
            reason="x",
            clock=clock,
        )
    assert "既に山田 花子（yamada）が" in err.value.message and "承認" in err.value.message
    with pytest.raises(InvalidTransition):
        drafts.decide(
            session,
            decider=demo.yamada,
            draft_id=pending.id,
            kind="approve",
            version=1,
            clock=clock,
        )
    session.refresh(pending)
    assert pending.state == "approved"
    assert _decisions(session) == 1 and _audit_count(session) == before


def test_replayed_button_through_the_facade(factory, demo, clock, pending, session):
    session.commit()  # the nested factory sessions see the fixture's data
    actor = Actor("console", "yamada")
    value = {"draft_id": pending.id, "version": 1}
    first = api.handle_action(
        factory, actor=actor, action_id="draft.approve", value=value, clock=clock
    )
    assert first.ok, first.message
    again = api.handle_action(
        factory, actor=actor, action_id="draft.approve", value=value, clock=clock
    )
    assert not again.ok and again.code == "invalid_transition"
    assert "既に" in again.message.title
    with factory() as s:
        assert _decisions(s) == 1


def test_unique_constraint_backs_the_conditional_update(session, demo, clock, pending):
    drafts.decide(session, decider=demo.yamada, draft_id=pending.id, kind="approve", clock=clock)
    version = drafts.current_version(session, draft=pending)
    with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
        session.add(
            Decision(
                draft_id=pending.id,
                version_id=version.id,
                decider_id=demo.kato.id,
                kind="reject",
                decided_at=clock.now(),
            )
        )
        session.flush()


# --- two processes race on PostgreSQL -----------------------------------------------------


def _race_worker(url, draft_id, handle, kind, when, barrier, results):
    factory = make_sessionmaker(make_engine(url))
    barrier.wait(timeout=60)
    reply = api.decide(
        factory,
        actor=Actor("console", handle),
        draft_id=draft_id,
        kind=kind,
        version=1,
        reason="再検討してください" if kind != "approve" else None,
        clock=FakeClock(when),
    )
    results.put((handle, reply.ok, reply.message.title))


@pytest.mark.postgres_only
def test_two_processes_racing_exactly_one_wins(committed_factory, backend, engine, clock):
    if backend != "postgresql":
        pytest.skip("two processes racing on one row needs PostgreSQL")
    with transaction(committed_factory) as s:
        load_file(s, path=DEMO_FILE, clock=clock)
    with transaction(committed_factory) as s:
        author = directory.get_person(s, handle="sato")
        draft_id = drafts.submit(
            s, author=author, account_code="kanko-x", text=TEXT, clock=clock
        ).draft.id
    url = engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    rounds = []
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_race_worker, args=(url, draft_id, h, k, clock.now(), barrier, results))
        for h, k in (("yamada", "approve"), ("kato", "request_changes"))
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    rounds.append(outcomes)
    winners = [o for o in outcomes if o[1]]
    losers = [o for o in outcomes if not o[1]]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert "既に" in losers[0][2]
    with committed_factory() as s:
        assert _decisions(s) == 1
        draft = s.get(Draft, draft_id)
        assert draft.state == ("approved" if winners[0][0] == "yamada" else "changes_requested")
        assert verify(s) == []

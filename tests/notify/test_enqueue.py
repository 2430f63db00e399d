"""The outbox's one enqueue: ``enqueue`` and ``enqueue_many`` (dedupe, recipients, rows)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
import sqlalchemy as sa

from bot.directory.models import Person
from bot.notify.messages import Action, Field, FindingView, OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import Outgoing, enqueue, enqueue_many


def message(n: int = 1) -> OutMessage:
    return OutMessage(
        kind="test.message",
        title=f"お知らせ {n}",
        text="本文",
        fields=[Field("件名", "テスト")],
        findings=[FindingView("7(1)サ", "review", "部外秘", "確認してください", 3, 6, "r1")],
        actions=[Action("draft.approve", "承認", {"draft_id": n, "ids": [1, {"x": 2}]})],
        context="文脈",
        mentions=["sato"],
    )


@pytest.fixture
def person(session):
    row = Person(handle="sato", name="佐藤", active=True)
    session.add(row)
    session.flush()
    return row


def stored(session) -> list[OutboxMessage]:
    return session.scalars(
        sa.select(OutboxMessage)
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).all()


def test_to_dict_is_asdict():
    assert message().to_dict() == asdict(message())
    assert OutMessage.from_dict(message().to_dict()) == message()


def test_enqueue_many_returns_the_rows_it_inserted_in_item_order(session, person, clock):
    rows = enqueue_many(
        session,
        items=[
            Outgoing(message(1), to_person=person, dedupe_key="k1"),
            Outgoing(message(2), to_channel="info_policy"),
            Outgoing(message(3), to_person="sato", dedupe_key="k3"),
            Outgoing(message(4), to_channel="info_policy"),
        ],
        clock=clock,
    )

    assert [r.message["title"] for r in rows] == [
        "お知らせ 1",
        "お知らせ 2",
        "お知らせ 3",
        "お知らせ 4",
    ]
    assert [(r.recipient_kind, r.recipient_key) for r in rows] == [
        ("person", "sato"),
        ("channel", "info_policy"),
        ("person", "sato"),
        ("channel", "info_policy"),
    ]
    # The returned rows are what the database holds (ids, keys, message, status).
    in_db = {r.id: r for r in stored(session)}
    for row in rows:
        db = in_db[row.id]
        assert (db.dedupe_key, db.message, db.status, db.attempts) == (
            row.dedupe_key,
            row.message,
            "pending",
            0,
        )
        assert db.next_attempt_at == clock.now()


def test_a_used_dedupe_key_queues_nothing(session, person, clock):
    first = enqueue(session, message=message(1), to_person=person, dedupe_key="once", clock=clock)
    assert first is not None

    again = enqueue(session, message=message(2), to_person=person, dedupe_key="once", clock=clock)
    rows = enqueue_many(
        session,
        items=[
            Outgoing(message(3), to_person=person, dedupe_key="once"),
            Outgoing(message(4), to_person=person, dedupe_key="new"),
            Outgoing(message(5), to_person=person, dedupe_key="new"),  # same batch
        ],
        clock=clock,
    )

    assert again is None
    assert [r.message["title"] for r in rows] == ["お知らせ 4"]
    assert [r.message["title"] for r in stored(session)] == ["お知らせ 1", "お知らせ 4"]


def test_a_key_committed_by_another_transaction_queues_nothing(committed_factory, backend):
    if backend == "sqlite":
        pytest.skip("SQLite has one writer at a time (BEGIN IMMEDIATE): no interleaving")
    with committed_factory() as s, s.begin():
        s.add(Person(handle="sato", name="佐藤", active=True))
    with committed_factory() as late, late.begin():
        late.execute(sa.select(sa.literal(1)))  # this transaction started first
        with committed_factory() as early, early.begin():
            enqueue_many(early, items=[Outgoing(message(1), to_person="sato", dedupe_key="k")])
        rows = enqueue_many(late, items=[Outgoing(message(2), to_person="sato", dedupe_key="k")])
    assert rows == []
    with committed_factory() as s:
        assert [r.message["title"] for r in stored(s)] == ["お知らせ 1"]


def test_rows_can_be_threaded_on_and_updated(session, person, clock):
    root = enqueue(session, message=message(1), to_channel="info_policy", clock=clock)
    [reply, update] = enqueue_many(
        session,
        items=[
            Outgoing(message(2), to_channel="info_policy", thread_of=root),
            Outgoing(message(3), to_channel="info_policy", update_of=root.id),
        ],
        clock=clock,
    )
    assert (reply.thread_of_id, update.update_of_id) == (root.id, root.id)
    # The returned rows are ordinary persistent objects of the session.
    reply.attempts = 2
    session.flush()
    assert (
        session.scalar(sa.select(OutboxMessage.attempts).where(OutboxMessage.id == reply.id)) == 2
    )


@pytest.mark.parametrize(
    "item",
    [
        Outgoing(message()),
        Outgoing(message(), to_person="sato", to_channel="info_policy"),
        Outgoing(message(), to_person="nobody"),
    ],
    ids=["no recipient", "two recipients", "unknown handle"],
)
def test_bad_recipients_are_refused_and_nothing_is_queued(session, person, clock, item):
    good = Outgoing(message(), to_person=person)
    with pytest.raises(ValueError):
        enqueue_many(session, items=[good, item], clock=clock)
    assert stored(session) == []
    with pytest.raises(ValueError):
        enqueue(session, message=message(), clock=clock)


def test_nothing_to_enqueue(session):
    assert enqueue_many(session, items=[]) == []


def test_enqueue_without_flush_adds_the_row_for_the_callers_next_flush(session, person, clock):
    row = enqueue(session, message=message(1), to_person=person, clock=clock, flush=False)
    assert row.id is None  # nothing was sent to the database yet
    session.flush()
    assert row.id is not None
    assert [(r.id, r.message["title"]) for r in stored(session)] == [(row.id, "お知らせ 1")]

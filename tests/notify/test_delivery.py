"""Delivery when the database goes away between the platform's answer and the write.

``deliver_pending`` claims a message (committed), calls the platform with no transaction
open, then writes the outcome. If the database is gone by then, the outcome is kept in
the process and written first at the next delivery: the message is not sent again, and
later messages to the same conversation wait behind it. A process that died meanwhile
leaves the claim to run out; then another process sends the message (once more).
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from bot.notify import service
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.port import Address, SentRef
from bot.notify.service import IN_FLIGHT, PARENT_RECHECK, _wait, deliver_pending, enqueue


class Flaky:
    """A session factory whose database can be made unreachable."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.down = False

    @property
    def kw(self) -> dict[str, Any]:
        return self.factory.kw

    def __call__(self) -> Any:
        if self.down:
            raise sa.exc.OperationalError("connect", {}, ConnectionRefusedError("refused"))
        return self.factory()


class Recorder:
    """A console-platform notifier that records what it sent; ``during_send`` runs inside
    the platform call (after the platform accepted the message)."""

    platform = "console"

    def __init__(self, prefix: str = "m") -> None:
        self.prefix = prefix
        self.sent: list[str] = []
        self.during_send: Any = None

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        self.sent.append(message.title)
        if self.during_send is not None:
            self.during_send()
        return SentRef("console", to.target, f"{self.prefix}{len(self.sent)}")

    def update(self, ref: SentRef, message: OutMessage) -> None:
        raise AssertionError("not used")


def _status(session) -> list[tuple[str, str]]:
    return [
        (row.message["title"], row.status)
        for row in session.scalars(
            sa.select(OutboxMessage)
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    ]


@pytest.fixture
def queued(session, clock) -> None:
    for n in (1, 2):
        enqueue(
            session, message=OutMessage(kind="test", title=f"通知 {n}"), to_channel="c", clock=clock
        )
    session.commit()


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch) -> None:
    """This process's memory of unwritten outcomes, empty and for this test only."""
    monkeypatch.setattr(service, "_unrecorded", {})


def test_an_outcome_the_database_could_not_record_is_written_later_not_sent_again(
    session, factory, clock, queued
):
    flaky = Flaky(factory)
    notifier = Recorder()

    def database_goes_away() -> None:
        flaky.down = True
        notifier.during_send = None

    notifier.during_send = database_goes_away
    with pytest.raises(sa.exc.OperationalError):
        deliver_pending(flaky, notifier, clock=clock)
    assert notifier.sent == ["通知 1"]
    # Still pending, but claimed: nothing goes out while the database is away.
    assert _status(session) == [("通知 1", "pending"), ("通知 2", "pending")]
    with pytest.raises(sa.exc.OperationalError):
        deliver_pending(flaky, notifier, clock=clock)
    assert notifier.sent == ["通知 1"]

    flaky.down = False
    clock.advance(seconds=30)
    stats = deliver_pending(flaky, notifier, clock=clock)
    assert notifier.sent == ["通知 1", "通知 2"]  # the first once, then the second, in order
    assert stats.sent == 1
    assert _status(session) == [("通知 1", "sent"), ("通知 2", "sent")]
    first = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).first()
    assert first.sent_ref["message_id"] == "m1" and first.attempts == 1


def test_a_claimed_message_waits_for_its_claim_then_another_process_sends_it(
    session, factory, clock, queued
):
    flaky = Flaky(factory)
    notifier = Recorder()
    notifier.during_send = lambda: setattr(flaky, "down", True)
    with pytest.raises(sa.exc.OperationalError):
        deliver_pending(flaky, notifier, clock=clock)
    flaky.down = False
    # The process that sent it died: its memory of the outcome is gone.
    service._unrecorded.clear()
    other = Recorder()
    clock.advance(seconds=60)
    deliver_pending(factory, other, clock=clock)
    assert other.sent == []  # claimed, and the second message waits behind it
    clock.advance(seconds=IN_FLIGHT.total_seconds())
    deliver_pending(factory, other, clock=clock)
    assert other.sent == ["通知 1", "通知 2"]
    assert _status(session) == [("通知 1", "sent"), ("通知 2", "sent")]


def test_an_outcome_kept_past_its_claim_is_not_written_over_another_process(
    session, factory, clock, queued
):
    flaky = Flaky(factory)
    notifier = Recorder()
    notifier.during_send = lambda: setattr(flaky, "down", True)
    with pytest.raises(sa.exc.OperationalError):
        deliver_pending(flaky, notifier, clock=clock)
    kept = dict(service._unrecorded)
    service._unrecorded.clear()  # another process, after the claim ran out, sends it
    flaky.down = False
    clock.advance(seconds=IN_FLIGHT.total_seconds() + 1)
    other = Recorder("o")
    deliver_pending(factory, other, clock=clock)
    assert other.sent == ["通知 1", "通知 2"]
    service._unrecorded.update(kept)  # the first process comes back with its old outcome
    notifier.during_send = None
    deliver_pending(flaky, notifier, clock=clock)
    rows = session.scalars(
        sa.select(OutboxMessage)
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ).all()
    assert [r.sent_ref["message_id"] for r in rows] == ["o1", "o2"]  # the other process's
    assert [r.attempts for r in rows] == [1, 1]


def test_a_reply_waiting_for_a_root_in_flight_elsewhere_looks_again_soon(session, clock):
    """The thread root is being sent by another process (claimed for IN_FLIGHT): the reply
    waits for it, but not for the whole claim."""
    root = enqueue(
        session, message=OutMessage(kind="test", title="根"), to_channel="c", clock=clock
    )
    reply = enqueue(
        session,
        message=OutMessage(kind="test", title="返信"),
        to_channel="d",
        thread_of=root,
        clock=clock,
    )
    assert root is not None and reply is not None
    root.next_attempt_at = clock.now() + IN_FLIGHT  # another process's claim
    session.commit()
    _wait(reply, clock.now(), "thread root not delivered yet", parent=root)
    assert reply.next_attempt_at == clock.now() + PARENT_RECHECK

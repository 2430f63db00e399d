"""The database-backed Deduper: the unique key decides, across processes."""

from __future__ import annotations

from datetime import timedelta

from bot.dedupe import DbDeduper


def test_claim_once_release_and_expiry(factory, clock):
    deduper = DbDeduper(factory, ttl=timedelta(minutes=10), clock=clock)
    assert deduper.claim("event:T1:Ev1")
    assert not deduper.claim("event:T1:Ev1")
    deduper.release("event:T1:Ev1")
    assert deduper.claim("event:T1:Ev1")
    clock.advance(minutes=11)
    assert deduper.claim("event:T1:Ev1")  # the old claim expired
    assert deduper.claim("event:T1:Ev2")
    clock.advance(minutes=11)
    assert deduper.purge() == 2


def test_two_processes_one_winner(committed_factory, clock):
    first = DbDeduper(committed_factory, clock=clock)
    second = DbDeduper(committed_factory, clock=clock)
    assert [first.claim("view:V1:h:x"), second.claim("view:V1:h:x")] == [True, False]

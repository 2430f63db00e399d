"""The database-backed Deduper: the unique key decides, across processes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

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


def test_a_claim_the_database_outage_kept_from_being_released_does_not_block_the_retry(
    factory, clock
):
    """The database went away between the claim and the work: the release failed too, and
    the same submission made again once it is back goes through (it is not a repeat)."""

    class Flaky:
        down = False
        kw = factory.kw

        def __call__(self):
            if self.down:
                raise sa.exc.OperationalError("connect", {}, ConnectionRefusedError("refused"))
            return factory()

    flaky = Flaky()
    deduper = DbDeduper(flaky, clock=clock)  # type: ignore[arg-type]
    assert deduper.claim("view:V1:h1:abc")
    flaky.down = True
    with pytest.raises(sa.exc.OperationalError):
        deduper.release("view:V1:h1:abc")
    flaky.down = False
    assert deduper.claim("view:V1:h1:abc")  # the retry after the outage
    assert not deduper.claim("view:V1:h1:abc")  # and from then on a repeat is a repeat

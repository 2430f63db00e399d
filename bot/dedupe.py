"""Database-backed idempotency keys, shared by every web process of a deployment.

Chat platforms re-deliver requests (Slack's ``X-Slack-Retry-Num``) and people double-submit
forms. An adapter *claims* a key before acting: the first claim inserts a row and wins;
any later claim of the same key hits the unique key and loses, in whichever process it
runs. The database settles the race, never a read followed by a write. Keys expire, so a
table of old keys can be purged and a key may be reused after its TTL.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.clock import Clock, SystemClock
from bot.db import Base

DEFAULT_TTL = timedelta(hours=1)
KEY_MAX = 200


class IdempotencyKey(Base):
    """A claimed key (e.g. ``event:T1:Ev123``) and when it may be forgotten."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(sa.String(KEY_MAX), primary_key=True)
    claimed_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class DbDeduper:
    """``Deduper`` (claim / release) on the ``idempotency_keys`` table."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        ttl: timedelta = DEFAULT_TTL,
        clock: Clock | None = None,
    ) -> None:
        self.factory = factory
        self.ttl = ttl
        self.clock = clock or SystemClock()
        # Keys this process claimed and then failed to release (the database went away
        # after the claim, before the work): the next claim of such a key replaces the
        # stale claim, so the same submission made again after the outage goes through
        # instead of being taken for a repeat. (One process's memory: a repeat that
        # reaches another web process still waits for the TTL.)
        self._unreleased: set[str] = set()
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict) -> DbDeduper:
        # Adapters' frameworks may deep-copy request context; a service object is shared.
        return self

    def claim(self, key: str) -> bool:
        """Record ``key``; True if this call was first (or the old claim expired)."""
        if not key or len(key) > KEY_MAX:
            raise ValueError(f"idempotency key must be 1..{KEY_MAX} characters")
        now = self.clock.now()
        with self._lock:
            stale = key in self._unreleased
        try:
            with self.factory() as session, session.begin():
                # An expired claim no longer counts, nor one this process failed to
                # release; delete it in the same transaction.
                gone = IdempotencyKey.key == key
                if not stale:
                    gone = gone & (IdempotencyKey.expires_at <= now)
                session.execute(sa.delete(IdempotencyKey).where(gone))
                session.add(IdempotencyKey(key=key, claimed_at=now, expires_at=now + self.ttl))
                session.flush()
        except IntegrityError:
            return False
        with self._lock:
            self._unreleased.discard(key)
        return True

    def release(self, key: str) -> None:
        """Forget ``key`` so that a failed or rejected attempt may be made again."""
        try:
            with self.factory() as session, session.begin():
                session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.key == key))
        except Exception:
            with self._lock:
                self._unreleased.add(key)
            raise
        with self._lock:
            self._unreleased.discard(key)

    def purge(self) -> int:
        """Delete expired keys; returns how many."""
        with self.factory() as session, session.begin():
            result = session.execute(
                sa.delete(IdempotencyKey).where(IdempotencyKey.expires_at <= self.clock.now())
            )
            return int(getattr(result, "rowcount", 0) or 0)

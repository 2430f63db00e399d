"""Idempotency for Slack deliveries: Events API retries and repeated view submissions.

Slack re-sends an Events API request (with ``X-Slack-Retry-Num``) when it did not see a 2xx
within 3 seconds, up to three times, over about five minutes. Bolt does not deduplicate them.
Every event carries an ``event_id`` that stays the same across retries, so the first delivery
*claims* ``event:<team>:<event_id>`` once its signature is verified, and a later delivery of the
same id is acknowledged with 200 and dropped before any listener runs.

View submissions are not retried by Slack, but a double click or a flaky network can submit
the same modal twice. :func:`view_submission_key` builds a key from the view id, Slack's view
hash and a digest of the submitted values; the listener claims it before creating anything and
releases it again when the submission is rejected (validation errors), so a corrected resubmit
goes through.

The in-memory implementation protects one process. With several web processes the core
provides a database-backed `Deduper` whose ``claim`` is an INSERT into a table with a unique
key (the database decides the race, never check-then-write in Python).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

logger = logging.getLogger(__name__)

# Slack's last retry comes about 5 minutes after the first delivery; keep keys well past it.
DEFAULT_TTL_SECONDS = 60 * 60


@runtime_checkable
class Deduper(Protocol):
    """Remembers keys so that the same delivery is acted on once."""

    def claim(self, key: str) -> bool:
        """Record ``key``; True if this call was first, False if it was already claimed."""
        ...

    def release(self, key: str) -> None:
        """Forget ``key`` so that a failed or rejected attempt may be made again."""
        ...


class InMemoryDeduper:
    """Thread-safe, TTL-bounded and size-bounded `Deduper` for a single process."""

    def __init__(
        self,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max_keys = max_keys
        self._clock = clock
        self._expires: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict) -> InMemoryDeduper:
        # Bolt deep-copies the context for lazy listeners; the key store must be shared.
        return self

    def claim(self, key: str) -> bool:
        """Record ``key``; True if this call was first, False if it was already claimed."""
        now = self._clock()
        with self._lock:
            expires = self._expires.get(key)
            if expires is not None and expires > now:
                return False
            self._expires.pop(key, None)
            self._evict(now, room=1)
            self._expires[key] = now + self._ttl
            return True

    def release(self, key: str) -> None:
        """Forget ``key`` so that a failed or rejected attempt may be made again."""
        with self._lock:
            self._expires.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            self._evict(self._clock(), room=0)
            return len(self._expires)

    def _evict(self, now: float, *, room: int) -> None:
        # Insertion order equals expiry order because the TTL is constant, so expired keys
        # and, past the size bound, the oldest keys are all at the front.
        while self._expires:
            key, expires = next(iter(self._expires.items()))
            if expires > now and len(self._expires) + room <= self._max_keys:
                break
            del self._expires[key]


# Keys longer than this (or with other characters than an id's) are stored as a digest, so
# that no delivery can make the database deduper refuse its key (bot.dedupe.KEY_MAX).
_PLAIN_KEY = re.compile(r"[A-Za-z0-9._:-]{1,120}")


def _bounded(key: str) -> str:
    if _PLAIN_KEY.fullmatch(key):
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def event_key(body: Mapping[str, Any]) -> str | None:
    """The dedupe key of an Events API delivery, or None for other payload types."""
    if body.get("type") != "event_callback":
        return None
    event_id = body.get("event_id")
    if not event_id:
        return None
    return _bounded(f"event:{body.get('team_id') or '-'}:{event_id}")


def view_submission_key(body: Mapping[str, Any]) -> str:
    """Idempotency key of a view submission: view id, view hash and a digest of the values."""
    view = body.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}
    digest = hashlib.sha256(
        json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()[:32]
    return _bounded(f"view:{view.get('id', '-')}:{view.get('hash', '-')}:{digest}")


@contextmanager
def claimed(deduper: Deduper, key: str) -> Iterator[bool]:
    """Claim ``key`` for the block; yields False for a repeat. Released again on an exception.

    A listener that rejects the submission (validation errors) releases the key itself, so
    that the corrected form can be submitted::

        with claimed(deduper, view_submission_key(body)) as first:
            if not first:
                ack()  # the same submission again: already handled
                return
            ...
    """
    first = deduper.claim(key)
    try:
        yield first
    except BaseException:
        if first:
            deduper.release(key)
        raise


def retry_num(request: BoltRequest) -> int:
    """Value of X-Slack-Retry-Num (0 on a first delivery)."""
    values = request.headers.get("x-slack-retry-num") or []
    try:
        return int(values[0]) if values else 0
    except ValueError:
        return 0


def build_event_dedupe_middleware(deduper: Deduper) -> Callable[..., BoltResponse | None]:
    """Global Bolt middleware: ack and drop a repeated delivery of an already accepted event.

    Bolt runs it after request verification, so forged requests never reach the deduper.
    """

    def dedupe_events(request: BoltRequest, body: dict[str, Any], next: Callable[[], None]):
        key = event_key(body)
        if key is None or deduper.claim(key):
            return next()
        logger.info(
            "dropped duplicate Slack event delivery event_id=%s retry_num=%d reason=%s",
            body.get("event_id"),
            retry_num(request),
            (request.headers.get("x-slack-retry-reason") or ["-"])[0],
        )
        return BoltResponse(status=200, body="")

    return dedupe_events

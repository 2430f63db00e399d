"""Proactive messages: reminders, notifications, incident threads (W3, W4).

Two layers:

* :class:`Connector` (async) sends through the SDK (``app.send`` / ``app.reply`` /
  ``app.api``) to a conversation id on its service URL. Bot Connector answers 429 under
  load and 5xx when it is unwell, so every call is retried with backoff, honouring
  ``Retry-After``. When it finally fails, :class:`DeliveryError` says whether trying later
  makes sense.
* :class:`TeamsNotifier` implements the core's synchronous ``bot.notify.port.Notifier``
  (``send(to, message, thread=)`` / ``update(ref, message)``) for the outbox: it renders
  the ``OutMessage`` as an Adaptive Card and runs the connector call on the event loop the
  SDK app lives on. A ``DeliveryError`` leaves the message in the outbox (nothing is lost).

``SentRef`` for Teams: ``channel`` = the conversation id (a channel's, without
``;messageid=``), ``message_id`` = the activity id, ``thread_id`` = the root message id for
a reply in a channel thread, ``extra["service_url"]`` = where the conversation lives.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx

# Imported from the subpackages: mypy cannot follow the package root's computed __all__.
from microsoft_teams.api.activities import MessageActivityInput, SentActivity
from microsoft_teams.api.clients import CreateConversationParams
from microsoft_teams.api.models import Account
from microsoft_teams.apps import App

from bot.notify.messages import OutMessage
from bot.notify.port import Address, SentRef
from bot.notify.port import DeliveryError as PortDeliveryError
from bot.tenancy import DEFAULT_TENANT

from .convert import base_conversation_id, to_activity
from .render import MentionTarget

logger = logging.getLogger("handlers.teams.notifier")

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. A ``Retry-After`` longer than ``max_retry_after`` goes back to the core."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 120.0


class DeliveryError(PortDeliveryError):
    """A connector call failed for good (this time). ``retryable``: worth queueing again.

    It is the core's ``bot.notify.port.DeliveryError``, so the outbox keeps the message and
    tries again later; ``permanent`` is set when retrying cannot help (403, 404…).
    """

    def __init__(
        self,
        operation: str,
        *,
        status: int | None,
        attempts: int,
        retryable: bool,
        retry_after: float | None = None,
    ) -> None:
        detail = f"HTTP {status}" if status is not None else "no HTTP response"
        super().__init__(
            f"Teams {operation} failed after {attempts} attempt(s): {detail}",
            permanent=not retryable,
        )
        self.operation = operation
        self.status = status
        self.attempts = attempts
        self.retryable = retryable
        self.retry_after = retry_after


def _is_retryable(status: int) -> bool:
    return status == 429 or status >= 500


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def equal_jitter(delay: float) -> float:
    """Between half and all of ``delay``: spreads retries without ever skipping the wait."""
    return random.uniform(delay / 2, delay)


@dataclass(frozen=True)
class Sent:
    """A message Bot Connector accepted."""

    conversation_id: str
    message_id: str
    service_url: str


class Connector:
    """Send, thread and update messages on Bot Connector, with retries (async)."""

    def __init__(
        self,
        app: App,
        *,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[float], float] = equal_jitter,
    ) -> None:
        self.app = app
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter

    async def _ready(self) -> None:
        # A worker process that only sends proactively never calls app.start().
        if not getattr(self.app, "_initialized", False):
            await self.app.initialize()

    async def send(
        self, conversation_id: str, activity: MessageActivityInput, *, service_url: str
    ) -> Sent:
        """Post a new message to a conversation (in a channel: a new thread root)."""
        await self._ready()
        sent = await self.with_retries(
            "send",
            conversation_id,
            lambda: self.app.send(conversation_id, activity, service_url=service_url),
        )
        return Sent(conversation_id, sent.id, service_url)

    async def reply_in_thread(
        self,
        channel_id: str,
        root_message_id: str,
        activity: MessageActivityInput,
        *,
        service_url: str,
    ) -> Sent:
        """Post a reply under a channel thread root (``<channel>;messageid=<root>``)."""
        await self._ready()
        base = base_conversation_id(channel_id)
        sent = await self.with_retries(
            "reply_in_thread",
            base,
            lambda: self.app.reply(base, root_message_id, activity, service_url=service_url),
        )
        return Sent(base, sent.id, service_url)

    async def update(
        self,
        conversation_id: str,
        message_id: str,
        activity: MessageActivityInput,
        *,
        service_url: str,
    ) -> None:
        """Replace a message sent earlier (a card whose state changed) for everyone."""
        await self._ready()

        def put() -> Awaitable[SentActivity]:
            activity.id = message_id  # an id makes app.send a PUT (update)
            return self.app.send(conversation_id, activity, service_url=service_url)

        await self.with_retries("update", conversation_id, put)

    async def open_personal_chat(
        self, *, user_id: str, tenant_id: str | None, service_url: str
    ) -> str:
        """Create (or get) the bot's 1:1 chat with someone; returns its conversation id.

        Works for members of a team where the app is installed; Teams returns the same
        conversation id every time for the same person, so calling it again is harmless.
        """
        await self._ready()
        # What the SDK itself sends (FunctionContext): the user as the only member, the
        # tenant; the bot is the caller and is not listed.
        params = CreateConversationParams(
            members=[Account(id=user_id)],
            tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}} if tenant_id else None,
        )
        api = self.app.api.clone(service_url=service_url)
        resource = await self.with_retries(
            "open_personal_chat", user_id, lambda: api.conversations.create(params)
        )
        return resource.id

    async def with_retries(
        self, operation: str, target: str, call: Callable[[], Awaitable[T]]
    ) -> T:
        """Run ``call`` (one connector request) with this notifier's retry policy."""
        policy = self._policy
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call()
            except httpx.HTTPStatusError as exc:
                status = exc.response.status_code
                retry_after = parse_retry_after(exc.response.headers.get("Retry-After"))
                if not _is_retryable(status):
                    logger.warning("%s to %s refused: HTTP %s", operation, target, status)
                    raise DeliveryError(
                        operation, status=status, attempts=attempt, retryable=False
                    ) from exc
                if attempt >= policy.max_attempts or (
                    retry_after is not None and retry_after > policy.max_retry_after
                ):
                    logger.warning("%s to %s gave up: HTTP %s", operation, target, status)
                    raise DeliveryError(
                        operation,
                        status=status,
                        attempts=attempt,
                        retryable=True,
                        retry_after=retry_after,
                    ) from exc
                delay = retry_after if retry_after is not None else self._backoff(attempt)
                logger.info(
                    "%s to %s: HTTP %s, retry %d in %.2fs",
                    operation,
                    target,
                    status,
                    attempt,
                    delay,
                )
            except httpx.TransportError as exc:
                if attempt >= policy.max_attempts:
                    logger.warning("%s to %s gave up: %s", operation, target, type(exc).__name__)
                    raise DeliveryError(
                        operation, status=None, attempts=attempt, retryable=True
                    ) from exc
                delay = self._backoff(attempt)
                logger.info(
                    "%s to %s: %s, retry %d in %.2fs",
                    operation,
                    target,
                    type(exc).__name__,
                    attempt,
                    delay,
                )
            await self._sleep(delay)

    def _backoff(self, attempt: int) -> float:
        policy = self._policy
        return self._jitter(min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1)))


Runner = Callable[[Coroutine[Any, Any, Any]], Any]
MentionLookup = Callable[[Sequence[str]], Mapping[str, MentionTarget]]


def loop_runner(loop: asyncio.AbstractEventLoop, *, timeout: float = 120.0) -> Runner:
    """Run coroutines on ``loop`` (the SDK app's) from another thread, waiting for them."""

    def run(coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            coro.close()
            raise RuntimeError("TeamsNotifier called on the event loop thread: use a worker thread")
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise DeliveryError("send", status=None, attempts=1, retryable=True) from None

    return run


class TeamsNotifier:
    """``bot.notify.port.Notifier`` for Teams: the outbox delivers through this."""

    platform = "teams"

    def __init__(
        self,
        connector: Connector,
        *,
        run: Runner,
        default_service_url: str | None = None,
        mentions: MentionLookup | None = None,
    ) -> None:
        self.connector = connector
        self._run = run
        self._default_service_url = (default_service_url or "").rstrip("/") or None
        self._mentions = mentions

    def _activity(self, message: OutMessage, *, notify: bool = True) -> MessageActivityInput:
        targets = self._mentions(message.mentions) if self._mentions and message.mentions else {}
        return to_activity(message, mentions=targets, notify_mentions=notify)

    def _service_url(self, *candidates: Any) -> str:
        for value in (*candidates, self._default_service_url):
            if isinstance(value, str) and value:
                return value.rstrip("/")
        raise DeliveryError("send", status=None, attempts=0, retryable=False)

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        """Post to a person (1:1 chat) or a channel, or reply in a channel thread."""
        activity = self._activity(message)
        if thread is not None:
            root = thread.thread_id or thread.message_id
            service_url = self._service_url(
                thread.extra.get("service_url"), to.reference.get("service_url")
            )
            sent = self._run(
                self.connector.reply_in_thread(
                    thread.channel, root, activity, service_url=service_url
                )
            )
            return self._ref(sent, thread_id=root)
        service_url = self._service_url(to.reference.get("service_url"))
        conversation_id = base_conversation_id(to.target) if to.kind == "channel" else to.target
        if not conversation_id:
            user_id = to.reference.get("user_id")
            if to.kind != "person" or not user_id:
                raise DeliveryError("send", status=None, attempts=0, retryable=False)
            conversation_id = self._run(
                self.connector.open_personal_chat(
                    user_id=user_id,
                    tenant_id=to.reference.get("tenant_id"),
                    service_url=service_url,
                )
            )
        sent = self._run(self.connector.send(conversation_id, activity, service_url=service_url))
        return self._ref(sent)

    def update(self, ref: SentRef, message: OutMessage) -> None:
        """Replace a message the bot sent earlier, for everyone who sees it."""
        conversation_id = ref.channel
        if ref.thread_id and ref.thread_id != ref.message_id:
            conversation_id = f"{ref.channel};messageid={ref.thread_id}"
        service_url = self._service_url(ref.extra.get("service_url"))
        self._run(
            self.connector.update(
                conversation_id,
                ref.message_id,
                self._activity(message, notify=False),  # the 宛先 stays, no second ping
                service_url=service_url,
            )
        )

    def with_mentions(self, mentions: MentionLookup | None) -> TeamsNotifier:
        """This notifier (same connector and loop) naming mentions with ``mentions``."""
        other = copy.copy(self)
        other._mentions = mentions
        return other

    @staticmethod
    def _ref(sent: Sent, *, thread_id: str | None = None) -> SentRef:
        return SentRef(
            platform="teams",
            channel=sent.conversation_id,
            message_id=sent.message_id,
            thread_id=thread_id,
            extra={"service_url": sent.service_url},
        )


class TenantTeamsNotifiers:
    """The worker's Teams notifier for every tenant (``bot.notify.port.PerTenantNotifier``).

    One bot serves every tenant (each conversation reference carries its service URL);
    what differs is whom a mention names: tenant T's messages look handles up among T's
    people only (the same handle exists in many cities).
    """

    platform = "teams"

    def __init__(self, base: TeamsNotifier, mentions_for: Callable[[str], MentionLookup]) -> None:
        self.base = base  # keeps the base (and its loop thread) alive
        self.mentions_for = mentions_for

    def for_tenant(self, tenant_id: str) -> TeamsNotifier:
        """The notifier for ``tenant_id``'s outbox."""
        return self.base.with_mentions(self.mentions_for(tenant_id))

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        """Send for the default tenant (the worker uses ``for_tenant``)."""
        return self.for_tenant(DEFAULT_TENANT).send(to, message, thread=thread)

    def update(self, ref: SentRef, message: OutMessage) -> None:
        """Update for the default tenant."""
        self.for_tenant(DEFAULT_TENANT).update(ref, message)

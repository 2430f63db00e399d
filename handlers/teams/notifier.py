"""Proactive messages: reminders, notifications, incident threads (W3, W4).

Sends through the SDK (``app.send`` / ``app.reply`` / ``app.api``) to the conversation
references stored by the listeners, each with its own service URL. Bot Connector answers
429 under load and 5xx when it is unwell, so every call is retried with backoff, honouring
``Retry-After``. When it finally fails, :class:`DeliveryError` says whether trying later
makes sense; the core keeps the message queued and nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
from microsoft_teams.api import Account, CreateConversationParams, SentActivity
from microsoft_teams.apps import App

from .convert import base_conversation_id, to_activity
from .port import ConversationRef, Reply, TeamsUser, ThreadRef

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


class DeliveryError(Exception):
    """A connector call failed for good (this time). ``retryable``: worth queueing again."""

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
        super().__init__(f"Teams {operation} failed after {attempts} attempt(s): {detail}")
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


class TeamsNotifier:
    """Send, thread and update messages proactively, with retries."""

    def __init__(
        self,
        app: App,
        *,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[float], float] = equal_jitter,
    ) -> None:
        self._app = app
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter

    async def _ready(self) -> None:
        # A worker process that only sends proactively never calls app.start().
        if not getattr(self._app, "_initialized", False):
            await self._app.initialize()

    async def send(self, reference: ConversationRef, reply: Reply) -> str:
        """Post a new message to a stored conversation; returns the message id."""
        await self._ready()
        sent = await self.with_retries(
            "send",
            reference.conversation_id,
            lambda: self._app.send(
                reference.conversation_id, to_activity(reply), service_url=reference.service_url
            ),
        )
        return sent.id

    async def start_thread(self, channel: ConversationRef, reply: Reply) -> ThreadRef:
        """Post a new top-level message in a channel; it becomes the root of a thread."""
        await self._ready()
        channel_id = base_conversation_id(channel.channel_id or channel.conversation_id)
        sent = await self.with_retries(
            "start_thread",
            channel_id,
            lambda: self._app.send(channel_id, to_activity(reply), service_url=channel.service_url),
        )
        return ThreadRef(
            service_url=channel.service_url, conversation_id=channel_id, root_message_id=sent.id
        )

    async def reply_in_thread(self, thread: ThreadRef, reply: Reply) -> str:
        """Post a reply under a thread root (``<channel>;messageid=<root>``)."""
        await self._ready()
        sent = await self.with_retries(
            "reply_in_thread",
            thread.conversation_id,
            lambda: self._app.reply(
                thread.conversation_id,
                thread.root_message_id,
                to_activity(reply),
                service_url=thread.service_url,
            ),
        )
        return sent.id

    async def update(self, reference: ConversationRef, message_id: str, reply: Reply) -> None:
        """Replace a message sent earlier (a card whose state changed) for everyone."""
        await self._ready()

        def put() -> Awaitable[SentActivity]:
            activity = to_activity(reply)
            activity.id = message_id
            return self._app.send(
                reference.conversation_id, activity, service_url=reference.service_url
            )

        await self.with_retries("update", reference.conversation_id, put)

    async def open_personal_chat(
        self, user: TeamsUser, *, service_url: str, tenant_id: str | None = None
    ) -> ConversationRef:
        """Create (or get) the bot's 1:1 chat with someone who has not written to it yet.

        Works for members of a team where the app is installed; Teams returns the same
        conversation id every time for the same person.
        """
        await self._ready()
        tenant = tenant_id or user.tenant_id
        params = CreateConversationParams.model_validate(
            {
                "isGroup": False,
                "bot": {"id": self._app.id},
                "members": [Account(id=user.teams_user_id).model_dump()],
                "tenantId": tenant,
                "channelData": {"tenant": {"id": tenant}} if tenant else None,
            }
        )
        api = self._app.api.clone(service_url=service_url)
        resource = await self.with_retries(
            "open_personal_chat", user.teams_user_id, lambda: api.conversations.create(params)
        )
        return ConversationRef(
            service_url=(resource.service_url or service_url).rstrip("/"),
            conversation_id=resource.id,
            conversation_type="personal",
            tenant_id=tenant,
            bot_id=self._app.id,
            user=user,
        )

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

"""The Slack Web API client: SDK retry handlers for 429, 5xx and connection errors.

Retrying a non-idempotent call such as ``chat.postMessage`` after a 5xx or a dropped
connection can post twice when Slack had in fact accepted the first attempt; callers that
must never double-post keep their own outbox keyed by an idempotency key (see docs/slack.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from handlers.slack.settings import SlackSettings

Sleep = Callable[[float], None]

RETRYABLE_SERVER_STATUSES = frozenset({500, 502, 503, 504})


class _InjectedSleepMixin:
    """Back off through an injectable ``sleep`` so tests need not wait for real."""

    sleep: Sleep

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self.sleep(self.interval_calculator.calculate_sleep_duration(state.current_attempt))  # type: ignore[attr-defined]
        state.increment_current_attempt()


class RateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retry HTTP 429 after exactly the ``Retry-After`` seconds Slack asked for.

    A wait longer than ``max_wait`` is not done inside a request: the call fails and the
    caller's outbox re-sends later, instead of holding a worker thread for minutes.
    """

    def __init__(
        self, *, max_retry_count: int = 3, max_wait: float = 30.0, sleep: Sleep = time.sleep
    ):
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait
        self.sleep = sleep

    @staticmethod
    def retry_after(response: HttpResponse) -> float:
        """Seconds from the Retry-After header (1 when absent or unreadable)."""
        for name, values in response.headers.items():
            if name.lower() == "retry-after" and values:
                try:
                    return max(0.0, float(values[0]))
                except ValueError:
                    break
        return 1.0

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return (
            response is not None
            and response.status_code == 429
            and self.retry_after(response) <= self.max_wait
        )

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:  # pragma: no cover - _can_retry only accepts responses
            raise error or RuntimeError("rate-limit retry without a response")
        state.next_attempt_requested = True
        self.sleep(self.retry_after(response))
        state.increment_current_attempt()


class ServerErrorBackoffRetryHandler(_InjectedSleepMixin, ServerErrorRetryHandler):
    """Retry 500/502/503/504 with exponential backoff and jitter."""

    def __init__(
        self, *, max_retry_count: int = 2, backoff_factor: float = 0.5, sleep: Sleep = time.sleep
    ):
        super().__init__(
            max_retry_count=max_retry_count,
            interval_calculator=BackoffRetryIntervalCalculator(backoff_factor=backoff_factor),
        )
        self.sleep = sleep

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in RETRYABLE_SERVER_STATUSES


class ConnectionErrorBackoffRetryHandler(_InjectedSleepMixin, ConnectionErrorRetryHandler):
    """Retry connection resets and unreachable hosts with exponential backoff."""

    def __init__(
        self, *, max_retry_count: int = 2, backoff_factor: float = 0.5, sleep: Sleep = time.sleep
    ):
        super().__init__(
            max_retry_count=max_retry_count,
            interval_calculator=BackoffRetryIntervalCalculator(backoff_factor=backoff_factor),
        )
        self.sleep = sleep


def retry_handlers(*, sleep: Sleep = time.sleep) -> list[RetryHandler]:
    """The retry policy every Web API client of this bot uses."""
    return [
        RateLimitRetryHandler(sleep=sleep),
        ServerErrorBackoffRetryHandler(sleep=sleep),
        ConnectionErrorBackoffRetryHandler(sleep=sleep),
    ]


def build_client(
    settings: SlackSettings, *, sleep: Sleep = time.sleep, timeout: int = 10
) -> WebClient:
    """A WebClient for the bot token, pointed at SLACK_API_URL when set, with retries.

    With OAuth installs there is no deployment-wide token: Bolt copies this client for each
    request with the workspace's token, and ``oauth.TenantClients`` does the same for
    outbound delivery.
    """
    token = settings.slack_bot_token
    return WebClient(
        token=token.get_secret_value() if token is not None else None,
        base_url=settings.api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(sleep=sleep),
    )

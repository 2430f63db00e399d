"""What listeners receive as ``core``: the database, the clock and the outbox courier.

Listeners call the neutral core (``bot.commands``, ``bot.actions``, ``bot.drafts.api``) with
``core.factory`` and ``core.clock``, then ``core.deliver()``: the courier thread sends the
outbox in the background, after the request was acknowledged, and also sweeps it every
``interval`` seconds so a message Slack refused earlier is re-sent (the worker process
sweeps too; on PostgreSQL rows are claimed with SKIP LOCKED, so nothing is sent twice).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from slack_bolt.oauth import OAuthFlow
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.app import build as build_app
from bot.clock import Clock, SystemClock
from bot.errors import is_unavailable, new_error_id
from bot.interaction import Actor
from bot.logsafe import where
from bot.notify.port import Notifier
from bot.notify.service import DeliveryStats, deliver_pending
from bot.tenancy import DEFAULT_TENANT, for_tenant, tenant_ids
from handlers.slack.notifier import SlackNotifier, directory_user_ids
from handlers.slack.settings import SlackSettings

logger = logging.getLogger("handlers.slack.runtime")


class Courier:
    """One background thread that delivers the outbox when kicked, and every ``interval``.

    With ``notifier_for`` (many workspaces: ``oauth.TenantNotifiers``) each sweep delivers
    every tenant's outbox in sessions of that tenant, with that tenant's notifier.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        notifier: Notifier | None,
        *,
        clock: Clock | None = None,
        interval: float | None = 30.0,
        notifier_for: Callable[[str], Notifier | None] | None = None,
    ) -> None:
        if notifier is None and notifier_for is None:
            raise ValueError("a Courier needs a notifier or notifier_for")
        self.factory = factory
        self.notifier = notifier
        self.notifier_for = notifier_for
        self.clock = clock or SystemClock()
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None

    def start(self) -> Courier:
        """Start the delivery thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="slack-outbox", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread after the current sweep."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def kick(self) -> None:
        """Deliver soon (returns at once)."""
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until no kick is pending (tests and benchmarks)."""
        return self._idle.wait(timeout)

    def _targets(self) -> list[tuple[sessionmaker[Session], Notifier]]:
        if self.notifier_for is None:
            assert self.notifier is not None
            return [(self.factory, self.notifier)]
        with self.factory() as session:
            tenants = tenant_ids(session)
        targets = []
        for tenant in tenants:
            notifier = self.notifier_for(tenant)
            if notifier is None:  # no installation: its messages wait (the worker logs them)
                continue
            targets.append((for_tenant(self.factory, tenant), notifier))
        return targets

    def sweep(self) -> DeliveryStats:
        """Deliver everything that is due now, in this thread."""
        total = DeliveryStats()
        for factory, notifier in self._targets():
            while True:
                stats = deliver_pending(factory, notifier, clock=self.clock)
                total.sent += stats.sent
                total.retried += stats.retried
                total.waiting += stats.waiting
                if stats.sent == 0:
                    break
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.sweep()
            except Exception as exc:  # keep the thread alive; the next kick or sweep retries
                # One line, no traceback (it would quote the data the sweep worked on).
                if is_unavailable(exc):  # the database is down: expected, retried
                    logger.warning(
                        "outbox sweep: database unavailable error_id=%s exc=%s",
                        new_error_id(),
                        type(exc).__qualname__,
                    )
                else:
                    logger.error(
                        "outbox sweep failed error_id=%s exc=%s at=%s",
                        new_error_id(),
                        type(exc).__qualname__,
                        where(exc) or "-",
                    )
            if not self._wake.is_set():
                self._idle.set()


@dataclass
class Core:
    """The core as the Slack listeners see it."""

    factory: sessionmaker[Session]
    clock: Clock
    courier: Courier | None = None
    tenant: str = DEFAULT_TENANT

    def for_tenant(self, tenant_id: str) -> Core:
        """This core with sessions that work for ``tenant_id`` (same clock and courier)."""
        return replace(self, factory=for_tenant(self.factory, tenant_id), tenant=tenant_id)

    def __deepcopy__(self, memo: dict) -> Core:
        # Bolt deep-copies the context for lazy listeners; a service object is shared.
        return self

    def actor(self, user_id: str) -> Actor:
        """The acting Slack user."""
        return Actor("slack", user_id)

    def deliver(self) -> None:
        """Send what the last core call put in the outbox (in the background)."""
        if self.courier is not None:
            self.courier.kick()


def build_core(database_url: str, *, client: WebClient, interval: float | None = 30.0) -> Core:
    """The production core: the application (``bot.app.build``: wired, migrated), then a
    courier on a SlackNotifier."""
    app = build_app(database_url)
    notifier = SlackNotifier(client, user_ids=directory_user_ids(app.factory))
    return Core(
        app.factory, app.clock, Courier(app.factory, notifier, clock=app.clock, interval=interval)
    )


def build_multi_workspace_core(
    database_url: str, *, settings: SlackSettings, client: WebClient, interval: float | None = 30.0
) -> tuple[Core, OAuthFlow]:
    """The core of a deployment installed into many workspaces, and its OAuth flow.

    The courier delivers each tenant's outbox with the bot token of the tenant's workspace
    (``oauth.TenantNotifiers`` on the installation store of the flow).
    """
    from handlers.slack.oauth import TenantNotifiers, build_oauth_flow

    app = build_app(database_url)
    flow = build_oauth_flow(settings, factory=app.factory, client=client, clock=app.clock)
    store = flow.settings.installation_store
    notifiers = TenantNotifiers(app.factory, store, base=client)  # type: ignore[arg-type]
    courier = Courier(app.factory, None, clock=app.clock, interval=interval, notifier_for=notifiers)
    return Core(app.factory, app.clock, courier), flow

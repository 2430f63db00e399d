"""Build the Teams app: the SDK ``App`` with our listeners, wired to the core.

``create_app`` is the only place that knows the SDK's constructor options:

* credentials: ``client_id`` / ``client_secret`` / ``tenant_id`` from settings, or a
  ``token_provider`` (the SDK's ``token`` option) that supplies the bearer token for
  outgoing Bot Connector calls; tests and local runs use it so nothing calls Entra ID;
* ``service_url``: the default Bot Connector base URL for proactive sends;
* ``dangerously_allow_unauthenticated_requests``: skips inbound JWT validation. It is the
  SDK's own switch, and only tests and local Playground runs turn it on;
* ``http_server_adapter``: our guarded FastAPI adapter (see ``server.py``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from microsoft_teams.api.auth.credentials import TokenProvider as SdkTokenProvider
from microsoft_teams.apps import App, HttpServerAdapter

from .core_adapter import TeamsCore
from .delivery import BoundLoop, Deliverer
from .listeners import CallCore, Deps, call_in_thread, register_listeners
from .notifier import Connector, MentionLookup, RetryPolicy, Sleep, TeamsNotifier, loop_runner
from .private import PrivateReplies
from .server import GuardedFastAPIAdapter
from .settings import TeamsSettings
from .tenants import tenant_scope

logger = logging.getLogger("handlers.teams")

# The SDK's ``token`` option: (scope, tenant_id) -> bearer token, sync or async. It must
# be a JWT (the SDK decodes it, without verifying, to read its expiry).
TokenProvider = SdkTokenProvider


@dataclass(frozen=True)
class Runtime:
    """What ``create_app`` attached to an app: connector, outbox notifier, deliverer."""

    connector: Connector
    notifier: TeamsNotifier
    deliverer: Deliverer


_RUNTIMES: weakref.WeakKeyDictionary[App, Runtime] = weakref.WeakKeyDictionary()


def sdk_app(
    settings: TeamsSettings,
    *,
    token_provider: TokenProvider | None = None,
    http_server_adapter: HttpServerAdapter | None = None,
) -> App:
    """The SDK app with our options (no listeners)."""
    secret = settings.client_secret.get_secret_value() if settings.client_secret else None
    if token_provider is not None:
        secret = None  # the token provider is the credential
    if settings.allow_unauthenticated:
        logger.warning("inbound JWT validation is OFF: local testing only")
    adapter = http_server_adapter or GuardedFastAPIAdapter()
    if isinstance(adapter, GuardedFastAPIAdapter):
        # 401 before the body is parsed or screened (the SDK checks the token again after).
        adapter.configure_auth(
            client_id=settings.client_id, allow_unauthenticated=settings.allow_unauthenticated
        )
    return App(
        client_id=settings.client_id,
        client_secret=secret,
        tenant_id=settings.tenant_id,
        token=token_provider,
        service_url=settings.service_url,
        dangerously_allow_unauthenticated_requests=settings.allow_unauthenticated,
        http_server_adapter=adapter,
        state=False,
    )


def _connector(app: App, policy: RetryPolicy | None, sleep: Sleep | None) -> Connector:
    if sleep is not None:
        return Connector(app, policy=policy, sleep=sleep)
    return Connector(app, policy=policy)


def create_app(
    *,
    core: TeamsCore,
    settings: TeamsSettings,
    token_provider: TokenProvider | None = None,
    http_server_adapter: HttpServerAdapter | None = None,
    retry_policy: RetryPolicy | None = None,
    sleep: Sleep | None = None,
    call_core: CallCore = call_in_thread,
) -> App:
    """The Teams app with listeners registered; :func:`runtime_of` gives its parts."""
    app = sdk_app(settings, token_provider=token_provider, http_server_adapter=http_server_adapter)
    connector = _connector(app, retry_policy, sleep)
    binding = BoundLoop()
    notifier = TeamsNotifier(
        connector,
        run=binding,
        default_service_url=settings.service_url,
        mentions=core.mention_targets,
    )
    deliverer = Deliverer(lambda: core.deliver(notifier), binding=binding)
    deps = Deps(core=core, deliverer=deliverer, private=PrivateReplies(connector), call=call_core)
    # First: the activity's Teams tenant picks our tenant before any listener runs.
    app.use(tenant_scope(core.base_factory))
    register_listeners(app, deps)
    _RUNTIMES[app] = Runtime(connector, notifier, deliverer)
    return app


def runtime_of(app: App) -> Runtime:
    """The parts ``create_app`` attached to ``app``."""
    try:
        return _RUNTIMES[app]
    except KeyError:
        raise TypeError("app was not built by create_app") from None


class _LoopThread:
    """An event loop in a daemon thread, for a process that never serves HTTP."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="teams-notifier", daemon=True
        )
        self.thread.start()


def standalone_notifier(
    settings: TeamsSettings,
    *,
    mentions: MentionLookup | None = None,
    token_provider: TokenProvider | None = None,
    retry_policy: RetryPolicy | None = None,
    sleep: Sleep | None = None,
) -> TeamsNotifier:
    """A notifier for the worker process: its own SDK app on its own loop thread."""
    app = sdk_app(settings, token_provider=token_provider)
    loop = _LoopThread()
    notifier = TeamsNotifier(
        _connector(app, retry_policy, sleep),
        run=loop_runner(loop.loop),
        default_service_url=settings.service_url,
        mentions=mentions,
    )
    notifier_loops[notifier] = loop
    return notifier


# Keeps each standalone notifier's loop thread referenced for as long as the notifier lives.
notifier_loops: weakref.WeakKeyDictionary[TeamsNotifier, Any] = weakref.WeakKeyDictionary()

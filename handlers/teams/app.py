"""Build the Teams app: the SDK ``App`` with our listeners, wired to a core port.

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

import logging
import weakref

from microsoft_teams.api.auth.credentials import TokenProvider as SdkTokenProvider
from microsoft_teams.apps import App, HttpServerAdapter

from .listeners import CallCore, Deps, call_in_thread, register_listeners
from .notifier import RetryPolicy, Sleep, TeamsNotifier
from .port import TeamsCorePort
from .server import GuardedFastAPIAdapter
from .settings import TeamsSettings

logger = logging.getLogger("handlers.teams")

_NOTIFIERS: weakref.WeakKeyDictionary[App, TeamsNotifier] = weakref.WeakKeyDictionary()

# The SDK's ``token`` option: (scope, tenant_id) -> bearer token, sync or async. It must
# be a JWT (the SDK decodes it, without verifying, to read its expiry).
TokenProvider = SdkTokenProvider


def create_app(
    *,
    core: TeamsCorePort,
    settings: TeamsSettings,
    token_provider: TokenProvider | None = None,
    http_server_adapter: HttpServerAdapter | None = None,
    retry_policy: RetryPolicy | None = None,
    sleep: Sleep | None = None,
    call_core: CallCore = call_in_thread,
) -> App:
    """The Teams app with listeners registered; :func:`notifier_of` gives its notifier."""
    secret = settings.client_secret.get_secret_value() if settings.client_secret else None
    if token_provider is not None:
        secret = None  # the token provider is the credential
    if settings.allow_unauthenticated:
        logger.warning("inbound JWT validation is OFF: local testing only")
    app = App(
        client_id=settings.client_id,
        client_secret=secret,
        tenant_id=settings.tenant_id,
        token=token_provider,
        service_url=settings.service_url,
        dangerously_allow_unauthenticated_requests=settings.allow_unauthenticated,
        http_server_adapter=http_server_adapter or GuardedFastAPIAdapter(),
        state=False,
    )
    notifier = (
        TeamsNotifier(app, policy=retry_policy, sleep=sleep)
        if sleep is not None
        else TeamsNotifier(app, policy=retry_policy)
    )
    register_listeners(app, Deps(core=core, notifier=notifier, call=call_core))
    _NOTIFIERS[app] = notifier
    return app


def notifier_of(app: App) -> TeamsNotifier:
    """The notifier ``create_app`` attached to ``app``."""
    try:
        return _NOTIFIERS[app]
    except KeyError:
        raise TypeError("app was not built by create_app") from None

"""Bolt app factory for the Slack adapter. No module-level App: every caller builds its own."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner
from slack_bolt.oauth import OAuthFlow
from slack_sdk import WebClient

from handlers.slack import inbound, oauth, trust
from handlers.slack.client import build_client
from handlers.slack.dedupe import Deduper, InMemoryDeduper, build_event_dedupe_middleware
from handlers.slack.errors import register_error_handler
from handlers.slack.listeners import register_listeners
from handlers.slack.settings import SlackSettings

APP_NAME = "sns-guideline-bot"
# Bolt runs ack functions and lazy listeners on one pool of 5 threads by default, so under
# load an ack waits behind slow lazy work and misses Slack's 3 seconds. Acks (and the
# view submissions that must answer with errors) get their own pool; lazy work another.
ACK_THREADS = 16
LAZY_THREADS = 8

logger = logging.getLogger("handlers.slack")


def _dependency_injection(core: Any, deduper: Deduper) -> Callable[..., None]:
    # Bolt injects context entries into listeners by name: a listener that declares a
    # `core` or `deduper` parameter receives these, with no globals involved.
    def inject_dependencies(context: BoltContext, next: Callable[[], None]) -> None:
        # With many workspaces the TenantResolver has put the tenant's core here already.
        context.setdefault("core", core)
        context["deduper"] = deduper
        next()

    return inject_dependencies


def create_app(
    *,
    settings: SlackSettings,
    core: Any = None,
    client: WebClient | None = None,
    deduper: Deduper | None = None,
    process_before_response: bool = False,
    listeners: bool = True,
    response_url_origins: Iterable[str] | None = None,
    oauth_flow: OAuthFlow | None = None,
) -> App:
    """Build the Bolt app: verified requests, retried Web API calls, deduplicated events.

    Both modes run in long-lived processes, so Bolt acknowledges first and runs listeners
    on its thread pool (``process_before_response=False``). Pass True only on a FaaS host
    that freezes the process after the response; listeners are written as ack + lazy so
    that they work either way.

    ``response_url_origins`` replaces Slack's own response_url hosts (tests pointing
    response_urls at a local stand-in); production never passes it (see ``trust``).

    ``oauth_flow`` (``oauth.build_oauth_flow``, many workspaces): Bolt serves
    /slack/install and /slack/oauth_redirect, authorizes each request with the workspace's
    token from the installation store, and the ``TenantResolver`` gives listeners the
    core of the workspace's tenant (``core.for_tenant``); an unlinked workspace is answered
    before any listener or database access.
    """
    if settings.slack_signing_secret is not None:
        signing_secrets = settings.signing_secrets
    else:
        # Socket Mode needs no signing secret, but an empty one would make a forged HTTP
        # request verifiable. A random secret nobody knows keeps verification meaningful.
        signing_secrets = (secrets.token_urlsafe(32),)
    bolt_logger = logging.getLogger("handlers.slack.bolt")
    extra: dict[str, Any] = {}
    if oauth_flow is not None:
        extra = {
            "oauth_flow": oauth_flow,
            "user_facing_authorize_error_message": oauth.AUTHORIZE_ERROR_MESSAGE,
        }
    app = App(
        name=APP_NAME,
        client=client or build_client(settings),
        signing_secret=signing_secrets[0],
        # Bolt's verifier knows one secret; ours, in the same place, knows the rotation
        # overlap too (SLACK_SIGNING_SECRET_PREVIOUS).
        request_verification_enabled=False,
        before_authorize=trust.SigningSecretsVerification(signing_secrets, bolt_logger),
        **extra,
        process_before_response=process_before_response,
        logger=bolt_logger,
        listener_executor=ThreadPoolExecutor(ACK_THREADS, thread_name_prefix="slack-ack"),
    )
    app.listener_runner.lazy_listener_runner = ThreadLazyListenerRunner(
        logger=logging.getLogger("handlers.slack.bolt"),
        executor=ThreadPoolExecutor(LAZY_THREADS, thread_name_prefix="slack-lazy"),
    )
    if deduper is None:  # not `or`: an empty deduper has len 0 and is falsy
        deduper = InMemoryDeduper()
    register_error_handler(app)
    # Global middleware runs after Bolt's built-ins (signature check, authorisation); the
    # trust marker first, so that everything after it knows the request was verified.
    if response_url_origins is None and settings.extra_response_url_origins:
        # The test-only setting: Slack's hosts plus the listed origins, loudly.
        logger.warning(
            "SLACK_TESTING_EXTRA_RESPONSE_URL_ORIGINS is set: response_urls on %s are "
            "allowed besides Slack's hosts (tests only; never set it in a deployment)",
            " ".join(sorted(settings.extra_response_url_origins)),
        )
        response_url_origins = (
            inbound.SLACK_RESPONSE_URL_ORIGINS | settings.extra_response_url_origins
        )
    trust.install(app, origins=response_url_origins)
    if oauth_flow is not None:
        if core is None:
            raise ValueError("many workspaces need the core (its tenants) to serve requests")
        app.use(oauth.TenantResolver(core.factory, core.for_tenant))
    app.use(build_event_dedupe_middleware(deduper))
    app.use(_dependency_injection(core, deduper))
    if listeners:
        register_listeners(app)
    return app

"""What a listener or the error handler may trust about a request, recorded in its context.

* ``context[VERIFIED]`` is True once Bolt's own request verification let the request
  through (HTTP mode) or the request arrived over the app-token-authenticated Socket Mode
  WebSocket. The middleware that sets it is registered first, and Bolt runs app middleware
  only after its built-in verification passed, so an unverified request never carries it.
  The error handler acts (tells a user, calls the Web API) only on a request that carries it.
* ``response_url``: Bolt builds ``respond()`` from the body's ``response_url``. A URL that
  is not on one of Slack's hosts (``inbound.SLACK_RESPONSE_URL_ORIGINS``, or the origins a
  test passed to ``create_app``) is removed from the context, so nothing is ever POSTed to
  it, whoever signed the body.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.middleware.request_verification import RequestVerification
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from handlers.slack import inbound

VERIFIED = "guideline_request_verified"

logger = logging.getLogger("handlers.slack.trust")

_ORIGINS: weakref.WeakKeyDictionary[App, frozenset[str]] = weakref.WeakKeyDictionary()


class SigningSecretsVerification(RequestVerification):
    """Bolt's request verification with the rotation overlap: any of ``secrets`` verifies.

    It takes the place of Bolt's built-in middleware (``create_app`` passes it as
    ``before_authorize`` with the built-in switched off), so it runs where the built-in
    would: first, before authorisation and before any app middleware. The check is
    ``inbound.verify_any``, which never raises; a failure is logged without the body.
    """

    def __init__(self, secrets: Iterable[str], base_logger: logging.Logger | None = None):
        self._secrets = tuple(s for s in secrets if s)
        if not self._secrets:
            raise ValueError("at least one signing secret is needed")
        super().__init__(self._secrets[0], base_logger=base_logger)

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if self._can_skip(req.mode, req.body):
            return next()
        reason, _ = inbound.verify_any(
            req.raw_body.encode("utf-8"),
            req.headers.get("x-slack-request-timestamp", [""])[0],
            req.headers.get("x-slack-signature", [""])[0],
            secrets=self._secrets,
        )
        if reason is None:
            return next()
        self.logger.info("refused unverified request in Bolt reason=%s", reason)
        return self._build_error_response()


def response_url_origins(app: App) -> frozenset[str]:
    """The origins ``app`` may POST response_url messages to (Slack's unless a test said so)."""
    return _ORIGINS.get(app, inbound.SLACK_RESPONSE_URL_ORIGINS)


def is_verified(context: Any) -> bool:
    """True when ``context`` belongs to a request that passed verification."""
    return isinstance(context, dict) and context.get(VERIFIED) is True


def install(app: App, *, origins: Iterable[str] | None = None) -> None:
    """Register the trust middleware on ``app`` (call before any other middleware)."""
    allowed = frozenset(origins) if origins is not None else inbound.SLACK_RESPONSE_URL_ORIGINS
    _ORIGINS[app] = allowed
    app.use(_mark_verified)
    app.use(_restrict_response_url(allowed))


def _mark_verified(context: BoltContext, next: Callable[[], None]) -> None:
    context[VERIFIED] = True
    next()


def _restrict_response_url(allowed: frozenset[str]) -> Callable[..., None]:
    def restrict_response_url(context: BoltContext, next: Callable[[], None]) -> None:
        url = context.get("response_url")
        if url is not None and not inbound.allowed_response_url(url, allowed):
            # The host only: the path of a response_url is a credential.
            logger.warning("ignored a response_url off Slack's hosts (%s)", _host(url))
            context.pop("response_url", None)
            context.pop("respond", None)
        next()

    return restrict_response_url


def _host(url: object) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(str(url)).hostname or "-"
    except ValueError:
        return "-"

"""The HTTP front of ``/api/messages``: the SDK's FastAPI adapter with a guard in front.

The SDK answers 500 when the body is not JSON or when an activity does not validate
(unknown ``type``, missing ``from``…). Bot Connector retries 500s, and a 500 says "our
fault". This adapter answers 400 for malformed input, 200 for activity types we do not
know (ignored, per the Bot Framework protocol), with one log line each, and hands every
valid activity to the SDK unchanged, JWT validation included.

Authentication comes first: unless unauthenticated requests are allowed (tests, the
Agents Playground), a request without a valid Bot Framework bearer token gets 401 before its
body is read, parsed or screened. The token's signature, audience, issuer and lifetime are
checked here with the SDK's own validator; the SDK then validates it again with the
activity's ``serviceUrl`` (the ``serviceurl`` claim), which needs the parsed body.

It plugs in through the SDK's documented ``http_server_adapter`` option.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from microsoft_teams.api import ActivityTypeAdapter
from microsoft_teams.apps.auth import InboundActivityTokenValidator
from microsoft_teams.apps.http import FastAPIAdapter
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpRouteHandler
from pydantic import ValidationError

logger = logging.getLogger("handlers.teams.server")

KNOWN_TYPES = frozenset(
    {
        "message",
        "messageUpdate",
        "messageDelete",
        "messageReaction",
        "conversationUpdate",
        "installationUpdate",
        "invoke",
        "event",
        "typing",
        "command",
        "commandResult",
    }
)


def screen(body: Any) -> tuple[int, str] | None:
    """Return ``(status, reason)`` to answer without the SDK, or None to pass it on."""
    if not isinstance(body, dict):
        return 400, "body is not a JSON object"
    kind = body.get("type")
    if kind not in KNOWN_TYPES:
        return 200, "unknown activity type ignored"
    try:
        ActivityTypeAdapter.validate_python(body)
    except ValidationError as exc:
        # Field locations only: the validation message would quote the input (user text).
        locations = sorted({".".join(str(p) for p in err["loc"][1:]) for err in exc.errors()})
        return 400, f"invalid {kind} activity: {', '.join(locations)[:200]}"
    return None


class GuardedFastAPIAdapter(FastAPIAdapter):
    """``FastAPIAdapter`` whose messaging route screens input before the SDK sees it."""

    def __init__(self, *args: Any, messaging_endpoint: str = "/api/messages", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._messaging_endpoint = messaging_endpoint
        # Until configure_auth is called every request is refused (fail closed).
        self._allow_unauthenticated = False
        self._validator: InboundActivityTokenValidator | None = None

    def configure_auth(self, *, client_id: str | None, allow_unauthenticated: bool) -> None:
        """Validate bearer tokens for ``client_id`` before anything else (``create_app`` calls it)."""
        self._allow_unauthenticated = allow_unauthenticated
        self._validator = InboundActivityTokenValidator(client_id) if client_id else None

    async def _unauthenticated(self, request: Request, path: str) -> str | None:
        """None when the request carries a valid token (or none is needed), else the reason."""
        if self._allow_unauthenticated:
            return None
        if self._validator is None:
            return "not-configured"
        authorization = request.headers.get("authorization", "")
        if not authorization.startswith("Bearer "):
            return "missing-authorization"
        try:
            await self._validator.validate_token(authorization.removeprefix("Bearer "))
        except Exception as exc:  # any failure is a refusal; the message may quote the token
            return f"invalid-token:{type(exc).__name__}"
        return None

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        """Register ``handler``; the messaging endpoint gets the screening wrapper."""
        if method != "POST":
            raise ValueError(f"Unsupported HTTP method: {method}")
        screening = path == self._messaging_endpoint

        async def endpoint(request: Request) -> Response:
            if screening and (refused := await self._unauthenticated(request, path)) is not None:
                logger.warning("refused unauthenticated request on %s reason=%s", path, refused)
                return JSONResponse({"error": "Unauthorized"}, status_code=401)
            raw = await request.body()
            try:
                body = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError):
                logger.warning("rejected request on %s: malformed JSON (%d bytes)", path, len(raw))
                return JSONResponse({"error": "malformed JSON"}, status_code=400)
            if screening:
                verdict = screen(body)
                if verdict is not None:
                    status, reason = verdict
                    logger.warning(
                        "%s activity id=%s type=%s: %s",
                        "ignored" if status == 200 else "rejected",
                        _safe(body.get("id") if isinstance(body, dict) else None),
                        _safe(body.get("type") if isinstance(body, dict) else None),
                        reason,
                    )
                    return JSONResponse({"status": reason}, status_code=status)
            result = await handler(HttpRequest(body=body, headers=dict(request.headers)))
            payload = result.get("body")
            if payload is not None:
                return JSONResponse(content=payload, status_code=result["status"])
            return Response(status_code=result["status"])

        self.app.post(path)(endpoint)


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "".join(ch for ch in text if ch.isprintable())[:64]

"""One error path for every Slack listener: tell the user in Japanese, log an id, not the data.

The log line carries the error id, the exception type and where it was raised (file, line,
function), but never the exception message, the request body or any draft text: exception
messages routinely quote the input they failed on.
"""

from __future__ import annotations

import inspect
import logging
import re
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from bot import errors as bot_errors
from bot.errors import UNAVAILABLE_MESSAGE, is_unavailable
from handlers.slack import blocks as bk
from handlers.slack.trust import is_verified

logger = logging.getLogger("handlers.slack.errors")

_ERROR_CONTEXT_ARGS = ("body", "respond", "client", "context")

USER_MESSAGE = (
    "申し訳ありません。処理中にエラーが発生しました（エラーID: {error_id}）。\n"
    "時間をおいてもう一度お試しください。繰り返し発生する場合は、"
    "このエラーIDを添えてシステム管理者にお問い合わせください。"
)
MALFORMED_MESSAGE = (
    "申し訳ありません。受け取った操作の内容を読み取れなかったため、処理していません"
    "（エラーID: {error_id}）。\n"
    "画面を開き直してもう一度お試しください。繰り返し発生する場合は、"
    "このエラーIDを添えてシステム管理者にお問い合わせください。"
)


def new_error_id() -> str:
    """A short id a user can read out over the phone, e.g. "E-7F3A9C21"."""
    return bot_errors.new_error_id()


def log_where(error: BaseException) -> str:
    """Where ``error`` was raised (file:line:function, innermost first), without its message."""
    frames = traceback.extract_tb(error.__traceback__)[-5:]
    return " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in reversed(frames)
    )


def log_error(error: BaseException, body: Any, *, error_id: str) -> None:
    """Log the id, the exception type and its location, without any user data.

    ``body`` may be anything a request carried (a list, a string, None): never trusted.
    """
    body = body if isinstance(body, Mapping) else {}
    if is_unavailable(error):  # expected while the database is down: said as such
        logger.warning(
            "slack listener: database unavailable error_id=%s type=%s payload=%s team=%s user=%s",
            error_id,
            type(error).__qualname__,
            _payload_type(body),
            _team_id(body) or "-",
            _user_id(body) or "-",
        )
        return
    logger.error(
        "slack listener failed error_id=%s type=%s payload=%s team=%s user=%s at=%s",
        error_id,
        type(error).__qualname__,
        _payload_type(body),
        _team_id(body) or "-",
        _user_id(body) or "-",
        log_where(error) or "-",
    )


_SAFE_ID = re.compile(r"[A-Za-z0-9._:/-]{1,64}")


def _safe(value: object) -> str | None:
    """``value`` if it is a short id-like string (safe to log and to address), else None."""
    return value if isinstance(value, str) and _SAFE_ID.fullmatch(value) else None


def _payload_type(body: Mapping[str, Any]) -> str:
    if "command" in body:
        return f"command:{_safe(body['command']) or '?'}"
    if body.get("type") == "event_callback":
        event = body.get("event")
        kind = event.get("type") if isinstance(event, Mapping) else None
        return f"event:{_safe(kind) or '-'}"
    return _safe(body.get("type")) or "-"


def _team_id(body: Mapping[str, Any]) -> str | None:
    team = body.get("team")
    return _safe(body.get("team_id")) or (
        _safe(team.get("id")) if isinstance(team, Mapping) else None
    )


def _user_id(body: Mapping[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, Mapping):
        return _safe(user.get("id"))
    if isinstance(user, str):
        return _safe(user)
    event = body.get("event")
    if isinstance(event, Mapping) and isinstance(event.get("user"), str):
        return _safe(event["user"])
    return _safe(body.get("user_id"))


def _channel_id(body: Mapping[str, Any]) -> str | None:
    channel = body.get("channel")
    if isinstance(channel, Mapping):
        return _safe(channel.get("id"))
    event = body.get("event")
    if isinstance(event, Mapping) and isinstance(event.get("channel"), str):
        return _safe(event["channel"])
    container = body.get("container")
    if isinstance(container, Mapping) and container.get("channel_id"):
        return _safe(container["channel_id"])
    return _safe(body.get("channel_id"))


def error_view(error_id: str, *, text: str | None = None) -> dict[str, Any]:
    """A modal pushed over a failed form, so the values typed underneath are kept."""
    return bk.modal(
        "エラー",
        [bk.section(text or USER_MESSAGE.format(error_id=error_id))],
        callback_id="error_notice",
    )


def notify_user(
    *,
    error_id: str,
    body: Mapping[str, Any],
    respond: Respond | None,
    client: WebClient | None,
    text: str | None = None,
) -> bool:
    """Tell the user about the error, ephemerally where Slack allows it; True if told.

    Call it with the body of a *verified* request only: it addresses whoever the body names.
    """
    text = text or USER_MESSAGE.format(error_id=error_id)
    try:
        if respond is not None and respond.response_url:
            result = respond(text=text, response_type="ephemeral", replace_original=False)
            if result.status_code != 200:
                raise RuntimeError(f"response_url answered HTTP {result.status_code}")
            return True
        user, channel = _user_id(body), _channel_id(body)
        if client is None or user is None:
            return False
        if channel is not None:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
        else:
            client.chat_postMessage(channel=user, text=text)  # a DM from the app
        return True
    except Exception as notify_error:
        logger.warning(
            "could not tell the user about error_id=%s: %s",
            error_id,
            type(notify_error).__qualname__,
        )  # the type only: a SlackApiError's message would echo the request
        return False


def handle_error(
    error: Exception,
    body: dict[str, Any] | None,
    respond: Respond | None = None,
    client: WebClient | None = None,
    response: BoltResponse | None = None,
    context: Mapping[str, Any] | None = None,
) -> BoltResponse | None:
    """Bolt global error handler (registered with ``app.error``).

    It acts only on a verified request (``trust.is_verified``): for anything else it logs
    and answers 401, and never calls the Web API or a response_url named in the body. The
    WSGI layer refuses unverified requests before Bolt, so this is the second line.

    ``response`` is set when the request has not been acknowledged yet: then the answer to
    Slack itself carries the notice (an ephemeral reply to a command, a modal pushed over a
    failed form) instead of Slack's generic failure message. Events keep Bolt's status so a
    delivery that failed before it was accepted can still be retried by Slack.
    """
    error_id = new_error_id()
    log_error(error, body, error_id=error_id)
    # The database being unreachable is said as such: the user retries later, not calls.
    template = UNAVAILABLE_MESSAGE if is_unavailable(error) else USER_MESSAGE
    text = template.format(error_id=error_id)
    if not is_verified(context):
        return BoltResponse(status=401, body="") if response is not None else None
    body = body if isinstance(body, dict) else {}
    is_event = body.get("type") == "event_callback"
    if is_event and response is not None and is_unavailable(error):
        # Not accepted yet, and the database is away: 503, and Slack delivers the event
        # again (up to three times over about five minutes). Nothing to tell the user.
        return BoltResponse(status=503, body="")
    if response is not None and not is_event:
        if body.get("type") == "view_submission":
            # Push, not update: the values typed into the form underneath are kept.
            return BoltResponse(
                status=200,
                body={"response_action": "push", "view": error_view(error_id, text=text)},
            )
        if "command" in body:
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        notify_user(error_id=error_id, body=body, respond=respond, client=client, text=text)
        return BoltResponse(status=200, body="")
    notify_user(error_id=error_id, body=body, respond=respond, client=client, text=text)
    return None


def guarded(func: Callable[..., None]) -> Callable[..., None]:
    """Wrap a lazy listener so its failures take the same path as other listener errors.

    Bolt only logs exceptions from lazy listeners, with their message (which may quote the
    draft). Bolt injects arguments by parameter name, so the wrapper advertises the
    listener's own parameters plus ``body``, ``respond`` and ``client`` (needed to answer the
    user) and passes the listener only what it asked for.
    """
    own = inspect.getfullargspec(func).args
    wanted = [*own, *(name for name in _ERROR_CONTEXT_ARGS if name not in own)]

    def wrapper(**kwargs: Any) -> None:
        try:
            func(**{name: kwargs.get(name) for name in own})
        except Exception as error:
            handle_error(
                error,
                kwargs.get("body"),
                respond=kwargs.get("respond"),
                client=kwargs.get("client"),
                context=kwargs.get("context"),
            )

    # No functools.wraps: Bolt follows __wrapped__ and would inject only the listener's args.
    wrapper.__name__ = func.__name__  # Bolt matches lazy functions by name in FaaS mode
    wrapper.__qualname__ = func.__qualname__
    wrapper.__doc__ = func.__doc__
    wrapper.__module__ = func.__module__
    wrapper.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in wanted]
    )
    return wrapper


def register_error_handler(app: App) -> None:
    """Install :func:`handle_error` as the app's global error handler."""
    app.error(handle_error)

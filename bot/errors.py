"""Refusals the user should see. ``message`` is natural Japanese, shown as is by adapters."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.notify.messages import FindingView


class BotError(Exception):
    """A request the core refuses; nothing was changed."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Content-check findings shown with the refusal (BlockedByFindings sets them).
        self.findings: list[FindingView] = []
        if code is not None:
            self.code = code


class NotFound(BotError):
    code = "not_found"


class PermissionDenied(BotError):
    code = "permission_denied"


class InvalidTransition(BotError):
    code = "invalid_transition"


class ValidationFailed(BotError):
    """Input that does not validate; ``fields`` maps a field name to a Japanese message."""

    code = "validation_failed"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


# The database cannot be reached (it is down, restarting, unreachable over the network, or
# SQLite's file is locked for too long): the request was not carried out, nothing of it was
# stored, and the same request will work once the database is back. Adapters show this
# instead of the generic error notice.
UNAVAILABLE_MESSAGE = (
    "ただいまシステムのデータベースに接続できないため、処理できません。"
    "この操作は記録されていません。しばらくしてからもう一度お試しください"
    "（エラーID: {error_id}）。"
)


def is_unavailable(error: BaseException) -> bool:
    """True when ``error`` means the database is unreachable, not that the request is bad."""
    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, exc.OperationalError | exc.InterfaceError | exc.TimeoutError)


def new_error_id() -> str:
    """A short id for one failure, in its log line and in what the user is told
    (e.g. "E-7F3A9C21": read out over the phone)."""
    return "E-" + secrets.token_hex(4).upper()

"""One place that turns failures into a Japanese message with an id, and a log line.

The log line carries the id, the exception type and the stack frames, never the exception
message: messages can quote the draft text the core was working on.
"""

from __future__ import annotations

import logging
import secrets
import traceback

logger = logging.getLogger("handlers.teams")


def report(exc: BaseException, *, where: str) -> str:
    """Log ``exc`` under a fresh id and return the Japanese message for the user."""
    error_id = secrets.token_hex(4)
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("error_id=%s where=%s type=%s\n%s", error_id, where, type(exc).__name__, frames)
    return user_message(error_id)


def user_message(error_id: str) -> str:
    """The apology the user sees."""
    return (
        f"処理中にエラーが発生しました（エラーID: {error_id}）。"
        "時間をおいてもう一度お試しください。解決しない場合は、このIDを管理者にお伝えください。"
    )

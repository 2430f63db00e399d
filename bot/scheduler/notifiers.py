"""The worker's notifier for the configured platform (``BOT_PLATFORM``).

Each adapter package exposes ``make_notifier(settings) -> Notifier``: ``handlers.console``,
``handlers.slack``, ``handlers.teams``. The import is lazy and by name, so ``bot/`` never
imports Slack or Teams code and a deployment only needs the SDK of the platform it uses.
Until the console adapter provides its own, the console platform prints to stdout.
"""

from __future__ import annotations

import importlib
import itertools
import sys
from typing import Any, TextIO

from bot.notify.messages import OutMessage
from bot.notify.port import Address, Notifier, SentRef

PLATFORMS = ("console", "slack", "teams")


class NotifierUnavailable(Exception):
    """The configured platform cannot deliver from this worker; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PrintNotifier:
    """Console fallback: each delivered message is printed as plain text."""

    platform = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._ids = itertools.count(1)

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        message_id = str(next(self._ids))
        where = f"@{to.key}" if to.kind == "person" else f"#{to.key}"
        if thread is not None:
            where += f"（スレッド {thread.message_id}）"
        print(f"[{message.kind}] → {where}\n{message.plain_text()}\n", file=self.stream)
        self.stream.flush()
        return SentRef("console", to.target, message_id, thread.message_id if thread else None)

    def update(self, ref: SentRef, message: OutMessage) -> None:
        print(f"[更新 {ref.message_id}] {message.title}\n", file=self.stream)
        self.stream.flush()


def make_notifier(platform: str, settings: Any) -> Notifier:
    """Import ``handlers.<platform>`` and build its notifier from ``settings``."""
    if platform not in PLATFORMS:
        raise NotifierUnavailable(
            f"BOT_PLATFORM={platform!r} は使えません。{', '.join(PLATFORMS)} のいずれかを指定してください。"
        )
    try:
        module = importlib.import_module(f"handlers.{platform}")
    except ImportError as exc:
        if platform == "console":
            return PrintNotifier()
        raise NotifierUnavailable(
            f"BOT_PLATFORM={platform} のアダプター（handlers.{platform}）を読み込めません: {exc}"
        ) from None
    factory = getattr(module, "make_notifier", None)
    if factory is None:
        if platform == "console":
            return PrintNotifier()
        raise NotifierUnavailable(
            f"handlers.{platform} に make_notifier(settings) がありません。"
            "このプラットフォームへの通知はまだ使えません。"
        )
    notifier: Notifier = factory(settings)
    return notifier

"""The worker's notifier for the configured platform (``BOT_PLATFORM``).

The platform adapters live in ``handlers/``, which ``bot/`` never imports: the entry point
(``bot/__main__.py``) passes one factory per platform (``bot.app.Adapters.notifiers``), so a
deployment only loads the SDK of the platform it uses. Without a console factory the
console platform prints to stdout (``PrintNotifier``).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Mapping
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


def make_notifier(
    platform: str, settings: Any, factories: Mapping[str, Callable[[Any], Notifier]]
) -> Notifier:
    """Build the notifier of ``platform`` from ``settings`` with the entry point's factory."""
    if platform not in PLATFORMS:
        raise NotifierUnavailable(
            f"BOT_PLATFORM={platform!r} は使えません。{', '.join(PLATFORMS)} のいずれかを指定してください。"
        )
    factory = factories.get(platform)
    if factory is None:
        if platform == "console":
            return PrintNotifier()
        raise NotifierUnavailable(
            f"BOT_PLATFORM={platform} のアダプター（handlers.{platform}）がこの起動方法では"
            "使えません。python -m bot worker で起動してください。"
        )
    try:
        return factory(settings)
    except ImportError as exc:  # the platform's SDK is not installed in this deployment
        raise NotifierUnavailable(
            f"BOT_PLATFORM={platform} のアダプター（handlers.{platform}）を読み込めません: {exc}"
        ) from None

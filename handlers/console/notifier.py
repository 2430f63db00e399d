"""The console's implementation of the core's Notifier port."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.notify.messages import OutMessage
from bot.notify.port import Address, SentRef
from handlers.console.render import render


@dataclass
class Received:
    """One message as a person (or channel) saw it in the console."""

    recipient: str  # person handle, or "#channel-key"
    message: OutMessage
    via: str  # "reply" (to the command's author) | "send" | "update"
    ref: SentRef | None = None
    thread: SentRef | None = None
    mentioned: tuple[str, ...] = ()  # the people the message mentions, as staff name them

    @property
    def kind(self) -> str:
        return self.message.kind

    @property
    def title(self) -> str:
        return self.message.title

    @property
    def draft_id(self) -> int | None:
        """The draft the message is about ("下書き #12" in its title or small print)."""
        for text in (self.message.title, self.message.context or "", self.message.text):
            match = re.search(r"下書き #(\d+)", text)
            if match:
                return int(match.group(1))
        return None

    @property
    def is_update(self) -> bool:
        return self.via == "update"

    def __str__(self) -> str:
        return render(self.message, mentioned=self.mentioned)

    def __contains__(self, needle: str) -> bool:
        return needle in str(self)


class ConsoleNotifier:
    """Delivers to the terminal (via ``sink``) and keeps every message for tests."""

    platform = "console"

    def __init__(
        self,
        sink: Callable[[Received], None] | None = None,
        *,
        names: Callable[[Sequence[str]], tuple[str, ...]] | None = None,
    ) -> None:
        self._ids = itertools.count(1)
        self.sink = sink
        # handles -> 「山田 花子（yamada）」…, for the mentions (the handles themselves if None)
        self.names = names or (lambda handles: tuple(handles))
        self.log: list[Received] = []
        # The current content of every message sent, by message id (updates replace it).
        self.current: dict[str, OutMessage] = {}

    def _emit(self, received: Received) -> None:
        self.log.append(received)
        if self.sink is not None:
            self.sink(received)

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        message_id = str(next(self._ids))
        recipient = to.key if to.kind == "person" else f"#{to.key}"
        ref = SentRef(
            platform="console",
            channel=recipient,
            message_id=message_id,
            thread_id=(thread.thread_id or thread.message_id) if thread is not None else None,
        )
        self.current[message_id] = message
        mentioned = self.names(message.mentions) if message.mentions else ()
        self._emit(Received(recipient, message, "send", ref, thread, mentioned))
        return ref

    def update(self, ref: SentRef, message: OutMessage) -> None:
        self.current[ref.message_id] = message
        mentioned = self.names(message.mentions) if message.mentions else ()
        self._emit(Received(ref.channel, message, "update", ref, mentioned=mentioned))

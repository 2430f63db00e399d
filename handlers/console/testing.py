"""An errbot-testbot-style harness: push a line as someone, pop what someone received.

    bot = TestBot(factory, clock=clock)          # any database (tests: SQLite and PostgreSQL)
    bot.push("sato", "/draft account=kanko-x 桜まつりを開催します。")
    request = bot.pop("yamada")                  # the approval request
    assert request.kind == "draft.approval_request"
    bot.push("yamada", "/approve 1")
    assert "承認されました" in bot.pop("sato", kind="draft.decided")

Every line runs through the real router, the real facade and the real outbox
(``deliver_pending`` after each command), exactly like the interactive console.
"""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict, deque

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from handlers.console.app import ConsoleApp, printer, seed_demo_if_empty
from handlers.console.notifier import Received


class TestBot:
    """A console session whose output is queued per recipient instead of printed."""

    __test__ = False  # not a pytest test class

    def __init__(
        self, factory: sessionmaker[Session], *, clock: Clock, seed_demo: bool = True
    ) -> None:
        if seed_demo:
            seed_demo_if_empty(factory, clock=clock)
        self.queues: dict[str, deque[Received]] = defaultdict(deque)
        self.app = ConsoleApp(factory, clock=clock, on_output=self._received)

    def _received(self, received: Received) -> None:
        self.queues[received.recipient].append(received)

    def push(self, user: str, text: str) -> None:
        """Enter ``text`` as ``user``: a command (its body may contain line breaks), or
        the next line of a multi-line body ("." alone ends it)."""
        if self.app.user != user:
            self.app.switch_user(user)
        self.app.handle(text)

    def pop(self, recipient: str, *, kind: str | None = None) -> Received:
        """The oldest message ``recipient`` (a handle or "#channel") has not popped yet.

        With ``kind``, skips (and drops) earlier messages of other kinds.
        """
        queue = self.queues[recipient]
        while queue:
            received = queue.popleft()
            if kind is None or received.kind == kind:
                return received
        seen = [r.kind for r in self.app.notifier.log if r.recipient == recipient]
        raise AssertionError(
            f"{recipient} has no {'message' if kind is None else kind!r} left to pop "
            f"(everything it received: {seen})"
        )

    def pending(self, recipient: str) -> list[Received]:
        """What ``recipient`` has received and not popped yet."""
        return list(self.queues[recipient])

    def clear(self) -> None:
        """Forget every queued message."""
        self.queues.clear()


def run_script(
    factory: sessionmaker[Session],
    script: str,
    *,
    clock: Clock,
    user: str | None = None,
    seed_demo: bool = True,
) -> str:
    """Replay ``script`` exactly as ``python -m bot console --script FILE`` does and return
    the transcript (each line after its prompt, then what was shown and delivered)."""
    if seed_demo:
        seed_demo_if_empty(factory, clock=clock)
    out = io.StringIO()
    app = ConsoleApp(factory, clock=clock, user=user, on_output=printer(out))
    if user:
        app.switch_user(user)
    app.run_lines(textwrap.dedent(script).strip("\n").splitlines(), echo=out)
    return out.getvalue()

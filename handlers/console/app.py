"""The console session: who is acting, command lines in, replies and deliveries out."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.db import transaction
from bot.directory import service as directory
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Account, Person
from bot.interaction import error, info
from bot.notify.messages import OutMessage
from bot.notify.service import deliver_pending
from handlers.console.commands import build_registry
from handlers.console.notifier import ConsoleNotifier, Received
from handlers.console.router import (
    Command,
    Context,
    NeedsBody,
    Registry,
    dispatch,
    run,
)

END_OF_BODY = "."
# Any of these alone on a line abandons a multi-line entry (nothing is sent or stored).
CANCEL_WORDS = ("/cancel", "/quit", "/exit", "/取消", "/取り消し", "/やめる", "/終了")
MULTILINE_PROMPT = (
    "本文を入力してください（複数行可）。"
    "最後に「.」だけの行を入力すると送信します。取りやめるときは「/cancel」と入力してください。"
)


class ConsoleApp:
    """One console session. ``handle(line)`` runs a line; output goes to ``on_output``."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        clock: Clock | None = None,
        user: str | None = None,
        registry: Registry | None = None,
        on_output: Callable[[Received], None] | None = None,
    ) -> None:
        self.factory = factory
        self.clock = clock or SystemClock()
        self.registry = registry or build_registry()
        self.on_output = on_output
        self.notifier = ConsoleNotifier(sink=self._emit, names=self._names)
        self.user = user or self.default_user()
        # A multi-line body being collected: (command, the first line's arguments, lines).
        self._collecting: tuple[Command, str, list[str]] | None = None
        self.finished = False  # /quit was entered
        self._people: dict[str, str] = {}  # handle -> 「山田 花子（yamada）」, for mentions

    # --- setup ---------------------------------------------------------------------

    def default_user(self) -> str:
        """A staff member who operates an account (the demo's 佐藤), else anyone."""
        with self.factory() as session:
            op = session.scalar(
                sa.select(Person.handle)
                .join(Account, Account.manager_id == Person.id)
                .where(Account.status == "confirmed", Person.active.is_(True))
                .order_by(Account.id)
                .limit(1)
            )
            if op is not None:
                return op
            anyone = session.scalar(sa.select(Person.handle).order_by(Person.handle).limit(1))
        return anyone or "guest"

    def _names(self, handles: Sequence[str]) -> tuple[str, ...]:
        """The people mentioned, named as staff see them: 「山田 花子（yamada）」."""
        return tuple(self._people.get(h, h) for h in handles)

    def current_name(self) -> str:
        """The acting person as staff see them: 「佐藤 美咲（sato）」."""
        self._load_names()
        return self._people.get(self.user, self.user)

    def _load_names(self) -> None:
        # Read before delivering: a delivery runs inside the outbox's transaction, where
        # SQLite allows no second connection.
        with self.factory() as session:
            rows = session.execute(sa.select(Person.handle, Person.name))
            self._people = {handle: f"{name}（{handle}）" for handle, name in rows}

    # --- running lines -------------------------------------------------------------

    @property
    def prompt(self) -> str:
        return "... " if self._collecting is not None else f"{self.user}> "

    def handle(self, line: str) -> None:
        """Run one input line (or add it to a multi-line body), then deliver the outbox."""
        if self._collecting is not None:
            cmd, head, lines = self._collecting
            if _command_word(line) in CANCEL_WORDS:
                self.cancel_entry()
                return
            if line.strip() != END_OF_BODY:
                lines.append(line.rstrip("\r\n"))
                return
            self._collecting = None
            body = "\n".join(lines)
            try:
                run(self._context(), cmd, (head + "\n" + body) if head else body)
            except NeedsBody:
                self._emit(
                    Received(self.user, error("本文が空です。送信を取りやめました。"), "reply")
                )
            self.deliver()
            return
        if not line.strip():
            return
        try:
            dispatch(self._context(), line)
        except NeedsBody as need:
            assert need.command is not None
            self._collecting = (need.command, need.args_text, [])
            self._emit(
                Received(
                    self.user,
                    OutMessage(kind="console.multiline", title=MULTILINE_PROMPT),
                    "reply",
                )
            )
            return
        self.deliver()

    @property
    def collecting(self) -> bool:
        """True while the lines of a multi-line entry are being read."""
        return self._collecting is not None

    def cancel_entry(self) -> None:
        """Abandon the multi-line entry being read: nothing is sent or stored."""
        if self._collecting is None:
            return
        self._collecting = None
        self._emit(
            Received(
                self.user,
                info(
                    "入力を取りやめました", "何も送信・保存していません。", kind="console.cancelled"
                ),
                "reply",
            )
        )

    def deliver(self) -> None:
        """Deliver every due outbox message to the console."""
        self._load_names()
        for _ in range(100):
            stats = deliver_pending(self.factory, self.notifier, clock=self.clock)
            if stats.sent == 0:
                break

    def switch_user(self, handle: str) -> None:
        with transaction(self.factory) as session:
            person = directory.get_person(session, handle=handle)
        self.user = person.handle

    def _context(self) -> Context:
        return Context(
            factory=self.factory,
            clock=self.clock,
            user=self.user,
            registry=self.registry,
            reply_sink=lambda m: self._emit(Received(self.user, m, "reply")),
            switch_user=self.switch_user,
            quit=self._request_quit,
        )

    def _request_quit(self) -> None:
        self.finished = True

    def _emit(self, received: Received) -> None:
        if self.on_output is not None:
            self.on_output(received)

    # --- terminal ------------------------------------------------------------------

    def run_lines(self, lines: Iterable[str], *, echo: TextIO | None = None) -> None:
        """Replay lines (``--script``), echoing each one after its prompt."""
        for raw in lines:
            if self.finished:
                return
            line = raw.rstrip("\r\n")
            if self._collecting is None and line.lstrip().startswith("#"):
                continue
            if echo is not None and (line.strip() or self._collecting is not None):
                echo.write(f"{self.prompt}{line}\n")
            self.handle(line)
        if self._collecting is not None:
            self.handle(END_OF_BODY)

    def repl(self, *, stdin: TextIO = sys.stdin) -> None:
        """Read lines until /quit or end of input."""
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing where available)
        while True:
            try:
                line = input(self.prompt) if stdin is sys.stdin else stdin.readline()
            except KeyboardInterrupt:
                print()
                if self._collecting is not None:  # Ctrl-C abandons the entry, not the console
                    self.cancel_entry()
                    continue
                break
            except EOFError:
                print()
                break
            if stdin is not sys.stdin and not line:
                break
            self.handle(line)
            if self.finished:
                break


def _command_word(line: str) -> str:
    """The line as a lone command word, full-width slash and spaces allowed ("／cancel　")."""
    return line.strip(" \t\r\n\u3000").replace("／", "/", 1)


def printer(out: TextIO) -> Callable[[Received], None]:
    """An output function that prints deliveries with who received them."""

    def show(received: Received) -> None:
        if received.via == "reply":
            out.write(str(received) + "\n\n")
            return
        label = "更新" if received.via == "update" else "受信"
        where = received.recipient
        out.write(f"── {where} が{label} ──\n{received}\n\n")
        out.flush()

    return show


def seed_demo_if_empty(factory: sessionmaker[Session], *, clock: Clock | None = None) -> bool:
    """Load the demo directory when nobody is registered yet; True if it did."""
    with transaction(factory) as session:
        if not directory.is_empty(session):
            return False
        load_file(session, path=DEMO_FILE, clock=clock)
    return True

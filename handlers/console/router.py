"""Slash-command routing for the console: a registry filled by one module per command."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.errors import BotError
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.interaction import Actor, Reply, error, info, refusal
from bot.interaction.args import split_command
from bot.notify.messages import OutMessage
from handlers.console import render

log = logging.getLogger(__name__)

Handler = Callable[["Context", str], None]


class NeedsBody(Exception):
    """Raised by a handler given options but no body: the console collects following lines
    (until a line with only ".") and calls the handler again with them appended."""

    def __init__(self) -> None:
        super().__init__("a body must follow")
        self.command: Command | None = None
        self.args_text = ""


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    summary: str
    usage: str
    aliases: tuple[str, ...] = ()


@dataclass
class Registry:
    """Commands by name and alias, in registration order (for /help)."""

    commands: dict[str, Command] = field(default_factory=dict)
    order: list[Command] = field(default_factory=list)

    def command(
        self,
        name: str,
        handler: Handler,
        *,
        summary: str,
        usage: str,
        aliases: tuple[str, ...] = (),
    ) -> None:
        """Register ``/name`` (and its aliases)."""
        cmd = Command(name, handler, summary, usage, aliases)
        for key in (name, *aliases):
            if key in self.commands:
                raise ValueError(f"console command /{key} registered twice")
            self.commands[key] = cmd
        self.order.append(cmd)

    def action(self, action_id: str, template: str) -> None:
        """How a button is pressed in the console, e.g. "/approve {draft_id} v{version}"."""
        render.ACTION_COMMANDS[action_id] = template

    def find(self, name: str) -> Command | None:
        return self.commands.get(name)


@dataclass
class Context:
    """What a command handler gets: who acts, the database, the clock, a way to answer."""

    factory: sessionmaker[Session]
    clock: Clock
    user: str  # the acting person's handle
    registry: Registry
    reply_sink: Callable[[OutMessage], None]
    switch_user: Callable[[str], None]
    quit: Callable[[], None] = lambda: None  # end the session (/quit)

    @property
    def actor(self) -> Actor:
        return Actor("console", self.user)

    def terms(self) -> Terms:
        """The guideline in force: summaries and usages are written with its words."""
        with self.factory() as session:
            return guideline_terms.in_force(session)

    def reply(self, message: OutMessage) -> None:
        """Show a message to the acting user only (the console's "ephemeral" reply)."""
        self.reply_sink(message)

    def answer(self, reply: Reply) -> None:
        """Show a facade reply."""
        self.reply(reply.message)

    def usage(self, command: str, problem: str = "") -> None:
        """Tell the user how to type a command."""
        cmd = self.registry.find(command)
        text = f"使い方: {self.terms().fill(cmd.usage)}" if cmd is not None else ""
        self.reply(error((problem or "入力の形式が違います。") + ("\n" + text if text else "")))


def dispatch(ctx: Context, line: str) -> None:
    """Run one command line. Unknown commands and refusals become Japanese replies.

    Raises NeedsBody (with ``.command`` and ``.args`` set) when a body must follow.
    """
    text = line.strip()
    parsed = split_command(text)
    if parsed is None:
        ctx.reply(
            info(
                "コマンドは / で始めてください",
                "例: /draft 本文、/check 本文、/help（コマンドの一覧）",
                kind="error",
            )
        )
        return
    name, args = parsed
    cmd = ctx.registry.find(name)
    if cmd is None:
        ctx.reply(error(f"「/{name}」というコマンドはありません。/help で一覧を表示します。"))
        return
    run(ctx, cmd, args.strip(" "))


def run(ctx: Context, cmd: Command, args: str) -> None:
    """Call a command's handler; a BotError is shown, anything else logged with an id."""
    try:
        cmd.handler(ctx, args)
    except NeedsBody as exc:
        exc.command = cmd
        exc.args_text = args
        raise
    except BotError as exc:
        ctx.answer(refusal(exc))
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        # Only the id and the command name: arguments may contain draft text.
        log.exception("console command /%s failed (error id %s)", cmd.name, error_id)
        ctx.reply(
            error(f"内部エラーが発生しました（エラーID: {error_id}）。管理者に連絡してください。")
        )

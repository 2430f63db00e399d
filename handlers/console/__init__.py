"""The local console adapter: the embedded default (``python -m bot``) and the e2e harness.

A person types slash commands as any user of the directory (``/as sato``); the core's
notifications are delivered through the real outbox to a ``ConsoleNotifier`` that prints
them (and keeps them for tests), including thread replies and in-place updates.

Adding a command
----------------
One module per command under ``handlers/console/commands/``. The module defines::

    def register(registry: Registry) -> None:
        registry.command(
            "incident",                         # typed as /incident
            handler,                            # (ctx: Context, args: str) -> None
            summary="炎上・なりすまし・訂正を報告する（{incidents}）",
            usage="/incident 炎上|なりすまし|訂正 内容",
            aliases=("インシデント",),
        )
        # optional: how a button (Action.action_id) is shown as a command in the console
        registry.action("incident.tick", "/incident tick {incident_id} {item}")

and ``handlers/console/commands/__init__.py`` imports the module and adds its ``register``
to ``REGISTRARS``. A handler parses its arguments, calls the core
(``bot.drafts.api`` or its own service) and shows the result with ``ctx.reply(message)``;
refusals are ``ctx.reply(bot.interaction.refusal(exc).message)`` or just raising ``BotError`` (the
router turns it into a Japanese error reply). The router delivers the outbox after each
command, so other people's notifications appear right after the reply.
"""

from handlers.console.app import ConsoleApp
from handlers.console.notifier import ConsoleNotifier, Received
from handlers.console.router import Context, Registry

__all__ = ["ConsoleApp", "ConsoleNotifier", "Context", "Received", "Registry"]

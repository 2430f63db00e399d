"""Console commands, one module per command; each defines ``register(registry)``.

Other areas add their module's dotted name to this list (see handlers/console/__init__.py).
"""

COMMAND_MODULES: list[str] = [
    "handlers.console.commands.help",
    "handlers.console.commands.as_user",
    "handlers.console.commands.draft",
    "handlers.console.commands.check",
    "handlers.console.commands.decide",
    "handlers.console.commands.edit",
    "handlers.console.commands.published",
    "handlers.console.commands.report",
    "handlers.console.commands.ack",
    "handlers.console.commands.withdraw",
    "handlers.console.commands.drafts",
    "handlers.console.commands.inbox",
    "handlers.console.commands.account",
    "handlers.console.commands.custody",
    "handlers.console.commands.incident",
    "handlers.console.commands.snooze",
    "handlers.console.commands.quit",
]

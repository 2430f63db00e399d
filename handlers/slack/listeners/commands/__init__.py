"""Slash commands (/draft, /check, /incident, /account): one module per command.

A command module acks within 3 seconds and does the work in a lazy listener wrapped with
`errors.guarded` (opening a modal first when it needs one)::

    app.command("/check")(ack=ack_only, lazy=[guarded(run_check)])
"""

from slack_bolt import App

from handlers.slack.listeners.commands import check, draft, text_commands


def register(app: App) -> None:
    """Register the slash-command listeners."""
    draft.register(app)
    check.register(app)
    text_commands.register(app)

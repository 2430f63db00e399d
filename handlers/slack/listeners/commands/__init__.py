"""Slash commands (/draft, /check, /incident, /account): one module per command.

A command module acks within 3 seconds (opening a modal first with the trigger_id when it
needs one) and does the slow work in a lazy listener wrapped with `errors.guarded`::

    app.command("/check")(ack=ack_check, lazy=[guarded(run_check)])
"""

from slack_bolt import App


def register(app: App) -> None:
    """Register the slash-command listeners (the workflows land in the next round)."""

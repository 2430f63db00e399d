"""View submissions and closures of modals: one module per callback_id.

Submissions are made idempotent with `dedupe.view_submission_key` (see docs/slack.md).
"""

from slack_bolt import App


def register(app: App) -> None:
    """Register the view listeners (the workflows land in the next round)."""

"""View submissions and closures of modals: one module per callback_id.

Submissions are made idempotent with `dedupe.view_submission_key` (see docs/slack.md).
"""

from slack_bolt import App

from handlers.slack.listeners.views import (
    action_prompt,
    custody_submit,
    draft_submit,
    form_submit,
)


def register(app: App) -> None:
    """Register the view listeners."""
    draft_submit.register(app)
    action_prompt.register(app)
    form_submit.register(app)
    custody_submit.register(app)

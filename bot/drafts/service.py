"""Draft workflow services (W1, W2): submit, route, decide, edit, publish, report, acknowledge.

Every function takes the caller's ``Session`` and never commits. A refusal raises a
``BotError`` with a Japanese message before anything is written, or after partial writes
that the caller's rollback undoes. Decisions that can race (two approvers, a decision and
an edit) are settled by conditional UPDATEs on (draft id, state, current version), backed
by unique constraints; never by reading first and writing later.

This module is the one import for callers; the code lives in sections of its own:

- ``bot.drafts.common``: look-ups (``get_draft``, ``current_version``), account and input checks;
- ``bot.drafts.submission``: ``submit``, routing, ``edit``, ``withdraw``;
- ``bot.drafts.decisions``: ``decide`` and the decision hook registry;
- ``bot.drafts.reports``: ``mark_published``, ``file_report``, ``acknowledge_report``;
- ``bot.drafts.queries``: lists for UIs and reminders.
"""

from __future__ import annotations

from bot.drafts.common import (
    MAX_NOTE_CHARS,
    MAX_URL_CHARS,
    SubmitResult,
    current_version,
    decision_for,
    get_draft,
)
from bot.drafts.decisions import (
    DecisionHook,
    DecisionHooks,
    decide,
    decision_hooks,
)
from bot.drafts.queries import (
    DraftSummary,
    approval_notices,
    awaiting_acknowledgement,
    awaiting_decision,
    my_drafts,
    overdue_reports,
    pending_approvals,
    unacknowledged_reports,
)
from bot.drafts.reports import (
    acknowledge_report,
    file_report,
    mark_published,
)
from bot.drafts.submission import (
    edit,
    submit,
    withdraw,
)

__all__ = [
    "MAX_NOTE_CHARS",
    "MAX_URL_CHARS",
    "DecisionHook",
    "DecisionHooks",
    "DraftSummary",
    "SubmitResult",
    "acknowledge_report",
    "approval_notices",
    "awaiting_acknowledgement",
    "awaiting_decision",
    "current_version",
    "decide",
    "decision_for",
    "decision_hooks",
    "edit",
    "file_report",
    "get_draft",
    "mark_published",
    "my_drafts",
    "overdue_reports",
    "pending_approvals",
    "submit",
    "unacknowledged_reports",
    "withdraw",
]

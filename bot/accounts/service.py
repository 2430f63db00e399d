"""Official-account registry services (W5; guideline 4(1), 4(2), 4(3) ただし書, 5(4), 5(5)).

State machine of ``Account.status``::

    registered --submit--> submitted --confirm--> confirmed --suspend--> suspended
    returned   --submit--> submitted --return---> returned     <--resume--
    any (but closed) --close--> closed

Every transition is one conditional UPDATE (``... WHERE status IN (allowed)``), so two
clicks, two processes or a stale button can never both win. Services never commit.

This module is the one import for callers; the code lives in sections of its own:
``bot.accounts.common`` (look-ups, records, permission and directory checks),
``registration`` (運用ポリシー and 開設届), ``lifecycle`` (manager, operators, suspend,
resume, close), ``posting_rules`` (4(3) ただし書) and ``checklist`` (5(4), 5(5)).
"""

from __future__ import annotations

from bot.accounts.checklist import (
    parse_check_item,
    set_check,
)
from bot.accounts.common import (
    account_history,
    account_summary,
    get_policy,
    list_accounts,
    rule_history,
)
from bot.accounts.lifecycle import (
    change_manager,
    close_account,
    resume_account,
    set_operators,
    suspend_account,
)
from bot.accounts.posting_rules import (
    parse_category,
    register_rule,
    revoke_rule,
)
from bot.accounts.registration import (
    confirm_registration,
    decide_registration,
    form_values,
    missing_items,
    register_account,
    return_registration,
    submit_registration,
    update_registration,
)
from bot.accounts.validation import FIELDS

__all__ = [
    "FIELDS",
    "account_history",
    "account_summary",
    "change_manager",
    "close_account",
    "confirm_registration",
    "decide_registration",
    "form_values",
    "get_policy",
    "list_accounts",
    "missing_items",
    "parse_category",
    "parse_check_item",
    "register_account",
    "register_rule",
    "resume_account",
    "return_registration",
    "revoke_rule",
    "rule_history",
    "set_check",
    "set_operators",
    "submit_registration",
    "suspend_account",
    "update_registration",
]

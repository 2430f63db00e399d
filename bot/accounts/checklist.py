"""The profile checklist of an account (5(4) contact, 5(5) city page URL): who checked
what, when.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.accounts.common import current_time, record_event, require_edit
from bot.accounts.models import CHECK_ITEMS, AccountCheck
from bot.clock import Clock
from bot.directory import service as directory
from bot.directory.models import CLOSED, Person
from bot.errors import InvalidTransition, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms

# ---------------------------------------------------------------------------- checklist


def parse_check_item(value: str, terms: Terms) -> str:
    """ "5(4)" / "contact" / "5(5)" / "city_page" -> the checklist key (the clauses as the
    guideline in force numbers them)."""
    text = value.strip().replace("（", "(").replace("）", ")")
    for key, (topic, _label) in CHECK_ITEMS.items():
        if text in (key, terms.ref(topic)):
            return key
    contact, page = terms.ref("account_contact"), terms.ref("publication")
    raise ValidationFailed(
        f"確認項目「{value}」はありません。{contact}（運用組織・連絡先）か{page}（市ホームページのURL）を指定してください。",
        fields={"item": f"{contact} か {page} を指定してください。"},
    )


def set_check(
    session: Session,
    *,
    actor: Person,
    code: str,
    item: str,
    checked: bool = True,
    clock: Clock | None = None,
) -> AccountCheck:
    """Record a profile checklist item (5(4), 5(5)) as checked or unchecked, with who/when."""
    terms = guideline_terms.in_force(session)
    key = parse_check_item(item, terms)
    account = directory.get_account(session, code=code, lock=True)
    now = current_time(clock)
    require_edit(session, account, actor, now)
    if account.status == CLOSED:
        raise InvalidTransition(f"公式アカウント「{account.name}」は閉鎖されています。")
    row = session.scalar(
        sa.select(AccountCheck).where(
            AccountCheck.account_id == account.id, AccountCheck.item == key
        )
    )
    if row is None:
        row = AccountCheck(account_id=account.id, item=key)
        session.add(row)
    row.checked = checked
    row.checked_by_id = actor.id
    row.checked_at = now
    session.flush()
    session.refresh(row, ["checked_by"])
    record_event(
        session,
        account=account,
        actor=actor,
        kind="checklist",
        clock=clock,
        data={"item": key, "clause": terms.ref(CHECK_ITEMS[key][0]), "checked": checked},
    )
    return row

"""What waits for a 広報課長's decision in the registry: 開設届 to confirm or return (4(2)).

``/inbox`` and the App Home list these beside the drafts waiting for a 所属長, so every
decision a person owes appears in one place whatever its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.accounts.models import AccountRegistration
from bot.directory import service as directory
from bot.directory.models import SUBMITTED, Account, Person


@dataclass(frozen=True)
class PendingRegistration:
    code: str
    name: str
    media: str
    department: str
    submitted_by: str  # 「山田 花子（yamada）」, or "" for one loaded from the directory file
    submitted_at: datetime | None


def awaiting_confirmation(session: Session, *, person: Person) -> list[PendingRegistration]:
    """Every submitted 開設届, if ``person`` is a 広報課長 (org role ``pr_head``); else []."""
    if not directory.has_role(session, person=person, role="pr_head"):
        return []
    accounts = session.scalars(
        sa.select(Account).where(Account.status == SUBMITTED).order_by(Account.code)
    ).all()
    pending: list[PendingRegistration] = []
    for account in accounts:
        latest = session.scalar(
            sa.select(AccountRegistration)
            .where(
                AccountRegistration.account_id == account.id,
                AccountRegistration.decision.is_(None),
            )
            .order_by(AccountRegistration.number.desc())
            .limit(1)
        )
        who = latest.submitted_by if latest is not None else account.manager
        pending.append(
            PendingRegistration(
                code=account.code,
                name=account.name,
                media=account.media,
                department=account.department.name,
                submitted_by=f"{who.name}（{who.handle}）" if who is not None else "",
                submitted_at=latest.submitted_at if latest is not None else None,
            )
        )
    return pending

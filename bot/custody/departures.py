"""Has a person left a department? The guard every decision path asks (人事異動).

From 00:00 JST of the effective date a person who left a department keeps no decision
right over it, even before the effective-date step has run (a worker that was down, the
minute after midnight). Once the step has run, the directory itself says so (the head is
the successor, the deputy's period has ended), so only transfers that are due and not
yet applied need a look: an indexed query that finds nothing on every other day.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.custody.models import Transfer


def has_left(session: Session, *, person_id: int, department_id: int, now: datetime) -> bool:
    """Whether a due, not yet applied transfer takes the person out of the department."""
    return (
        session.scalar(
            sa.select(Transfer.id)
            .where(
                Transfer.applied_at.is_(None),
                Transfer.effective_at <= now,
                Transfer.person_id == person_id,
                Transfer.from_department_id == department_id,
                sa.or_(
                    Transfer.to_department_id.is_(None),
                    Transfer.to_department_id != department_id,
                ),
            )
            .limit(1)
        )
        is not None
    )

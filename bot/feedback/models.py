"""Allowances: data a 情報政策課 reviewer adds to the content check, never code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base
from bot.directory.models import Person
from bot.tenancy import TenantOwned

#: allow_phrase: a finding whose matched words are exactly this is not reported;
#: public_number: a telephone number the city publishes (7(1)エ does not apply);
#: trusted_domain: a domain links may point to (7(2)エ / 5(9) do not apply);
#: disable_rule: a rule id switched off for the whole city.
KINDS = ("allow_phrase", "public_number", "trusted_domain", "disable_rule")


class CheckAllowance(TenantOwned, Base):
    __tablename__ = "check_allowances"
    __table_args__ = (
        sa.CheckConstraint("kind in (" + ",".join(f"'{k}'" for k in KINDS) + ")", name="kind"),
        # One active entry per value; a revoked one may be added again.
        sa.Index(
            "uq_check_allowances_active",
            "tenant_id",
            "kind",
            "value",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    value: Mapped[str] = mapped_column(sa.String(200))
    # The rule whose finding prompted the entry (None when added without a case).
    rule: Mapped[str | None] = mapped_column(sa.String(64))
    reason: Mapped[str] = mapped_column(sa.Text)
    # The draft whose false-positive statement this answers, if any.
    draft_id: Mapped[int | None] = mapped_column(sa.ForeignKey("drafts.id", ondelete="SET NULL"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[datetime]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[Person] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[Person | None] = relationship(foreign_keys=[revoked_by_id])

"""Official-account registry tables (W5; guideline 4(1), 4(2), 4(3) ただし書, 5(4), 5(5)).

The account itself and its statuses are ``bot.directory.models.Account`` and
``ACCOUNT_STATUSES``; these tables hold what the registry adds to it, so the directory loader and this module never edit the same table
definition:

- ``AccountPolicy``: the 運用ポリシー items 4(1)ア〜キ not already on ``Account``.
- ``AccountRegistration``: one row per 開設届 submission and its decision (4(2)).
- ``AccountEvent``: the account's history (who changed what, when).
- ``ExemptionRuleHistory``: every registered posting rule (4(3) ただし書), including
  revoked and replaced ones; ``ExemptionRule`` stays the current-state table.
- ``AccountCheck``: the profile checklist (5(4), 5(5)).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base
from bot.directory.models import Account, Person
from bot.tenancy import TenantOwned

# Profile checklist items: key -> (the topic of the clause it serves, in the guideline
# file's ``references``; Japanese description).
CHECK_ITEMS: dict[str, tuple[str, str]] = {
    "contact": ("account_contact", "基本情報欄に運用組織・連絡先を明示している"),
    "city_page": ("publication", "基本情報欄に市ホームページの当該ページURLを掲載している"),
}


class AccountPolicy(TenantOwned, Base):
    """運用ポリシー items of 4(1) that ``Account`` does not already hold."""

    __tablename__ = "account_policies"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "url_key"),)

    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    organisation: Mapped[str] = mapped_column(sa.Text)  # ア 管理主体
    purpose: Mapped[str] = mapped_column(sa.Text)  # イ 利用目的
    information: Mapped[str] = mapped_column(sa.Text)  # ウ 発信する情報
    response: Mapped[str] = mapped_column(sa.Text)  # エ 受信した情報への対応
    start_date: Mapped[date] = mapped_column(sa.Date)  # カ 運用開始日
    # Normalised URL (lower case, no www., x.com == twitter.com): refuses duplicates that
    # differ only in spelling, in the database.
    url_key: Mapped[str] = mapped_column(sa.String(500))
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    registered_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    account: Mapped[Account] = relationship()
    registered_by: Mapped[Person] = relationship()


class AccountRegistration(TenantOwned, Base):
    """One 開設届 submission (4(2)) and the 広報課長's decision on it, made once."""

    __tablename__ = "account_registrations"
    __table_args__ = (
        sa.UniqueConstraint("account_id", "number"),
        sa.CheckConstraint(
            "decision is null or decision in ('confirmed','returned','withdrawn')",
            name="decision",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1 for the first submission, 2 after one return, ...
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    submitted_at: Mapped[datetime]
    decision: Mapped[str | None] = mapped_column(sa.String(16))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # Outbox ids of the request sent to each 広報課長 (handle -> id), updated in place.
    request_messages: Mapped[dict[str, Any]] = mapped_column(default=dict)

    account: Mapped[Account] = relationship()
    submitted_by: Mapped[Person] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])


class AccountEvent(TenantOwned, Base):
    """The account's history: every registry step, with who and when."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(sa.String(32))  # e.g. "submitted", "manager_changed"
    reason: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[Person | None] = relationship()


class ExemptionRuleHistory(TenantOwned, Base):
    """Every posting rule ever registered for an account and category (4(3) ただし書)."""

    __tablename__ = "exemption_rule_history"
    __table_args__ = (
        sa.CheckConstraint(
            "end_kind is null or end_kind in ('revoked','replaced')", name="end_kind"
        ),
        sa.Index("ix_exemption_rule_history_account_category", "account_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(sa.String(8))  # the guideline file's label
    rule_text: Mapped[str] = mapped_column(sa.Text)
    # Empty only for rules seeded from the directory file without these details.
    agreed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    agreed_at: Mapped[datetime | None]
    # Set when the rule stops applying: revoked, or replaced by a newer rule.
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    end_kind: Mapped[str | None] = mapped_column(sa.String(16))  # "revoked" | "replaced"
    end_reason: Mapped[str | None] = mapped_column(sa.Text)

    agreed_by: Mapped[Person | None] = relationship(foreign_keys=[agreed_by_id])
    ended_by: Mapped[Person | None] = relationship(foreign_keys=[ended_by_id])


class AccountCheck(TenantOwned, Base):
    """One profile-checklist item (5(4), 5(5)): checked or not, by whom, when."""

    __tablename__ = "account_checks"
    __table_args__ = (sa.UniqueConstraint("account_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(sa.String(16))  # a key of CHECK_ITEMS
    checked: Mapped[bool] = mapped_column(default=False)
    checked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    checked_at: Mapped[datetime]

    checked_by: Mapped[Person] = relationship()

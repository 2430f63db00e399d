"""Who holds which role: people, departments, deputies, official accounts, org roles, channels.

All of this is data an administrator loads (``python -m bot directory load``), never code.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base
from bot.tenancy import DEFAULT_TENANT, TenantOwned, connection_tenant

if TYPE_CHECKING:
    from bot.guideline.terms import Terms

ORG_ROLES = ("pr_head", "info_policy", "admin")

# Account.status (W5; the state machine is in bot.accounts.service). Drafts may be posted
# only for a CONFIRMED account. A new status needs a migration (CHECK constraint, 0009).
REGISTERED = "registered"
SUBMITTED = "submitted"
CONFIRMED = "confirmed"
RETURNED = "returned"
SUSPENDED = "suspended"
CLOSED = "closed"
ACCOUNT_STATUSES = (REGISTERED, SUBMITTED, CONFIRMED, RETURNED, SUSPENDED, CLOSED)

# Templates: ``{form}`` and ``{confirmer}`` are the guideline's words (``Terms.fill``;
# ``bot.accounts.messaging.status_label``).
ACCOUNT_STATUS_LABELS = {
    REGISTERED: "登録済み（{form}未提出）",
    SUBMITTED: "{form}提出中（{confirmer}の確認待ち）",
    CONFIRMED: "確認済み（運用中）",
    RETURNED: "差し戻し",
    SUSPENDED: "休止中",
    CLOSED: "閉鎖",
}


def status_label(status: str, terms: Terms) -> str:
    """An account status as staff read it, in the guideline's words (「開設届提出中（広報課長
    の確認待ち）」)."""
    return terms.fill(ACCOUNT_STATUS_LABELS.get(status, status))


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK constraint: ``column`` holds one of ``values``."""
    return f"{column} in (" + ",".join(f"'{v}'" for v in values) + ")"


class Person(TenantOwned, Base):
    __tablename__ = "people"
    # Handles and platform user ids are unique within one city (tenant), not across them.
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "handle"),
        sa.UniqueConstraint("tenant_id", "slack_user_id"),
        sa.UniqueConstraint("tenant_id", "teams_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key used by the directory file and the console adapter.
    handle: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    slack_user_id: Mapped[str | None] = mapped_column(sa.String(32))
    teams_user_id: Mapped[str | None] = mapped_column(sa.String(128))
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Person {self.handle}>"


class Department(TenantOwned, Base):
    __tablename__ = "departments"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    head_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))

    head: Mapped[Person | None] = relationship(foreign_keys=[head_id])
    deputies: Mapped[list[Deputy]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )


class Deputy(TenantOwned, Base):
    """A registered stand-in (代理) for a department head, active within a period."""

    __tablename__ = "deputies"
    __table_args__ = (sa.UniqueConstraint("department_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    active_from: Mapped[datetime | None]
    active_until: Mapped[datetime | None]

    department: Mapped[Department] = relationship(back_populates="deputies")
    person: Mapped[Person] = relationship()

    def is_active(self, now: datetime) -> bool:
        """Whether the delegation covers ``now``."""
        if self.active_from is not None and now < self.active_from:
            return False
        return not (self.active_until is not None and now >= self.active_until)


account_operators = sa.Table(
    "account_operators",
    Base.metadata,
    sa.Column("account_id", sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("person_id", sa.ForeignKey("people.id"), primary_key=True),
    # The ORM inserts these rows without an object: the default reads the session's
    # tenant from the connection (bot.tenancy.connection_tenant).
    sa.Column(
        "tenant_id",
        sa.String(64),
        sa.ForeignKey("tenants.id"),
        nullable=False,
        index=True,
        default=connection_tenant,
        server_default=DEFAULT_TENANT,
    ),
)


class Account(TenantOwned, Base):
    """An official social-media account (公式アカウント)."""

    __tablename__ = "accounts"
    __table_args__ = (
        sa.CheckConstraint(_one_of("status", ACCOUNT_STATUSES), name="status"),
        sa.UniqueConstraint("tenant_id", "code"),
        sa.UniqueConstraint("tenant_id", "url"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    media: Mapped[str] = mapped_column(sa.String(64))  # e.g. "X", "Facebook", "Instagram"
    url: Mapped[str | None] = mapped_column(sa.String(500))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    manager_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default=CONFIRMED)  # ACCOUNT_STATUSES

    department: Mapped[Department] = relationship()
    manager: Mapped[Person | None] = relationship(foreign_keys=[manager_id])
    operators: Mapped[list[Person]] = relationship(secondary=account_operators)
    exemptions: Mapped[list[ExemptionRule]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )


class ExemptionRule(TenantOwned, Base):
    """A department's registered posting rule for one exempt category (4(3) ただし書)."""

    __tablename__ = "exemption_rules"
    __table_args__ = (sa.UniqueConstraint("account_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"))
    # The guideline file's exemption label (ア, 甲…), checked against the guideline in force.
    category: Mapped[str] = mapped_column(sa.String(8))
    rule_text: Mapped[str] = mapped_column(sa.Text, default="")
    agreed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    agreed_at: Mapped[datetime | None]

    account: Mapped[Account] = relationship(back_populates="exemptions")
    agreed_by: Mapped[Person | None] = relationship()


class OrgRole(TenantOwned, Base):
    """Organisation-wide roles: 広報課長 (pr_head), 情報政策課 (info_policy), admin."""

    __tablename__ = "org_roles"
    __table_args__ = (
        sa.UniqueConstraint("role", "person_id"),
        sa.CheckConstraint(_one_of("role", ORG_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(32))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))

    person: Mapped[Person] = relationship()


class Channel(TenantOwned, Base):
    """A named group conversation the bot posts to, e.g. 情報政策課's incident channel."""

    __tablename__ = "channels"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    slack_channel_id: Mapped[str | None] = mapped_column(sa.String(32))
    teams_channel_id: Mapped[str | None] = mapped_column(sa.String(256))


class ConversationRef(TenantOwned, Base):
    """How to reach a person or channel proactively on a platform.

    Slack can DM a user id directly, but Teams needs the conversation reference (service
    URL, conversation id, tenant) captured when the bot was installed or first spoke.
    """

    __tablename__ = "conversation_refs"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "platform", "owner_kind", "owner_key"),
        sa.CheckConstraint("owner_kind in ('person','channel')", name="owner_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(sa.String(16))
    owner_kind: Mapped[str] = mapped_column(sa.String(16))
    owner_key: Mapped[str] = mapped_column(sa.String(64))  # person handle or channel key
    conversation_id: Mapped[str] = mapped_column(sa.String(512))
    service_url: Mapped[str | None] = mapped_column(sa.String(500))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]

"""Tables: custody records, physical media, personnel transfers and handover tasks.

Nothing here ever holds a password, an authentication code or a recovery key (5(10)):
only *who* holds the credentials, *where* recovery points, *whether* two-factor
authentication is on, *who* keeps each medium and *where*, and *when* the password was
last changed. ``bot.custody.secrets`` refuses input that looks like a secret before it
reaches any of these columns.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base
from bot.directory.models import Account, Department, Person
from bot.tenancy import TenantOwned

TWOFA_METHODS = ("app", "sms", "security_key", "email")
MEDIUM_KINDS = ("ic_card", "security_key", "recovery_codes", "other")
TRANSFER_ROLES = ("staff", "head", "deputy")
HANDOVER_STEPS = ("holder", "password", "twofa", "media", "policy")

TWOFA_LABELS = {
    "app": "認証アプリ",
    "sms": "SMS",
    "security_key": "セキュリティキー",
    "email": "メール",
}

MEDIUM_LABELS = {
    "ic_card": "ICカード",
    "security_key": "セキュリティキー",
    "recovery_codes": "リカバリーコードの控え",
    "other": "その他",
}

STEP_LABELS = {
    "holder": "新しい認証情報の管理者を指名",
    "password": "パスワードを変更",
    "twofa": "二要素認証の端末を移行",
    "media": "媒体（ICカード等）を引き継ぎ",
    "policy": "運用ポリシー キ（管理者と担当者）を更新",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in (" + ",".join(f"'{v}'" for v in values) + ")"


class CustodyRecord(TenantOwned, Base):
    """One official account's credential custody (5(10)); one row per account."""

    __tablename__ = "custody_records"
    __table_args__ = (
        sa.UniqueConstraint("account_id"),
        sa.CheckConstraint(
            "twofa_method is null or " + _in("twofa_method", TWOFA_METHODS), name="twofa_method"
        ),
        sa.CheckConstraint("twofa_enabled or twofa_method is null", name="twofa_off_no_method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"))
    # Who knows the login credentials: one person in the directory, never a team.
    holder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    recovery_email: Mapped[str | None] = mapped_column(sa.String(254))
    recovery_email_personal: Mapped[bool] = mapped_column(default=False)
    recovery_phone: Mapped[str | None] = mapped_column(sa.String(32))
    recovery_phone_personal: Mapped[bool] = mapped_column(default=False)
    # When the recovery settings last changed (anchor of the "personal address" reminder).
    recovery_changed_at: Mapped[datetime | None]
    twofa_enabled: Mapped[bool] = mapped_column(default=False)
    twofa_method: Mapped[str | None] = mapped_column(sa.String(16))
    twofa_changed_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # The manager (or 所属長) confirmed that the record matches reality.
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))

    account: Mapped[Account] = relationship()
    holder: Mapped[Person | None] = relationship(foreign_keys=[holder_id])
    confirmed_by: Mapped[Person | None] = relationship(foreign_keys=[confirmed_by_id])


class CustodyMedium(TenantOwned, Base):
    """A physical medium that records or produces credentials (IC card, key, codes sheet)."""

    __tablename__ = "custody_media"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", MEDIUM_KINDS), name="kind"),
        sa.UniqueConstraint("account_id", "label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    label: Mapped[str] = mapped_column(sa.String(100))  # e.g. 「ICカード1」
    holder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    storage: Mapped[str | None] = mapped_column(sa.String(200))  # e.g. 「観光課 金庫」
    retired_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    holder: Mapped[Person | None] = relationship()


class TransferBatch(TenantOwned, Base):
    """One loaded transfer list (the April 人事異動 file)."""

    __tablename__ = "transfer_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(500))
    file_hash: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(sa.String(64))


class Transfer(TenantOwned, Base):
    """One move: a person leaves ``from`` for ``to`` (in ``role``) at ``effective_at``.

    ``effective_at`` is 00:00 JST of the effective date. ``applied_at`` is set by the
    effective-date step (a conditional UPDATE, so two workers apply it once).
    """

    __tablename__ = "transfers"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "effective_at"),
        sa.CheckConstraint(_in("role", TRANSFER_ROLES), name="role"),
        sa.Index("ix_transfers_due", "applied_at", "effective_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("transfer_batches.id"))
    line: Mapped[int]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    from_department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    to_department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"))
    role: Mapped[str] = mapped_column(sa.String(8), default="staff")
    effective_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()
    from_department: Mapped[Department] = relationship(foreign_keys=[from_department_id])
    to_department: Mapped[Department | None] = relationship(foreign_keys=[to_department_id])


class Handover(TenantOwned, Base):
    """A handover task: an account whose manager, operator or credential holder left."""

    __tablename__ = "handovers"
    __table_args__ = (sa.UniqueConstraint("account_id", "transfer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    transfer_id: Mapped[int] = mapped_column(sa.ForeignKey("transfers.id"))
    leaving_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    # Comma-separated subset of manager, operator, holder, media.
    roles: Mapped[str] = mapped_column(sa.String(64))
    new_holder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    account: Mapped[Account] = relationship()
    leaving: Mapped[Person] = relationship(foreign_keys=[leaving_id])
    new_holder: Mapped[Person | None] = relationship(foreign_keys=[new_holder_id])
    steps: Mapped[list[HandoverStep]] = relationship(
        back_populates="handover", order_by="HandoverStep.id", cascade="all, delete-orphan"
    )


class HandoverStep(TenantOwned, Base):
    """One step of a handover; ``done_at`` is set once (conditional UPDATE)."""

    __tablename__ = "handover_steps"
    __table_args__ = (
        sa.UniqueConstraint("handover_id", "step"),
        sa.CheckConstraint(_in("step", HANDOVER_STEPS), name="step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(sa.ForeignKey("handovers.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(sa.String(16))
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))

    handover: Mapped[Handover] = relationship(back_populates="steps")
    done_by: Mapped[Person | None] = relationship()

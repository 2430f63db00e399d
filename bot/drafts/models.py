"""Drafts of official posts, their text versions, 決裁 decisions and after-posting reports.

A ``Draft`` is one intended post on one official account. Every edit makes a new
``DraftVersion``; a ``Decision`` is bound to exactly one version (approvals never carry
over to new text, 4(3)). Exempt posts (4(3) ただし書 ア〜エ) skip the decision and get an
``AfterReport`` (事後報告) instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base, JSONType
from bot.directory.models import Account, Person
from bot.drafts.state import State
from bot.notify.models import OutboxMessage
from bot.tenancy import TenantOwned

PHOTO_PEOPLE = ("none", "identifiable")
DECISION_KINDS = ("approve", "reject", "request_changes")
VERDICTS = ("block", "review", "ok")


class Draft(TenantOwned, Base):
    __tablename__ = "drafts"
    __table_args__ = (
        sa.CheckConstraint("photo_people in ('none','identifiable')", name="photo_people"),
        # Every state of bot.drafts.state.State (migration 0007); a new state needs a migration.
        sa.CheckConstraint(
            "state in (" + ",".join(f"'{s.value}'" for s in State) + ")", name="state"
        ),
        sa.Index("ix_drafts_state_planned_at", "state", "planned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # See bot.drafts.state for the states and the transitions between them.
    state: Mapped[str] = mapped_column(sa.String(24))
    # Number of the version the state refers to (1, 2, ...).
    current_version: Mapped[int] = mapped_column(default=1)
    # The exemption category the author claims, as the guideline file labels it (ア〜エ in
    # the seed city's, 甲・乙 in さくら町's), or None: needs the approver's 決裁. Read with
    # the guideline version below (migration 0019).
    exemption: Mapped[str | None] = mapped_column(sa.String(8))
    # e.g. the URL of the city page that already published the event (4(3)ア).
    evidence: Mapped[str | None] = mapped_column(sa.String(1000))
    photo_people: Mapped[str] = mapped_column(sa.String(16), default="none")
    photo_consent: Mapped[bool] = mapped_column(default=False)
    planned_at: Mapped[datetime | None]
    published_url: Mapped[str | None] = mapped_column(sa.String(1000))
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The guideline version this record was judged under (bot.guideline.terms.of_record).
    guideline_version: Mapped[str | None] = mapped_column(sa.String(64))
    guideline_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    account: Mapped[Account] = relationship()
    author: Mapped[Person] = relationship()
    versions: Mapped[list[DraftVersion]] = relationship(
        back_populates="draft", order_by="DraftVersion.number", cascade="all, delete-orphan"
    )


class DraftVersion(TenantOwned, Base):
    """One text version of a draft, with the content-check result at submission."""

    __tablename__ = "draft_versions"
    __table_args__ = (
        sa.UniqueConstraint("draft_id", "number"),
        sa.CheckConstraint("verdict in ('block','review','ok')", name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(sa.ForeignKey("drafts.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    verdict: Mapped[str] = mapped_column(sa.String(8))
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # The author's statement why blocking findings are false positives (goes to the 所属長).
    false_positive_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    # The guideline version this record was judged under (bot.guideline.terms.of_record).
    guideline_version: Mapped[str | None] = mapped_column(sa.String(64))
    guideline_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    draft: Mapped[Draft] = relationship(back_populates="versions")


class Decision(TenantOwned, Base):
    """A 所属長's (or deputy's) 決裁 on one version. At most one per version."""

    __tablename__ = "decisions"
    __table_args__ = (
        sa.UniqueConstraint("version_id"),
        sa.CheckConstraint("kind in ('approve','reject','request_changes')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        sa.ForeignKey("drafts.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("draft_versions.id", ondelete="CASCADE"))
    decider_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime]
    # The guideline version this record was judged under (bot.guideline.terms.of_record).
    guideline_version: Mapped[str | None] = mapped_column(sa.String(64))
    guideline_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    version: Mapped[DraftVersion] = relationship()
    decider: Mapped[Person] = relationship()


class AfterReport(TenantOwned, Base):
    """The after-posting report (事後報告) of an exempt post, and its acknowledgement."""

    __tablename__ = "after_reports"
    __table_args__ = (sa.UniqueConstraint("draft_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(sa.ForeignKey("drafts.id", ondelete="CASCADE"))
    filed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    filed_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None]

    draft: Mapped[Draft] = relationship()
    filed_by: Mapped[Person] = relationship(foreign_keys=[filed_by_id])
    acknowledged_by: Mapped[Person | None] = relationship(foreign_keys=[acknowledged_by_id])


class DraftNotice(TenantOwned, Base):
    """An outbox message sent about a draft that may later be updated in place.

    Approval requests go to the head and every active deputy; when one of them decides,
    or the author edits, each of these messages is updated to say so.
    """

    __tablename__ = "draft_notices"
    __table_args__ = (sa.Index("ix_draft_notices_draft", "draft_id", "purpose", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(sa.ForeignKey("drafts.id", ondelete="CASCADE"))
    version: Mapped[int]
    purpose: Mapped[str] = mapped_column(sa.String(24))  # "approval" | "report"
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    outbox_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox.id"))
    # Set when the message was replaced by its final form (decided / stale / acknowledged).
    closed_at: Mapped[datetime | None]

    recipient: Mapped[Person] = relationship()
    outbox: Mapped[OutboxMessage] = relationship()

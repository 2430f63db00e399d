"""Incidents (guideline 6): escalation records, their checklist, timeline and 6(2) log.

Types and statuses are stored as stable English codes; the Japanese names live in
``bot.incidents.checklists`` so that wording can change without a migration.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base
from bot.directory.models import Account, Person
from bot.tenancy import TenantOwned

INCIDENT_TYPES = ("flaming", "impersonation", "correction")
INCIDENT_STATUSES = ("open", "contained", "closed")
RESPONSE_PURPOSES = ("explanation", "correction", "apology", "in_progress")


class Incident(TenantOwned, Base):
    """One 炎上 / なりすまし / 訂正 case and its escalation thread in 情報政策課's channel."""

    __tablename__ = "incidents"
    __table_args__ = (
        sa.CheckConstraint("type in ('flaming','impersonation','correction')", name="type"),
        sa.CheckConstraint("status in ('open','contained','closed')", name="status"),
        sa.Index("ix_incidents_status_type_last_update", "status", "type", "last_update_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(16))
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    # What happened: a short description and/or the URL of the post concerned.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    opened_at: Mapped[datetime]
    contained_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    close_summary: Mapped[str | None] = mapped_column(sa.Text)
    # Time of the last status update (or of the declaration): drives 炎上 reminders.
    last_update_at: Mapped[datetime]
    # The outbox row of the thread's first message: replies thread on it, ticks update it.
    thread_root_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox.id"))
    # The guideline version this record was judged under (bot.guideline.terms.of_record).
    guideline_version: Mapped[str | None] = mapped_column(sa.String(64))
    guideline_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    account: Mapped[Account] = relationship()
    reporter: Mapped[Person] = relationship(foreign_keys=[reporter_id])
    closed_by: Mapped[Person | None] = relationship(foreign_keys=[closed_by_id])
    items: Mapped[list[IncidentChecklistItem]] = relationship(
        back_populates="incident",
        cascade="all, delete-orphan",
        order_by="IncidentChecklistItem.position",
    )
    events: Mapped[list[IncidentEvent]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentEvent.id"
    )


class IncidentChecklistItem(TenantOwned, Base):
    """One response step from the guideline; ticking records who and when."""

    __tablename__ = "incident_checklist_items"
    __table_args__ = (sa.UniqueConstraint("incident_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("incidents.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(32))
    # Label and clause are copied at declaration: the record shows what was asked then.
    label: Mapped[str] = mapped_column(sa.String(200))
    clause: Mapped[str] = mapped_column(sa.String(16))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    done_at: Mapped[datetime | None]

    incident: Mapped[Incident] = relationship(back_populates="items")
    done_by: Mapped[Person | None] = relationship()


class IncidentEvent(TenantOwned, Base):
    """One entry on the incident timeline. Edits keep every earlier text."""

    __tablename__ = "incident_events"
    __table_args__ = (sa.Index("ix_incident_events_incident", "incident_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("incidents.id", ondelete="CASCADE"))
    # opened | item_done | item_undone | update | status | closed | draft_linked | draft_decided
    kind: Mapped[str] = mapped_column(sa.String(32))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    at: Mapped[datetime]
    text: Mapped[str] = mapped_column(sa.Text, default="")
    edited_at: Mapped[datetime | None]

    incident: Mapped[Incident] = relationship(back_populates="events")
    actor: Mapped[Person | None] = relationship()
    edits: Mapped[list[IncidentEventEdit]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="IncidentEventEdit.id"
    )


class IncidentEventEdit(TenantOwned, Base):
    """The text a timeline entry had before one edit (oldest first)."""

    __tablename__ = "incident_event_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("incident_events.id", ondelete="CASCADE"), index=True
    )
    previous_text: Mapped[str] = mapped_column(sa.Text)
    edited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    edited_at: Mapped[datetime]

    event: Mapped[IncidentEvent] = relationship(back_populates="edits")
    edited_by: Mapped[Person] = relationship()


class IncidentDraft(TenantOwned, Base):
    """A response post (説明・訂正・謝罪・対応中) drafted for an incident.

    The draft itself lives in core's drafts table; this link keeps the incidents package
    from touching core's models. ``draft_id`` is unique: a draft answers one incident.
    """

    __tablename__ = "incident_drafts"
    __table_args__ = (
        sa.CheckConstraint(
            "purpose in ('explanation','correction','apology','in_progress')", name="purpose"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        sa.ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    draft_id: Mapped[int] = mapped_column(sa.ForeignKey("drafts.id"), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(16))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[datetime]
    # Last decision recorded on the incident (approve | reject | request_changes), and the
    # id of core's decision row it came from (so each decision is recorded once).
    decision: Mapped[str | None] = mapped_column(sa.String(32))
    decided_at: Mapped[datetime | None]
    decision_id: Mapped[int | None]

    incident: Mapped[Incident] = relationship()


class ModeratedComment(TenantOwned, Base):
    """A third party's prohibited comment deleted from an official account (6(2)).

    ``what`` is a short description or the URL of the comment, never a copy of a comment
    that contains personal data; ``why`` is the prohibited category (e.g. "7(1)イ").
    """

    __tablename__ = "moderated_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    what: Mapped[str] = mapped_column(sa.String(500))
    why: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    deleted_at: Mapped[datetime]
    incident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incidents.id"))

    account: Mapped[Account] = relationship()
    actor: Mapped[Person] = relationship()

"""The contract between the Teams adapter and the platform-neutral core.

Everything here is plain data: no Teams SDK types cross this boundary, so the core can be
written (and tested) without importing ``microsoft_teams``. The adapter turns activities
into these values, calls the core, and renders what comes back (``views``) as Adaptive Cards.

The port is synchronous on purpose: the core is SQLAlchemy 2.0 (sync) and APScheduler 3,
so the adapter calls it through ``asyncio.to_thread`` and never blocks the event loop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

ConversationType = Literal["personal", "groupChat", "channel"]
Severity = Literal["block", "review", "info"]


@dataclass(frozen=True)
class TeamsUser:
    """Who clicked or wrote: the Entra object id is the stable key the directory uses."""

    teams_user_id: str
    aad_object_id: str | None = None
    name: str | None = None
    tenant_id: str | None = None


@dataclass(frozen=True)
class ConversationRef:
    """What is needed to message a conversation later (proactively), serialisable as JSON."""

    service_url: str
    conversation_id: str
    conversation_type: ConversationType = "personal"
    tenant_id: str | None = None
    bot_id: str | None = None
    user: TeamsUser | None = None
    team_id: str | None = None
    channel_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form for the core's storage."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConversationRef:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        user = values.pop("user", None)
        return cls(user=TeamsUser(**user) if user else None, **values)


@dataclass(frozen=True)
class ThreadRef:
    """A channel thread: the channel conversation plus the id of its root message."""

    service_url: str
    conversation_id: str
    root_message_id: str


@dataclass(frozen=True)
class Command:
    """A parsed text command. ``args`` keeps the author's text exactly (offsets matter)."""

    name: Literal["draft", "check", "incident", "account", "help"]
    args: str = ""
    sub: str | None = None


# --- views: what the core asks the adapter to show ------------------------------------


@dataclass(frozen=True)
class Finding:
    """One content-check finding, as the core reports it."""

    rule_id: str
    clause: str
    severity: Severity
    excerpt: str
    message: str
    start: int
    end: int


@dataclass(frozen=True)
class CheckResultView:
    """Result of ``/check`` (private) or the check step of ``/draft``."""

    findings: Sequence[Finding] = ()
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class DraftFormView:
    """The ``/draft`` form: which accounts the author may post for, and a prefilled text."""

    accounts: Sequence[tuple[str, str]]  # (account id, display name)
    text: str = ""


@dataclass(frozen=True)
class ApprovalRequestView:
    """A draft waiting for 決裁 by the 所属長 (4(3))."""

    draft_id: str
    version: int
    account_name: str
    author_name: str
    text: str
    planned_at: datetime | None = None
    findings: Sequence[Finding] = ()
    false_positive_reason: str | None = None


@dataclass(frozen=True)
class DecisionView:
    """A decided draft: buttons gone, who decided what and when, on which version (W2)."""

    draft_id: str
    version: int
    account_name: str
    author_name: str
    decision: Literal["approved", "rejected", "changes_requested"]
    decided_by: str
    decided_at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class ReportView:
    """An after-posting report (事後報告) for an exempt post, to be acknowledged."""

    report_id: str
    account_name: str
    author_name: str
    exemption_clause: str
    posted_at: datetime
    text: str
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class ReminderView:
    """A reminder (W3) with snooze choices in minutes."""

    reminder_id: str
    title: str
    body: str
    due_at: datetime | None = None
    snooze_minutes: Sequence[int] = (60, 240, 1440)
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class ChecklistItem:
    """One item of an incident response checklist (6)."""

    item_id: str
    label: str
    done: bool = False
    done_by: str | None = None


@dataclass(frozen=True)
class IncidentView:
    """Incident thread root: kind, clause, checklist, status (W4)."""

    incident_id: str
    kind: Literal["炎上", "なりすまし", "訂正"]
    clause: str
    account_name: str
    summary: str
    items: Sequence[ChecklistItem] = ()
    status: Literal["open", "closed"] = "open"
    updated_by: str | None = None
    updated_at: datetime | None = None


View = (
    CheckResultView
    | DraftFormView
    | ApprovalRequestView
    | DecisionView
    | ReportView
    | ReminderView
    | IncidentView
)


@dataclass(frozen=True)
class Reply:
    """What to say back: text, a view rendered as a card, or both.

    ``private`` asks for a reply only the author sees (``/check`` results, W6).
    """

    text: str | None = None
    view: View | None = None
    private: bool = False


@dataclass(frozen=True)
class CardUpdate:
    """The answer to a card button.

    ``scope="everyone"``: the card is replaced in place for everybody (decisions).
    ``scope="interactor"``: only the clicker sees the new card or the message (refusals).
    A ``message`` with no ``view`` leaves the card as it is and shows the message to the
    clicker only.
    """

    view: View | None = None
    message: str | None = None
    scope: Literal["everyone", "interactor"] = "everyone"


@dataclass(frozen=True)
class ActionRequest:
    """A click on an ``Action.Execute`` button, with what the adapter knows about it.

    ``activity_id`` is the invoke's id: the core uses it (with its own state) so that a
    replayed or double-clicked invoke decides nothing twice. ``message_id`` is the id of
    the message holding the card.
    """

    user: TeamsUser
    verb: str
    data: Mapping[str, Any] = field(default_factory=dict)
    activity_id: str = ""
    message_id: str | None = None
    conversation: ConversationRef | None = None


class TeamsCorePort(Protocol):
    """The calls the Teams adapter needs from the core. The lead adapts the real core."""

    def handle_command(
        self, *, user: TeamsUser, command: Command, conversation: ConversationRef, activity_id: str
    ) -> Reply:
        """Run a text command and say what to answer."""
        ...

    def handle_action(self, *, request: ActionRequest) -> CardUpdate:
        """Decide a card click (approve, reject, acknowledge, snooze, tick...)."""
        ...

    def remember_address(self, *, user: TeamsUser | None, reference: ConversationRef) -> None:
        """Store (upsert) where to reach a person or channel proactively."""
        ...

    def forget_address(self, *, reference: ConversationRef) -> None:
        """The bot was removed from this conversation: stop sending there."""
        ...


class Verb:
    """``Action.Execute`` verbs the cards emit and the core dispatches on."""

    DRAFT_SUBMIT = "draft.submit"
    DRAFT_APPROVE = "draft.approve"
    DRAFT_REQUEST_CHANGES = "draft.request_changes"
    DRAFT_REJECT = "draft.reject"
    REPORT_ACKNOWLEDGE = "report.acknowledge"
    REMINDER_SNOOZE = "reminder.snooze"
    INCIDENT_UPDATE = "incident.update"
    INCIDENT_CLOSE = "incident.close"

    ALL = frozenset(
        {
            DRAFT_SUBMIT,
            DRAFT_APPROVE,
            DRAFT_REQUEST_CHANGES,
            DRAFT_REJECT,
            REPORT_ACKNOWLEDGE,
            REMINDER_SNOOZE,
            INCIDENT_UPDATE,
            INCIDENT_CLOSE,
        }
    )

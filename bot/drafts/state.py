"""The draft state machine: every state, every allowed transition, and why others are refused.

::

    submit ─┬─> pending_approval ──approve──> approved ──publish──> published
            │        │  │                        │
            │        │  └─request_changes─> changes_requested
            │        └──reject──> rejected (final)
            │
            └─> exempt (no 決裁 needed) ──publish──> report_due ──report──> reported ──ack──> acknowledged
                     └────────────────report (publishes too)──────────^

    edit (a new version) from pending_approval, changes_requested, approved or exempt
    starts routing again; withdraw ends any draft that has not been published.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from bot.errors import InvalidTransition

if TYPE_CHECKING:
    from bot.guideline.terms import Terms


class State(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    APPROVED = "approved"
    PUBLISHED = "published"
    EXEMPT = "exempt"
    REPORT_DUE = "report_due"
    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    WITHDRAWN = "withdrawn"


# Templates: the guideline's words in braces (``Terms.fill``) are filled in by ``label``.
LABELS: dict[State, str] = {
    State.PENDING_APPROVAL: "決裁待ち",
    State.CHANGES_REQUESTED: "差し戻し（修正待ち）",
    State.REJECTED: "却下",
    State.APPROVED: "承認済み（掲載可）",
    State.PUBLISHED: "掲載済み",
    State.EXEMPT: "決裁不要（掲載可・掲載後に事後報告）",
    State.REPORT_DUE: "掲載済み（事後報告待ち）",
    State.REPORTED: "事後報告済み（{approver}の確認待ち）",
    State.ACKNOWLEDGED: "事後報告確認済み",
    State.WITHDRAWN: "取り下げ",
}


class Event(StrEnum):
    ROUTE_APPROVAL = "route_approval"
    ROUTE_EXEMPT = "route_exempt"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    EDIT = "edit"
    PUBLISH = "publish"
    REPORT = "report"
    ACKNOWLEDGE = "acknowledge"
    WITHDRAW = "withdraw"


EVENT_LABELS: dict[Event, str] = {
    Event.ROUTE_APPROVAL: "決裁依頼",
    Event.ROUTE_EXEMPT: "決裁不要として登録",
    Event.APPROVE: "承認",
    Event.REJECT: "却下",
    Event.REQUEST_CHANGES: "差し戻し",
    Event.EDIT: "修正",
    Event.PUBLISH: "掲載済みの登録",
    Event.REPORT: "事後報告",
    Event.ACKNOWLEDGE: "事後報告の確認",
    Event.WITHDRAW: "取り下げ",
}

_EDITABLE = (State.PENDING_APPROVAL, State.CHANGES_REQUESTED, State.APPROVED, State.EXEMPT)
_OPEN = (*_EDITABLE,)

# (from, event) -> to. ``None`` as the source is a new draft being submitted. An edit
# lands in a transient "re-route" that the router resolves to one of the two routes.
TRANSITIONS: dict[tuple[State | None, Event], State] = {
    (None, Event.ROUTE_APPROVAL): State.PENDING_APPROVAL,
    (None, Event.ROUTE_EXEMPT): State.EXEMPT,
    **{(s, Event.ROUTE_APPROVAL): State.PENDING_APPROVAL for s in _EDITABLE},
    **{(s, Event.ROUTE_EXEMPT): State.EXEMPT for s in _EDITABLE},
    (State.PENDING_APPROVAL, Event.APPROVE): State.APPROVED,
    (State.PENDING_APPROVAL, Event.REJECT): State.REJECTED,
    (State.PENDING_APPROVAL, Event.REQUEST_CHANGES): State.CHANGES_REQUESTED,
    (State.APPROVED, Event.PUBLISH): State.PUBLISHED,
    (State.EXEMPT, Event.PUBLISH): State.REPORT_DUE,
    (State.EXEMPT, Event.REPORT): State.REPORTED,
    (State.REPORT_DUE, Event.REPORT): State.REPORTED,
    (State.REPORTED, Event.ACKNOWLEDGE): State.ACKNOWLEDGED,
    **{(s, Event.WITHDRAW): State.WITHDRAWN for s in _OPEN},
}

EDITABLE_STATES = frozenset(_EDITABLE)
FINAL_STATES = frozenset({State.REJECTED, State.PUBLISHED, State.ACKNOWLEDGED, State.WITHDRAWN})

# Why an event is refused in a state, when the generic message would not help. Each is a
# whole refusal: it replaces the generic sentence instead of repeating it. Templates, as
# ``LABELS``.
_HINTS: dict[tuple[State, Event], str] = {
    (
        State.PENDING_APPROVAL,
        Event.PUBLISH,
    ): "この下書きは決裁待ちです。{approver}の決裁（{approval}）が済むまで掲載できません。",
    (
        State.CHANGES_REQUESTED,
        Event.PUBLISH,
    ): "この下書きは差し戻されています。修正して再度決裁を受けるまで掲載できません。",
    (
        State.APPROVED,
        Event.REPORT,
    ): "この下書きは{approver}の決裁を受けているため、事後報告は不要です。",
    (
        State.PUBLISHED,
        Event.EDIT,
    ): "掲載済みの投稿は修正できません。訂正は新しい下書きで行ってください（{correction}）。",
    (
        State.REJECTED,
        Event.EDIT,
    ): "却下された下書きは修正できません。新しい下書きを作成してください。",
}


def label(state: str | State, terms: Terms) -> str:
    """The Japanese name of a state, in the words of ``terms``' guideline."""
    return terms.fill(LABELS[State(state)])


def can(state: str | State | None, event: Event) -> bool:
    """Whether ``event`` is allowed in ``state``."""
    key = (State(state) if state is not None else None, event)
    return key in TRANSITIONS


def next_state(state: str | State | None, event: Event, terms: Terms) -> State:
    """The state after ``event``, or InvalidTransition naming the current state (in the
    words of ``terms``' guideline)."""
    current = State(state) if state is not None else None
    try:
        return TRANSITIONS[(current, event)]
    except KeyError:
        pass
    if current is None:
        raise InvalidTransition(f"新しい下書きに「{EVENT_LABELS[event]}」はできません。")
    hint = _HINTS.get((current, event))
    if hint is not None:
        raise InvalidTransition(terms.fill(hint))
    raise InvalidTransition(
        f"この下書きは「{label(current, terms)}」の状態のため、{EVENT_LABELS[event]}はできません。"
    )

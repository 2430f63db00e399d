"""An in-memory stand-in for the core, implementing ``TeamsCorePort``.

Used by ``tests/teams`` and by ``python -m handlers.teams serve --demo`` (Agents
Playground) until the real core is wired in. It is not the product's logic.

Small but honest about the rules the adapter relies on: only the designated approver
decides, a decision is made once (replayed invokes and double clicks change nothing),
a stale version is refused, reject/request-changes need a reason. Proactive work the
real core would queue goes to ``outbox`` for the test to deliver through the notifier.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from handlers.teams.port import (
    ActionRequest,
    ApprovalRequestView,
    CardUpdate,
    ChecklistItem,
    CheckResultView,
    Command,
    ConversationRef,
    DecisionView,
    Finding,
    IncidentView,
    ReminderView,
    Reply,
    ReportView,
    TeamsUser,
    Verb,
)

PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{4}")
NOW = datetime(2025, 4, 1, 1, 0, tzinfo=UTC)


@dataclass
class Draft:
    draft_id: str
    author: TeamsUser
    text: str
    version: int = 1
    decision: DecisionView | None = None


@dataclass
class Outgoing:
    """Something the core wants delivered proactively."""

    to: str  # "user:<aad>" or "channel:<name>"
    reply: Reply
    thread: bool = False


@dataclass
class FakeCore:
    approver_aad: str = "aad-head"
    # Demo mode: show the approval card to the author and let them click it (one user only).
    demo: bool = False
    policy_channel_key: str = "channel:19:johoseisaku-general@thread.tacv2"
    addresses: dict[str, ConversationRef] = field(default_factory=dict)
    forgotten: list[ConversationRef] = field(default_factory=list)
    commands: list[tuple[TeamsUser, Command, str]] = field(default_factory=list)
    actions: list[ActionRequest] = field(default_factory=list)
    decisions: list[DecisionView] = field(default_factory=list)
    drafts: dict[str, Draft] = field(default_factory=dict)
    outbox: list[Outgoing] = field(default_factory=list)
    incidents: dict[str, IncidentView] = field(default_factory=dict)
    fail_with: Exception | None = None
    _answered: dict[str, CardUpdate] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- port ---------------------------------------------------------------------

    def remember_address(self, *, user: TeamsUser | None, reference: ConversationRef) -> None:
        with self._lock:
            if reference.conversation_type == "personal" and user and user.aad_object_id:
                self.addresses[f"user:{user.aad_object_id}"] = reference
            else:
                self.addresses[f"channel:{reference.conversation_id}"] = reference

    def forget_address(self, *, reference: ConversationRef) -> None:
        with self._lock:
            self.forgotten.append(reference)

    def handle_command(
        self, *, user: TeamsUser, command: Command, conversation: ConversationRef, activity_id: str
    ) -> Reply:
        if self.fail_with is not None:
            raise self.fail_with
        with self._lock:
            self.commands.append((user, command, activity_id))
            if command.name == "check":
                return Reply(view=CheckResultView(findings=_findings(command.args)), private=True)
            if command.name == "draft":
                draft = Draft(f"d-{len(self.drafts) + 1}", user, command.args)
                self.drafts[draft.draft_id] = draft
                if self.demo:
                    return Reply(
                        text="デモ: 所属長に届く決裁依頼をここに表示します。",
                        view=self._approval(draft),
                    )
                self.outbox.append(
                    Outgoing(f"user:{self.approver_aad}", Reply(view=self._approval(draft)))
                )
                return Reply(text="所属長に決裁を依頼しました。")
            if command.name == "incident":
                incident = IncidentView(
                    incident_id=f"i-{len(self.incidents) + 1}",
                    kind=command.sub or "炎上",  # type: ignore[arg-type]
                    clause="6(3)",
                    account_name="市公式X",
                    summary=command.args,
                    items=(
                        ChecklistItem("no-rebuttal", "個別に反論しない"),
                        ChecklistItem("consult", "所属長・管理者・情報政策課で協議する"),
                    ),
                )
                self.incidents[incident.incident_id] = incident
                self.outbox.append(Outgoing(self.policy_channel_key, Reply(view=incident), True))
                return Reply(text="インシデントを記録し、情報政策課のチャネルに連絡しました。")
            return Reply(text="アカウントの一覧: 市公式X")

    def handle_action(self, *, request: ActionRequest) -> CardUpdate:
        with self._lock:
            self.actions.append(request)
            if request.activity_id in self._answered:  # a replayed invoke
                return self._answered[request.activity_id]
            update = self._decide(request)
            self._answered[request.activity_id] = update
            return update

    # --- rules --------------------------------------------------------------------

    def _decide(self, request: ActionRequest) -> CardUpdate:
        data = request.data
        if request.verb in (Verb.DRAFT_APPROVE, Verb.DRAFT_REJECT, Verb.DRAFT_REQUEST_CHANGES):
            draft = self.drafts.get(str(data.get("draft_id")))
            if draft is None:
                return CardUpdate(message="この投稿案は見つかりません。", scope="interactor")
            if not self.demo and request.user.aad_object_id != self.approver_aad:
                return CardUpdate(
                    message="この投稿案を決裁できるのは、指定された所属長（または代理）だけです。",
                    scope="interactor",
                )
            if draft.decision is not None:  # a second click: show what was decided
                return CardUpdate(view=draft.decision)
            if int(data.get("version", 0)) != draft.version:
                return CardUpdate(message="この投稿案は修正されています。", scope="interactor")
            reason = str(data.get("reason") or "").strip()
            if request.verb != Verb.DRAFT_APPROVE and not reason:
                return CardUpdate(message="理由を入力してください。", scope="interactor")
            decision = {
                Verb.DRAFT_APPROVE: "approved",
                Verb.DRAFT_REJECT: "rejected",
                Verb.DRAFT_REQUEST_CHANGES: "changes_requested",
            }[request.verb]
            draft.decision = DecisionView(
                draft_id=draft.draft_id,
                version=draft.version,
                account_name="市公式X",
                author_name=draft.author.name or "",
                decision=decision,  # type: ignore[arg-type]
                decided_by=request.user.name or "",
                decided_at=NOW,
                reason=reason or None,
            )
            self.decisions.append(draft.decision)
            if not self.demo:
                self.outbox.append(
                    Outgoing(f"user:{draft.author.aad_object_id}", Reply(view=draft.decision))
                )
            return CardUpdate(view=draft.decision)
        if request.verb == Verb.REPORT_ACKNOWLEDGE:
            return CardUpdate(
                view=ReportView(
                    report_id=str(data["report_id"]),
                    account_name="市公式X",
                    author_name="山田 太郎",
                    exemption_clause="4(3)エ",
                    posted_at=NOW,
                    text="避難所を開設しました。",
                    acknowledged_by=request.user.name,
                    acknowledged_at=NOW,
                )
            )
        if request.verb == Verb.REMINDER_SNOOZE:
            return CardUpdate(
                view=ReminderView(
                    reminder_id=str(data["reminder_id"]),
                    title="決裁待ち",
                    body="決裁待ちの投稿案があります。",
                    snoozed_until=NOW,
                ),
                scope="interactor",
            )
        if request.verb == Verb.INCIDENT_UPDATE:
            incident = self.incidents[str(data["incident_id"])]
            ticked = {i.item_id for i in incident.items if data.get(f"item:{i.item_id}") == "true"}
            items = tuple(
                replace(
                    item,
                    done=item.item_id in ticked,
                    done_by=request.user.name if item.item_id in ticked else None,
                )
                for item in incident.items
            )
            incident = replace(incident, items=items, updated_by=request.user.name, updated_at=NOW)
            self.incidents[incident.incident_id] = incident
            return CardUpdate(view=incident)
        return CardUpdate(message="未対応の操作です。", scope="interactor")

    def _approval(self, draft: Draft) -> ApprovalRequestView:
        return ApprovalRequestView(
            draft_id=draft.draft_id,
            version=draft.version,
            account_name="市公式X",
            author_name=draft.author.name or "",
            text=draft.text,
            findings=tuple(_findings(draft.text)),
        )


def _findings(text: str) -> list[Finding]:
    return [
        Finding(
            rule_id="pii.phone",
            clause="7(1)エ",
            severity="block",
            excerpt=m.group(0),
            message="個人の電話番号の可能性があります。",
            start=m.start(),
            end=m.end(),
        )
        for m in PHONE.finditer(text)
    ]

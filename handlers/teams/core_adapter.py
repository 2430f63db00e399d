"""The Teams side of the platform-neutral core: the same calls Slack and the console make.

Everything here is synchronous (SQLAlchemy sync); the listeners call it through
``asyncio.to_thread``. The person acting is ``Actor("teams", <Entra object id>)``; the core
looks them up by ``Person.teams_user_id`` and refuses, in Japanese, anyone not in the
directory. Replies are ``bot.interaction.Reply`` (an ``OutMessage``) or, for the draft
form, an Adaptive Card built here. Notifications to others go through the core's outbox;
:meth:`TeamsCore.deliver` hands them to the ``TeamsNotifier``.

Routers: text commands → ``bot.commands.run_command`` (``/check``, ``/incident``,
``/account``, ``/drafts``, ``/inbox``) and, for ``/draft`` / ``/edit``, their grammar
``bot.drafts.commands`` and ``bot.drafts.api`` (or the draft form when the body is
empty); buttons → ``bot.actions.run_action``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from microsoft_teams.cards import AdaptiveCard
from sqlalchemy.orm import Session, sessionmaker

from bot import commands as router
from bot import forms as neutral_forms
from bot.actions import incident_thread, run_action
from bot.clock import Clock, SystemClock
from bot.custody import api as custody_api
from bot.db import transaction
from bot.dedupe import DbDeduper
from bot.drafts import api as drafts_api
from bot.drafts.api import NewDraft
from bot.drafts.commands import DECISION_COMMANDS, parse_decision, parse_draft, parse_edit
from bot.errors import BotError, ValidationFailed
from bot.guideline.terms import Terms
from bot.incidents import messaging as incident_messages
from bot.incidents import service as incident_service
from bot.incidents.models import Incident
from bot.interaction import Actor, Reply, button_int, error, info, refusal
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.port import Notifier
from bot.notify.service import DeliveryStats, deliver_pending, enqueue
from bot.tenancy import DEFAULT_TENANT, for_tenant, tenant_ids

from . import addresses, forms
from .commands import TextCommand, help_text
from .convert import thread_link
from .demo import DEMO_HINT, act_as
from .render import MentionTarget, split_action_data
from .tenants import CURRENT

logger = logging.getLogger("handlers.teams.core")

PLATFORM = "teams"
# Templates: the guideline's words in braces are filled in (``TeamsCore.not_registered``).
NOT_REGISTERED = (
    "名簿に登録されていません。このボットで投稿の決裁やインシデント対応を行うには、"
    "名簿の管理者（{desk}）に Teams のアカウントの登録を依頼してください。"
    "`/check 本文` による投稿前チェックは、登録なしでも使えます。"
)
WELCOME = (
    "SNSガイドラインボットです。投稿前のチェック、{approver}への決裁依頼、"
    "インシデント対応をお手伝いします。`help` と送ると使い方を表示します。"
)
DUPLICATE = info(
    "この操作は既に受け付けました",
    "同じボタンの操作は一度だけ記録されます。結果はカードと通知でお知らせします。",
    kind="teams.duplicate",
)


@dataclass(frozen=True)
class Answer:
    """What to show the person who wrote or clicked: a message, or a form card."""

    ok: bool
    message: OutMessage | None = None
    card: AdaptiveCard | None = None

    @classmethod
    def of(cls, reply: Reply) -> Answer:
        """A core reply as an answer."""
        return cls(ok=reply.ok, message=reply.message)


def _help(terms: Terms) -> OutMessage:
    return info("使い方", help_text(terms), kind="teams.help")


class TeamsCore:
    """The core, as the Teams listeners call it."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        clock: Clock | None = None,
        deduper: DbDeduper | None = None,
        demo: bool = False,
    ) -> None:
        self.base_factory = factory
        self.demo = demo
        self.clock = clock or SystemClock()
        self.deduper = deduper or DbDeduper(factory, clock=self.clock)

    @property
    def factory(self) -> sessionmaker[Session]:
        """Sessions for the tenant of the activity being handled (``tenants.CURRENT``)."""
        tenant = CURRENT.get()
        if tenant is None:
            return self.base_factory
        return for_tenant(self.base_factory, tenant)

    @staticmethod
    def actor(seen: addresses.Seen) -> Actor:
        """The core's actor for a Teams sender: the Entra object id is the directory key."""
        return Actor(PLATFORM, seen.aad_object_id or seen.user_id)

    def first_delivery(self, *, activity_id: str) -> bool:
        """Whether this message activity is seen for the first time (not a re-delivery)."""
        return self.deduper.claim(f"teams:activity:{activity_id}"[:200])

    # --- addresses --------------------------------------------------------------------

    def remember(self, *, seen: addresses.Seen) -> bool:
        """Store how to reach the sender (and a directory channel); False if not registered."""
        with transaction(self.factory) as session:
            addresses.remember_channel(session, seen=seen, clock=self.clock)
            return addresses.remember_person(session, seen=seen, clock=self.clock) is not None

    def help_text(self) -> str:
        """The help in the words of the guideline in force."""
        return help_text(neutral_forms.terms_in_force(self.factory))

    def not_registered(self) -> str:
        """The note for someone not in the directory, naming who keeps it."""
        return neutral_forms.terms_in_force(self.factory).fill(NOT_REGISTERED)

    def welcome(self, *, known: bool) -> str:
        """The greeting on install, with the note above for someone not registered."""
        text = neutral_forms.terms_in_force(self.factory).fill(WELCOME)
        if known:
            return text
        text += "\n" + self.not_registered()
        return text + "\n" + self.demo_hint() if self.demo else text

    def demo_hint(self) -> str:
        """How to act as someone of the demo directory (demo mode only)."""
        return neutral_forms.terms_in_force(self.factory).fill(DEMO_HINT)

    def forget(self, *, conversation_id: str) -> int:
        """The bot was removed from a conversation."""
        with transaction(self.factory) as session:
            return addresses.forget_conversation(
                session, conversation_id=conversation_id, clock=self.clock
            )

    def mention_targets(self, handles: Sequence[str]) -> dict[str, MentionTarget]:
        """Names and Teams ids of ``handles`` (for ``<at>`` mentions), among the people of
        the tenant being served: the activity's, or the one ``deliver`` is delivering."""
        engine = self.base_factory.kw["bind"]
        tenant = CURRENT.get() or DEFAULT_TENANT
        return addresses.read_mention_targets(engine, handles=handles, tenant=tenant)

    def deliver(self, notifier: Notifier) -> DeliveryStats:
        """Deliver what the outbox holds for Teams, tenant by tenant (one bot serves all:
        each conversation reference carries its own service URL)."""
        total = DeliveryStats()
        with self.base_factory() as session:
            tenants = tenant_ids(session)
        for tenant in tenants:
            # The notifier's mention lookup (``mention_targets``) reads CURRENT: this tenant.
            token = CURRENT.set(tenant)
            try:
                stats = deliver_pending(
                    for_tenant(self.base_factory, tenant), notifier, clock=self.clock
                )
            finally:
                CURRENT.reset(token)
            total.sent += stats.sent
            total.retried += stats.retried
            total.waiting += stats.waiting
        return total

    # --- text commands ----------------------------------------------------------------

    def command(self, *, seen: addresses.Seen, command: TextCommand) -> Answer:
        """Run a text command for the sender."""
        actor = self.actor(seen)
        try:
            if command.name == "help":
                return Answer(ok=True, message=_help(neutral_forms.terms_in_force(self.factory)))
            if command.name == "as":
                return self._act_as(seen, command.args)
            if command.name == "draft":
                return self._draft(actor, command.args)
            if command.name == "edit":
                return self._edit(actor, command.args)
            if command.name in DECISION_COMMANDS:
                return self._decide(actor, DECISION_COMMANDS[command.name], command.args)
            request = neutral_forms.form_for(command.name, command.args)
            if request is not None:
                return self._open_form(actor, request)
            return Answer.of(
                router.run_command(
                    self.factory,
                    actor=actor,
                    command=command.name,
                    text=command.args,
                    clock=self.clock,
                )
            )
        except BotError as exc:
            return Answer.of(refusal(exc))

    def _act_as(self, seen: addresses.Seen, handle: str) -> Answer:
        if not self.demo:
            raise ValidationFailed("/as はデモモード（serve --demo）でのみ使えます。")
        with transaction(self.factory) as session:
            person = act_as(
                session,
                handle=handle,
                teams_user_id=self.actor(seen).user_id,
                clock=self.clock,
            )
            addresses.remember_person(session, seen=seen, clock=self.clock)
            name = person.name
        return Answer(ok=True, message=info(f"以後、{name}（{handle.strip()}）として操作します"))

    def _draft(self, actor: Actor, args: str) -> Answer:
        draft = parse_draft(args)
        if not draft.text.strip():
            return self._form(actor, values=_form_values(draft))
        return Answer.of(
            drafts_api.submit_draft(self.factory, actor=actor, draft=draft, clock=self.clock)
        )

    def _edit(self, actor: Actor, args: str) -> Answer:
        revision = parse_edit(args)
        if not revision.text.strip():
            return self._form(actor, draft_id=revision.draft_id)
        return Answer.of(
            drafts_api.edit_draft(self.factory, actor=actor, revision=revision, clock=self.clock)
        )

    def _decide(self, actor: Actor, kind: str, args: str) -> Answer:
        """``/approve 12`` typed instead of pressed: the same 決裁 as the card's button."""
        line = parse_decision(args)
        return Answer.of(
            drafts_api.decide(
                self.factory,
                actor=actor,
                draft_id=line.draft_id,
                kind=kind,
                version=line.version,
                reason=line.reason,
                clock=self.clock,
            )
        )

    def _form(
        self,
        actor: Actor,
        *,
        draft_id: int | None = None,
        values: Mapping[str, Any] | None = None,
        problems: Mapping[str, str] | None = None,
        notice: str | None = None,
    ) -> Answer:
        offered = router.draft_form(self.factory, actor=actor, draft_id=draft_id)
        if offered.form is None:
            assert offered.refusal is not None
            return Answer.of(offered.refusal)
        card = forms.form_card(offered.form, values=values, problems=problems, notice=notice)
        return Answer(ok=problems is None, card=card)

    def _open_form(self, actor: Actor, request: neutral_forms.FormRequest) -> Answer:
        if request.form == neutral_forms.ACCOUNT_FORM:
            offered = neutral_forms.account_form(self.factory, actor=actor)
            if offered.ok:
                card = forms.account_card(values=offered.values, terms=offered.terms)
                return Answer(ok=True, card=card)
        else:
            offered = neutral_forms.incident_form(self.factory, actor=actor, values=request.values)
            if offered.incident is not None:
                return Answer(ok=True, card=forms.incident_card(offered.incident))
        assert offered.refusal is not None
        return Answer.of(offered.refusal)

    def _submit_account(self, actor: Actor, data: Mapping[str, Any]) -> Answer:
        values = forms.form_values(data, (f.key for f in neutral_forms.FIELDS))
        reply = neutral_forms.submit_account_form(
            self.factory, actor=actor, values=values, clock=self.clock
        )
        if reply.ok:
            return Answer.of(reply)
        card = forms.account_card(
            values=values,
            problems=reply.fields or {},
            notice=_notice(reply, bool(reply.fields)),
            terms=neutral_forms.terms_in_force(self.factory),
        )
        return Answer(ok=False, card=card)

    def _submit_incident(self, actor: Actor, data: Mapping[str, Any]) -> Answer:
        values = forms.form_values(data, neutral_forms.INCIDENT_FIELDS)
        reply = neutral_forms.submit_incident_form(
            self.factory, actor=actor, values=values, clock=self.clock
        )
        if reply.ok:
            return Answer.of(reply)
        offered = neutral_forms.incident_form(self.factory, actor=actor, values=values)
        if offered.incident is None:
            return Answer.of(reply)
        card = forms.incident_card(
            offered.incident,
            problems=reply.fields or {},
            notice=_notice(reply, bool(reply.fields)),
        )
        return Answer(ok=False, card=card)

    def _submit_custody(self, actor: Actor, data: Mapping[str, Any]) -> Answer:
        code = str(data.get("account") or "")
        values = forms.form_values(data, (f.key for f in custody_api.FORM_FIELDS))
        reply = custody_api.submit_form(
            self.factory, actor=actor, code=code, values=values, clock=self.clock
        )
        if reply.ok:
            return Answer.of(reply)
        offered = custody_api.form(self.factory, actor=actor, code=code, clock=self.clock)
        if isinstance(offered, Reply):
            return Answer.of(reply)
        # The refused values are not put back: one of them may be a password.
        card = forms.custody_card(
            offered, problems=reply.fields or {}, notice=_notice(reply, bool(reply.fields))
        )
        return Answer(ok=False, card=card)

    # --- buttons ----------------------------------------------------------------------

    def action(
        self, *, seen: addresses.Seen, verb: str, data: Mapping[str, Any], activity_id: str
    ) -> Answer:
        """A click on an ``Action.Execute`` button; a replayed invoke decides nothing."""
        actor = self.actor(seen)
        if activity_id and not self.deduper.claim(f"teams:invoke:{activity_id}"[:200]):
            logger.info("duplicate invoke %s ignored", activity_id)
            return Answer(ok=False, message=DUPLICATE)
        try:
            return self._action(actor, verb, data)
        except BotError as exc:
            return Answer.of(refusal(exc))
        except Exception:
            if activity_id:  # nothing was decided: a retry of this invoke may run
                self.deduper.release(f"teams:invoke:{activity_id}"[:200])
            raise

    def _action(self, actor: Actor, verb: str, data: Mapping[str, Any]) -> Answer:
        if verb == forms.SUBMIT_VERB:
            return self._submit_form(actor, data)
        if verb == forms.ACCOUNT_VERB:
            return self._submit_account(actor, data)
        if verb == forms.INCIDENT_VERB:
            return self._submit_incident(actor, data)
        if verb == forms.CUSTODY_VERB:
            return self._submit_custody(actor, data)
        value, inputs = split_action_data(data)
        if verb == "draft.edit":
            return self._form(actor, draft_id=button_int(value, "draft_id"))
        if verb == "custody.edit":
            offered = custody_api.form(
                self.factory, actor=actor, code=str(value.get("account", "")), clock=self.clock
            )
            if isinstance(offered, Reply):
                return Answer.of(offered)
            return Answer(ok=True, card=forms.custody_card(offered))
        if verb == "incident.open_thread":
            return self._thread_link(button_int(value, "incident_id"))
        return Answer.of(
            run_action(
                self.factory,
                actor=actor,
                action_id=verb,
                value=value,
                inputs=inputs,
                clock=self.clock,
            )
        )

    def _thread_link(self, incident_id: int) -> Answer:
        """A link to the incident's thread root, or the truth that it is not posted yet."""
        with self.factory() as session:
            incident_service.get(session, incident_id=incident_id)  # NotFound, as elsewhere
        ref = incident_thread(self.factory, incident_id=incident_id)
        if ref is None or ref.platform != PLATFORM:
            return Answer(
                ok=True,
                message=info(
                    f"事案#{incident_id}の対応スレッドは、まだチャンネルに届いていません",
                    "チャンネルに届き次第、お知らせします。",
                    kind="incident.thread",
                ),
            )
        with self.factory() as session:
            tenant = addresses.channel_tenant(session, conversation_id=ref.channel)
        url = thread_link(ref.channel, ref.thread_id or ref.message_id, tenant_id=tenant)
        card = forms.link_card(
            f"事案#{incident_id}の対応スレッド",
            f"{neutral_forms.terms_in_force(self.factory).incident_desk}の SNS 対応チャンネルに"
            "あります。以後のやり取りはスレッドで行ってください。",
            label="スレッドを開く",
            url=url,
        )
        return Answer(ok=True, card=card)

    def incident_card(self, *, incident_id: int) -> OutMessage | None:
        """The incident's thread root as it is now (checklist, status, buttons, 宛先)."""
        with self.factory() as session:
            incident = session.get(Incident, incident_id)
            if incident is None:
                return None
            root = (
                session.get(OutboxMessage, incident.thread_root_id)
                if incident.thread_root_id is not None
                else None
            )
            mentions = list(((root.message if root else None) or {}).get("mentions") or [])
            return incident_messages.root_message(incident, mentions=mentions)

    def queue_for(self, *, seen: addresses.Seen, message: OutMessage) -> bool:
        """Queue ``message`` for the sender's 1:1 chat through the outbox (retried, and
        released when they become reachable); False when they are not in the directory."""
        with transaction(self.factory) as session:
            person = addresses.person_for(session, aad_object_id=seen.aad_object_id)
            if person is None:
                return False
            enqueue(session, message=message, to_person=person, clock=self.clock)
            return True

    def _submit_form(self, actor: Actor, data: Mapping[str, Any]) -> Answer:
        draft_id = button_int(data, "draft_id") if data.get("draft_id") is not None else None
        try:
            submitted = forms.draft_input(data)
        except ValidationFailed as exc:
            return self._form(
                actor, draft_id=draft_id, values=data, problems=exc.fields, notice=exc.message
            )
        reply = router.submit_draft_form(
            self.factory, actor=actor, form=submitted, draft_id=draft_id, clock=self.clock
        )
        if reply.ok:
            return Answer.of(reply)
        return self._form(
            actor,
            draft_id=draft_id,
            values=data,
            problems=reply.fields or {},
            notice=reply.message.title + ("\n" + reply.message.text if reply.message.text else ""),
        )


def _notice(reply: Reply, per_field: bool) -> str:
    """Above a returned form: the refusal, in full unless each field says its own."""
    if per_field:
        return reply.message.title.split("\n", 1)[0]
    return reply.message.title + ("\n" + reply.message.text if reply.message.text else "")


def _form_values(draft: NewDraft) -> dict[str, Any]:
    """What a ``/draft`` without a body prefills in the form."""
    values: dict[str, Any] = {}
    if draft.account:
        values["account"] = draft.account
    if draft.exemption:
        values["exemption"] = draft.exemption
    if draft.evidence:
        values["evidence"] = draft.evidence
    return values


def with_registration_note(message: OutMessage | None, note: str) -> OutMessage:
    """``message`` (the help) with ``note`` (``TeamsCore.not_registered``)."""
    if message is None:
        return error(note)
    return replace(message, text=f"{message.text}\n\n{note}".strip())

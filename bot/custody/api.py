"""Entry points for adapters (console, Slack, Teams): one transaction each, a ``Reply`` back.

- ``custody_command``: ``/custody …`` (``bot.custody.commands``);
- ``form`` / ``submit_form``: the custody-record form (a Slack modal, a Teams card):
  ``FORM_FIELDS`` says what to ask, ``Reply.fields`` names the wrong fields;
- ``handle_action``: the buttons ``custody.confirm``, ``custody.edit`` (the adapter opens
  the form), ``handover.step`` and ``handover.holder`` (asks for the new holder first);
- ``home``: what the person's App Home shows (records they may see, handovers they may
  record).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock, to_jst
from bot.custody import commands, messaging, service
from bot.custody.models import MEDIUM_LABELS, TWOFA_LABELS, CustodyRecord
from bot.directory import service as directory
from bot.directory.models import Person
from bot.errors import PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.interaction import Actor, Reply, as_person, button_int, refusal, run_as, unsupported
from bot.notify.messages import OutMessage

ACTION_IDS = ("custody.confirm", "custody.edit", "handover.step", "handover.holder")


@dataclass(frozen=True)
class FormField:
    """One input of the custody form; ``choices`` (value, label) makes it a select."""

    key: str
    label: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()


FORM_FIELDS: tuple[FormField, ...] = (
    FormField("holder", service.FIELDS["holder"], "ID・パスワードを知る職員一人（名簿のハンドル）"),
    FormField(
        "recovery_email",
        service.FIELDS["recovery_email"],
        "部署の共用アドレス（個人のアドレスは警告します）",
    ),
    FormField("recovery_phone", service.FIELDS["recovery_phone"], "部署の電話番号"),
    FormField("twofa", service.FIELDS["twofa"], "", (("on", "設定あり"), ("off", "設定なし"))),
    FormField("twofa_method", service.FIELDS["twofa_method"], "", tuple(TWOFA_LABELS.items())),
    FormField(
        "password_changed",
        service.FIELDS["password_changed"],
        "例: 2027-04-01（パスワードそのものは入力しないでください）",
    ),
)


def custody_command(
    factory: sessionmaker[Session], *, actor: Actor, text: str, clock: Clock | None = None
) -> Reply:
    """Run ``/custody <text>`` for the actor."""
    return run_as(
        factory,
        actor,
        lambda session, person: commands.run(session, actor=person, text=text, clock=clock),
    )


@dataclass(frozen=True)
class CustodyForm:
    """The form for one account: its code and name and the current values."""

    code: str
    name: str
    values: dict[str, str]
    clause: str = ""  # the guideline's clause on credentials (5(10))
    guideline: str = ""  # how messages name the guideline (ガイドライン, 運用指針)


def form(
    factory: sessionmaker[Session], *, actor: Actor, code: str, clock: Clock | None = None
) -> CustodyForm | Reply:
    """The form prefilled with the record, or a refusal (no right to change it)."""

    def work(session: Session, person: Person) -> CustodyForm | Reply:
        view = service.view(session, actor=person, code=code, clock=clock)
        now = (clock or SystemClock()).now()
        if not service.can_edit(
            session, account=view.account, record=view.record, person=person, now=now
        ):
            raise PermissionDenied(
                guideline_terms.in_force(session).fill(
                    f"公式アカウント「{view.account.name}」の管理記録を変更できるのは、管理者、"
                    "{approver}または代理、認証情報の管理者です（{credentials}）。"
                )
            )
        terms = guideline_terms.in_force(session)
        return CustodyForm(
            view.account.code,
            view.account.name,
            _current(view.record),
            clause=terms.ref("credentials"),
            guideline=terms.short_name,
        )

    return as_person(factory, actor, work, refused=lambda reply: reply)


def submit_form(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    code: str,
    values: Mapping[str, str | None],
    clock: Clock | None = None,
) -> Reply:
    """Save the submitted form; only fields whose value changed are sent to the service."""

    def work(session: Session, person: Person) -> OutMessage:
        account = directory.get_account(session, code=code)
        record = service.get_record(session, account=account)
        current = _current(record)
        changed = {
            k: (v or "").strip()
            for k, v in values.items()
            if k in service.FIELDS and (v or "").strip() != current.get(k, "")
        }
        if not changed:
            raise ValidationFailed("変更はありません（すべて現在の記録と同じです）。")
        if changed.get("twofa") == "off":
            changed.pop("twofa_method", None)
        service.update_record(session, actor=person, code=code, values=changed, clock=clock)
        view = service.view(session, actor=person, code=code, clock=clock)
        detail = messaging.custody_detail(view)
        return OutMessage(
            kind="custody.detail",
            title="管理記録を保存しました: " + view.account.name,
            text=detail.text,
            fields=detail.fields,
            actions=detail.actions,
            context=detail.context,
        )

    return run_as(factory, actor, work, receipt=True, clock=clock)


def _current(record: CustodyRecord | None) -> dict[str, str]:
    """The record as form values (dates as YYYY-MM-DD, JST)."""
    if record is None:
        return {}
    day = ""
    if record.password_changed_at is not None:
        day = to_jst(record.password_changed_at).date().isoformat()
    return {
        "holder": record.holder.handle if record.holder else "",
        "recovery_email": record.recovery_email or "",
        "recovery_phone": record.recovery_phone or "",
        "twofa": "on" if record.twofa_enabled else "off",
        "twofa_method": record.twofa_method or "",
        "password_changed": day,
    }


def handle_action(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    action_id: str,
    value: Mapping[str, Any],
    inputs: Mapping[str, str] | None = None,
    clock: Clock | None = None,
) -> Reply:
    """The custody and handover buttons (ids only in ``value``)."""
    answers = dict(inputs or {})
    if action_id == "custody.confirm":
        code = str(value.get("account", ""))
        return custody_command(factory, actor=actor, text=f"confirm {code}", clock=clock)
    if action_id == "custody.edit":
        code = str(value.get("account", ""))
        return custody_command(factory, actor=actor, text=f"show {code}", clock=clock)
    if action_id in ("handover.step", "handover.holder"):
        try:
            handover_id = button_int(value, "handover")
        except ValidationFailed as exc:
            return refusal(exc)
        step = "holder" if action_id == "handover.holder" else str(value.get("step", ""))
        holder = answers.get("holder")

        def work(session: Session, person: Person) -> OutMessage:
            handover = service.complete_step(
                session,
                actor=person,
                handover_id=handover_id,
                step=step,
                holder=holder,
                clock=clock,
            )
            return messaging.handover_task(handover)

        return run_as(factory, actor, work)
    return unsupported(action_id)


@dataclass(frozen=True)
class Home:
    """The App Home section: one message per account the person may see, and handovers."""

    records: list[OutMessage]
    handovers: list[OutMessage]


def home(factory: sessionmaker[Session], *, actor: Actor, clock: Clock | None = None) -> Home:
    def work(session: Session, person: Person) -> Home:
        views = service.views_for(session, actor=person, clock=clock)
        handovers = service.handovers_for(session, person=person, clock=clock)
        return Home(
            records=[messaging.custody_detail(v) for v in views],
            handovers=[messaging.handover_task(h) for h in handovers],
        )

    return as_person(factory, actor, work, refused=lambda reply: Home([], []))


__all__ = [
    "ACTION_IDS",
    "FORM_FIELDS",
    "MEDIUM_LABELS",
    "CustodyForm",
    "FormField",
    "Home",
    "custody_command",
    "form",
    "handle_action",
    "home",
    "submit_form",
]

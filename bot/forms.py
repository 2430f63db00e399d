"""Forms that chat platforms open instead of a text command: ``/account new``, ``/incident``.

Platform-neutral, like ``bot.commands`` (the draft form). An adapter asks
``form_for(command, text)`` whether a command line should open a form; if so it asks
``account_form`` / ``incident_form`` what to offer (or why the person may not), renders
the form its own way (a Slack modal, a Teams card) and sends the answers back through
``submit_account_form`` / ``submit_incident_form``. Their ``Reply.fields`` are keyed by
the form's field names (``FIELDS`` keys; ``INCIDENT_FIELDS``), each problem in Japanese.
The console keeps the text forms (``run_command``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts import api as accounts_api
from bot.accounts.validation import FIELDS, FormField
from bot.clock import Clock, SystemClock
from bot.db import transaction
from bot.directory import service as directory
from bot.directory.models import CLOSED, Account, Person
from bot.errors import BotError, NotFound, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.incidents import commands as incident_commands
from bot.incidents import service as incidents
from bot.incidents.checklists import parse_type, types
from bot.interaction import Actor, Reply, as_person, refusal

__all__ = [
    "ACCOUNT_FORM",
    "FIELDS",
    "INCIDENT_FIELDS",
    "INCIDENT_FORM",
    "FormField",
    "FormRequest",
    "IncidentForm",
    "OpenForm",
    "account_form",
    "form_for",
    "incident_form",
    "submit_account_form",
    "submit_incident_form",
]

ACCOUNT_FORM = "account"
INCIDENT_FORM = "incident"
# The incident form's fields: type (炎上 / なりすまし / 訂正), account, summary, URL.
INCIDENT_FIELDS = ("type", "account", "summary", "url")
_NEW_WORDS = {"new", "新規", "登録"}


@dataclass(frozen=True)
class FormRequest:
    """A command line that opens a form: which one, and what it already says."""

    form: str  # ACCOUNT_FORM | INCIDENT_FORM
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IncidentForm:
    """What the incident form offers: types and accounts as (value, label), and prefills."""

    types: list[tuple[str, str]]
    accounts: list[tuple[str, str]]
    values: dict[str, str] = field(default_factory=dict)
    # 「炎上は6(3)、なりすましは6(4)、訂正は6(1)」: where each type's checklist comes from.
    steps_from: str = ""


@dataclass(frozen=True)
class OpenForm:
    """``ok`` when the person may use the form (``incident`` set for the incident form);
    else ``refusal`` says why not."""

    ok: bool
    incident: IncidentForm | None = None
    values: dict[str, str] = field(default_factory=dict)
    refusal: Reply | None = None
    terms: Terms | None = None  # the guideline in force, whose words the form uses


def form_for(command: str, text: str) -> FormRequest | None:
    """The form ``/command text`` opens on a chat platform, or None to run it as text.

    ``/account new`` with no values opens the 運用ポリシー form; ``/incident`` with its
    type, account or summary missing opens the incident form with what was given.
    """
    name = command.strip().lstrip("/").lower()
    words = text.split()
    if name == "account":
        if len(words) == 1 and words[0].lower() in _NEW_WORDS:
            return FormRequest(ACCOUNT_FORM)
        return None
    if name != "incident":
        return None
    if not words:
        return FormRequest(INCIDENT_FORM)
    try:
        kind = parse_type(words[0])
    except ValidationFailed:
        return None  # a sub-command (update, close…) or a typo the text command explains
    if len(words) > 2:
        return None
    values = {"type": kind.code}
    if len(words) == 2:
        values["account"] = words[1]
    return FormRequest(INCIDENT_FORM, values)


def _refused(reply: Reply) -> OpenForm:
    return OpenForm(False, refusal=reply)


def account_form(factory: sessionmaker[Session], *, actor: Actor) -> OpenForm:
    """Whether ``actor`` may open the 運用ポリシー form (only people in the directory)."""
    return as_person(
        factory,
        actor,
        lambda session, person: OpenForm(
            True, values={"manager": person.handle}, terms=guideline_terms.in_force(session)
        ),
        refused=_refused,
    )


def terms_in_force(factory: sessionmaker[Session]) -> Terms:
    """The guideline in force, for a form redrawn after a refused submission."""
    with factory() as session:
        return guideline_terms.in_force(session)


def submit_account_form(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    values: Mapping[str, str],
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """Register the account the form describes; ``Reply.fields`` uses ``FIELDS`` keys.

    With ``receipt`` the reply is also queued to the registrant in the same transaction.
    """
    known = {f.key for f in FIELDS}
    submitted = {k: (v or "") for k, v in values.items() if k in known}
    return accounts_api.register(
        factory, actor=actor, values=submitted, clock=clock, receipt=receipt
    )


def _accounts(session: Session) -> list[tuple[str, str]]:
    accounts = session.scalars(
        sa.select(Account).where(Account.status != CLOSED).order_by(Account.code)
    )
    return [(a.code, a.name) for a in accounts]


def _typed_account_or_summary(
    values: dict[str, str], accounts: list[tuple[str, str]]
) -> dict[str, str]:
    """``/incident 炎上 <word>``: the word is the account when it names one, else the summary.

    Japanese is written without spaces, so ``/incident 炎上 投稿に批判が集中しています`` has
    one word after the type; taken as an account code it matched nothing and the form
    showed neither (what was typed was lost).
    """
    typed = values.get("account", "").strip()
    if not typed:
        return values
    for code, name in accounts:
        if typed.lower() == code.lower() or typed == name:
            return {**values, "account": code}
    rest = {k: v for k, v in values.items() if k != "account"}
    if not rest.get("summary"):
        rest["summary"] = typed
    return rest


def incident_form(
    factory: sessionmaker[Session], *, actor: Actor, values: Mapping[str, str] | None = None
) -> OpenForm:
    """What the incident form offers (every staff member may declare, 6)."""

    def work(session: Session, person: Person) -> OpenForm:
        accounts = _accounts(session)
        if not accounts:
            raise NotFound("公式アカウントが登録されていません。")
        known = types(guideline_terms.in_force(session)).values()
        form = IncidentForm(
            types=[(t.code, f"{t.name}（{t.clause}）") for t in known],
            steps_from="、".join(f"{t.name}は{t.clause}" for t in known),
            accounts=accounts,
            values=_typed_account_or_summary(dict(values or {}), accounts),
        )
        return OpenForm(True, incident=form)

    return as_person(factory, actor, work, refused=_refused)


def submit_incident_form(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    values: Mapping[str, str],
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """Declare the incident the form describes; ``Reply.fields`` uses ``INCIDENT_FIELDS``.

    The reporter always gets the incident's own notice (with the thread) through the
    outbox, so ``receipt`` adds nothing here; it is accepted for a uniform signature.
    """
    clock = clock or SystemClock()
    kind = (values.get("type") or "").strip()
    account = (values.get("account") or "").strip()
    summary = (values.get("summary") or "").strip()
    url = (values.get("url") or "").strip() or None
    problems: dict[str, str] = {}
    if not kind:
        problems["type"] = "種別（炎上・なりすまし・訂正）を選んでください（ガイドライン6）。"
    if not account:
        problems["account"] = "対象の公式アカウントを選んでください。"
    if not summary and not url:
        problems["summary"] = "何が起きているか（概要または該当する投稿のURL）を入力してください。"
    if url is not None and not url.lower().startswith(("https://", "http://")):
        problems["url"] = "URL は https:// で始まる形で入力してください。"
    if problems:
        return refusal(ValidationFailed("入力内容を確認してください。", fields=problems))
    try:
        with transaction(factory) as session:
            person = directory.person_by_platform_id(
                session, platform=actor.platform, user_id=actor.user_id
            )
            try:
                directory.get_account(session, code=account)
            except NotFound as exc:
                raise ValidationFailed(exc.message, fields={"account": exc.message}) from None
            incident = incidents.declare(
                session,
                type=kind,
                account_code=account,
                actor=person,
                summary=summary,
                url=url,
                clock=clock,
            )
            message = incident_commands.declared_reply(incident)
        return Reply(ok=True, message=message)
    except ValidationFailed as exc:
        fields = dict(exc.fields)
        if len(fields) == 1:
            # The core's notes are terse ("必須です"); next to the field, say it in full.
            (name,) = fields
            fields[name] = exc.message
        return refusal(ValidationFailed(exc.message, fields=fields))
    except BotError as exc:
        return refusal(exc)

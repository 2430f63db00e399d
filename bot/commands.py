"""One router for text commands (``run_command``) and the draft form, on every platform.

Commands: ``/check`` (W6, stores nothing), ``/incident …`` (``bot.incidents.commands``),
``/account …`` (``bot.accounts.api``), ``/custody …`` (``bot.custody.commands``), ``/drafts``
(my drafts), ``/inbox`` (what waits for me). ``/draft`` is a form: ``draft_form`` says what to offer (the accounts the person may
post for, the values of a draft being revised) and ``submit_draft_form`` submits or edits.
Form fields: ``account``, ``text``, ``planned_at``, ``exemption`` (``none`` | ア〜エ),
``evidence``, ``photo`` (``PHOTO_CHOICES``), ``false_positive_reason``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.accounts import commands as accounts
from bot.clock import Clock, SystemClock
from bot.custody import commands as custody
from bot.directory.models import Person
from bot.drafts import api as drafts_api
from bot.drafts import service as drafts
from bot.errors import PermissionDenied
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms
from bot.incidents import commands as incidents
from bot.interaction import Actor, Reply, as_person, run_as, unsupported
from bot.notify.messages import OutMessage

__all__ = [
    "PHOTO_CHOICES",
    "DraftForm",
    "DraftInput",
    "FormReply",
    "draft_form",
    "run_command",
    "submit_draft_form",
]

COMMANDS = ("check", "incident", "account", "custody", "drafts", "inbox")


class Grammar(Protocol):
    """A text command's grammar: parse ``text`` and run it for ``actor`` in ``session``."""

    def __call__(
        self, session: Session, *, actor: Person, text: str, clock: Clock
    ) -> OutMessage: ...


# The commands whose text is a sub-command line, each parsed by its own package (once).
GRAMMARS: dict[str, Grammar] = {
    "incident": incidents.run,
    "account": accounts.run,
    "custody": custody.run,
}

PHOTO_CHOICES: tuple[tuple[str, str], ...] = (
    ("none", "人物が写っていない（写真・映像がない場合を含む）"),
    ("consented", "特定できる人物あり（本人の同意あり）"),
    ("no_consent", "特定できる人物あり（本人の同意なし）"),
)
_PHOTO = {
    "none": ("none", False),
    "consented": ("identifiable", True),
    "no_consent": ("identifiable", False),
}
# Core field names (ValidationFailed.fields) → form fields.
_FIELD_OF = {"reason": "false_positive_reason", "photo_consent": "photo"}

CHECK_USAGE = OutMessage(
    kind="check.usage",
    title="/check の使い方",
    text="/check 確認したい文章\n本人にだけ結果を表示します。文章は保存されません（ガイドライン7）。",
)


@dataclass(frozen=True)
class DraftInput:
    """What a draft form submits (strings as typed; ``planned_at`` already parsed)."""

    account: str
    text: str
    planned_at: datetime | None = None
    exemption: str = "none"
    evidence: str | None = None
    photo: str = "none"
    false_positive_reason: str | None = None


@dataclass(frozen=True)
class DraftForm:
    """What the draft form offers: accounts (code, name) and current values when editing."""

    accounts: list[tuple[str, str]]
    draft_id: int | None = None
    version: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    # The guideline in force: exemption choices, the approver's title, clause ids.
    terms: Terms = field(default_factory=lambda: guideline_terms.of(default_guideline()))


@dataclass(frozen=True)
class FormReply:
    """``form`` when the person may use the form; else ``refusal`` says why not."""

    form: DraftForm | None
    refusal: Reply | None = None


def run_command(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    command: str,
    text: str,
    clock: Clock | None = None,
) -> Reply:
    """Run ``/command text`` for ``actor`` and return the reply to show them."""
    clock = clock or SystemClock()
    name = command.strip().lstrip("/").lower()
    if name == "check":
        if not text.strip():
            return Reply(ok=False, message=CHECK_USAGE, code="usage")
        # Anyone may self-check, registered or not: nothing is stored (W6).
        return drafts_api.check_text(text=text, clock=clock, factory=factory)
    grammar = GRAMMARS.get(name)
    if grammar is not None:
        return run_as(
            factory,
            actor,
            lambda session, person: grammar(session, actor=person, text=text, clock=clock),
        )
    if name == "drafts":
        return drafts_api.my_drafts(factory, actor=actor, clock=clock)
    if name == "inbox":
        return drafts_api.inbox(factory, actor=actor, clock=clock)
    return unsupported(command)


def draft_form(
    factory: sessionmaker[Session], *, actor: Actor, draft_id: int | None = None
) -> FormReply:
    """What to put in the draft form: a new draft, or the author's draft ``draft_id``."""

    def work(session: Session, person: Person) -> FormReply:
        if draft_id is not None:
            return FormReply(_edit_form(session, person, draft_id))
        accounts = [(a.code, a.name) for a in drafts_api.postable_accounts(session, person)]
        if not accounts:
            raise drafts_api.no_postable_account(guideline_terms.in_force(session))
        return FormReply(DraftForm(accounts=accounts, terms=guideline_terms.in_force(session)))

    return as_person(factory, actor, work, refused=lambda reply: FormReply(None, reply))


def _edit_form(session: Session, person: Person, draft_id: int) -> DraftForm:
    draft = drafts.get_draft(session, draft_id=draft_id)
    if draft.author_id != person.id:
        raise PermissionDenied(f"下書き #{draft_id} を修正できるのは作成者だけです。")
    version = drafts.current_version(session, draft=draft)
    photo = "none"
    if draft.photo_people == "identifiable":
        photo = "consented" if draft.photo_consent else "no_consent"
    return DraftForm(
        accounts=[(draft.account.code, draft.account.name)],
        terms=guideline_terms.in_force(session),
        draft_id=draft.id,
        version=version.number,
        values={
            "account": draft.account.code,
            "text": version.text,
            "planned_at": draft.planned_at,
            "exemption": draft.exemption or "none",
            "evidence": draft.evidence or "",
            "photo": photo,
        },
    )


def submit_draft_form(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    form: DraftInput,
    draft_id: int | None = None,
    clock: Clock | None = None,
    receipt: bool = False,
) -> Reply:
    """Submit a new draft (or a revision of ``draft_id``); ``Reply.fields`` uses form names.

    With ``receipt`` the reply is also queued to the author in the outbox (for platforms
    that cannot show it in the form's answer, e.g. a Slack modal that closes).

    Blocking findings come back with ``code == "blocked"`` and a ``text`` field naming the
    clauses and words, so the form can show them next to the text and ask for a
    false-positive statement.
    """
    photo_people, photo_consent = _PHOTO.get(form.photo, (form.photo, False))
    exemption = None if form.exemption in ("", "none") else form.exemption
    evidence = (form.evidence or "").strip() or None
    fp_reason = (form.false_positive_reason or "").strip() or None
    if draft_id is None:
        draft = drafts_api.NewDraft(
            account=form.account,
            text=form.text,
            planned_at=form.planned_at,
            exemption=exemption,
            evidence=evidence,
            photo_people=photo_people,
            photo_consent=photo_consent,
            false_positive_reason=fp_reason,
        )
        reply = drafts_api.submit_draft(
            factory, actor=actor, draft=draft, clock=clock, receipt=receipt
        )
    else:
        revision = drafts_api.DraftRevision(
            draft_id=draft_id,
            text=form.text,
            changes={
                "planned_at": form.planned_at,
                "exemption": exemption,
                "evidence": evidence,
                "photo_people": photo_people,
                "photo_consent": photo_consent,
            },
            false_positive_reason=fp_reason,
        )
        reply = drafts_api.edit_draft(
            factory, actor=actor, revision=revision, clock=clock, receipt=receipt
        )
    if reply.ok:
        return reply
    fields = {_FIELD_OF.get(k, k): v for k, v in reply.fields.items()}
    if len(fields) == 1:
        # The core's field notes are terse ("必須"); next to the field, say it in full.
        (name,) = fields
        fields[name] = "\n".join(p for p in (reply.message.title, reply.message.text) if p)
    if reply.code == "blocked":
        blocking = [f for f in reply.message.findings if f.severity == "block"]
        lines = [f"{f.clause}「{f.excerpt}」{f.message}" for f in blocking[:5]]
        if len(blocking) > 5:
            lines.append(f"ほか {len(blocking) - 5} 件")
        fields["text"] = (
            "掲載できない内容があります: "
            + " / ".join(lines)
            + "。修正するか、誤検知なら理由を入力して送ってください。"
        )
        fields.setdefault(
            "false_positive_reason", "誤検知だと考える場合は、その理由を入力してください。"
        )
    return Reply(
        ok=False, message=reply.message, draft_id=reply.draft_id, code=reply.code, fields=fields
    )

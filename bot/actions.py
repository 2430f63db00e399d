"""One router for every button, on every platform: ``run_action``.

A button is an ``Action`` the core put on an ``OutMessage`` (``bot.notify.messages``). The
adapter sends back its ``action_id`` and ``value`` (ids only); this module dispatches by the
id's family to the package that owns it and returns a ``Reply`` to show the person who
clicked (ephemerally). Buttons that need input first (a reason, a URL) are listed in
``PROMPTS``: the adapter shows that form, then calls ``run_action`` with ``inputs``.

Families: ``draft.`` / ``report.`` → ``bot.drafts.api``; ``incident.`` →
``bot.incidents.commands.run_action``; ``account.`` → ``bot.accounts.api``; ``reminder.`` →
``bot.scheduler.snooze``; ``custody.`` / ``handover.`` → ``bot.custody.api``.

Action ids added here on top of the core's decision buttons (values ``{"draft_id"}``):

- ``draft.edit``    the author revises a draft (the adapter opens the draft form prefilled)
- ``draft.publish`` the post is online: ``inputs["url"]`` → ``mark_published``
- ``draft.report``  事後報告 of an exempt post: ``inputs["url"]``, ``inputs["note"]`` → ``file_report``
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.accounts import api as accounts_api
from bot.clock import Clock, SystemClock
from bot.custody import api as custody_api
from bot.directory.models import Person
from bot.drafts import api as drafts_api
from bot.errors import BotError, NotFound, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.incidents import commands as incidents
from bot.incidents.models import Incident
from bot.interaction import Actor, Reply, button_int, refusal, run_as, unsupported
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.port import SentRef
from bot.notify.service import sent_ref
from bot.scheduler.snooze import snooze, snooze_confirmation, tenant_calendar

__all__ = [
    "PROMPTS",
    "Prompt",
    "PromptInput",
    "incident_thread",
    "run_action",
    "run_as",
    "unsupported",
]


@dataclass(frozen=True)
class PromptInput:
    """One input of a prompt form; ``choices`` (value, label) makes it a select."""

    name: str
    label: str
    required: bool = True
    multiline: bool = True
    hint: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 2000


@dataclass(frozen=True)
class Prompt:
    """What to ask before running an action. ``title`` fits a Slack modal (24 chars)."""

    title: str
    submit: str
    inputs: tuple[PromptInput, ...] = field(default_factory=tuple)


def _reason(label: str, hint: str | None = None) -> tuple[PromptInput, ...]:
    return (PromptInput("reason", label, hint=hint),)


PROMPTS: dict[str, Prompt] = {
    "draft.reject": Prompt(
        "却下の理由", "却下する", _reason("却下の理由", "作成者に伝わり、記録に残ります。")
    ),
    "draft.request_changes": Prompt(
        "差し戻しの理由",
        "差し戻す",
        _reason("修正してほしい点", "作成者に伝わり、記録に残ります。"),
    ),
    "draft.publish": Prompt(
        "掲載の登録",
        "登録する",
        (PromptInput("url", "掲載先のURL", multiline=False, max_length=1000),),
    ),
    "draft.report": Prompt(
        "事後報告",
        "報告する",
        (
            PromptInput(
                "url",
                "掲載先のURL",
                multiline=False,
                max_length=1000,
                # Prompts are rendered without a session (Teams cards): no clause or title.
                hint="決裁不要の投稿は、掲載後速やかに事後報告します。",
            ),
            PromptInput("note", "報告内容（任意）", required=False),
        ),
    ),
    "account.return": Prompt("開設の届出の差し戻し", "差し戻す", _reason("差し戻しの理由")),
    "handover.holder": Prompt(
        "新しい管理者の指名",
        "指名する",
        (
            PromptInput(
                "holder",
                "新しい認証情報の管理者（名簿のハンドル）",
                multiline=False,
                max_length=64,
                hint="ID・パスワードを引き継ぐ職員一人。パスワードそのものは入力しないでください。",
            ),
        ),
    ),
    "incident.update": Prompt("状況報告", "報告する", _reason("状況報告")),
    "incident.close": Prompt("事案の終了", "終了する", _reason("まとめ（経緯・対応・再発防止）")),
    "incident.respond": Prompt(
        "対応投稿の起案",
        "起案する",
        (
            PromptInput(
                "purpose",
                "種別",
                multiline=False,
                choices=(
                    ("説明", "説明"),
                    ("訂正", "訂正"),
                    ("謝罪", "謝罪"),
                    ("対応中", "対応中のお知らせ"),
                ),
            ),
            PromptInput(
                "text",
                "投稿する文章",
                hint="内容チェックのうえ決裁に回ります。",
                max_length=3000,
            ),
        ),
    ),
}


def _missing(inputs: Mapping[str, str], prompt: Prompt) -> Reply | None:
    problems = {
        i.name: f"{i.label}を入力してください。"
        for i in prompt.inputs
        if i.required and not (inputs.get(i.name) or "").strip()
    }
    if not problems:
        return None
    reply = refusal(ValidationFailed(next(iter(problems.values())), fields=problems))
    return reply


def run_action(
    factory: sessionmaker[Session],
    *,
    actor: Actor,
    action_id: str,
    value: Mapping[str, Any],
    reason: str | None = None,
    inputs: Mapping[str, str] | None = None,
    clock: Clock | None = None,
) -> Reply:
    """Run the button ``action_id`` with its ``value`` for ``actor``; a Reply to show them.

    ``inputs`` are the answers to the action's ``PROMPTS`` form (``reason`` is shorthand
    for ``inputs={"reason": ...}``). A missing required input is refused with ``fields``.
    """
    clock = clock or SystemClock()
    answers = dict(inputs or {})
    if reason is not None:
        answers.setdefault("reason", reason)
    prompt = PROMPTS.get(action_id)
    if prompt is not None and (problem := _missing(answers, prompt)) is not None:
        return problem
    value = dict(value)
    family = action_id.split(".", 1)[0]
    try:
        if family in ("draft", "report"):
            return _draft_action(factory, actor, action_id, value, answers, clock)
        if family == "incident":
            return _incident_action(factory, actor, action_id, value, answers, clock)
        if family == "account":
            return accounts_api.handle_action(
                factory,
                actor=actor,
                action_id=action_id,
                value=value,
                reason=answers.get("reason"),
                clock=clock,
            )
        if family == "reminder":
            return _reminder_action(factory, actor, action_id, value, clock)
        if family in ("custody", "handover"):
            return custody_api.handle_action(
                factory, actor=actor, action_id=action_id, value=value, inputs=answers, clock=clock
            )
    except BotError as exc:
        return refusal(exc)
    return unsupported(action_id)


def _draft_action(
    factory: sessionmaker[Session],
    actor: Actor,
    action_id: str,
    value: dict[str, Any],
    answers: dict[str, str],
    clock: Clock,
) -> Reply:
    if action_id == "draft.publish":
        return drafts_api.mark_published(
            factory,
            actor=actor,
            draft_id=button_int(value, "draft_id"),
            url=answers.get("url", ""),
            clock=clock,
        )
    if action_id == "draft.report":
        return drafts_api.file_report(
            factory,
            actor=actor,
            draft_id=button_int(value, "draft_id"),
            url=(answers.get("url") or "").strip() or None,
            note=answers.get("note") or "",
            clock=clock,
        )
    if action_id == "draft.edit":
        # The adapter opens the draft form for this; a click alone changes nothing.
        return refusal(
            ValidationFailed(
                "修正後の本文を入力してください（修正フォームから送ってください）。",
                fields={"text": "必須"},
            )
        )
    return drafts_api.handle_action(
        factory,
        actor=actor,
        action_id=action_id,
        value=value,
        reason=answers.get("reason"),
        clock=clock,
    )


def _incident_action(
    factory: sessionmaker[Session],
    actor: Actor,
    action_id: str,
    value: dict[str, Any],
    answers: dict[str, str],
    clock: Clock,
) -> Reply:
    incident_id = button_int(value, "incident_id")
    if action_id == "incident.respond":
        # Straight to the service: the text is stored exactly as the person wrote it.
        post = incidents.ResponsePost(
            incident_id=incident_id,
            purpose=answers.get("purpose", "").strip(),
            text=answers.get("text", ""),
        )
        return run_as(
            factory,
            actor,
            lambda session, person: incidents.respond(
                session, actor=person, post=post, clock=clock
            ),
        )
    if action_id == "incident.open_thread":

        def where(session: Session, _person: Person) -> OutMessage:
            # Only an incident of the clicker's tenant has a thread to point to.
            if session.get(Incident, incident_id) is None:
                raise NotFound(f"事案#{incident_id}は見つかりません。番号を確認してください。")
            return OutMessage(
                kind="incident.thread",
                title=(
                    f"事案#{incident_id}の対応スレッドは、"
                    f"{guideline_terms.in_force(session).incident_desk}の SNS 対応チャンネルにあります"
                ),
                text="以後のやり取りはスレッドで行ってください。",
            )

        return run_as(factory, actor, where)
    return run_as(
        factory,
        actor,
        lambda session, person: incidents.run_action(
            session,
            actor=person,
            action_id=action_id,
            value=value,
            reason=answers.get("reason"),
            clock=clock,
        ),
    )


def _reminder_action(
    factory: sessionmaker[Session],
    actor: Actor,
    action_id: str,
    value: dict[str, Any],
    clock: Clock,
) -> Reply:
    if action_id != "reminder.snooze":
        return unsupported(action_id)
    reminder_id = button_int(value, "reminder_id")
    minutes = button_int(value, "minutes") if "minutes" in value else 60

    def work(session: Session, person: Person) -> OutMessage:
        calendar = tenant_calendar(session)
        reminder = snooze(
            session,
            reminder_id=reminder_id,
            person=person,
            minutes=minutes,
            clock=clock,
            calendar=calendar,
        )
        return snooze_confirmation(reminder, now=clock.now(), calendar=calendar)

    return run_as(factory, actor, work)


def incident_thread(factory: sessionmaker[Session], *, incident_id: int) -> SentRef | None:
    """Where an incident's thread root was posted (None: unknown, or not delivered yet).

    Adapters turn it into a link (Slack: ``chat.getPermalink``) for ``incident.open_thread``.
    """
    with factory() as session:
        incident = session.get(Incident, incident_id)
        if incident is None or incident.thread_root_id is None:
            return None
        root = session.get(OutboxMessage, incident.thread_root_id)
        return sent_ref(root) if root is not None else None

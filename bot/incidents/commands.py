"""The text form of ``/incident`` (console, and Slack's slash command text), platform-neutral.

``run`` parses one command line, calls the services and returns the reply to show the user.
Refusals are raised as ``BotError`` with a Japanese message; the caller rolls back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.clock import Clock, format_jst
from bot.directory import service as directory
from bot.directory.models import Account, Person
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.incidents import messaging, responses, service
from bot.incidents.checklists import STATUS_NAMES, kind_of, parse_type, type_names
from bot.incidents.models import Incident
from bot.interaction.args import number
from bot.notify.messages import OutMessage

# A template: ``{types}`` and the guideline's words in braces are filled in by ``usage``.
USAGE = "\n".join(
    [
        "/incident {types} アカウント 概要またはURL … 事案を報告（{guideline}{incidents}）",
        "/incident update 番号 本文 … 状況報告",
        "/incident status 番号 収束|終了 [コメント・まとめ] … 状態の変更",
        "/incident tick 番号 項目 … チェック（untick で取消、toggle で切り替え）",
        "/incident close 番号 まとめ … 終了（{desk}・{approver}のみ）",
        "/incident show 番号 … 詳細と経過",
        "/incident edit 記録番号 本文 … 状況報告・まとめの修正（履歴は残ります）",
        "/incident respond 番号 説明|訂正|謝罪|対応中 本文 … 対応投稿を起案（チェック・決裁へ）",
        "/incident list … 対応中・収束の事案一覧",
        "/incident comment アカウント 理由({forbidden_items}) 内容 … 削除した書き込みの記録"
        "（{comment_deletion}）",
    ]
)

# A URL ends at white space or at Japanese punctuation written right after it.
_URL = re.compile(r"https?://[^\s、。，．「」『』（）【】]+")


def usage_text(terms: Terms) -> str:
    """The command summary in the words of ``terms``' guideline."""
    return terms.fill(USAGE.replace("{types}", type_names(terms)))


def usage(terms: Terms, problem: str | None = None) -> OutMessage:
    """The command summary, optionally after a one-line problem statement."""
    return OutMessage(
        kind="incident.usage",
        title=problem or "/incident の使い方",
        text=usage_text(terms),
    )


def _id(value: str, what: str = "事案番号") -> int:
    return number(value, what=what, example="3")


def _split(text: str, n: int) -> list[str]:
    """Split off up to ``n`` leading words; the rest (with its spaces) is the last item."""
    return text.strip().split(None, n)


def _account_prompt(session: Session, kind_name: str) -> OutMessage:
    accounts = session.scalars(sa.select(Account).order_by(Account.code)).all()
    listing = "\n".join(f"・{a.code}（{a.name}）" for a in accounts) or "（登録なし）"
    return OutMessage(
        kind="incident.prompt",
        title=f"{kind_name}の対象となる公式アカウントと、概要またはURLを指定してください",
        text=f"例: /incident {kind_name} アカウント 何が起きているか\n登録済みのアカウント:\n"
        + listing,
    )


def run(session: Session, *, actor: Person, text: str, clock: Clock) -> OutMessage:
    """Execute one ``/incident`` command line for ``actor`` and return the reply."""
    words = _split(text, 1)
    if not words:
        return usage(guideline_terms.in_force(session))
    head = words[0]
    rest = words[1] if len(words) > 1 else ""
    parse_rest = SUBCOMMANDS.get(head.lower())
    if parse_rest is None:  # not a sub-command: the type of a new incident (炎上 …)
        return _declare(session, actor, head, rest, clock)
    try:
        command = parse_rest(rest)
    except ValidationFailed as exc:  # its example names the guideline's words in braces
        message = guideline_terms.in_force(session).fill(exc.message)
        raise ValidationFailed(message, fields=exc.fields) from None
    return execute(session, actor=actor, command=command, clock=clock)


def _declare(session: Session, actor: Person, head: str, rest: str, clock: Clock) -> OutMessage:
    terms = guideline_terms.in_force(session)
    try:
        kind = parse_type(head, terms)
    except ValidationFailed as exc:
        raise ValidationFailed(
            exc.message + "\n\n" + usage_text(terms), fields=exc.fields
        ) from None
    parts = _split(rest, 1)
    if len(parts) < 2:
        if parts:
            directory.get_account(session, code=parts[0])
        return _account_prompt(session, kind.name)
    account_code, body = parts
    match = _URL.search(body)
    url = match.group(0).rstrip(".,;:!?)]'\"") if match else None
    # The URL is stored beside the summary; the summary stays the sentence as written
    # (taking the URL out of it would leave 「が当課の公式アカウントを名乗って…」).
    summary = " ".join(body.split())
    if summary == url:
        summary = ""  # only a URL: it is shown once, as the URL
    incident = service.declare(
        session,
        type=kind.code,
        account_code=account_code,
        actor=actor,
        summary=summary,
        url=url,
        clock=clock,
    )
    return declared_reply(incident)


def declared_reply(incident: Incident) -> OutMessage:
    """What the reporter is told once the incident is recorded (text command or form)."""
    kind = kind_of(incident)
    return OutMessage(
        kind="incident.declared",
        title=f"事案#{incident.id}（{kind.name}）を記録しました",
        # The thread root is only queued here: say so, and tell them when it is posted
        # (``messaging.reporter_message``, delivered after the root).
        text=(
            f"{guideline_terms.of_record(incident).incident_desk}のチャンネルに"
            "対応スレッドの作成を依頼しました。スレッドができ次第、お知らせします。"
        ),
    )


def _need(parts: list[str], n: int, example: str) -> None:
    if len(parts) < n:
        raise ValidationFailed(f"指定が足りません。例: {example}")


# --- sub-commands: parsed once into typed inputs, then executed -------------------------


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Update:
    incident_id: int
    text: str


@dataclass(frozen=True)
class StatusChange:
    incident_id: int
    status: str  # 収束 | 終了 (or the code)
    note: str


@dataclass(frozen=True)
class Tick:
    incident_id: int
    item: str  # the item's number or label
    done: bool | None  # None: toggle


@dataclass(frozen=True)
class Close:
    incident_id: int
    summary: str


@dataclass(frozen=True)
class Show:
    incident_id: int


@dataclass(frozen=True)
class EventEdit:
    event_id: int
    text: str


@dataclass(frozen=True)
class ListOpen:
    pass


@dataclass(frozen=True)
class ResponsePost:
    """A response post to draft for an incident (``/incident respond`` or the 起案 button)."""

    incident_id: int
    purpose: str  # 説明 | 訂正 | 謝罪 | 対応中
    text: str  # the post, exactly as written


@dataclass(frozen=True)
class DeletedComment:
    account_code: str
    why: str  # the 7(1) clause
    what: str


Command = (
    Help
    | Update
    | StatusChange
    | Tick
    | Close
    | Show
    | EventEdit
    | ListOpen
    | ResponsePost
    | DeletedComment
)


def _parse_update(rest: str) -> Update:
    parts = _split(rest, 1)
    _need(parts, 2, "/incident update 12 削除依頼を送付しました")
    return Update(_id(parts[0]), parts[1])


def _parse_status(rest: str) -> StatusChange:
    parts = _split(rest, 2)
    _need(parts, 2, "/incident status 12 収束 批判は落ち着きました")
    return StatusChange(_id(parts[0]), parts[1], parts[2] if len(parts) > 2 else "")


def _parse_tick(done: bool | None) -> Callable[[str], Tick]:
    def parse(rest: str) -> Tick:
        parts = _split(rest, 1)
        _need(parts, 2, "/incident tick 12 1")
        return Tick(_id(parts[0]), parts[1].strip(), done)

    return parse


def _parse_close(rest: str) -> Close:
    parts = _split(rest, 1)
    _need(parts, 1, "/incident close 12 経緯と対応結果のまとめ")
    return Close(_id(parts[0]), parts[1] if len(parts) > 1 else "")


def _parse_show(rest: str) -> Show:
    parts = _split(rest, 0)
    _need(parts, 1, "/incident show 12")
    return Show(_id(parts[0]))


def _parse_edit(rest: str) -> EventEdit:
    parts = _split(rest, 1)
    _need(parts, 2, "/incident edit 34 正しい本文")
    return EventEdit(_id(parts[0], "記録番号"), parts[1])


def _parse_respond(rest: str) -> ResponsePost:
    parts = _split(rest, 2)
    _need(parts, 3, "/incident respond 12 謝罪 先日の投稿に誤りがありました。…")
    return ResponsePost(incident_id=_id(parts[0]), purpose=parts[1], text=parts[2])


def _parse_comment(rest: str) -> DeletedComment:
    parts = _split(rest, 2)
    _need(parts, 3, "/incident comment アカウント {forbidden_example} 差別的な書き込み（URL）")
    return DeletedComment(parts[0], parts[1], parts[2])


# The sub-command words (lower-cased) and how the rest of the line is parsed. Any other
# first word is the type of a new incident (``_declare``).
SUBCOMMANDS: dict[str, Callable[[str], Command]] = {
    "help": lambda rest: Help(),
    "ヘルプ": lambda rest: Help(),
    "update": _parse_update,
    "status": _parse_status,
    "tick": _parse_tick(True),
    "untick": _parse_tick(False),
    "toggle": _parse_tick(None),
    "close": _parse_close,
    "show": _parse_show,
    "edit": _parse_edit,
    "list": lambda rest: ListOpen(),
    "respond": _parse_respond,
    "comment": _parse_comment,
}


def execute(session: Session, *, actor: Person, command: Command, clock: Clock) -> OutMessage:
    """Run a parsed sub-command (from a text line or a button) and return the reply."""
    match command:
        case Help():
            return usage(guideline_terms.in_force(session))
        case Update(incident_id, text):
            event = service.post_update(
                session, incident_id=incident_id, actor=actor, text=text, clock=clock
            )
            return OutMessage(
                kind="incident.ack",
                title=f"事案#{event.incident_id}に状況報告を追加しました（記録#{event.id}）",
            )
        case StatusChange(incident_id, status, note):
            incident = service.change_status(
                session, incident_id=incident_id, actor=actor, status=status, text=note, clock=clock
            )
            return OutMessage(
                kind="incident.ack",
                title=f"事案#{incident.id}の状態を「{STATUS_NAMES[incident.status]}」にしました",
            )
        case Tick(incident_id, item_name, done):
            item = service.set_item(
                session,
                incident_id=incident_id,
                item=item_name,
                actor=actor,
                done=done,
                clock=clock,
            )
            mark = "☑" if item.done_at is not None else "☐"
            return OutMessage(kind="incident.ack", title=f"事案#{incident_id}: {mark} {item.label}")
        case Close(incident_id, summary):
            return close(
                session, actor=actor, incident_id=incident_id, summary=summary, clock=clock
            )
        case Show(incident_id):
            return show(session, incident_id=incident_id, clock=clock)
        case EventEdit(event_id, text):
            edited = service.edit_event(
                session, event_id=event_id, actor=actor, text=text, clock=clock
            )
            return OutMessage(
                kind="incident.ack",
                title=f"記録#{edited.id}を修正しました（修正前の本文も記録に残ります）",
            )
        case ListOpen():
            return _list(session)
        case ResponsePost():
            return respond(session, actor=actor, post=command, clock=clock)
        case DeletedComment(account_code, why, what):
            comment = service.record_deleted_comment(
                session, account_code=account_code, why=why, what=what, actor=actor, clock=clock
            )
            return messaging.comment_recorded_message(comment)


def close(
    session: Session, *, actor: Person, incident_id: int, summary: str, clock: Clock
) -> OutMessage:
    """End an incident with its summary (``/incident close`` and the 終了 button)."""
    incident = service.close(
        session, incident_id=incident_id, actor=actor, summary=summary, clock=clock
    )
    left = [i for i in incident.items if i.done_at is None]
    text = "未完了のチェック項目: " + "、".join(i.label for i in left) if left else ""
    return OutMessage(kind="incident.ack", title=f"事案#{incident.id}を終了しました", text=text)


def show(session: Session, *, incident_id: int, clock: Clock) -> OutMessage:
    """An incident's detail, with its response drafts' decisions caught up."""
    incident = service.get(session, incident_id=incident_id)
    responses.sync_decisions(session, incident=incident, clock=clock)
    return messaging.detail_message(incident)


def respond(session: Session, *, actor: Person, post: ResponsePost, clock: Clock) -> OutMessage:
    """Draft the response post: checked and routed like any draft, linked to the incident."""
    _, result = responses.start_response(
        session,
        incident_id=post.incident_id,
        actor=actor,
        purpose=post.purpose,
        text=post.text,
        clock=clock,
    )
    assert result.receipt is not None
    return result.receipt


def _list(session: Session) -> OutMessage:
    incidents = service.list_incidents(session)
    lines = [
        f"#{i.id} 【{kind_of(i).name}】{i.account.name} {STATUS_NAMES[i.status]}"
        f"（{format_jst(i.opened_at)}）"
        for i in incidents
    ]
    return OutMessage(
        kind="incident.list",
        title="対応中・収束の事案" if lines else "対応中の事案はありません",
        text="\n".join(lines),
    )


def _toggle(incident_id: int, value: dict[str, Any], reason: str) -> Tick:
    done = value.get("done")
    return Tick(incident_id, str(value.get("item", "")), None if done is None else bool(done))


# The incident buttons (``action_id``) and the sub-command each one is: (incident id, the
# button's value, the text the adapter asked for when the action needs a reason).
BUTTONS: dict[str, Callable[[int, dict[str, Any], str], Command]] = {
    "incident.toggle": _toggle,
    "incident.update": lambda incident_id, value, reason: Update(incident_id, reason),
    "incident.status": lambda incident_id, value, reason: StatusChange(
        incident_id, str(value.get("status", "")), reason
    ),
    "incident.close": lambda incident_id, value, reason: Close(incident_id, reason),
    "incident.show": lambda incident_id, value, reason: Show(incident_id),
}


def run_action(
    session: Session,
    *,
    actor: Person,
    action_id: str,
    value: dict[str, Any],
    reason: str | None = None,
    clock: Clock,
) -> OutMessage:
    """Execute a button from an incident message (Slack, Teams) and return the reply.

    ``reason`` is the text the adapter asked for when the action has ``needs_reason``
    (the update text, the close summary).
    """
    try:
        incident_id = int(value["incident_id"])
    except (KeyError, TypeError, ValueError):
        raise ValidationFailed("ボタンの情報が不正です。メッセージを開き直してください。") from None
    build = BUTTONS.get(action_id)
    if build is None:
        raise ValidationFailed(f"この操作（{action_id}）には対応していません。")
    command = build(incident_id, value, reason or "")
    return execute(session, actor=actor, command=command, clock=clock)


__all__ = [
    "BUTTONS",
    "SUBCOMMANDS",
    "USAGE",
    "Command",
    "ResponsePost",
    "close",
    "declared_reply",
    "execute",
    "respond",
    "run",
    "run_action",
    "show",
    "usage",
]

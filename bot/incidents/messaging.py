"""Platform-neutral messages for incidents. Adapters render these; ids only in action values.

Message kinds: ``incident.opened`` (thread root; also its in-place updates),
``incident.reported`` (to the reporter, links to the thread), ``incident.update``,
``incident.status``, ``incident.closed``, ``incident.response`` (response draft events),
``incident.reminder``, ``incident.detail`` (a /incident show answer),
``incident.comment_recorded`` (6(2)).

Action ids: ``incident.toggle`` {incident_id, item, done} (``done``: the state to set), ``incident.update`` {incident_id}
(needs_reason: the adapter asks for the update text), ``incident.status`` {incident_id,
status}, ``incident.close`` {incident_id} (needs_reason: the close summary),
``incident.respond`` {incident_id} (open a response-draft form), ``incident.open_thread``
{incident_id, outbox_id} (a link to the thread root's delivered message).
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import format_jst
from bot.guideline import terms as guideline_terms
from bot.incidents.checklists import PURPOSE_NAMES, STATUS_NAMES, kind_of
from bot.incidents.models import (
    Incident,
    IncidentChecklistItem,
    IncidentEvent,
    ModeratedComment,
)
from bot.notify.messages import Action, Field, OutMessage

INFO_POLICY_CHANNEL = "info_policy"

EVENT_NAMES = {
    "opened": "発生報告",
    "item_done": "チェック",
    "item_undone": "チェック取消",
    "update": "状況報告",
    "status": "状態変更",
    "closed": "終了",
    "draft_linked": "対応投稿の起案",
    "draft_decided": "対応投稿の決裁",
}


def incident_title(incident: Incident) -> str:
    """E.g. 「【炎上】#12 市政情報アカウント」."""
    kind = kind_of(incident)
    return f"【{kind.name}】#{incident.id} {incident.account.name}"


def _person(p: object | None) -> str:
    name = getattr(p, "name", None)
    return str(name) if name else "（不明）"


def item_line(item: IncidentChecklistItem) -> str:
    """One checklist line with its number, state, who and when."""
    if item.done_at is not None:
        return (
            f"{item.position}. ☑ {item.label}［{item.clause}］"
            f"（{_person(item.done_by)}・{format_jst(item.done_at)}）"
        )
    return f"{item.position}. ☐ {item.label}［{item.clause}］"


def toggle_label(item: IncidentChecklistItem) -> str:
    """A checklist button: short (platforms cut long button labels); the full label is on
    the numbered line in the message body."""
    if item.done_at is not None:
        return f"☑ {item.position} を取消"
    return f"☐ {item.position} を完了"


def reference(incident: Incident, event: IncidentEvent | None = None) -> str:
    """Small print that names the record for people: 「事案#1・記録#3」."""
    return f"事案#{incident.id}" + (f"・記録#{event.id}" if event is not None else "")


def _summary_fields(incident: Incident) -> list[Field]:
    kind = kind_of(incident)
    fields = [
        Field("種別", f"{kind.name}（{kind.clause}）"),
        Field("アカウント", f"{incident.account.name}（{incident.account.media}）"),
        Field(
            "報告者",
            f"{incident.reporter.name}（{incident.reporter.handle}）",
            person=incident.reporter.handle,
        ),
        Field("報告日時", format_jst(incident.opened_at)),
        Field("状態", STATUS_NAMES[incident.status]),
    ]
    if incident.summary:
        fields.append(Field("概要", incident.summary))
    if incident.url:
        fields.append(Field("URL", incident.url))
    return fields


def root_message(incident: Incident, *, mentions: list[str] | None = None) -> OutMessage:
    """The thread's first message: summary, checklist and the actions still possible."""
    kind = kind_of(incident)
    lines = [
        f"{guideline_terms.of_record(incident).short_name}{kind.clause}による対応チェックリスト:"
    ]
    lines.extend(item_line(i) for i in incident.items)
    if incident.status == "closed":
        lines.append("")
        lines.append(
            f"この事案は{format_jst(incident.closed_at or incident.opened_at)}に終了しました。"
        )
    actions: list[Action] = []
    if incident.status != "closed":
        ids = {"incident_id": incident.id}
        for item in incident.items:
            done = item.done_at is not None
            # ``done`` is the state a click asks for: a replayed click changes nothing. The
            # item is named by its number, as staff type it (「/incident toggle 5 1」).
            value = {**ids, "item": str(item.position), "done": not done}
            actions.append(Action("incident.toggle", toggle_label(item), value))
        actions.append(Action("incident.update", "状況を報告", dict(ids), needs_reason=True))
        if incident.status == "open":
            actions.append(Action("incident.status", "収束にする", {**ids, "status": "contained"}))
        actions.append(Action("incident.respond", "説明・訂正・謝罪等の投稿を起案", dict(ids)))
        actions.append(
            Action("incident.close", "終了する（まとめを入力）", dict(ids), "danger", True)
        )
    return OutMessage(
        kind="incident.opened",
        title=incident_title(incident),
        text="\n".join(lines),
        fields=_summary_fields(incident),
        actions=actions,
        context=reference(incident),
        mentions=list(mentions or []),
    )


def reporter_message(incident: Incident) -> OutMessage:
    """Tells the reporter the thread exists and where it is.

    Queued ``after`` the thread root: it is delivered only once the root was posted, so it
    never claims a thread that is still waiting in the outbox.
    """
    root = incident.thread_root_id
    terms = guideline_terms.of_record(incident)
    desk = terms.incident_desk
    return OutMessage(
        kind="incident.reported",
        title=f"{incident_title(incident)} の対応スレッドを作成しました",
        text=(
            f"{desk}のチャンネルに対応スレッドを作成し、{terms.approver}・公式アカウント管理者・"
            f"{desk}に連絡しました。以後のやり取りはスレッドで行ってください。"
        ),
        actions=[
            Action(
                "incident.open_thread",
                "スレッドを開く",
                {"incident_id": incident.id, "outbox_id": root},
            )
        ]
        if root is not None
        else [],
        context=reference(incident),
    )


def update_message(incident: Incident, event: IncidentEvent) -> OutMessage:
    """A status update posted in the thread."""
    return OutMessage(
        kind="incident.update",
        title=f"状況報告（{_person(event.actor)}・{format_jst(event.at)}）",
        text=event.text,
        context=reference(incident, event),
    )


def status_message(incident: Incident, event: IncidentEvent) -> OutMessage:
    """A status change posted in the thread."""
    return OutMessage(
        kind="incident.status",
        title=f"状態を「{STATUS_NAMES[incident.status]}」にしました（{_person(event.actor)}）",
        text=event.text,
        context=reference(incident, event),
    )


def close_message(
    incident: Incident, open_items: list[IncidentChecklistItem], *, mentions: list[str]
) -> OutMessage:
    """The close-out: the summary, and any checklist item left open."""
    lines = [incident.close_summary or ""]
    if open_items:
        lines.append("")
        lines.append("未完了のまま終了したチェック項目:")
        lines.extend(f"・{i.label}［{i.clause}］" for i in open_items)
    else:
        lines.append("")
        lines.append("チェックリストはすべて完了しています。")
    return OutMessage(
        kind="incident.closed",
        title=f"{incident_title(incident)} を終了しました（{_person(incident.closed_by)}）",
        text="\n".join(lines),
        fields=[Field("終了日時", format_jst(incident.closed_at or incident.opened_at))],
        context=reference(incident),
        mentions=mentions,
    )


def response_message(incident: Incident, event: IncidentEvent) -> OutMessage:
    """A response draft was started or decided (posted in the thread)."""
    return OutMessage(
        kind="incident.response",
        title=EVENT_NAMES[event.kind] + f"（{_person(event.actor)}）",
        text=event.text,
        context=reference(incident, event),
    )


def purpose_name(code: str) -> str:
    """Japanese name of a response purpose."""
    return PURPOSE_NAMES.get(code, code)


def reminder_message(incident: Incident, *, now: datetime, mentions: list[str]) -> OutMessage:
    """For the reminder machinery: an open 炎上 has had no status update for a while."""
    minutes = int((now - incident.last_update_at).total_seconds() // 60)
    return OutMessage(
        kind="incident.reminder",
        title=f"{incident_title(incident)}: 状況報告が{minutes}分ありません",
        text=(
            "対応に時間を要する場合は、その旨を書き込み、対応がされていない等の批判を"
            f"招かないようにしてください（{kind_of(incident).clause}）。"
            "スレッドに現在の状況を報告してください。"
        ),
        actions=[
            Action("incident.update", "状況を報告", {"incident_id": incident.id}, needs_reason=True)
        ],
        context=reference(incident),
        mentions=mentions,
    )


def event_line(event: IncidentEvent) -> str:
    """One timeline entry as plain text."""
    head = (
        f"{format_jst(event.at)} {EVENT_NAMES.get(event.kind, event.kind)} {_person(event.actor)}"
    )
    body = f": {event.text}" if event.text else ""
    edited = f"（{format_jst(event.edited_at)} 編集）" if event.edited_at else ""
    return head + body + edited


def detail_message(incident: Incident) -> OutMessage:
    """The incident with its checklist and timeline (for /incident show)."""
    lines = ["チェックリスト:"]
    lines.extend(item_line(i) for i in incident.items)
    lines.append("")
    lines.append("経過:")
    lines.extend(event_line(e) for e in incident.events)
    if incident.close_summary:
        lines.append("")
        lines.append(f"まとめ: {incident.close_summary}")
    return OutMessage(
        kind="incident.detail",
        title=incident_title(incident),
        text="\n".join(lines),
        fields=_summary_fields(incident),
        context=reference(incident),
    )


def comment_recorded_message(comment: ModeratedComment) -> OutMessage:
    """Confirms a 6(2) deletion record."""
    return OutMessage(
        kind="incident.comment_recorded",
        title=(
            f"{comment.account.name} の書き込み削除を記録しました"
            f"（{guideline_terms.of_record(comment).ref('comment_deletion')}）"
        ),
        fields=[
            Field("削除した書き込み", comment.what),
            Field("理由", comment.why),
            Field("対応者", comment.actor.name),
            Field("日時", format_jst(comment.deleted_at)),
        ],
        context=f"削除記録#{comment.id}",
    )


def edited_message(incident: Incident, event: IncidentEvent, *, editor: object) -> OutMessage:
    """A timeline entry was corrected (the old text stays in the record)."""
    return OutMessage(
        kind="incident.update",
        title=f"{EVENT_NAMES.get(event.kind, event.kind)}を編集しました（{_person(editor)}）",
        text=event.text,
        context=reference(incident, event),
    )

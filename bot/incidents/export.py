"""Export an incident's record as Markdown or JSON (dated in JST, ordered, with edits)."""

from __future__ import annotations

import json
from typing import Any

from bot.clock import format_jst, to_jst
from bot.incidents.checklists import STATUS_NAMES, kind_of
from bot.incidents.messaging import EVENT_NAMES
from bot.incidents.models import Incident, IncidentEvent

FORMATS = ("md", "json")


def _iso(value: Any) -> str | None:
    return to_jst(value).isoformat() if value is not None else None


def _name(person: Any) -> str | None:
    return getattr(person, "name", None)


def _handle(person: Any) -> str | None:
    return getattr(person, "handle", None)


def _ordered(incident: Incident) -> list[IncidentEvent]:
    return sorted(incident.events, key=lambda e: (e.at, e.id))


def as_dict(incident: Incident) -> dict[str, Any]:
    """The incident as plain data (times as ISO 8601 in JST)."""
    kind = kind_of(incident)
    return {
        "id": incident.id,
        "type": incident.type,
        "type_name": kind.name,
        "clause": kind.clause,
        "account": {"code": incident.account.code, "name": incident.account.name},
        "reporter": {"handle": incident.reporter.handle, "name": incident.reporter.name},
        "summary": incident.summary,
        "url": incident.url,
        "status": incident.status,
        "status_name": STATUS_NAMES[incident.status],
        "opened_at": _iso(incident.opened_at),
        "contained_at": _iso(incident.contained_at),
        "closed_at": _iso(incident.closed_at),
        "closed_by": _handle(incident.closed_by),
        "close_summary": incident.close_summary,
        "checklist": [
            {
                "code": i.code,
                "label": i.label,
                "clause": i.clause,
                "done": i.done_at is not None,
                "done_by": _handle(i.done_by),
                "done_at": _iso(i.done_at),
            }
            for i in incident.items
        ],
        "timeline": [
            {
                "id": e.id,
                "at": _iso(e.at),
                "kind": e.kind,
                "kind_name": EVENT_NAMES.get(e.kind, e.kind),
                "actor": _handle(e.actor),
                "actor_name": _name(e.actor),
                "text": e.text,
                "edited_at": _iso(e.edited_at),
                "edits": [
                    {
                        "previous_text": x.previous_text,
                        "edited_by": x.edited_by.handle,
                        "edited_at": _iso(x.edited_at),
                    }
                    for x in e.edits
                ],
            }
            for e in _ordered(incident)
        ],
    }


def to_json(incident: Incident) -> str:
    """JSON, UTF-8 text, stable key order."""
    return json.dumps(as_dict(incident), ensure_ascii=False, indent=2) + "\n"


def _quote(text: str) -> list[str]:
    return ["> " + line if line else ">" for line in text.splitlines()] or [">"]


def to_markdown(incident: Incident) -> str:
    """A readable record for filing (5(11))."""
    kind = kind_of(incident)
    out = [
        f"# 事案#{incident.id} 【{kind.name}】{incident.account.name}",
        "",
        f"- 種別: {kind.name}（ガイドライン{kind.clause}）",
        f"- アカウント: {incident.account.name}（{incident.account.code}）",
        f"- 報告者: {incident.reporter.name}",
        f"- 報告日時: {format_jst(incident.opened_at)}",
        f"- 状態: {STATUS_NAMES[incident.status]}",
    ]
    if incident.contained_at is not None:
        out.append(f"- 収束日時: {format_jst(incident.contained_at)}")
    if incident.closed_at is not None:
        out.append(
            f"- 終了日時: {format_jst(incident.closed_at)}（{_name(incident.closed_by) or '不明'}）"
        )
    if incident.url:
        out.append(f"- URL: {incident.url}")
    if incident.summary:
        out += ["", "## 概要", "", incident.summary]
    out += ["", "## チェックリスト", ""]
    for i in incident.items:
        if i.done_at is not None:
            who = _name(i.done_by) or "不明"
            out.append(f"- [x] {i.label}［{i.clause}］（{who}・{format_jst(i.done_at)}）")
        else:
            out.append(f"- [ ] {i.label}［{i.clause}］")
    out += ["", "## 経過", ""]
    for e in _ordered(incident):
        who = _name(e.actor) or "システム"
        out.append(f"### {format_jst(e.at)} {EVENT_NAMES.get(e.kind, e.kind)}（{who}）")
        out.append("")
        if e.text:
            out.append(e.text)
            out.append("")
        for x in e.edits:
            out.append(f"*{format_jst(x.edited_at)} {x.edited_by.name} が編集。編集前の本文:*")
            out.append("")
            out += _quote(x.previous_text)
            out.append("")
    if incident.close_summary:
        out += ["## まとめ", "", incident.close_summary, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def export(incident: Incident, fmt: str) -> str:
    """Render in ``md`` or ``json``."""
    if fmt == "md":
        return to_markdown(incident)
    if fmt == "json":
        return to_json(incident)
    raise ValueError(f"unknown export format: {fmt}")

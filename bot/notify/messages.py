"""Platform-neutral messages. The core says *what* to show; each adapter decides *how*.

An ``OutMessage`` is stored as JSON in the outbox, so it must stay plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Action:
    """A button. ``value`` carries ids only (platform payload limits), never draft text."""

    action_id: str  # e.g. "draft.approve"
    label: str  # Japanese
    value: dict[str, Any] = field(default_factory=dict)
    style: str | None = None  # "primary" | "danger" | None
    needs_reason: bool = False  # the adapter asks for a reason (modal / card input) first


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    # The handle of the person the field names (報告者…): Slack shows a mention instead of
    # ``value``, so staff can reach them; other platforms show ``value`` (「名前（handle）」).
    person: str | None = None


def position(start: int, end: int) -> str:
    """Offsets ``[start, end)`` as people count characters: 「3文字目」, 「3〜5文字目」."""
    if end <= start:
        return ""
    if end == start + 1:
        return f"{end}文字目"
    return f"{start + 1}〜{end}文字目"


@dataclass(frozen=True)
class FindingView:
    """A content-check finding as shown to people."""

    clause: str
    severity: str
    excerpt: str
    message: str
    start: int = 0
    end: int = 0
    rule: str = ""

    @property
    def position(self) -> str:
        """Where in the text, as people count: 「3文字目」 or 「3〜5文字目」 ("" if unknown)."""
        return position(self.start, self.end)


@dataclass(frozen=True)
class OutMessage:
    kind: str  # e.g. "draft.approval_request", "draft.decided", "reminder"
    title: str  # one line, Japanese
    text: str = ""  # body, Japanese; may be long (adapters truncate to platform limits)
    fields: list[Field] = field(default_factory=list)
    findings: list[FindingView] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    quote: str | None = None  # e.g. the draft text, shown as a block quote
    context: str | None = None  # small print (ids, times)
    mentions: list[str] = field(default_factory=list)  # person handles to mention

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; equal to ``dataclasses.asdict(self)``, without its cost."""
        return {
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "fields": [
                {"label": f.label, "value": f.value, "person": f.person} for f in self.fields
            ],
            "findings": [dict(vars(f)) for f in self.findings],
            "actions": [
                {
                    "action_id": a.action_id,
                    "label": a.label,
                    "value": _copy(a.value),
                    "style": a.style,
                    "needs_reason": a.needs_reason,
                }
                for a in self.actions
            ],
            "quote": self.quote,
            "context": self.context,
            "mentions": list(self.mentions),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutMessage:
        return cls(
            kind=data["kind"],
            title=data["title"],
            text=data.get("text", ""),
            fields=[Field(**f) for f in data.get("fields", [])],
            findings=[FindingView(**f) for f in data.get("findings", [])],
            actions=[Action(**a) for a in data.get("actions", [])],
            quote=data.get("quote"),
            context=data.get("context"),
            mentions=list(data.get("mentions", [])),
        )

    def plain_text(self) -> str:
        """A readable plain-text rendering (console, notification fallbacks)."""
        lines = [self.title]
        if self.text:
            lines.append(self.text)
        lines.extend(f"{f.label}: {f.value}" for f in self.fields)
        if self.quote:
            lines.extend("> " + q for q in self.quote.splitlines() or [""])
        for f in self.findings:
            lines.append(f"[{f.clause}] {f.severity} 「{f.excerpt}」 {f.message}")
        if self.actions:
            lines.append("操作: " + " / ".join(a.label for a in self.actions))
        if self.context:
            lines.append(self.context)
        return "\n".join(lines)


def _copy(value: Any) -> Any:
    """A deep copy of JSON-like data (what ``asdict`` does to an action's value)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copy(v) for v in value)
    return value

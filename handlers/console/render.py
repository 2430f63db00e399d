"""OutMessage → readable console text. Buttons become the commands that do the same."""

from __future__ import annotations

import string
from collections.abc import Sequence

from bot.notify.messages import Action, OutMessage

SEVERITY = {"block": "要修正", "review": "要確認", "info": "参考"}

# action_id -> console command template (filled from Action.value). Commands register
# theirs through ``Registry.action``; these are the workflow core's.
ACTION_COMMANDS: dict[str, str] = {}


def action_command(action: Action) -> str:
    """How to press this button in the console."""
    template = ACTION_COMMANDS.get(action.action_id)
    if template is None:
        return f"{action.label}（{action.action_id}）"
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    values = {k: action.value.get(k, "?") for k in fields}
    command = template.format(**values)
    if action.needs_reason and template.rstrip().endswith("}"):
        # The button asks for a text; the template names it ("本文", "まとめ") unless it
        # ends at its last value, where the text asked for is a reason.
        command += " 理由"
    return f"{action.label}: {command}"


def render(message: OutMessage, *, width: int = 72, mentioned: Sequence[str] = ()) -> str:
    """The message as plain text; ``mentioned`` names the people it mentions (宛先)."""
    lines = [f"■ {message.title}"]
    if mentioned:
        lines.append("宛先: " + "、".join(mentioned))
    if message.text:
        lines.extend(message.text.splitlines())
    for fld in message.fields:
        lines.append(f"  {fld.label}: {fld.value}")
    if message.quote is not None:
        lines.append("  ┌ 本文")
        lines.extend("  │ " + q for q in (message.quote.splitlines() or [""]))
        lines.append("  └")
    if message.findings:
        lines.append(f"  チェックの指摘（{len(message.findings)}件）:")
        for f in message.findings:
            lines.append(
                f"  ・[{f.clause}] {SEVERITY.get(f.severity, f.severity)} "
                f"{f.position}「{f.excerpt}」: {f.message}"
            )
    if message.actions:
        lines.append("  操作:")
        lines.extend("    " + action_command(a) for a in message.actions)
    if message.context:
        lines.append(f"  （{message.context}）")
    return "\n".join(lines)

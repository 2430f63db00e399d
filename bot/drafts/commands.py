"""The text grammar of ``/draft`` and ``/edit``, parsed once for every adapter.

``/draft [account=…] [planned=…] [exempt=ア|イ|ウ|エ] [evidence=…] [photo=none|identifiable]
[consent=yes|no] [fp=…] 本文`` and ``/edit 番号 [same options but account] 本文``: leading
``key=value`` options, then the body exactly as written (its spacing and line breaks are
kept: findings' offsets refer to it). ``parse_draft`` / ``parse_edit`` return the typed
inputs ``bot.drafts.api.submit_draft`` / ``edit_draft`` take; an empty ``text`` means the
body is still to come (the console asks for more lines, Teams opens the draft form).
``/approve 番号 [v版] [コメント]``, ``/changes …`` and ``/reject …`` (the 決裁 as text, console
and Teams) are read by ``parse_decision``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.drafts.api import DraftRevision, NewDraft
from bot.errors import ValidationFailed
from bot.interaction.args import (
    draft_id,
    first_word,
    split_options,
    version_token,
    when,
    yes_no,
)

DRAFT_OPTIONS = frozenset({"account", "planned", "exempt", "evidence", "photo", "consent", "fp"})
EDIT_OPTIONS = DRAFT_OPTIONS - {"account"}
DRAFT_USAGE = (
    "/draft [account=アカウント] [planned=2026-12-01T10:00] [exempt=ア|イ|ウ|エ] "
    "[evidence=根拠URL] [photo=none|identifiable] [consent=yes|no] [fp=誤検知の理由] 本文"
)
EDIT_USAGE = "/edit 番号 [planned=…] [exempt=…] [fp=…] 修正後の本文"


def parse_photo(options: dict[str, str]) -> tuple[str, bool]:
    """photo=none|identifiable and consent=yes|no (photo=consented means both)."""
    photo = options.get("photo", "none").strip().lower()
    consent = yes_no(options["consent"], what="consent") if "consent" in options else False
    if photo in ("consented", "了解済み"):
        return "identifiable", True
    if photo in ("none", "なし", "no"):
        return "none", False
    if photo in ("identifiable", "あり", "yes"):
        return "identifiable", consent
    raise ValidationFailed(
        "photo は none（人物が特定できる写真・映像なし）か identifiable（あり）で指定してください。"
    )


def _planned(options: dict[str, str]) -> Any:
    return when(options["planned"], what="掲載予定") if options.get("planned") else None


def parse_draft(args: str) -> NewDraft:
    """``/draft``'s arguments; ``account`` is None when not given (the only account is used)."""
    options, body = split_options(args, set(DRAFT_OPTIONS))
    photo, consent = parse_photo(options)
    return NewDraft(
        text=body,
        account=options.get("account") or None,
        planned_at=_planned(options),
        exemption=options.get("exempt"),
        evidence=options.get("evidence"),
        photo_people=photo,
        photo_consent=consent,
        false_positive_reason=options.get("fp"),
    )


def split_edit(args: str) -> tuple[str, str]:
    """``/edit``'s draft number token and the rest (options and body, line breaks kept)."""
    return first_word(args)


def parse_edit(args: str) -> DraftRevision:
    """``/edit``'s arguments; ``changes`` holds only the options given."""
    head, rest = split_edit(args)
    number = draft_id(head)
    options, body = split_options(rest, set(EDIT_OPTIONS))
    changes: dict[str, Any] = {}
    if "planned" in options:
        changes["planned_at"] = when(options["planned"], what="掲載予定")
    if "exempt" in options:
        changes["exemption"] = options["exempt"]
    if "evidence" in options:
        changes["evidence"] = options["evidence"]
    if "photo" in options or "consent" in options:
        changes["photo_people"], changes["photo_consent"] = parse_photo(options)
    return DraftRevision(
        draft_id=number, text=body, changes=changes, false_positive_reason=options.get("fp")
    )


# The text commands of a 決裁 and the decision kind each records (``bot.drafts.api.decide``).
DECISION_COMMANDS = {"approve": "approve", "changes": "request_changes", "reject": "reject"}


@dataclass(frozen=True)
class DecisionLine:
    """``/approve 12 v2 コメント``: the draft, the version decided on (None: the current
    one), and the comment or reason (None when nothing follows)."""

    draft_id: int
    version: int | None
    reason: str | None


def parse_decision(args: str) -> DecisionLine:
    """The arguments of ``/approve``, ``/changes`` and ``/reject``."""
    head, rest = first_word(args)
    number = draft_id(head or None)
    version = None
    first, remainder = first_word(rest)
    if first and (token := version_token(first)) is not None:
        version, rest = token, remainder
    return DecisionLine(draft_id=number, version=version, reason=rest.strip() or None)

"""Free text staff type: whether anything in it is visible.

A required field holding only invisible characters (U+200B and other format characters,
combining marks, spaces of any width) looks empty to every reader, so it is refused as
empty: drafts, reasons, reports, incident summaries and notes, the 運用ポリシー alike.
"""

from __future__ import annotations

import unicodedata

_INVISIBLE_CATEGORIES = ("Cf", "Cc", "Mn", "Zs", "Zl", "Zp")


def has_visible(text: str | None) -> bool:
    """True if ``text`` has at least one character a reader can see."""
    return bool(text) and any(
        not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        for ch in text or ""
    )


def visible_or_empty(text: str | None) -> str:
    """``text`` without surrounding white space, or "" if nothing in it is visible."""
    value = (text or "").strip()
    return value if has_visible(value) else ""

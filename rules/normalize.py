"""Normalisation with an offset map back to the text the author wrote.

Evasion (full-width digits, zero-width characters, kanji numerals, hyphen look-alikes,
``hxxp`` and ``[.]``) is undone here, once, before any rule looks at the text. Every view
keeps, for each of its characters, the span of the original text it came from, so a
finding located in a view can always be reported as ``text[start:end]`` of the original.

Three views are built:

* ``norm``: invisible characters removed, NFKC applied per grapheme cluster, defanged
  URLs (``hxxp``, ``[.]``, ``(.)``, ``[dot]``, ``[at]``). The tokenizer and word rules read it.
* ``fold``: ``norm`` with katakana folded to hiragana, ASCII lower-cased and a few
  kanji/katakana look-alikes (力→か, 口→ろ, 工→え, 夕→た …) folded; same length as ``norm``.
  Lexicon rules read it.
* ``num``: ``norm`` with kanji numerals turned into ASCII digits and hyphen look-alikes
  between digits turned into ``-``. Number rules (phones, My Number, dates, addresses) read it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["View", "build_views", "fold", "is_invisible", "normalize_plain"]

# Characters that render as nothing (or only steer rendering) and are used to split words
# and numbers so that a matcher misses them. Dropped before matching.
_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0008),
    (0x000B, 0x000C),
    (0x000E, 0x001F),
    (0x007F, 0x009F),  # DEL and C1 controls
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),  # Mongolian variation selectors / vowel separator
    (0x200B, 0x200F),  # zero-width space/joiners, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides (RLO)
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates
    (0x3164, 0x3164),  # Hangul filler
    (0xD800, 0xDFFF),  # lone surrogates cannot be encoded or tokenized
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # BOM / zero-width no-break space
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical format controls
    (0xE0000, 0xE007F),  # tag characters
    (0xE0100, 0xE01EF),  # variation selectors supplement
)

HYPHENS = "-‐‑‒–—―ー－﹣−ｰ─━〜～~⁃"
KANJI_DIGITS = {"〇": 0, "○": 0, "◯": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4}
KANJI_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}


def _class(codepoints: list[int]) -> str:
    """Render sorted code points as a compact regex character class body."""
    parts: list[str] = []
    i = 0
    while i < len(codepoints):
        j = i
        while j + 1 < len(codepoints) and codepoints[j + 1] == codepoints[j] + 1:
            j += 1
        a, b = codepoints[i], codepoints[j]
        parts.append(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}")
        i = j + 1
    return "".join(parts)


def is_invisible(ch: str) -> bool:
    """True when the character is dropped by normalisation."""
    cp = ord(ch)
    return any(a <= cp <= b for a, b in _INVISIBLE_RANGES)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compile the 'needs work' scanner once (takes ~40 ms, so lazily)."""
    invisible = [cp for a, b in _INVISIBLE_RANGES for cp in range(a, b + 1)]
    inv_set = set(invisible)
    marks: list[int] = [0xFF9E, 0xFF9F]
    changing: list[int] = []
    for cp in range(0x30000):
        if cp in inv_set:
            continue
        ch = chr(cp)
        if unicodedata.category(ch) in ("Mn", "Mc", "Me"):
            marks.append(cp)
        elif unicodedata.normalize("NFKC", ch) != ch:
            changing.append(cp)
    marks_cls = _class(sorted(set(marks) - inv_set))
    special_cls = _class(sorted(set(changing) | inv_set))
    # A base character with its combining marks is normalised as one cluster, so that
    # half-width ｶﾞ becomes ガ; everything else that NFKC would change, or that is
    # invisible, is handled one character at a time.
    scanner = re.compile(f"[^{marks_cls}]?[{marks_cls}]+|[{special_cls}]")
    invisible_re = re.compile(f"[{_class(invisible)}]")
    return scanner, invisible_re


@dataclass(slots=True)
class View:
    """A transformed copy of the text plus, per character, its span in the original."""

    text: str
    starts: list[int]
    ends: list[int]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``(start, end)`` of view slice ``[i, j)`` (``j > i``)."""
        return self.starts[i], self.ends[j - 1]


# NFKC would erase the circle of ㊙ (a confidentiality mark) and leave a bare 秘.
_SPECIAL = {"㊙": "(秘)", "㊮": "(秘)"}


def _identity(text: str) -> View:
    n = len(text)
    return View(text, list(range(n)), list(range(1, n + 1)))


def _first_pass(text: str) -> View:
    scanner, invisible_re = _patterns()
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in scanner.finditer(text):
        a, b = m.span()
        if a > pos:
            out.append(text[pos:a])
            starts.extend(range(pos, a))
            ends.extend(range(pos + 1, a + 1))
        cluster = invisible_re.sub("", m.group())
        if cluster:
            piece = _SPECIAL.get(cluster) or unicodedata.normalize("NFKC", cluster)
            if piece:
                out.append(piece)
                if len(piece) == b - a:
                    starts.extend(range(a, b))
                    ends.extend(range(a + 1, b + 1))
                else:
                    starts.extend([a] * len(piece))
                    ends.extend([b] * len(piece))
        pos = b
    if pos == 0 and not out:
        return _identity(text)
    if pos < len(text):
        out.append(text[pos:])
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
    return View("".join(out), starts, ends)


def substitute(view: View, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> View:
    """Apply ``pattern.sub(repl)`` to a view, composing the offset map."""
    text = view.text
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    vs, ve = view.starts, view.ends
    pos = 0
    for m in pattern.finditer(text):
        a, b = m.span()
        if a > pos:
            out.append(text[pos:a])
            starts.extend(vs[pos:a])
            ends.extend(ve[pos:a])
        r = repl(m)
        if r:
            out.append(r)
            if len(r) == b - a:
                starts.extend(vs[a:b])
                ends.extend(ve[a:b])
            elif b > a:
                starts.extend([vs[a]] * len(r))
                ends.extend([ve[b - 1]] * len(r))
        pos = b
    if pos == 0:
        return view
    out.append(text[pos:])
    starts.extend(vs[pos:])
    ends.extend(ve[pos:])
    return View("".join(out), starts, ends)


_DEFANG_RE = re.compile(
    r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[:\]|\[@\]|\[at\]|\(at\)|\{at\}"
    r"|h(?:xx|\*\*|XX|tt)p(?=s?(?::|\[:\]))",
    re.IGNORECASE,
)


def _defang(m: re.Match[str]) -> str:
    s = m.group().lower()
    if s.startswith("h"):
        return "http"
    if "." in s or "dot" in s:
        return "."
    if ":" in s:
        return ":"
    return "@"


_DIGITISH = "0-9" + "".join(KANJI_DIGITS) + "".join(KANJI_UNITS)
_NUM_RE = re.compile(
    f"(?P<k>[{''.join(KANJI_DIGITS)}{''.join(KANJI_UNITS)}]+)"
    f"|(?<=[{_DIGITISH}])[ \t]{{0,2}}[{re.escape(HYPHENS)}][ \t]{{0,2}}(?=[{_DIGITISH}])"
)


def kanji_number(run: str) -> str:
    """Convert a run of kanji numerals to ASCII digits.

    Positional numerals (二十三, 千二百) are evaluated; plain digit strings (〇九〇) are
    mapped one for one. A run that is neither (十十) is returned with digits mapped only.
    """
    if not any(ch in KANJI_UNITS for ch in run):
        return "".join(str(KANJI_DIGITS[ch]) for ch in run)
    total = 0
    cur: int | None = None
    last_unit = 10_000
    for ch in run:
        if ch in KANJI_DIGITS:
            if cur is not None:
                break
            cur = KANJI_DIGITS[ch]
        else:
            unit = KANJI_UNITS[ch]
            if unit >= last_unit:
                break
            total += (1 if cur is None else cur) * unit
            cur = None
            last_unit = unit
    else:
        return str(total + (cur or 0))
    return "".join(str(KANJI_DIGITS[ch]) if ch in KANJI_DIGITS else ch for ch in run)


def _num(m: re.Match[str]) -> str:
    run = m.group("k")
    return kanji_number(run) if run else "-"


# Folding for lexicon matching: katakana → hiragana, ASCII → lower case, and the
# kanji that are used to spell katakana words past a filter (力 for カ, 口 for ロ …).
_FOLD = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)}
_FOLD.update({cp: cp + 0x20 for cp in range(0x41, 0x5B)})
_FOLD.update({ord(k): ord(v) for k, v in {
    "力": "か", "口": "ろ", "工": "え", "夕": "た", "卜": "と", "二": "に",
    "八": "は", "才": "お", "一": "ー", "ヱ": "ゑ", "ヰ": "ゐ",
}.items()})


def fold(s: str) -> str:
    """Fold a normalised string for lexicon matching (length preserving)."""
    return s.translate(_FOLD)


def normalize_plain(s: str) -> str:
    """Normalise a lexicon or allow-list entry the same way as text (no offsets)."""
    return substitute(_first_pass(s), _DEFANG_RE, _defang).text


def build_views(text: str) -> tuple[View, str, View]:
    """Build the ``norm``, ``fold`` and ``num`` views of ``text``."""
    norm = substitute(_first_pass(text), _DEFANG_RE, _defang)
    num = substitute(norm, _NUM_RE, _num)
    return norm, fold(norm.text), num

"""Normalisation with an offset map back to the text the author wrote.

Evasion (full-width digits, zero-width characters, kanji numerals, hyphen look-alikes,
``hxxp`` and ``[.]``) is undone here, once, before any rule looks at the text. Every view
keeps, for each of its characters, the span of the original text it came from, so a
finding located in a view can always be reported as ``text[start:end]`` of the original.

Two views are built:

* ``norm``: invisible characters removed, NFKC applied per grapheme cluster, defanged
  URLs (``hxxp``, ``[.]``, ``(.)``, ``[dot]``, ``[at]``). The tokenizer and word rules read
  it; lexicon terms are expanded into their evasive spellings instead (see ``variants``).
* ``num``: ``norm`` with kanji numerals turned into ASCII digits and hyphen look-alikes
  between digits turned into ``-``. Number rules (phones, My Number, dates, addresses) read it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["View", "build_views", "is_invisible", "normalize_plain", "variants"]

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


_PATTERNS: tuple[re.Pattern[str], frozenset[int], frozenset[int], frozenset[int]] | None = None


def _patterns() -> tuple[re.Pattern[str], frozenset[int], frozenset[int], frozenset[int]]:
    """The scanner and character sets, built on first use (about 40 ms)."""
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _build_patterns()
    return _PATTERNS


def _build_patterns() -> tuple[re.Pattern[str], frozenset[int], frozenset[int], frozenset[int]]:
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
    special = set(changing) | inv_set | set(marks)
    bmp_cls = _class(sorted(cp for cp in special if cp <= 0xFFFF))
    # One character class finds every position that needs work, so the scan runs in C.
    # ``re`` tests a class of BMP characters with a bitmap but walks a list of ranges once
    # supplementary ranges are mixed in, so all of U+10000.. is one range here and the
    # rare supplementary candidates (emoji) are checked against a set instead.
    finder = re.compile(f"[{bmp_cls}\\U00010000-\\U0010ffff]")
    supplementary = frozenset(cp for cp in special if cp > 0xFFFF)
    return finder, frozenset(marks) - inv_set, frozenset(inv_set), supplementary


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
    finder, marks, invisible, supplementary = _patterns()
    m = finder.search(text)
    if m is None:
        return _identity(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    while m is not None:
        a = m.start()
        if ord(text[a]) > 0xFFFF and ord(text[a]) not in supplementary:
            m = finder.search(text, a + 1)  # an emoji: nothing to do
            continue
        if ord(text[a]) in marks:
            b = a + 1
            while b < len(text) and (ord(text[b]) in marks or ord(text[b]) in invisible):
                b += 1
            if a > pos:
                a -= 1  # normalise the base character together with its marks
        else:
            b = a + 1
        # Marks after a special base belong to it (ｶ + ﾞ → ガ).
        while b < len(text) and ord(text[b]) in marks:
            b += 1
        if a > pos:
            out.append(text[pos:a])
            starts.extend(range(pos, a))
            ends.extend(range(pos + 1, a + 1))
        cluster = text[a:b]
        if b - a > 1 or ord(cluster) in invisible:
            cluster = "".join(ch for ch in cluster if ord(ch) not in invisible)
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
        m = finder.search(text, pos)
    if not out and pos == 0:
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
    changes = []
    for m in pattern.finditer(text):
        r = repl(m)
        if r != m.group():
            changes.append((m.start(), m.end(), r))
    if not changes:
        return view
    pos = 0
    vs, ve = view.starts, view.ends
    for a, b, r in changes:
        if a > pos:
            out.append(text[pos:a])
            starts.extend(vs[pos:a])
            ends.extend(ve[pos:a])
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
# Starts with a character class (no look-behind) so that ``re`` can skip ahead in C;
# the "preceded by a digit" condition of a hyphen is checked in ``_num``.
_NUM_RE = re.compile(
    f"(?P<k>[{''.join(KANJI_DIGITS)}{''.join(KANJI_UNITS)}]+)"
    f"|[{re.escape(HYPHENS)}](?=[ \t]{{0,2}}[{_DIGITISH}])"
)
_DIGITISH_SET = frozenset("0123456789" + "".join(KANJI_DIGITS) + "".join(KANJI_UNITS))


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
    if run:
        if not run.strip("〇○◯"):
            # 「〇〇町」「○○さん」 are placeholders, not zeros, unless next to a number.
            text, a, b = m.string, m.start(), m.end()
            near = (text[a - 1] if a else "") + (text[b] if b < len(text) else "")
            if not any(ch.isdigit() or ch in HYPHENS for ch in near):
                return run
        return kanji_number(run)
    text, k = m.string, m.start() - 1
    while k >= 0 and m.start() - k <= 3 and text[k] in " \t":
        k -= 1
    if k >= 0 and text[k] in _DIGITISH_SET:
        return "-"
    return m.group()


# Lexicon variants: instead of folding every text (a per-character table lookup on each
# check), each lexicon term is expanded once, at load time, into the spellings used to
# slip past a filter: the other kana script, and kanji look-alikes for katakana
# (力 for カ, 口 for ロ, 工 for エ …). ASCII terms get lower/upper/title case.
_LOOKALIKES = {
    "カ": "力",
    "ロ": "口",
    "エ": "工",
    "タ": "夕",
    "ト": "卜",
    "ニ": "二",
    "ハ": "八",
    "オ": "才",
    "ー": "一",
    "ヘ": "へ",
}
_MAX_VARIANTS = 64


def _hira_to_kata(s: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in s)


def _kata_to_hira(s: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in s)


def variants(term: str) -> set[str]:
    """Spellings of a lexicon term that must match as the term itself.

    Terms of up to three characters keep their kana script (レズ must not match the verb
    ending れず); longer ones match in either script.
    """
    out = {term}
    if any(c.isascii() and c.isalpha() for c in term):
        out |= {term.lower(), term.upper(), term.title()}
    if len(term) > 3:
        out |= {_kata_to_hira(term), _hira_to_kata(term)}
    for base in list(out):
        slots = [i for i, c in enumerate(base) if c in _LOOKALIKES]
        if not slots or 2 ** len(slots) > _MAX_VARIANTS:
            continue
        for mask in range(1, 2 ** len(slots)):
            chars = list(base)
            for bit, i in enumerate(slots):
                if mask >> bit & 1:
                    chars[i] = _LOOKALIKES[chars[i]]
            out.add("".join(chars))
    return out


def normalize_plain(s: str) -> str:
    """Normalise a lexicon or allow-list entry the same way as text (no offsets)."""
    return substitute(_first_pass(s), _DEFANG_RE, _defang).text


def build_views(text: str) -> tuple[View, View]:
    """Build the ``norm`` and ``num`` views of ``text``."""
    norm = substitute(_first_pass(text), _DEFANG_RE, _defang)
    num = substitute(norm, _NUM_RE, _num)
    return norm, num

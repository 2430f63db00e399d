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

import bisect
import re
import unicodedata
from collections.abc import Callable

from .tokens import tokenize

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

HYPHENS = "-‐‑‒–—―ー－﹣−ｰ─━〜～~⁃・･"
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


class View:
    """A transformed copy of the text that can map its offsets back to the original.

    A view keeps only the edits that made it from its parent view (``parent[a:b]`` became
    ``text[v:v+n]``), not a per-character map: building views is then cheap, and the rare
    lookups (one per finding) walk the edits with a binary search.
    """

    __slots__ = ("_edits", "_parent", "_vstarts", "text")

    def __init__(
        self,
        text: str,
        parent: View | None = None,
        edits: list[tuple[int, int, int, int]] | None = None,
    ) -> None:
        self.text = text
        self._parent = parent
        self._edits = edits or []  # (a, b, n, v): parent[a:b] -> text[v:v+n]
        self._vstarts = [e[3] for e in self._edits]

    def _map(self, i: int, end: bool) -> int:
        """Original offset of the start (or end) of view character ``i``."""
        parent = self._parent
        if parent is None:
            return i + 1 if end else i
        k = bisect.bisect_right(self._vstarts, i) - 1
        if k < 0:
            return parent._map(i, end)
        a, b, n, v = self._edits[k]
        if i < v + n:  # inside a replaced piece
            if n == b - a:
                return parent._map(a + i - v, end)
            return parent._map(b - 1, True) if end else parent._map(a, False)
        return parent._map(b + i - v - n, end)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``(start, end)`` of view slice ``[i, j)`` (``j > i``)."""
        return self._map(i, False), self._map(j - 1, True)

    @property
    def starts(self) -> list[int]:
        """Original start offset of every view character."""
        return [self._map(i, False) for i in range(len(self.text))]

    @property
    def ends(self) -> list[int]:
        """Original end offset of every view character."""
        return [self._map(i, True) for i in range(len(self.text))]


# NFKC would erase the circle of ㊙ (a confidentiality mark) and leave a bare 秘.
_SPECIAL = {"㊙": "(秘)", "㊮": "(秘)"}


def _first_pass(text: str) -> View:
    finder, marks, invisible, supplementary = _patterns()
    m = finder.search(text)
    root = View(text)
    if m is None:
        return root
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    vpos = 0  # length of the view text built so far
    pos = 0
    n = len(text)
    while m is not None:
        a = m.start()
        if ord(text[a]) > 0xFFFF and ord(text[a]) not in supplementary:
            m = finder.search(text, a + 1)  # an emoji: nothing to do
            continue
        if ord(text[a]) in marks:
            b = a + 1
            while b < n and (ord(text[b]) in marks or ord(text[b]) in invisible):
                b += 1
            if a > pos:
                a -= 1  # normalise the base character together with its marks
        else:
            b = a + 1
        # Marks after a special base belong to it (ｶ + ﾞ → ガ).
        while b < n and ord(text[b]) in marks:
            b += 1
        if a > pos:
            out.append(text[pos:a])
            vpos += a - pos
        cluster = text[a:b]
        if b - a > 1 or ord(cluster) in invisible:
            cluster = "".join(ch for ch in cluster if ord(ch) not in invisible)
        piece = ""
        if cluster:
            piece = _SPECIAL.get(cluster) or unicodedata.normalize("NFKC", cluster)
        if piece != text[a:b]:
            edits.append((a, b, len(piece), vpos))
        out.append(piece)
        vpos += len(piece)
        pos = b
        m = finder.search(text, pos)
    if not edits:
        return root
    out.append(text[pos:])
    return View("".join(out), root, edits)


def substitute(view: View, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> View:
    """Apply ``pattern.sub(repl)`` to a view; the result maps back through ``view``."""
    text = view.text
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    pos = vpos = 0
    for m in pattern.finditer(text):
        r = repl(m)
        a, b = m.span()
        if r == text[a:b]:
            continue
        out.append(text[pos:a])
        vpos += a - pos
        out.append(r)
        edits.append((a, b, len(r), vpos))
        vpos += len(r)
        pos = b
    if not edits:
        return view
    out.append(text[pos:])
    return View("".join(out), view, edits)


# Japanese is written without spaces, so one or two spaces between two kana/kanji
# (「部 外 秘」「山田 太郎」) only split a word for a matcher to miss; they are dropped.
_CJK = "\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆"
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Every alternative starts from one character class, so that ``re`` skips ahead in C
# to the few positions that can match (a leading alternation would be tried everywhere).
_DEFANG_RE = re.compile(
    r"[ \[({hH]"
    f"(?:(?<= ) ?(?=[{_CJK}])"
    r"|(?<=[\[({])(?:\.|[dD][oO][tT]|[aA][tT])[\]})]"
    r"|(?<=\[)[:@]\]"
    r"|(?<=[hH])(?:[xX][xX]|\*\*|[tT][tT])[pP](?=[sS]?(?::|\[:\])))"
)


# 「bit。ly/…」「tinyurl . com / x」: an ideographic full stop, or a dot and slash set off
# with spaces, inside a domain name. Only rewritten when what follows is a known kind of
# top-level domain, so 「OK。次は」 or 「第1版 . 改訂」 stay as written.
_SPACED_DOMAIN_RE = re.compile(
    r"(?<![A-Za-z0-9.\-])([a-z0-9][a-z0-9\-]*(?:(?: ?[.。] ?)[a-z0-9\-]+)*)( ?[.。] ?)"
    r"([a-z]{2,24})(?![A-Za-z0-9])( ?/ ?(?=[A-Za-z0-9]))?"
)
_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "jp",
        "ly",
        "gl",
        "gd",
        "co",
        "ee",
        "to",
        "me",
        "io",
        "cc",
        "be",
        "us",
        "tv",
        "ws",
        "la",
        "fm",
        "gg",
        "im",
        "ai",
        "sh",
        "app",
        "dev",
        "site",
        "online",
        "xyz",
        "club",
        "shop",
        "top",
        "link",
        "page",
        "tokyo",
        "asia",
    ]
)
_DOT_RE = re.compile(r" ?[.。] ?")
# A match of _SPACED_DOMAIN_RE changes the text only when it holds an ideographic full stop
# or a space (around a dot or the slash); each such match holds one of these, so a post
# without any (most: a plain URL and 。 at sentence ends) skips the pattern, which is tried
# at every position.
_SPACED_DOMAIN_CHANGE = re.compile(
    r"[a-z0-9\-] ?。|[a-z0-9\-] [.。]|[.。] [a-z0-9\-]|[a-z] /|/ [A-Za-z0-9]"
)


def _spaced_domain(m: re.Match[str]) -> str:
    if m.group(3) not in _TLDS:
        return m.group()
    head = _DOT_RE.sub(".", m.group(1))
    if head == m.group(1) and m.group(2) == "." and not m.group(4):
        return m.group()
    return head + "." + m.group(3) + ("/" if m.group(4) else "")


def _defang(m: re.Match[str]) -> str:
    if m.string[m.start()] == " ":
        a = m.start()
        return "" if a and _CJK_CHAR.match(m.string, a - 1) else m.group()
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
_KANJI_NUMERALS = "".join(KANJI_DIGITS) + "".join(KANJI_UNITS)
_HYPHEN_SET = frozenset(HYPHENS)
# One leading character class (see _DEFANG_RE); the "preceded by a digit" condition of a
# hyphen is checked in ``_num``.
_NUM_RE = re.compile(
    f"[{_KANJI_NUMERALS}{re.escape(HYPHENS)}]"
    f"(?:(?<=[{_KANJI_NUMERALS}])[{_KANJI_NUMERALS}]*"
    f"|(?<=[{re.escape(HYPHENS)}])(?=[ \t]{{0,2}}[{_DIGITISH}]))"
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


_ASCII_DIGITS = frozenset("0123456789")


def _num(m: re.Match[str]) -> str:
    run = m.group()
    if run == "一":
        # 「090一7731一2468」: the kanji 一 standing in for a hyphen between ASCII digits.
        text, a = m.string, m.start()
        after = text[a + 1 : a + 2]
        if a > 0 and text[a - 1] in _ASCII_DIGITS and after and after in _ASCII_DIGITS:
            return "-"
    if run[0] not in _HYPHEN_SET:
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

    Terms of one or two characters keep their kana script (レズ must not match the verb
    ending れず); three-character ones are also matched in katakana (めくら / ﾒｸﾗ), longer
    ones in either script.
    """
    out = {term}
    if any(c.isascii() and c.isalpha() for c in term):
        out |= {term.lower(), term.upper(), term.title()}
    if len(term) > 3:
        out |= {_kata_to_hira(term), _hira_to_kata(term)}
    elif len(term) == 3:
        out.add(_hira_to_kata(term))  # めくら → ﾒｸﾗ (half-width katakana evasion)
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
    view = substitute(_first_pass(s), _DEFANG_RE, _defang)
    if "。" in view.text or " ." in view.text or ". " in view.text:
        view = substitute(view, _SPACED_DOMAIN_RE, _spaced_domain)
    return view.text


# 「suzuki (at) gmail (dot) com」: a bracketed at/dot with the spaces around it; the word may be
# spelt in kana (「(ドット)」「（アット）」), which NFKC has already given ASCII brackets.
_DEFANG_WORD = r"(?:[aA][tT]|[dD][oO][tT]|ドット|どっと|アット|あっと)"
_SPACED_DEFANG_RE = re.compile(rf" ?[\[({{]{_DEFANG_WORD}[\]}})] ?")
# What every match of _SPACED_DEFANG_RE holds; it starts with one class, so ``re`` finds it in C
# (the pattern itself, with its optional leading space, is tried at every position).
_SPACED_DEFANG_GATE = re.compile(rf"[\[({{]{_DEFANG_WORD}[\]}})]")
# 「tinyurl ドット com」: a kana dot between two ASCII words of a domain, without brackets.
_KANA_DOT_RE = re.compile(r"(?<=[A-Za-z0-9]) ?(?:ドット|どっと) ?(?=[a-z]{2,24}(?![A-Za-z0-9]))")
# 「t i n y u r l . c o m」: a domain spelt out one letter at a time.
_LETTER_SPACED_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:[a-z0-9] ){3,}[a-z0-9]?(?: ?\. ?)(?:[a-z] ){1,5}[a-z](?![A-Za-z0-9])"
)
# 「192。168。20。14」: an IPv4 address written with ideographic full stops.
_IP_FULLSTOP_RE = re.compile(r"(?<![0-9])[0-9]{1,3}(?:。[0-9]{1,3}){3}(?![0-9])")
# 「192 . 168 . 10 . 3 / admin」: an address spaced out around its dots (and a path after it).
_IP_SPACED_RE = re.compile(
    r"(?<![0-9])[0-9]{1,3}(?: ?\. ?[0-9]{1,3}){3}(?![0-9])(?: / ?[A-Za-z][A-Za-z0-9_\-]*)?"
)


# 「ば れ ま せ ん」「検 討 中」: Japanese spelt out one character at a time. Only runs of three
# or more single characters, each standing alone between spaces, are closed up (「市長 佐藤」
# and 「と はるとくん」 are ordinary spacing and stay).
_CJK = "ぁ-んァ-ヴー一-龥々〆"
# 「よ・て・い・か・か・く」: a word spelt one kana at a time between 「・」 (four or more).
_KANA_DOTTED_RE = re.compile(r"(?<!・)[ぁ-んァ-ヴ](?:・[ぁ-んァ-ヴ]){3,}(?!・|[ぁ-んァ-ヴ]・)")
# 「内部\n資料」「生\n保の」: a line of one to three kanji alone, broken off the word that goes on
# on the next line (a heading is longer or bracketed; a word this short on its own line is a
# split).
_SPLIT_WORD_RE = re.compile(r"(?:^|(?<=\n))[一-龥]{1,3}\n(?=[一-龥])", re.MULTILINE)
# 「https://bit.\nly/3mm…」: a line break right after a dot inside a link's host name (joined
# only when a known top-level domain and a path follow).
_URL_BREAK_RE = re.compile(r"(?<=[A-Za-z0-9]\.)\n(?=([a-z]{2,24})/)")
# 「vpn.city.exa\nmple.lg.jp/…」: a line break inside one label of a host name (a dotted run
# before it, a dotted run ending in a known top-level domain after it).
_HOST_BREAK_RE = re.compile(
    r"(?<![A-Za-z0-9.\-])(?:[A-Za-z0-9\-]+\.)+[A-Za-z0-9\-]+\n[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
    r"\.([a-z]{2,24})(?![A-Za-z0-9\-])"
)
# 「まだ決\nまってない」「教\n団」「出たら\nしい」: a line break between two kana/kanji that cuts
# one morpheme in two. The few characters on each side are tokenized joined up; the break is
# dropped only when a morpheme runs across it (a break between two words stays).
_MID_BREAK_RE = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")
_MID_WINDOW = 6
_CJK_SET = re.compile(rf"[{_CJK}]")


def _mid_break(m: re.Match[str]) -> str:
    text, i = m.string, m.start()
    a = i
    while a > 0 and i - a < _MID_WINDOW and _CJK_SET.match(text, a - 1):
        a -= 1
    b = i + 1
    while b < len(text) and b - i - 1 < _MID_WINDOW and _CJK_SET.match(text, b):
        b += 1
    k = i - a
    for t in tokenize(text[a:i] + text[i + 1 : b]):
        if t.start < k < t.end:
            return ""
    return "\n"


_CJK_SPACED_RE = re.compile(rf"(?<![{_CJK}])[{_CJK}](?: [{_CJK}]){{2,}}(?![{_CJK}])")
# 「暗 証 番 号 は 8 8 2 0」: a number spelt out one digit at a time (four or more digits).
_DIGIT_SPACED_RE = re.compile(r"(?<![0-9A-Za-z.,:/])[0-9](?: [0-9]){3,}(?![0-9A-Za-z.,:/])")
_DIGIT_SPACED_GATE = re.compile(r"[0-9] [0-9]")  # held by every match, found in C


def _spaced_defang(view: View) -> View:
    text = view.text
    if ("(" in text or "[" in text or "{" in text) and _SPACED_DEFANG_GATE.search(text):
        view = substitute(
            view, _SPACED_DEFANG_RE, lambda m: "@" if _AT_WORD.search(m.group()) else "."
        )
    if ("ドット" in view.text or "どっと" in view.text) and _KANA_DOT_RE.search(view.text):
        view = substitute(view, _KANA_DOT_RE, lambda m: ".")
    return view


_AT_WORD = re.compile(r"[aA]|アット|あっと")


# 「予🙊定🙊価🙊格」「セ★ク★ス」: one and the same symbol (an emoji, a star, a note) put between
# each character of a word spelt one kana/kanji at a time (three or more characters, so two
# or more separators). A symbol between longer runs (「好き♡好き」) or around a word
# (「🎉お知らせ🎉」) is ordinary decoration and stays.
_SEP_SYMBOL = r"[^\w\s、。，．,.！？!?「」『』（）()\[\]【】〔〕<>＜＞・ー〜~…‥:：;；\-/／'\"“”‘’]"
_SYMBOL_SPLIT_RE = re.compile(rf"[{_CJK}](?P<sep>{_SEP_SYMBOL})[{_CJK}](?:(?P=sep)[{_CJK}])+")
# What every match holds: a kana/kanji, a symbol, a kana/kanji (found in C before the pattern).
_SYMBOL_SPLIT_GATE = re.compile(rf"[{_CJK}]{_SEP_SYMBOL}[{_CJK}]")


def _symbol_split(m: re.Match[str]) -> str:
    # only pictographs and other symbols (an arrow or a plus between kanji is a route or a sum)
    if unicodedata.category(m.group("sep")) != "So":
        return m.group()
    return m.group().replace(m.group("sep"), "")


def _evasions(view: View) -> View:
    """Spellings that split a link, an address or an e-mail address (offsets kept)."""
    if " . " in view.text or " ." in view.text:
        view = substitute(view, _LETTER_SPACED_RE, lambda m: m.group().replace(" ", ""))
        view = substitute(view, _IP_SPACED_RE, lambda m: m.group().replace(" ", ""))
    if "。" in view.text:
        view = substitute(view, _IP_FULLSTOP_RE, lambda m: m.group().replace("。", "."))
    if " " in view.text:
        view = substitute(view, _CJK_SPACED_RE, lambda m: m.group().replace(" ", ""))
        if _DIGIT_SPACED_GATE.search(view.text):
            view = substitute(view, _DIGIT_SPACED_RE, lambda m: m.group().replace(" ", ""))
    if _SYMBOL_SPLIT_GATE.search(view.text):
        view = substitute(view, _SYMBOL_SPLIT_RE, _symbol_split)
    if "・" in view.text:
        view = substitute(view, _KANA_DOTTED_RE, lambda m: m.group().replace("・", ""))
    if "\n" in view.text:
        view = substitute(view, _SPLIT_WORD_RE, lambda m: m.group().replace("\n", ""))
        if ".\n" in view.text:
            view = substitute(view, _URL_BREAK_RE, lambda m: "" if m.group(1) in _TLDS else "\n")
        if "." in view.text:
            view = substitute(
                view,
                _HOST_BREAK_RE,
                lambda m: m.group().replace("\n", "") if m.group(1) in _TLDS else m.group(),
            )
        if _MID_BREAK_RE.search(view.text):
            view = substitute(view, _MID_BREAK_RE, _mid_break)
    return view


def build_views(text: str) -> tuple[View, View]:
    """Build the ``norm`` and ``num`` views of ``text``."""
    norm = _evasions(substitute(_spaced_defang(_first_pass(text)), _DEFANG_RE, _defang))
    if (
        "。" in norm.text or " ." in norm.text or ". " in norm.text
    ) and _SPACED_DOMAIN_CHANGE.search(norm.text):
        norm = substitute(norm, _SPACED_DOMAIN_RE, _spaced_domain)
    num = substitute(norm, _NUM_RE, _num)
    return norm, num


_ADDRESS_SPACES = re.compile(r"[\s\-ー－]")


def address_key(s: str) -> str:
    """Comparison key for addresses: digits normalised, spaces and hyphens dropped."""
    return _ADDRESS_SPACES.sub("", build_views(s)[1].text)

"""Named private persons in a case context (7(1)エ)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..context import Context
from ..model import Finding
from .rule_docs import CLAUSE, NAMED_PERSON

if TYPE_CHECKING:
    from . import PersonalData

# --- named private persons --------------------------------------------------------------

_HONORIFICS = frozenset({"さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿"})
_HONORIFIC_RE = re.compile("|".join(sorted(_HONORIFICS, key=len, reverse=True)))
# A case word used as the name of an event or a service is not a case: 相談会, 相談窓口.
_CASE_NOT_AFTER = re.compile(r"[会窓所室日員課係セ]")


def _case_positions(ctx: Context) -> list[tuple[int, int]]:
    out = []
    data: PersonalData = ctx.data("personal")
    for a, b, _ in data.case_matcher.finditer(ctx.norm.text):
        if not _CASE_NOT_AFTER.match(ctx.norm.text, b):
            out.append((a, b))
    return out


def scan(ctx: Context) -> Iterator[Finding]:
    cases = _case_positions(ctx)
    data: PersonalData = ctx.data("personal")
    if not cases:
        return
    seen_sentences: set[tuple[int, int]] = set()
    reported: set[int] = set()
    norm = ctx.norm.text
    for ca, cb in cases:
        s_a, s_b = ctx.sentence(ca, cb)
        if (s_a, s_b) in seen_sentences:
            continue
        seen_sentences.add((s_a, s_b))
        # Morphological analysis only where a name could matter: an honorific in the
        # sentence, or a serious case word (for a bare full name).
        honorific_here = _HONORIFIC_RE.search(norm, s_a, s_b) is not None
        serious_here = data.serious_case_matcher.search(norm, s_a, s_b)
        if not (honorific_here or serious_here):
            continue
        tokens = [t for t in ctx.tokens_in(ca, cb) if s_a <= t.start and t.end <= s_b]
        i = 0
        while i < len(tokens):
            if not tokens[i].is_person_name:
                i += 1
                continue
            j = i
            while j < len(tokens) and tokens[j].is_person_name:
                j += 1
            honorific = j < len(tokens) and tokens[j].surface in _HONORIFICS
            full_name = (
                serious_here and j - i >= 2 and {t.pos4 for t in tokens[i:j]} >= {"姓", "名"}
            )
            if (honorific or full_name) and tokens[i].start not in reported:
                a = tokens[i].start
                b = tokens[j].end if honorific else tokens[j - 1].end
                reported.add(a)
                yield ctx.finding(
                    ctx.norm,
                    a,
                    b,
                    rule=NAMED_PERSON.id,
                    clause=CLAUSE,
                    severity="block" if honorific else "review",
                    message=NAMED_PERSON.format(ctx.display(ctx.norm, a, b)),
                )
            i = j + 1 if honorific else j

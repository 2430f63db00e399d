"""7(1)イ — discrimination by race, belief, occupation, origin (差別又は差別を助長する内容).

An editable lexicon (``discrimination_terms.tsv``) matched on whole morphemes, after
with kana-script and look-alike variants; a surname (土方さん) never matches.
A sentence that talks *about* discriminatory wording (差別用語, 人権啓発) is not flagged.
Exclusion phrases aimed at a group (「障害者はいらない」) are found with the group list
``target_groups.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context
from ..data import PhraseEntry
from ..model import Finding
from ..registry import PhraseFile, RuleDoc

CLAUSE = "7(1)イ"

TERM = RuleDoc(
    id="discrimination.term",
    clause=CLAUSE,
    severity="block",
    title="差別的な語",
    what="人種・民族・出自・障害・職業・性別などに関する蔑称や差別的表現を辞書で見つけます。",
    why="差別や差別を助長する内容は掲載できません。",
    example="（蔑称を含む文）",
    use_instead="中立的な呼称（外国人・外国籍の方、障がいのある方 等）を使ってください。",
    message="「{excerpt}」は差別的な語・表現です。ガイドライン{clause}により差別を助長する内容は"
    "掲載できません。中立的な表現に改めてください。",
)

RULES = (TERM,)
PHRASES = (PhraseFile("discrimination/discrimination_terms.tsv", TERM.id, CLAUSE, (CLAUSE,)),)

_EXCLUSION = (
    r"(?:は|なんか|なんて|など)(?:この(?:国|街|町|市)から)?(?:全員)?"
    r"(?:いらない|要らない|出て(?:い|行)け|消えろ|死ね|帰れ|追い出せ|排除しろ|来るな|入れるな)"
)


def scan(ctx: Context) -> Iterator[Finding]:
    """Exclusion phrases aimed at a group (target_groups.txt): 「障害者はいらない」."""
    text = ctx.norm.text
    if not ctx.config.target_group_matcher.search(text):
        return
    for a, b, _ in ctx.config.target_group_matcher.finditer(text):
        m = _EXCLUSION_RE.match(text, b)
        if m is None:
            continue
        yield ctx.finding(
            ctx.norm,
            a,
            m.end(),
            rule=TERM.id,
            clause=CLAUSE,
            severity="block",
            message=TERM.format(ctx.display(ctx.norm, a, m.end())),
        )


_EXCLUSION_RE = re.compile(_EXCLUSION)
_ABOUT_WORDING = re.compile(
    r"差別用語|差別的な(表現|言葉|語)|不適切な(表現|言葉)|人権啓発|人権教育"
)


def adjust(ctx: Context, entry: PhraseEntry, a: int, b: int) -> tuple[str, str] | None:
    """Quiet in sentences that discuss discriminatory wording itself."""
    if _ABOUT_WORDING.search(ctx.sentence_text(a, b)):
        return None
    return entry.severity, entry.clause

"""7(1)キ — obscene content (わいせつな内容).

An editable lexicon (``obscene_terms.tsv``): explicit terms block, sexual wording is
reviewed, and health-education sentences (性感染症の予防, 性教育) stay quiet. Sexual
wording said with desire or about someone's body (「おっぱい大きい」「エロいことしたい」) blocks.
"""

from __future__ import annotations

import re

from ..context import Context
from ..data import PhraseEntry
from ..family import Family, PhraseFile, RuleDoc

CLAUSE = "7(1)キ"

TERM = RuleDoc(
    id="obscene.term",
    clause=CLAUSE,
    severity="block",
    title="わいせつな語",
    what="露骨な性的表現（block）と性的な表現（review）を辞書で見つけます。",
    why="わいせつな内容は掲載できません。",
    example="（露骨な性的表現を含む文）",
    use_instead="削除してください。保健・性教育の案内なら医学的な用語で書いてください。",
    message="「{excerpt}」は性的・わいせつな表現です。ガイドライン{clause}によりわいせつな内容は"
    "掲載できません。削除するか表現を改めてください。",
)

_RULES = (TERM,)
_PHRASES = (PhraseFile("obscene/obscene_terms.tsv", TERM.id, CLAUSE, (CLAUSE,)),)

# Sexual wording aimed at someone or said with desire turns from review into block.
_DESIRE = re.compile(
    r"したい|やりたい|ヤりたい|ヤリたい|揉み|揉ん|揉ま|触り|触っ|触ら|見たい|見せて|抱き|抱か|興奮|ムラムラ|"
    r"大きい|でかい|デカい|でけえ|エロい|えろい|そそる|たまらん|たまらない|抜け|抜い|オカズ|おかず|"
    r"見て寝|見まくり|漁っ|あさっ|ヤれ|やれる|誘っ|してえ|させろ|ばかり見|ばっかり見|じろじろ|ジロジロ|"
    r"見てた|見とれ|ガン見|拝みたい"
)


def adjust(ctx: Context, entry: PhraseEntry, a: int, b: int) -> tuple[str, str] | None:
    """Sexual wording said with desire or about someone's body blocks."""
    if entry.severity == "review" and _DESIRE.search(ctx.sentence_text(a, b)):
        return "block", entry.clause
    return entry.severity, entry.clause


FAMILY = Family(
    name="obscene",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
    adjust=adjust,
)

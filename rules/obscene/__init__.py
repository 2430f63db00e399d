"""7(1)キ — obscene content (わいせつな内容).

An editable lexicon (``obscene_terms.tsv``): explicit terms block, sexual wording is
reviewed, and health-education sentences (性感染症の予防, 性教育) stay quiet.
"""

from __future__ import annotations

from ..registry import PhraseFile, RuleDoc

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

RULES = (TERM,)
PHRASES = (PhraseFile("obscene/obscene_terms.tsv", TERM.id, CLAUSE, (CLAUSE,)),)

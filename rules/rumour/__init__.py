"""7(1)カ — unreliable information, rumours (信頼性のない情報又は噂や風評等).

噂, 未確認, デマ, 〜との情報, hearsay らしい (auxiliary verb only: 春らしい and 素晴らしい are
not hearsay) — data: ``rumour_terms.tsv``. Tourism wording 「噂の絶景スポット」 stays quiet, and
so do the city's own warnings against rumours (「デマに注意」).
"""

from __future__ import annotations

from ..family import Family, PhraseFile, RuleDoc

CLAUSE = "7(1)カ"

HEARSAY = RuleDoc(
    id="rumour.hearsay",
    clause=CLAUSE,
    severity="review",
    title="噂・未確認情報",
    what="噂・未確認・デマ・「〜との情報」・伝聞の「らしい」など、裏付けのない情報を示す表現を見つけます。",
    why="信頼性のない情報や噂を公式に発信すると、風評を広げることになります。",
    example="駅前の店が閉店するらしいです。",
    use_instead="事実を確認し、出典となる公式情報を示して断定できる内容だけを書いてください。",
    message="「{excerpt}」は裏付けのない情報や噂と受け取られるおそれがあります（ガイドライン{clause}）。"
    "事実を確認し、出典を示すか表現を改めてください。",
)

_RULES = (HEARSAY,)
_PHRASES = (PhraseFile("rumour/rumour_terms.tsv", HEARSAY.id, CLAUSE, (CLAUSE,)),)


FAMILY = Family(
    name="rumour",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
)

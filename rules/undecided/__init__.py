"""7(2)キ(ウ) — undecided policy under deliberation (意思形成過程の未確定情報).

検討中, 調整中, 未定, 内定, 見込み … about city measures (data: ``undecided_terms.tsv``).
「ご検討ください」 and 「参加を検討中の方」 address citizens and stay quiet; public comment
(パブリックコメント) is exempt by the guideline.
"""

from __future__ import annotations

from ..family import Family, PhraseFile, RuleDoc

CLAUSE = "7(2)キ(ウ)"

UNDECIDED = RuleDoc(
    id="undecided.policy",
    clause=CLAUSE,
    severity="review",
    title="意思形成過程の未確定情報",
    what="市の施策について「検討中」「調整中」「未定」「内定」「見込み」などの未確定を示す語を見つけます。",
    why="決まっていない施策を発信すると誤解や混乱を招きます（パブリックコメント等を除く）。",
    example="市は新庁舎の移転先を検討中です。",
    use_instead="決定・公表された内容だけを発信し、決定時期が公表済みならそれを案内してください。",
    message="「{excerpt}」は市の施策の未確定情報と受け取られるおそれがあります（ガイドライン{clause}）。"
    "決定・公表済みの内容か確認し、未確定なら発信を控えてください。",
)

_RULES = (UNDECIDED,)
_PHRASES = (PhraseFile("undecided/undecided_terms.tsv", UNDECIDED.id, CLAUSE, (CLAUSE,)),)


FAMILY = Family(
    name="undecided",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
)

"""7(1)エ / 7(1)サ / 7(1)コ — confidential or non-public information.

Markings such as 部外秘, 取扱注意, 内部資料, 非公開, 機密, ㊙ (data: ``confidential_markers.tsv``).
Each entry names its clause: サ for information-asset classification marks (機密情報2以上),
コ for 非公開情報 under the information disclosure ordinance, エ for internal material.
"""

from __future__ import annotations

from ..family import Family, PhraseFile, RuleDoc

CLAUSE = "7(1)サ"

MARKING = RuleDoc(
    id="confidential.marking",
    clause=CLAUSE,
    severity="block",
    title="秘密区分・非公開の表示",
    what="部外秘・極秘・機密・㊙（7(1)サ）、取扱注意・内部資料（7(1)エ）、非公開・未公表（7(1)コ）の"
    "表示や語句を見つけます。「非公開で開催」のような会議の運営の説明は対象外です。",
    why="秘密区分の付いた情報や非公開情報は公開の場に掲載できません。",
    example="【部外秘】来年度の組織改編案について",
    use_instead="公表済みの資料や市ホームページの公開情報だけを使ってください。",
    message="「{excerpt}」という表示・語句があります。機密情報や非公開情報はガイドライン{clause}により"
    "掲載できません。公表済みの情報か確認し、そうでなければ削除してください。",
)

_RULES = (MARKING,)
_PHRASES = (
    PhraseFile(
        "confidential/confidential_markers.tsv",
        MARKING.id,
        CLAUSE,
        ("7(1)エ", "7(1)サ", "7(1)コ"),
    ),
)


FAMILY = Family(
    name="confidential",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
)

"""7(2)オ / 7(2)カ — a staff member's conduct on a personal account.

7(2)オ: a post that says it is written during working hours (「会議中だけど」「窓口の合間に
こっそり投稿」「#勤務中」). 7(2)カ: social harassment, a superior requiring follows, likes or
friend requests, or asking into a subordinate's private life. Data: ``cues.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..family import DataFiles, Family, RuleDoc
from ..model import Finding

CLAUSE = "7(2)オ"
HARASSMENT_CLAUSE = "7(2)カ"

WORKING_HOURS = RuleDoc(
    id="conduct.working-hours",
    clause=CLAUSE,
    severity="review",
    title="勤務時間中の個人アカウント利用",
    what="「会議中だけど」「窓口の合間にこっそり投稿」「#勤務中」など、勤務時間中に個人アカウントで"
    "発信していることを示す表現を見つけます。",
    why="個人アカウントでの勤務時間中の利用は禁止されています。発信日時も表示されます。",
    example="会議中だけど暇なのでスマホで投稿中。",
    use_instead="個人アカウントでの発信は勤務時間外に行ってください。",
    message="「{excerpt}」は勤務時間中に個人アカウントを利用していると受け取られます"
    "（ガイドライン{clause}）。勤務時間外に発信してください。",
)
HARASSMENT = RuleDoc(
    id="conduct.social-harassment",
    clause=HARASSMENT_CLAUSE,
    severity="block",
    title="ソーシャルハラスメント",
    what="上司が部下に「フォロー」「いいね」「友達承認」を求める、私生活に踏み入る表現を見つけます。",
    why="フォロー・いいね等の強要や私生活への立ち入り（ソーシャルハラスメント）は禁止されています。",
    example="課の全員、明日までに私のアカウントをフォローすること。",
    use_instead="フォローやいいねは各自の自由に任せ、求めないでください。",
    message="「{excerpt}」はフォロー・いいね等の強要や私生活への立ち入り（ソーシャルハラスメント）と"
    "受け取られます（ガイドライン{clause}）。削除してください。",
)


@dataclass(frozen=True)
class Cues:
    """The family's data: cues.tsv by kind."""

    working: re.Pattern[str]
    harass: re.Pattern[str]
    boss: re.Pattern[str]


def load(files: DataFiles) -> Cues:
    """Read cues.tsv."""
    c = files.cues("conduct/cues.tsv", ("working", "harass", "boss"))
    return Cues(c["working"], c["harass"], c["boss"])


def scan(ctx: Context) -> Iterator[Finding]:
    """Working-hours posting and social harassment."""
    cues: Cues = ctx.data(FAMILY.name)
    text = ctx.norm.text
    for m in cues.working.finditer(text):
        yield ctx.finding(
            ctx.norm,
            m.start(),
            m.end(),
            rule=WORKING_HOURS.id,
            clause=CLAUSE,
            severity="review",
            message=WORKING_HOURS.format(ctx.display(ctx.norm, m.start(), m.end())),
        )
    if not cues.boss.search(text):
        return
    for m in cues.harass.finditer(text):
        yield ctx.finding(
            ctx.norm,
            m.start(),
            m.end(),
            rule=HARASSMENT.id,
            clause=HARASSMENT_CLAUSE,
            severity="block",
            message=HARASSMENT.format(ctx.display(ctx.norm, m.start(), m.end())),
        )


FAMILY = Family(
    name="conduct",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(WORKING_HOURS, HARASSMENT),
    load=load,
    scan=scan,
)

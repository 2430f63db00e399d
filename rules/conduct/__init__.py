"""7(2)オ / 7(2)カ — a staff member's conduct on a personal account.

7(2)オ: a post that says it is written during working hours (「会議中だけど」「窓口の合間に
こっそり投稿」「#勤務中」). 7(2)カ: social harassment, a superior requiring follows, likes or
friend requests, or asking into a subordinate's private life. Data: ``cues.tsv``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..cues import CueSet, cue_findings
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


def load(files: DataFiles) -> CueSet:
    """Read cues.tsv (kinds working, harass, boss)."""
    return files.cues("conduct/cues.tsv", ("working", "harass", "boss"))


def scan(ctx: Context) -> Iterator[Finding]:
    """Working-hours posting and social harassment."""
    cues: CueSet = ctx.data(FAMILY.name)
    yield from cue_findings(ctx, cues["working"], WORKING_HOURS)
    if cues["boss"].search(ctx.norm.text):
        yield from cue_findings(ctx, cues["harass"], HARASSMENT)


FAMILY = Family(
    name="conduct",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(WORKING_HOURS, HARASSMENT),
    load=load,
    scan=scan,
)

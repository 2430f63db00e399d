"""7(2)キ(ウ) — undecided policy under deliberation (意思形成過程の未確定情報).

検討中, 調整中, 未定, 内定, 見込み … about city measures (data: ``undecided_terms.tsv``).
「ご検討ください」 and 「参加を検討中の方」 address citizens and stay quiet; public comment
(パブリックコメント) is exempt by the guideline.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from ..context import Context
from ..cues import CueSet, cue_findings
from ..family import DataFiles, Family, PhraseFile, RuleDoc
from ..model import Finding

CLAUSE = "7(2)キ(ウ)"

UNDECIDED = RuleDoc(
    id="undecided.policy",
    clause=CLAUSE,
    severity="review",
    title="意思形成過程の未確定情報",
    what="市の施策について「検討中」「調整中」「未定」「内定」「見込み」などの未確定を示す語を見つけます。"
    "内部資料・庁内限り・機密性2などの表示のある投稿では、来年度の候補・方針・案も報告します。"
    "「議会での審議はこれから」「正式な決定はまだ」と書いた投稿では、決まったように書いた部分"
    "（4月から始まります、上がる予定です）も報告します。未確定を示す語の前後の文で、その施策が"
    "どうなるか（20%アップ、駅前ビルに移転の方向、予算に入る）を書いた部分も報告します。",
    why="決まっていない施策を発信すると誤解や混乱を招きます（パブリックコメント等を除く）。",
    example="市は新庁舎の移転先を検討中です。",
    use_instead="決定・公表された内容だけを発信し、決定時期が公表済みならそれを案内してください。",
    message="「{excerpt}」は市の施策の未確定情報と受け取られるおそれがあります（ガイドライン{clause}）。"
    "決定・公表済みの内容か確認し、未確定なら発信を控えてください。",
)

_RULES = (UNDECIDED,)
_PHRASES = (PhraseFile("undecided/undecided_terms.tsv", UNDECIDED.id, CLAUSE, (CLAUSE,)),)


def load(files: DataFiles) -> CueSet:
    """Read cues.tsv (kinds modality, topic, exempt, marked, plan, announced, pending, outcome)."""
    return files.cues(
        "undecided/cues.tsv",
        ("modality", "topic", "exempt", "marked", "plan", "announced", "pending", "outcome"),
    )


def scan(ctx: Context) -> Iterator[Finding]:
    """An unsettled modality about a city measure (this sentence or the one before)."""
    cues: CueSet = ctx.data(FAMILY.name)
    text = ctx.norm.text
    modality, topic, exempt = cues["modality"], cues["topic"], cues["exempt"]
    if exempt.search(text) and _public_comment(text):
        return
    if cues["marked"].search(text):
        # a marked document's plan for next year: the plan itself is not yet decided
        yield from cue_findings(ctx, cues["plan"], UNDECIDED)
        yield from _outcomes(ctx, cues, 0, len(text))
    if not modality.search(text):
        return

    def about_a_measure(_m: re.Match[str], s: int, e: int) -> bool:
        prev_s = ctx.sentence(s - 1)[0] if s else s
        return topic.search(text, prev_s, e) is not None and exempt.search(text, s, e) is None

    for f in cue_findings(ctx, modality, UNDECIDED, keep=about_a_measure):
        yield f
        yield from _around(ctx, cues, f)
    yield from _announced_before_decided(ctx, cues)


def _around(ctx: Context, cues: CueSet, f: Finding) -> Iterator[Finding]:
    """What the plan would do, said in the sentences around an undecided remark ``f``."""
    starts = ctx.norm.starts
    a = bisect.bisect_left(starts, f.start)
    b = bisect.bisect_left(starts, f.end)
    s, e = ctx.sentence(a, max(a + 1, b))
    lo = ctx.sentence(s - 1)[0] if s else s
    hi = ctx.sentence(e)[1] if e < len(ctx.norm.text) else e
    yield from _outcomes(ctx, cues, lo, hi)


def _outcomes(ctx: Context, cues: CueSet, lo: int, hi: int) -> Iterator[Finding]:
    text = ctx.norm.text
    for m in cues["outcome"].finditer(text, lo, hi):
        yield ctx.finding(
            ctx.norm,
            m.start(),
            m.end(),
            rule=UNDECIDED.id,
            clause=CLAUSE,
            severity="review",
            message=UNDECIDED.format(ctx.display(ctx.norm, m.start(), m.end())),
        )


def follow(ctx: Context, hits: Sequence[Finding]) -> Iterator[Finding]:
    """The outcome said around an undecided lexicon hit (「検討中ですが、月額1,000円程度となる
    見込み」「調整中だけど、図書館は駅前ビルに移転の方向」)."""
    cues: CueSet = ctx.data(FAMILY.name)
    if not cues["outcome"].search(ctx.norm.text):
        return
    for f in hits:
        if f.rule == UNDECIDED.id and f.severity in ("block", "review"):
            yield from _around(ctx, cues, f)


def _announced_before_decided(ctx: Context, cues: CueSet) -> Iterator[Finding]:
    """A measure stated as settled, in the sentence of a 'not decided yet' remark or the one
    before it: the announcement itself is what must not go out."""
    text = ctx.norm.text
    pending = cues["pending"].search(text)
    if pending is None:
        return
    s, e = ctx.sentence(pending.start(), pending.end())
    prev_s = ctx.sentence(s - 1)[0] if s else s
    if cues["topic"].search(text, prev_s, e) is None:
        return
    for m in cues["announced"].finditer(text, prev_s, e):
        a, b = m.start(), m.end()
        yield ctx.finding(
            ctx.norm,
            a,
            b,
            rule=UNDECIDED.id,
            clause=CLAUSE,
            severity="review",
            message=UNDECIDED.format(ctx.display(ctx.norm, a, b)),
        )


_PUBLIC_COMMENT = re.compile(r"パブリックコメント|パブコメ|意見募集|ご?意見を(募集|お寄せ)")


def _public_comment(text: str) -> bool:
    return _PUBLIC_COMMENT.search(text) is not None


FAMILY = Family(
    name="undecided",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
    load=load,
    scan=scan,
    follow=follow,
)

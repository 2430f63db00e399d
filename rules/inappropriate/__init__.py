"""7(1)ケ / 5(8) / 7(1)ア — content unfit for an official post, and election campaigning.

Three constructions: asking for votes or support for a candidate or party (選挙運動), the
city taking sides on a national political controversy, and the city recommending one
business, product or religious site (「市としてもおすすめ」「市公認の〇〇」「一番安い」 with a
business named). The last is also 5(8): the city must not appear to endorse an advertiser.

Campaigning is reported under 7(1)ア, not 7(1)ケ: the guideline's ア is 「法令…に反する内容」,
and a staff member or the city's account canvassing for a candidate breaks a statute
(地方公務員法 36条, political acts; 公職選挙法 136条の2, canvassing by public servants using their
position; the guideline's 7(2)ア names 地方公務員法 among the laws staff must keep). ケ is the
guideline's residual 「その他…不適当な内容」, for what no other item covers: the city taking a
side on a national controversy stays there. Data: ``cues.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..cues import Cue
from ..family import DataFiles, Family, RuleDoc
from ..model import Finding

CLAUSE = "7(1)ケ"
AD_CLAUSE = "5(8)"

CAMPAIGN_CLAUSE = "7(1)ア"

CAMPAIGNING = RuleDoc(
    id="illegal.campaigning",
    clause=CAMPAIGN_CLAUSE,
    severity="block",
    title="選挙運動・政治活動への勧誘",
    what="候補者・政党への投票や支援の呼びかけ（「〜への一票を」「〜を応援しています」）、"
    "後援会への加入や名簿への記入の呼びかけを見つけます。選挙管理委員会の事務的な案内"
    "（投票日・期日前投票・入場券）や人気投票の「総選挙」は対象外です。",
    why="公式アカウントや職員が特定の候補者・政党を支援することは、地方公務員法（政治的行為の制限）"
    "や公職選挙法（公務員の地位利用による選挙運動の禁止）に反するおそれがあります。",
    example="明日の選挙では〇〇候補への一票をお願いします。",
    use_instead="選挙については投票日・投票所などの事務的な案内だけを発信してください。",
    message="「{excerpt}」は選挙運動・政治活動への勧誘と受け取られます（ガイドライン{clause}："
    "法令に反する内容。地方公務員法・公職選挙法）。削除してください。",
)
POLITICS = RuleDoc(
    id="inappropriate.politics",
    clause=CLAUSE,
    severity="review",
    title="市としての政治的な立場の表明",
    what="国の施策等への賛否を市として表明する文（「市としても反対です」）を見つけます。",
    why="政治的に意見の分かれる問題で市が一方の立場を表明することは、不特定多数への発信として"
    "不適当です。",
    example="防衛費の増額には、市としても反対です。",
    use_instead="市の施策や手続きの事実だけを発信し、賛否の表明は議会や記者会見など正式な場で行ってください。",
    message="「{excerpt}」は政治的な立場の表明と受け取られます（ガイドライン{clause}）。"
    "公式・職員の発信としては不適当です。削除してください。",
)
PROSELYTISING = RuleDoc(
    id="illegal.proselytising",
    clause=CAMPAIGN_CLAUSE,
    severity="block",
    title="宗教への勧誘",
    what="宗教的な教え・集まり（入信、当会の教え、お祈りで〜、聖書を一緒に読む）と、"
    "その集まりへの誘い（のぞいてみてください、次の集まりは〜、入会すると〜）が同じ文か"
    "隣の文にある構文を見つけます。勧誘への注意喚起の文は対象外です。",
    why="職員が職務で知り合った人や市の発信を使って宗教に勧誘することは、政教分離と公務員の"
    "職務専念・信用失墜行為の禁止（地方公務員法）に反するおそれがあります。",
    example="窓口でお会いした方も、当会の集まりにぜひのぞいてみてください。",
    use_instead="市の発信や職務で知り合った方への宗教の勧誘はしないでください。",
    message="「{excerpt}」は宗教への勧誘と受け取られます（ガイドライン{clause}：法令に反する内容）。"
    "削除してください。",
)
ENDORSEMENT = RuleDoc(
    id="inappropriate.endorsement",
    clause=AD_CLAUSE,
    severity="review",
    title="特定の事業者・商品の推奨",
    what="「市としてもおすすめ」「市公認」「市推奨」「一番安くて丁寧」など、市が特定の事業者・"
    "商品・宗教施設を推奨していると受け取られる表現を、事業者名・商品名とともに見つけます。",
    why="市が特定の事業者や広告主を推奨していると誤解される内容は避けます（5(8)・7(1)ケ）。",
    example="リフォームなら「〇〇ホーム」が一番安いです。市としてもおすすめです。",
    use_instead="複数の事業者を公平に案内するか、市の制度（登録店・認定制度）として説明してください。",
    message="「{excerpt}」は、市が特定の事業者・商品を推奨していると受け取られるおそれがあります"
    "（ガイドライン{clause}）。公平な表現に改めてください。",
)


@dataclass(frozen=True)
class Cues:
    """The family's data: cues.tsv by kind."""

    election: Cue
    election_cue: Cue
    stance: Cue
    endorse: Cue
    name: Cue
    public: Cue
    support_group: Cue
    request: Cue
    person_request: Cue
    faith: Cue
    invite: Cue
    lawful_invite: Cue
    faith_at_work: Cue
    workplace: Cue


_KINDS = (
    "election",
    "election_cue",
    "stance",
    "endorse",
    "name",
    "public",
    "support_group",
    "request",
    "person_request",
    "faith",
    "invite",
    "lawful_invite",
    "faith_at_work",
    "workplace",
)


def load(files: DataFiles) -> Cues:
    """Read cues.tsv."""
    c = files.cues("inappropriate/cues.tsv", _KINDS)
    return Cues(*(c[k] for k in _KINDS))


# Neutral election administration: the city announcing a vote is its duty, not campaigning.
_ELECTION_ADMIN = re.compile(r"選挙管理委員会|期日前投票|投票所|投票率|投票日は|入場券|不在者投票")
# A rule or a disclaimer about support groups: 「後援会名簿の提出を求められても応じないでください」.
_NOT_CAMPAIGNING = re.compile(
    r"ないでください|してはいけ|禁止|制限|応じない|関係(が|は)?(ありません|ない)|できません|お断り"
)
# A popularity vote is not an election: 「ゆるキャラ総選挙で3位」「ご当地グルメ総選挙」.
_CONTEST = re.compile(
    r"(キャラ|グランプリ|人気|ご当地|グルメ|アイドル|メンバー|ラーメン|スイーツ|駅弁|景観)[^。\n]{0,8}総選挙"
    r"|総選挙(で|の)[^。\n]{0,6}[0-9一二三四五六七八九十]+位"
)


def scan(ctx: Context) -> Iterator[Finding]:
    """Campaigning, political stances, endorsements."""
    cues: Cues = ctx.data(FAMILY.name)
    text = ctx.norm.text
    if cues.election_cue.search(text):
        for m in cues.election.finditer(text):
            s, e = ctx.sentence(m.start(), m.end())
            if _ELECTION_ADMIN.search(text, s, e) or _CONTEST.search(text, s, e):
                continue
            yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", m.start(), m.end())
        yield from _support_group(ctx, cues)
        yield from _named_request(ctx, cues)
    yield from _proselytising(ctx, cues)
    for m in cues.stance.finditer(text):
        yield _finding(ctx, POLITICS, CLAUSE, "review", m.start(), m.end())
    if cues.public.search(text):
        return
    for m in cues.endorse.finditer(text):
        if cues.name.search(text):
            # Both rows of the guideline: 5(8) (the city seen to endorse) and 7(1)ケ.
            yield _finding(ctx, ENDORSEMENT, AD_CLAUSE, "review", m.start(), m.end())
            yield _finding(ctx, ENDORSEMENT, CLAUSE, "review", m.start(), m.end())
            return


def _support_group(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """A candidate's support group handed out or asked for, in its sentence or the next."""
    text = ctx.norm.text
    for m in cues.support_group.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if _ELECTION_ADMIN.search(text, s, e) or _NOT_CAMPAIGNING.search(text, s, e):
            continue
        nxt_e = ctx.sentence(e)[1] if e < len(text) else e
        req = cues.request.search(text, m.end(), nxt_e)
        if req is not None:
            yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", m.start(), req.end())
            return


def _named_request(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """「<name>をどうぞよろしく」 in an election post: the name is a person-name token."""
    text = ctx.norm.text
    for m in cues.person_request.finditer(text):
        tokens = ctx.tokens_in(max(0, m.start() - 12), m.start())
        names = [t for t in tokens if t.end <= m.start()]
        if not names or names[-1].end != m.start() or not names[-1].is_person_name:
            continue
        start = names[-1].start
        for t in reversed(names[:-1]):
            if not t.is_person_name or t.end != start:
                break
            start = t.start
        yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", start, m.end())


def _proselytising(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """A religious group's teaching or gathering and an invitation to it, two sentences apart."""
    text = ctx.norm.text
    if not cues.faith.possible(text) or not cues.invite.possible(text):
        return
    faith = [m.span() for m in cues.faith.finditer(text)]
    # A church's service or a sermon counts when the post is about people met at work.
    if cues.workplace.search(text):
        faith += [m.span() for m in cues.faith_at_work.finditer(text)]
    if not faith:
        return
    sentences = ctx.sentences()

    def index(i: int) -> int:
        return next(
            k for k, (s, e) in enumerate(sentences) if s <= i < e or k == len(sentences) - 1
        )

    faith_at = [(a, b, index(a)) for a, b in faith]
    for m in cues.invite.finditer(text):
        k = index(m.start())
        s, e = sentences[k]
        if cues.lawful_invite.search(text, s, e):
            continue
        near = [(a, b) for a, b, j in faith_at if abs(j - k) <= 2 and (a, b) != m.span()]
        if not near:
            continue
        a = min(a for a, _ in near) if any(j == k for _, _, j in faith_at) else m.start()
        yield _finding(ctx, PROSELYTISING, CAMPAIGN_CLAUSE, "block", min(a, m.start()), m.end())


def _finding(ctx: Context, doc: RuleDoc, clause: str, severity: str, a: int, b: int) -> Finding:
    return ctx.finding(
        ctx.norm,
        a,
        b,
        rule=doc.id,
        clause=clause,
        severity="block" if severity == "block" else "review",
        message=doc.format(ctx.display(ctx.norm, a, b), clause),
    )


FAMILY = Family(
    name="inappropriate",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(CAMPAIGNING, POLITICS, ENDORSEMENT, PROSELYTISING),
    load=load,
    scan=scan,
)

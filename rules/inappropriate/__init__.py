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
    person_support: Cue
    support_ask: Cue
    vote_for: Cue
    vote_for_end: Cue
    person_pick: Cue
    bribe: Cue
    bribe_part: Cue
    canvass: Cue


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
    "person_support",
    "support_ask",
    "vote_for",
    "vote_for_end",
    "person_pick",
    "bribe",
    "bribe_part",
    "canvass",
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
# Vote buying named as the crime it is: 「投票した人にお金を配るのは買収で、犯罪です」.
_ILLEGAL_SAID = re.compile(r"犯罪|違法|買収(です|に当た|は|行為)|罰|逮捕|摘発|検挙")
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
        campaign: list[Finding] = []
        for m in cues.election.finditer(text):
            s, e = ctx.sentence(m.start(), m.end())
            if (
                _ELECTION_ADMIN.search(text, s, e)
                or _CONTEST.search(text, s, e)
                or _NOT_CAMPAIGNING.search(text, s, e)
            ):
                continue
            campaign.append(
                _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", m.start(), m.end())
            )
        campaign += _support_group(ctx, cues)
        campaign += _named_request(ctx, cues)
        campaign += _named_support(ctx, cues)
        campaign += _bribe(ctx, cues)
        yield from campaign
        if campaign:
            yield from _canvass(ctx, cues)
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


def _name_runs(ctx: Context) -> Iterator[tuple[int, int]]:
    """Spans of consecutive person-name tokens (a family name and a given name)."""
    start = end = -1
    for t in ctx.tokens:
        if t.is_person_name:
            if t.start == end:
                end = t.end
                continue
            if start >= 0:
                yield start, end
            start, end = t.start, t.end
        elif start >= 0:
            yield start, end
            start = end = -1
    if start >= 0:
        yield start, end


def _named_support(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """Support or a vote asked for a named person (the name is read from the tokens).

    Three shapes, in a post that speaks of an election: the name, then へ/に/を and support
    asked or declared (「〜様へのご支援をお願い」「〜先生を全力でご支援申し上げる」「〜さんに
    投票を！」); a vote said to go to the name (「投票は〜さんで」「投票するなら〜さん」); the
    name picked for a voter (「〜さんにしときな」). Election administration and a rule or a
    warning in the sentence keep it quiet (the pick only on a rule: a poll worker naming a
    candidate inside the polling station is the breach).
    """
    text = ctx.norm.text
    if not (
        cues.person_support.possible(text)
        or cues.vote_for.possible(text)
        or cues.person_pick.possible(text)
    ):
        return
    for a, b in _name_runs(ctx):
        s, e = ctx.sentence(a, b)
        if _NOT_CAMPAIGNING.search(text, s, e):
            continue
        admin = _ELECTION_ADMIN.search(text, s, e) is not None
        m = cues.person_support.match(text, b, e)
        if m is not None and not admin:
            ask = cues.support_ask.search(text, m.end(), e)
            if ask is not None:
                yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", a, ask.end())
                continue
        if not admin and cues.vote_for.search(text, s, a) and cues.vote_for_end.match(text, b, e):
            v = cues.vote_for.search(text, s, a)
            assert v is not None
            yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", v.start(), b)
            continue
        m = cues.person_pick.match(text, b, e)
        if m is not None:
            yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", a, m.end())


def _canvass(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """In a post already asking for a vote: the name to write on the ballot, the request passed on."""
    text = ctx.norm.text
    for m in cues.canvass.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if _NOT_CAMPAIGNING.search(text, s, e):
            continue
        yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", m.start(), m.end())


def _bribe(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """Money or vouchers for a vote, and the writer's part in handing them out (next sentence)."""
    text = ctx.norm.text
    for m in cues.bribe.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if _NOT_CAMPAIGNING.search(text, s, e) or _ILLEGAL_SAID.search(text, s, e):
            continue
        end = m.end()
        nxt_e = ctx.sentence(e)[1] if e < len(text) else e
        part = cues.bribe_part.search(text, e, nxt_e)
        if part is not None:
            end = part.end()
        yield _finding(ctx, CAMPAIGNING, CAMPAIGN_CLAUSE, "block", m.start(), end)


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

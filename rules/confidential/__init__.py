"""7(1)エ / 7(1)サ / 7(1)コ — confidential or non-public information.

Markings such as 部外秘, 取扱注意, 内部資料, 非公開, 機密, ㊙ (data: ``confidential_markers.tsv``).
Each entry names its clause: サ for information-asset classification marks (機密情報2以上),
コ for 非公開情報 under the information disclosure ordinance, エ for internal material.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..context import Context
from ..cues import Cue
from ..data import PhraseEntry
from ..family import DataFiles, Family, PhraseFile, RuleDoc
from ..model import Finding

CLAUSE = "7(1)サ"

MARKING = RuleDoc(
    id="confidential.marking",
    clause=CLAUSE,
    severity="block",
    title="秘密区分・非公開の表示",
    what="部外秘・極秘・機密・㊙（7(1)サ）、取扱注意・内部資料（7(1)エ）、非公開・未公表（7(1)コ）の"
    "表示や語句を見つけます。「非公開で開催」のような会議の運営の説明は対象外です。"
    "「ここだけの話」「オフレコ」などの前置きは、それが導く文まで職務上知り得た情報（7(1)エ）として"
    "報告します（その文が未確定の施策なら 7(2)キ(ウ) の指摘に任せます）。",
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


NON_PUBLIC = RuleDoc(
    id="confidential.non-public",
    clause="7(1)コ",
    severity="block",
    title="公表前の入札価格・人事・非公開の内容",
    what="表示がなくても形で分かる非公開情報を見つけます：金額の付いた予定価格・最低制限価格"
    "（公表済み・開札後と書かれていれば対象外）、開札前の他社の入札額、発表前の人事異動"
    "（役職＋異動・昇任＋「内示前」「らしい」「っぽい」等）。人事は7(1)エ（職務上知り得た機密情報）として報告します。"
    "発表前の選考結果（倍率・合格ライン、「発表は来週」の結果）、抜き打ち検査の予定、事業者の決算書の"
    "中身、市が買収予定の土地も報告します。",
    why="入札の予定価格や発表前の人事は、職務上知り得た非公開の情報です。",
    example="予定価格は税抜4億1,200万円です。",
    use_instead="公表された情報（市ホームページの入札結果・人事異動の発表）だけを使ってください。",
    message="「{excerpt}」は公表されていない情報（入札価格・人事など）と受け取られます"
    "（ガイドライン{clause}）。公表済みか確認し、そうでなければ削除してください。",
)


MARKED = RuleDoc(
    id="confidential.marked-content",
    clause=CLAUSE,
    severity="block",
    title="表示のある資料の中身",
    what="秘密区分・内部限り・非公開の表示（confidential.marking）のある文の、表示のあとの部分と"
    "次の文を、その資料の中身として表示と同じ条項で報告します（「部外秘の資料。中身は…」）。",
    why="表示を消しても、書かれた中身が機密情報や非公開情報であることは変わりません。",
    example="部外秘の資料をもらいました。中身は来年度の組織改編案です。",
    use_instead="表示のある資料の内容は書かず、公表済みの情報だけを使ってください。",
    message="「{excerpt}」は表示のある資料の中身と受け取られます（ガイドライン{clause}）。"
    "公表済みの情報か確認し、そうでなければ削除してください。",
)
_TRIM = "、,。．！？!?\n 　：:「」『』…"


def follow(ctx: Context, hits: Sequence[Finding]) -> Iterator[Finding]:
    """What a kept marking marks: the rest of its sentence and the sentence after it."""
    text = ctx.norm.text
    starts: list[int] | None = None
    done = 0
    for f in hits:
        if f.rule != MARKING.id or f.severity not in ("block", "review"):
            continue
        if starts is None:
            starts = ctx.norm.starts
        a = bisect.bisect_left(starts, f.end)
        if a < done or a >= len(text):
            continue
        _, e = ctx.sentence(max(a - 1, 0))
        if e < len(text):
            e = ctx.sentence(e)[1]
        while a < e and text[a] in _TRIM:
            a += 1
        while e > a and text[e - 1] in _TRIM:
            e -= 1
        if e - a < 4:
            continue
        done = e
        yield ctx.finding(
            ctx.norm,
            a,
            e,
            rule=MARKED.id,
            clause=f.clause,
            severity=f.severity,
            message=MARKED.format(ctx.display(ctx.norm, a, e), f.clause),
        )


@dataclass(frozen=True)
class Shapes:
    """The family's data: constructions.tsv by kind."""

    price: Cue
    amount: Cue
    public: Cue
    bid: Cue
    bidcontext: Cue
    post: Cue
    move: Cue
    unannounced: Cue
    unshared: Cue
    announced: Cue
    ahead: Cue
    probe: Cue
    probequiet: Cue
    exam: Cue
    examquiet: Cue
    discipline: Cue
    negotiation: Cue
    bottomline: Cue
    concede: Cue
    score: Cue
    scorequiet: Cue
    result: Cue
    resultquiet: Cue
    resultcontext: Cue
    early: Cue
    earlywhen: Cue
    surprise: Cue
    surprisequiet: Cue
    accounts: Cue
    landplan: Cue
    landquiet: Cue
    roster: Cue
    rosterquiet: Cue


_KINDS = (
    "price",
    "amount",
    "public",
    "bid",
    "bidcontext",
    "post",
    "move",
    "unannounced",
    "unshared",
    "announced",
    "ahead",
    "probe",
    "probequiet",
    "exam",
    "examquiet",
    "discipline",
    "negotiation",
    "bottomline",
    "concede",
    "score",
    "scorequiet",
    "result",
    "resultquiet",
    "resultcontext",
    "early",
    "earlywhen",
    "surprise",
    "surprisequiet",
    "accounts",
    "landplan",
    "landquiet",
    "roster",
    "rosterquiet",
)
# Someone a disciplinary case is about (a post, a member of staff, a named person).
_PERSON = Cue(
    r"職員|係長|課長|部長|主任|主査|主事|次長|所長|館長|校長|教頭|先生|教諭|さん(?!ざん)|氏"
)


def load(files: DataFiles) -> Shapes:
    """Read constructions.tsv."""
    c = files.cues("confidential/constructions.tsv", _KINDS)
    return Shapes(*(c[k] for k in _KINDS))


def _finding(ctx: Context, a: int, b: int, clause: str) -> Finding:
    return ctx.finding(
        ctx.num,
        a,
        b,
        rule=NON_PUBLIC.id,
        clause=clause,
        severity="block",
        message=NON_PUBLIC.format(ctx.display(ctx.num, a, b), clause),
    )


# 「ここだけの話、…」「…まだ内緒ですが」: a frame saying that what it introduces was learned at
# work and is not public (7(1)エ 職務上知り得た機密情報). The frame is not the violation; what it
# frames is, so the finding reaches the sentence it introduces (or, when the frame closes its
# sentence, the sentence before). When that sentence is an undecided plan, the undecided
# policy finding says so (7(2)キ(ウ)) and the frame adds nothing.
_FRAME = Cue(
    r"ここだけの話|オフレコ|他言無用|口外無用|口外禁止|口外しないで|内緒の話|内緒ですが|まだ内緒|"
    r"外部に漏らさない|外に出さないで"
)
_FRAME_CLAUSE = "7(1)エ"


def _frames(ctx: Context) -> Iterator[Finding]:
    text = ctx.norm.text
    undecided = ctx.data("undecided")
    for m in _FRAME.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        rest = text[m.end() : e].strip("、,。 　")
        if len(rest) >= 8 or s == 0:
            lo, hi = m.start(), e
            about = (ctx.sentence(s - 1)[0] if s else s, e)
        else:
            ps = ctx.sentence(s - 1)[0]
            lo, hi = ps, m.end()
            about = (ctx.sentence(ps - 1)[0] if ps else ps, e)
        if undecided["modality"].search(text, lo, hi) and undecided["topic"].search(text, *about):
            continue
        while hi > lo and text[hi - 1] in "。．！？!?\n 　":
            hi -= 1
        yield ctx.finding(
            ctx.norm,
            lo,
            hi,
            rule=MARKING.id,
            clause=_FRAME_CLAUSE,
            severity="review",
            message=MARKING.format(ctx.display(ctx.norm, m.start(), m.end()), _FRAME_CLAUSE),
        )


def scan(ctx: Context) -> Iterator[Finding]:
    """Undisclosed bid prices and amounts, unannounced personnel moves, framed secrets."""
    yield from _frames(ctx)
    d: Shapes = ctx.data(FAMILY.name)
    text = ctx.num.text  # same sentence bounds: the num view only rewrites digits
    public_post = d.public.search(text) is not None
    for m in d.price.finditer(text):
        if public_post:
            break
        amount = d.amount.search(text, m.end(), m.end() + 20)
        if amount is not None:
            yield _finding(ctx, m.start(), amount.end(), "7(1)コ")
    if d.bidcontext.search(text) and not public_post:
        for m in d.bid.finditer(text):
            yield _finding(ctx, m.start(), m.end(), "7(1)コ")
            break
    yield from _told(ctx, d)
    if d.move.search(text) is None:
        return
    for m in d.post.finditer(text):
        mv = d.move.search(text, m.end(), min(len(text), m.end() + 24))
        if mv is None or "\n" in text[m.end() : mv.start()]:
            continue
        line_s = text.rfind("\n", 0, m.start()) + 1
        line_e = text.find("\n", mv.end())
        line_e = len(text) if line_e < 0 else line_e
        if d.unannounced.search(text, line_s, line_e) or d.unannounced.search(text, 0, 40):
            yield _finding(ctx, m.start(), mv.end(), "7(1)エ")
            return


def _told(ctx: Context, d: Shapes) -> Iterator[Finding]:
    """Non-public information told by its shape: a 'not announced yet, but' frame and what
    it introduces, telling it ahead of the announcement, an investigation's findings, an
    examination's questions, a disciplinary case, the other side's bottom line in a land or
    price negotiation, a review's scores."""
    text = ctx.num.text
    for m in d.unshared.finditer(text):
        _, e = ctx.sentence(m.start(), m.end())
        rest = text[m.end() : e].strip("、,。 　")
        if len(rest) >= 6 and not d.announced.search(rest):
            yield _finding(
                ctx, m.start(), m.end() + len(text[m.end() : e].rstrip("。 　\n")), "7(1)コ"
            )
    for m in d.ahead.finditer(text):
        _, e = ctx.sentence(m.end())
        if e < len(text):
            e = ctx.sentence(e)[1]
        yield _finding(ctx, m.start(), len(text[:e].rstrip("。！!　 \n")), "7(1)コ")
    for rx, quiet in ((d.probe, d.probequiet), (d.exam, d.examquiet), (d.score, d.scorequiet)):
        for m in rx.finditer(text):
            s, e = ctx.sentence(m.start(), m.end())
            if not quiet.search(text, s, e):
                yield _finding(ctx, m.start(), m.end(), "7(1)コ")
    yield from _round6(ctx, d)
    for m in d.discipline.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        le = len(text) if le < 0 else le
        if not d.unannounced.search(text, ls, le):
            continue
        who = [p for p in _PERSON.finditer(text, s, e) if abs(p.start() - m.start()) <= 20]
        if who:
            a = min(m.start(), who[0].start())
            b = max(m.end(), who[-1].end())
            yield _finding(ctx, a, b, "7(1)エ")
            break
    for m in d.negotiation.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        price = d.bottomline.search(text, s, e)
        yes = d.concede.search(text, price.end(), e) if price is not None else None
        if price is not None and yes is not None:
            yield _finding(ctx, min(m.start(), price.start()), yes.end(), "7(1)エ")
            break


# 「『複製禁止・持出禁止』のハンコ」: the 『』 quotes a stamp on a document, not a title.
_STAMP_AFTER = re.compile(
    r"\s?(?:の|と)?\s?(?:ハンコ|判|印|スタンプ|表示|シール|押印|朱書き|書いて|押して|押され)"
)


def _round6(ctx: Context, d: Shapes) -> Iterator[Finding]:
    """A selection's result told before it is announced (倍率, ボーダー; 結果出てて … 発表は
    来週), an inspection the inspected must not know of, a company's filed accounts, land the
    city plans to buy."""
    text = ctx.num.text
    if d.resultcontext.search(text):
        for m in d.result.finditer(text):
            s, e = ctx.sentence(m.start(), m.end())
            if not d.resultquiet.search(text, s, e):
                yield _finding(ctx, m.start(), m.end(), "7(1)コ")
                break
    if d.earlywhen.search(text):
        for m in d.early.finditer(text):
            yield _finding(ctx, m.start(), ctx.sentence(m.start(), m.end())[1], "7(1)コ")
            break
    for rx, quiet in ((d.surprise, d.surprisequiet), (d.landplan, d.landquiet)):
        for m in rx.finditer(text):
            s, e = ctx.sentence(m.start(), m.end())
            if not quiet.search(text, s, e):
                # the sentence goes on to say whom or where (「…、対象は〇〇ほか」), or the next
                # one names whom (「〇〇さん、準備しておいた方が…」)
                if e < len(text) and _NAMED_TARGET.search(text, e, min(ctx.sentence(e)[1], e + 16)):
                    e = ctx.sentence(e)[1]
                yield _finding(ctx, m.start(), len(text[:e].rstrip("。！!　 \n")), "7(1)コ")
                break
    for m in d.accounts.finditer(text):
        yield _finding(ctx, m.start(), m.end(), "7(1)コ")
        break
    for m in d.roster.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if not d.rosterquiet.search(text, s, e):
            yield _finding(ctx, m.start(), m.end(), "7(1)サ")
            break


# A company or person named as the one an inspection is for (「北山環境さん、…」「A社さん」).
_NAMED_TARGET = re.compile(r"[一-龥ァ-ヴーA-Za-z]{2,12}(?:さん|様|社)(?:[、,]|に|へ|は)")


def adjust(ctx: Context, entry: PhraseEntry, a: int, b: int) -> tuple[str, str] | None:
    """A marking word inside a title in 『』 (a programme, a drama, a book) marks nothing."""
    text = ctx.norm.text
    open_ = text.rfind("『", max(0, a - 30), a)
    if open_ >= 0 and "』" not in text[open_:a]:
        close = text.find("』", b, b + 30)
        if (
            close >= 0
            and (a - open_ - 1) + (close - b) >= 2
            and not _STAMP_AFTER.match(text, close + 1)
        ):
            return None
    return entry.severity, entry.clause


FAMILY = Family(
    name="confidential",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(*_RULES, NON_PUBLIC, MARKED),
    phrases=_PHRASES,
    adjust=adjust,
    follow=follow,
    load=load,
    scan=scan,
)

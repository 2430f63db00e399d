"""7(1)カ — unreliable information, rumours (信頼性のない情報又は噂や風評等).

噂, 未確認, デマ, 〜との情報, hearsay らしい (auxiliary verb only: 春らしい and 素晴らしい are
not hearsay) — data: ``rumour_terms.tsv``. Tourism wording 「噂の絶景スポット」 stays quiet, and
so do the city's own warnings against rumours (「デマに注意」).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..cues import Cue
from ..data import PhraseEntry
from ..family import DataFiles, Family, PhraseFile, RuleDoc
from ..model import Finding

CLAUSE = "7(1)カ"

HEARSAY = RuleDoc(
    id="rumour.hearsay",
    clause=CLAUSE,
    severity="review",
    title="噂・未確認情報",
    what="噂・未確認・デマ・「〜との情報」・伝聞の「らしい」など、裏付けのない情報を示す表現を見つけます。"
    "「〇〇さんから聞いた」「地元の人はみんな知ってる」「うちの職場じゃ常識」「公式発表はまだだけど」"
    "「この人の投稿が全部正しい」など出所のあいまいな話（「…って〇〇が言ってた」はその話の中身まで、"
    "「ここだけの話」の前置きも含めて）や、"
    "民間療法で重い病気が治る・防げるという断定も報告します。",
    why="信頼性のない情報や噂を公式に発信すると、風評を広げることになります。",
    example="駅前の店が閉店するらしいです。",
    use_instead="事実を確認し、出典となる公式情報を示して断定できる内容だけを書いてください。",
    message="「{excerpt}」は裏付けのない情報や噂と受け取られるおそれがあります（ガイドライン{clause}）。"
    "事実を確認し、出典を示すか表現を改めてください。",
)

_RULES = (HEARSAY,)
_PHRASES = (PhraseFile("rumour/rumour_terms.tsv", HEARSAY.id, CLAUSE, (CLAUSE,)),)


@dataclass(frozen=True)
class Cues:
    """The family's data: hearsay.tsv by kind."""

    source: Cue
    evidential: Cue
    hazard: Cue
    official: Cue
    act_on: Cue
    disease: Cue
    remedy: Cue
    cured: Cue
    medical: Cue
    document: Cue
    preface: Cue


_KINDS = (
    "source",
    "evidential",
    "hazard",
    "official",
    "act_on",
    "disease",
    "remedy",
    "cured",
    "medical",
    "document",
    "preface",
)


def load(files: DataFiles) -> Cues:
    """Read hearsay.tsv."""
    c = files.cues("rumour/hearsay.tsv", _KINDS)
    return Cues(*(c[k] for k in _KINDS))


#: A post that reports a rumour in order to deny it (「…という投稿がありますが、事実ではありません」).
DEBUNK = Cue(
    r"事実ではありません|事実ではない|(報告|事実|事例|被害)は(ありません|ない|されていません|確認されていません)|"
    r"正確な情報は|」?と(不安|心配)に(思って|感じて)(いる|る|おられる)方|事実無根|誤りです|誤った情報|誤情報|間違いです|根拠のない|"
    r"根拠はありません|デマです|デマに(ご?注意|惑わされ)|惑わされ|拡散しない|拡散はお控え|拡散をお控え|"
    r"流さない|公式の情報を|正確な情報を|公式発表で|そのような(事実|予定|計画|こと)は(ありません|ない)|"
    r"確認されていません|できません(\(|（)|科学的(根拠|に)|"
    r"偽の(ページ|サイト|メール|情報|アカウント)|詐欺(です|に(ご)?注意)|といった偽|(うのみ|鵜呑み)に(せず|しない)"
)


def adjust(ctx: Context, entry: PhraseEntry, a: int, b: int) -> tuple[str, str] | None:
    """A rumour word in a post that denies the rumour is quiet."""
    if DEBUNK.search(ctx.norm.text):
        return None
    return entry.severity, entry.clause


def scan(ctx: Context) -> Iterator[Finding]:
    """An informal source, or an evidential about a hazard without an official source."""
    cues: Cues = ctx.data(FAMILY.name)
    yield from _cure_claims(ctx, cues)
    yield from _hearsay(ctx, cues)


def _cure_claims(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """A folk remedy said to cure or prevent a serious disease, in one sentence."""
    text = ctx.norm.text
    if not cues.disease.possible(text) or not cues.cured.possible(text):
        return
    if DEBUNK.search(text):
        return
    for s, e in ctx.sentences():
        cure = cues.cured.search(text, s, e)
        if cure is None or cues.medical.search(text, s, e):
            continue
        disease = cues.disease.search(text, s, cure.start())
        remedy = cues.remedy.search(text, s, cure.start())
        if disease is None or remedy is None:
            continue
        a = min(disease.start(), remedy.start())
        yield ctx.finding(
            ctx.norm,
            a,
            cure.end(),
            rule=HEARSAY.id,
            clause=CLAUSE,
            severity="review",
            message=HEARSAY.format(ctx.display(ctx.norm, a, cure.end())),
        )


#: A message quoted as an example of what is going round (「SNSで見た、…」といった偽のページ).
_EXAMPLE = re.compile(r"」(という|といった|などの|のような|みたいな)")


def _quoted_example(text: str, a: int) -> bool:
    """True when ``text[a]`` sits inside a 「…」 that is followed by という / といった."""
    opened = text.rfind("「", 0, a)
    if opened < 0 or text.find("」", opened, a) >= 0:
        return False
    close = text.find("」", a)
    return close >= 0 and _EXAMPLE.match(text, close) is not None


#: A source that says something (its claim is quoted before it with って/と).
_SAYING = re.compile(r"言って|言う|言われ|話して|書いて|いわく|曰く|教えて")


def _hearsay(ctx: Context, cues: Cues) -> Iterator[Finding]:
    """An informal source, or an evidential next to one or to a hazard."""
    text = ctx.norm.text
    # Only sentences holding a source, or within 60 characters of a hazard, can report:
    # both cues run once over the text (most posts have neither: no per-sentence scans).
    if not (
        cues.source.possible(text) or cues.hazard.possible(text) or cues.preface.possible(text)
    ):
        return
    hazards = [m.start() for m in cues.hazard.finditer(text)]
    if not hazards and cues.source.search(text) is None and cues.preface.search(text) is None:
        return
    if DEBUNK.search(text):
        return
    sentences = ctx.sentences()
    sources = [
        [m.span() for m in cues.source.finditer(text, s, e) if not _quoted_example(text, m.start())]
        for s, e in sentences
    ]
    reported: list[int] = []  # sentences with a hearsay finding
    for k, (s, e) in enumerate(sentences):
        hits = list(sources[k])
        near = any(s - 60 <= h < e + 60 for h in hazards)
        # The source often sits in the next sentence: 「…だったらしい。業者の人が言ってた。」
        beside = (k + 1 < len(sentences) and bool(sources[k + 1])) or (
            k > 0 and bool(sources[k - 1])
        )
        if (hits or near or beside) and not cues.official.search(text, s, e):
            # An evidential after a document the writer read (資料によると…) is no rumour.
            hits += [
                m.span()
                for m in cues.evidential.finditer(text, s, e)
                if not cues.document.search(text, s, m.start())
            ]
        if not hits and cues.preface.search(text, s, e):
            # 「内緒だけど、…らしいよ」: the preface and the evidential of its sentence.
            evid = [m.span() for m in cues.evidential.finditer(text, s, e)]
            if evid and not cues.official.search(text, s, e):
                hits = evid
        if not hits and reported and k - reported[-1] <= 2:
            # Passing it on or acting on it right after the hearsay: 「念のため拡散して」.
            hits = [m.span() for m in cues.act_on.finditer(text, s, e)]
        elif hits:
            hits += [m.span() for m in cues.act_on.finditer(text, s, e)]
        if hits:
            reported.append(k)
            # What the source is said to have said (「…が来るって気象庁の人が言ってた」): the claim
            # from the clause start to the quoting って/と joins the source's finding.
            for a, b in sources[k]:
                if not _SAYING.search(text, a, b):
                    continue
                if text.endswith("って", s, a) or text.endswith("と", s, a):
                    c = max(text.rfind("、", s, a - 2), text.rfind(",", s, a - 2), s - 1) + 1
                    if a - c >= 4:
                        hits.append((c, b))
            # A secret-telling preface leads the hearsay (「ここだけの話、…らしい」).
            hits += [m.span() for m in cues.preface.finditer(text, s, e)]
        for a, b in hits:
            yield ctx.finding(
                ctx.norm,
                a,
                b,
                rule=HEARSAY.id,
                clause=CLAUSE,
                severity="review",
                message=HEARSAY.format(ctx.display(ctx.norm, a, b)),
            )


FAMILY = Family(
    name="rumour",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
    load=load,
    scan=scan,
    adjust=adjust,
)

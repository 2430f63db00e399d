"""7(1)キ — obscene content (わいせつな内容).

An editable lexicon (``obscene_terms.tsv``): explicit terms block, sexual wording is
reviewed, and health-education sentences (性感染症の予防, 性教育) stay quiet. Sexual
wording said with desire or about someone's body (「おっぱい大きい」「エロいことしたい」) blocks.
A lexicon word with one character masked by a symbol (「エ□動画」) blocks: masking shows the
writer knew the word. Sexual material or a service offered, handed round or paid for in the
sentence of a kept hit or the next one (「欲しい人DMください」「お手当5万」) joins the hit's
finding and blocks; peeping where people undress or bathe is reviewed.
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

CLAUSE = "7(1)キ"

TERM = RuleDoc(
    id="obscene.term",
    clause=CLAUSE,
    severity="block",
    title="わいせつな語",
    what="露骨な性的表現（block）と性的な表現（review）を辞書で見つけます。一文字を記号で伏せた語"
    "（ソ〇プ）と、業種の語を使わずに性的なサービスをする店を説明する文（女性が〜してくれる店）も"
    "見つけます。性的な語の文（またはその次の文）で動画の配布・相手の募集・金銭の提示（欲しい人DMください、"
    "お手当〜万）、回し読み、相手探しやおすすめの場所の紹介をしていれば、その部分まで含めて block します。"
    "人の下着の中や色までのぞく・確認する文、性器を遠回しに言う語（男性のアソコ）も報告します。",
    why="わいせつな内容は掲載できません。",
    example="（露骨な性的表現を含む文）",
    use_instead="削除してください。保健・性教育の案内なら医学的な用語で書いてください。",
    message="「{excerpt}」は性的・わいせつな表現です。ガイドライン{clause}によりわいせつな内容は"
    "掲載できません。削除するか表現を改めてください。",
)

_RULES = (TERM,)
_PHRASES = (PhraseFile("obscene/obscene_terms.tsv", TERM.id, CLAUSE, (CLAUSE,)),)

# Sexual wording aimed at someone or said with desire turns from review into block.
_DESIRE = re.compile(
    r"したい|やりたい|ヤりたい|ヤリたい|揉み|揉ん|揉ま|触り|触っ|触ら|見たい|見せて|抱き|抱か|興奮|ムラムラ|"
    r"大きい|でかい|デカい|でけえ|エロい|えろい|そそる|たまらん|たまらない|抜け|抜い|オカズ|おかず|"
    r"見て寝|見まくり|漁っ|あさっ|ヤれ|やれる|誘っ|してえ|させろ|ばかり見|ばっかり見|じろじろ|ジロジロ|"
    r"見てた|見とれ|ガン見|拝みたい"
)


def adjust(ctx: Context, entry: PhraseEntry, a: int, b: int) -> tuple[str, str] | None:
    """Sexual wording said with desire or about someone's body blocks."""
    if entry.severity == "review" and _DESIRE.search(ctx.sentence_text(a, b)):
        return "block", entry.clause
    return entry.severity, entry.clause


# Masking one character of a word (「おっ〇い」「エ□動画」「S●X」) shows the writer knows it:
# a masked form of any lexicon term blocks. The masks are symbols no word is spelt with.
_MASKS = "●○〇◯□■◇◆×＊*⚫⚪△▲☆★"
_MASK_RE = re.compile(f"[{re.escape(_MASKS)}]")
# Words only ever matched masked: the English word, and ソープ (soap, unless it is masked).
MASKED_EXTRA = ("SEX", "sex", "Sex", "ソープ")


@dataclass(frozen=True)
class Masked:
    """Every lexicon term with one inner character replaced by ``●``, and the term lengths;
    the service construction (``services.tsv``)."""

    forms: dict[str, str]
    lengths: tuple[int, ...]
    service: Cue
    service_exempt: Cue
    body: Cue
    leer: Cue
    boast: Cue
    peep: Cue
    offer: Cue
    relish: Cue
    genital: Cue


def load(files: DataFiles) -> Masked:
    """Masked forms of the lexicon's terms (terms of three or more characters)."""
    forms: dict[str, str] = {}
    terms = [e.term for pf in _PHRASES for e in files.phrases(pf)] + list(MASKED_EXTRA)
    for term in terms:
        if len(term) < 3 or _MASK_RE.search(term):
            continue
        for i in range(len(term)):
            if not term[i].isspace():
                forms.setdefault(term[:i] + "●" + term[i + 1 :], term)
    cues = files.cues(
        "obscene/services.tsv",
        ("service", "exempt", "body", "leer", "boast", "peep", "offer", "relish", "genital"),
    )
    return Masked(
        forms,
        tuple(sorted({len(k) for k in forms})),
        cues["service"],
        cues["exempt"],
        cues["body"],
        cues["leer"],
        cues["boast"],
        cues["peep"],
        cues["offer"],
        cues["relish"],
        cues["genital"],
    )


def scan(ctx: Context) -> Iterator[Finding]:
    """Lexicon terms with one character masked; sexual services described."""
    yield from _services(ctx)
    text = ctx.norm.text
    if _MASK_RE.search(text) is None:
        return
    d: Masked = ctx.data(FAMILY.name)
    masked = _MASK_RE.sub("●", text)
    seen: set[tuple[int, int]] = set()
    for m in _MASK_RE.finditer(text):
        i = m.start()
        if i > 0 and text[i - 1] == text[i]:
            continue  # 「●●」 is a redaction or a bullet, not one hidden letter
        for n in d.lengths:
            for a in range(max(0, i - n + 1), min(i, len(text) - n) + 1):
                if (a, a + n) in seen or masked[a : a + n] not in d.forms:
                    continue
                seen.add((a, a + n))
                yield ctx.finding(
                    ctx.norm,
                    a,
                    a + n,
                    rule=TERM.id,
                    clause=CLAUSE,
                    severity="block",
                    message=TERM.format(ctx.display(ctx.norm, a, a + n)),
                )


def _services(ctx: Context) -> Iterator[Finding]:
    """A sexual service described without its trade word: a woman, an intimate act done for
    the customer, and a shop (「女の子が一緒にお風呂に入ってくれる店」「お姉さんがかなり
    サービスしてくれるお店」); a leering remark about someone's body (a body part or underwear
    and the writer's desire in one sentence); a sexual act boasted of. Prevention and police
    posts stay quiet."""
    d: Masked = ctx.data(FAMILY.name)
    text = ctx.norm.text
    hits = [(m.start(), m.end()) for m in d.service.finditer(text)]
    hits += [(m.start(), m.end()) for m in d.boast.finditer(text)]
    hits += [(m.start(), m.end()) for m in d.peep.finditer(text)]
    hits += [(m.start(), m.end()) for m in d.genital.finditer(text)]
    # a leering remark: someone's body or underwear and the writer's desire, in one sentence;
    # the writer's relish said in the next sentence joins it
    for m in d.body.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        leer = d.leer.search(text, s, e)
        if leer is not None:
            end = max(m.end(), leer.end())
            if e < len(text):
                relish = d.relish.search(text, e, ctx.sentence(e)[1])
                if relish is not None:
                    end = relish.end()
            hits.append((min(m.start(), leer.start()), end))
    for a, b in hits:
        if d.service_exempt.search(ctx.sentence_text(a, b)):
            continue
        yield ctx.finding(
            ctx.norm,
            a,
            b,
            rule=TERM.id,
            clause=CLAUSE,
            severity="review",
            message=TERM.format(ctx.display(ctx.norm, a, b)),
        )


def follow(ctx: Context, hits: Sequence[Finding]) -> Iterator[Finding]:
    """Sexual material or a service offered, handed round or paid for (「欲しい人DMください」
    「お手当5万」「ホテル代は出します」「リンク貼っとく」) in the sentence of a kept lexicon hit
    or in the one after it: the offer joins the hit's finding."""
    d: Masked = ctx.data(FAMILY.name)
    text = ctx.norm.text
    starts: list[int] | None = None
    done = -1
    for f in hits:
        if f.rule != TERM.id or f.severity not in ("block", "review"):
            continue
        if starts is None:
            starts = ctx.norm.starts
        a = bisect.bisect_left(starts, f.start)
        b = bisect.bisect_left(starts, f.end)
        if a <= done or b > len(text):
            continue
        _, e = ctx.sentence(a, max(a + 1, b))
        if e < len(text):
            e = ctx.sentence(e)[1]
        offer = d.offer.search(text, b, e)
        if offer is None or d.service_exempt.search(text, a, e):
            continue
        done = offer.end()
        yield ctx.finding(
            ctx.norm,
            a,
            offer.end(),
            rule=TERM.id,
            clause=CLAUSE,
            severity="block",
            message=TERM.format(ctx.display(ctx.norm, a, offer.end())),
        )


FAMILY = Family(
    name="obscene",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
    adjust=adjust,
    load=load,
    scan=scan,
    follow=follow,
)

"""7(1)ウ — encouraging illegal or rule-breaking acts without a keyword (違法行為を助長する内容).

People rarely write 違法 when they encourage a breach: they name an act and reassure
(「路肩に停めても取り締まりはない」「書かなくてもバレません」). The family reads that
construction: a *strong* reassurance (バレない, 捕まらない, 誰もチェックしてない, 取り締まりはない …)
is reviewed on its own and blocks next to an act; a *weak* one (大丈夫, 平気, OK, 問題ない)
counts only in its conditional form (〜ても, 〜ちゃえば, 〜とけば) after an act, in a sentence
that also names what makes it a breach (禁止, 夜中, 河川敷, 定価より, 申告 …). Prevention
posts (「バレないと思っても犯罪です」) stay quiet. Data: ``cues.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..cues import Cue
from ..family import DataFiles, Family, RuleDoc
from ..model import Finding, Severity

CLAUSE = "7(1)ウ"

ENCOURAGEMENT = RuleDoc(
    id="illegal.encouragement",
    clause=CLAUSE,
    severity="block",
    title="違法行為・ルール違反を勧める表現",
    what="行為と「バレない」「捕まらない」「取り締まりはない」「〜ても大丈夫」などの安心させる言い回しの"
    "組み合わせを文単位で見つけます（語彙ではなく構文で判定）。防止・啓発の文は対象外です。",
    why="違法行為やルール違反を「問題ない」と勧める内容は、違法行為の助長に当たります。",
    example="河川敷の奥に置いておけば誰も気づかないので大丈夫です。",
    use_instead="ルールと正しい手続き（申請先・窓口）を案内してください。",
    message="「{excerpt}」は、違法行為やルール違反を勧めている（助長している）と受け取られます"
    "（ガイドライン{clause}）。削除し、正しいルールや手続きを案内してください。",
)

_PREVENTION = Cue(
    r"犯罪です|違反です|違法です|罰せられます|処罰|罰金が科|やめましょう|やめてください|しないでください|"
    r"絶対にしない|許されません|ダメです|だめです|いけません|思っていませんか|と思って(い)?ても|"
    r"という考え|甘い考え|防止|啓発|呼びかけ|注意喚起|ご注意|通報してください|通報を|相談してください|"
    r"取り締まりを強化|取締りを強化|検挙|摘発|逮捕|パトロールを(実施|強化|行)|"
    r"という(油断|考え|気持ち|思い込み|甘え|指摘|ご指摘|声|ご意見|苦情)|油断|」?(は|なんて)(通用し(ません|ない)|通りません|間違い|大間違い|誤り)"
)


_PURPOSE = re.compile(r"よう(?:に|な)")


@dataclass(frozen=True)
class Cues:
    """The family's data: the cue patterns of cues.tsv by kind."""

    strong: Cue
    weak: Cue
    form: Cue
    act: Cue
    context: Cue
    breach: Cue
    licence: Cue
    lawful: Cue
    trick: Cue
    success: Cue
    herd: Cue


_KINDS = (
    "strong",
    "weak",
    "form",
    "act",
    "context",
    "breach",
    "licence",
    "lawful",
    "trick",
    "success",
    "herd",
)


def load(files: DataFiles) -> Cues:
    """Read cues.tsv."""
    c = files.cues("encouragement/cues.tsv", _KINDS)
    return Cues(*(c[k] for k in _KINDS))


def scan(ctx: Context) -> Iterator[Finding]:
    """Act + reassurance, sentence by sentence."""
    cues: Cues = ctx.data(FAMILY.name)
    text = ctx.norm.text
    if not (
        cues.strong.search(text)
        or cues.weak.search(text)
        or cues.trick.search(text)
        or cues.herd.search(text)
    ):
        return
    sentences = ctx.sentences()
    for k, (s, e) in enumerate(sentences):
        # A reassurance often closes the thought in the next short sentence.
        prev_s = sentences[k - 1][0] if k else s
        next_e = sentences[k + 1][1] if k + 1 < len(sentences) else e
        if _PREVENTION.search(text, s, e):
            continue
        hits: list[tuple[int, int, Severity]] = []
        strong = list(cues.strong.finditer(text, s, e))
        # 「みんなやってる」 reassures only about a breach the sentences around it name
        strong += [
            m
            for m in cues.herd.finditer(text, s, e)
            if cues.context.search(text, prev_s, next_e) or cues.act.search(text, s, m.start())
        ]
        for m in strong:
            act = cues.act.search(text, prev_s, m.start())
            end = m.end()
            if act is None and _PURPOSE.match(text, m.end()):
                # 「パパにバレないように作りました」: a purpose (so that someone does not find
                # out), not a reassurance, unless an act follows it (「バレないように捨てる」)
                act = cues.act.search(text, m.end(), min(e, m.end() + 24))
                if act is None:
                    continue
                end = act.end()
                act = m
            # The act may close the sentence before: 「…置いとけばいいよ。誰も見てないし。」
            start = act.start() if act else m.start()
            hits.append((start, end, "block" if act else "review"))
        for m in cues.weak.finditer(text, s, e):
            act = cues.act.search(text, max(s, m.start() - 40), m.start())
            if act is None or not cues.form.search(text, act.end(), m.start() + 1):
                continue
            if not cues.context.search(
                text, max(prev_s, m.start() - 80), min(next_e, m.end() + 60)
            ):
                continue
            hits.append((act.start(), m.end(), "block"))
        if not hits:
            # An act that is the breach itself, then a reassurance (no context needed).
            for m in cues.weak.finditer(text, s, e):
                breach = cues.breach.search(text, max(s, m.start() - 60), m.start())
                if (
                    breach is not None
                    and cues.licence.search(text, breach.end(), m.start())
                    and not cues.lawful.search(text, breach.start(), m.start())
                ):
                    hits.append((breach.start(), m.end(), "block"))
                    break
        # A deception said to get something: 「…を加工すれば買えます」「抜け道は…あります」.
        trick = cues.trick.search(text, prev_s, e)
        if trick is not None:
            won = cues.success.search(text, max(s, trick.end()), e)
            if won is not None:
                hits.append((trick.start(), won.end(), "block"))
        for a, b, severity in hits:
            yield ctx.finding(
                ctx.norm,
                a,
                b,
                rule=ENCOURAGEMENT.id,
                clause=CLAUSE,
                severity=severity,
                message=ENCOURAGEMENT.format(ctx.display(ctx.norm, a, b)),
            )


FAMILY = Family(
    name="encouragement",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(ENCOURAGEMENT,),
    load=load,
    scan=scan,
)

"""7(1)ア / 7(1)ウ — illegal content and promoting illegal acts.

An editable lexicon (``illegal_terms.tsv``) of drugs, piracy, illegal gambling, fraud
roles and threats. A term is reviewed under 7(1)ア; next to a selling or recruiting cue
(売ります, 入手方法, 稼げる …) it blocks under 7(1)ウ; in a prevention sentence
(防止, ダメ, 犯罪です …) it stays quiet, because cities post those warnings often.
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

CLAUSE = "7(1)ア"
PROMOTION_CLAUSE = "7(1)ウ"

TERM = RuleDoc(
    id="illegal.content",
    clause=CLAUSE,
    severity="review",
    title="違法な内容・違法行為の助長",
    what="薬物・海賊版・違法賭博・詐欺の役割・脅迫などの語を辞書で見つけます。売買や勧誘の語が同じ文に"
    "あれば違法行為の助長（7(1)ウ）として block、防止・啓発の文では報告しません。",
    why="法令に反する内容や違法行為を助長する内容は掲載できません。",
    example="大麻、売ります。DMください。",
    use_instead="防止・啓発の目的なら、その旨（「〜は犯罪です」「相談窓口」）を明記してください。",
    message="「{excerpt}」は違法な内容または違法行為の助長と受け取られるおそれがあります"
    "（ガイドライン{clause}）。削除するか、防止・啓発の趣旨が明確になるよう書き改めてください。",
)

_RULES = (TERM,)
_PHRASES = (PhraseFile("illegal/illegal_terms.tsv", TERM.id, CLAUSE, (CLAUSE, PROMOTION_CLAUSE)),)

_PREVENTION = Cue(
    r"防止|撲滅|根絶|禁止|違法です|犯罪です|ダメ|だめ|絶対に|やめましょう|しないで|ご?注意|相談|"
    r"被害|啓発|取締|取り締ま|逮捕|検挙|許さない|ストップ|守りましょう|乱用|誘い|危険|気をつけ|"
    r"手を出さない|断る|断りましょう"
)
# The city denying that it would do what fraudsters claim (「市が電話でATMの操作をお願いすることは
# ありません」), or a consultation trend (「相談が相次いでいます」): a warning post.
_DENIAL = re.compile(r"ことは(?:ありません|ない|一切)|相次いで|多発して|増えて(?:い|お)")
_PROMOTION = Cue(
    r"売ります|譲ります|買います|買い取|販売(中|します)|入手(方法|でき)|手に入(る|ります)|購入でき|"
    r"やり方|稼げ|高収入|即日|日払い|簡単に|バレない|捕まらない|DMください|DMで|連絡ください|"
    r"募集中|おすすめ|お勧め|オススメ|試してみ|やってみ|売買|(?:買|売|作|入手す)る方法|"
    r"売って(?:い|る|ま)|売ってる|譲って|分けて|買え(?:る|ます)|手に入れ|欲しい方|ほしい方|"
    r"興味(?:が|の)?ある(?:方|人)|紹介します|紹介して|教えます|見られる|観られる|見放題|"
    r"無料で(?:見|観|読|ダウンロード)|稼ぎ|儲か|もうか|楽して|割のいい|ホワイト案件|"
    r"(?:LINE|ライン|テレグラム|シグナル)で|こっそり"
)


def adjust(ctx: Context, entry: PhraseEntry, a: int, b: int) -> tuple[str, str] | None:
    """Promotion → block under 7(1)ウ; prevention → quiet; otherwise the entry's own."""
    sentence = ctx.sentence_text(a, b)
    # An offer often follows in the next sentence: 「大麻を持っています。欲しい方はDMで」.
    _, end = ctx.sentence(a, b)
    following = ctx.sentence_text(end, end + 1) if end < len(ctx.norm.text) else ""
    if _PROMOTION.search(sentence) or _PROMOTION.search(following):
        return "block", PROMOTION_CLAUSE
    if entry.severity != "block" and _PREVENTION.search(sentence):
        return None
    # A hashtag (「#特殊詐欺」) labels the whole post: a warning anywhere in it is the frame
    # (「相談が相次いでいます。市が…ことはありません。#特殊詐欺」).
    text = ctx.norm.text
    hashtag = a > 0 and text[a - 1] == "#"
    if entry.severity != "block" and hashtag and (_PREVENTION.search(text) or _DENIAL.search(text)):
        return None
    return entry.severity, entry.clause


DEFAMATION = RuleDoc(
    id="illegal.defamation",
    clause=CLAUSE,
    severity="block",
    title="特定の人・事業者への中傷・脅迫・晒し",
    what="特定できる人・事業者（氏名＋敬称・役職、「店名」、@アカウント等）への侮辱や犯罪の断定"
    "（詐欺師、悪徳業者、最低の人間 …）、脅迫（殴ってやる）、晒しや攻撃の呼びかけ"
    "（特定しました、みんなで抗議を）を見つけます。「あなたのような方」「あのクレーマー」と指した人への"
    "侮辱（老害、恥を知れ）や危害の予告（待ち伏せしてやろう）、災害や事故の被害者をあざける・責める文"
    "（自業自得、天罰、〜ほうが悪い）も報告します。",
    why="名誉毀損・侮辱・脅迫は法令に反し、公序良俗にも反します。",
    example="あの業者は高齢者をだます悪徳業者です。",
    use_instead="事実と公式の対応（相談窓口、注意喚起）だけを書き、個人や事業者を名指しで非難しないでください。",
    message="「{excerpt}」は特定の人や事業者への中傷・脅迫・晒しと受け取られます（ガイドライン{clause}）。"
    "削除してください。",
)


MISCONDUCT = RuleDoc(
    id="illegal.misconduct",
    clause=CLAUSE,
    severity="block",
    title="賭博・虚偽の報告・公金の私的流用・投票の秘密の侵害",
    what="禁止語がなくても形で分かる違法行為の告知や告白を見つけます：掛け金や配当のある賭け、"
    "実際と違う数字での申告・報告（低く申告して、水増しして請求）、飲み会などの私的な支出を"
    "会議費・公費で落とすこと、投票箱をのぞく・誰の票が多いかを明かすこと。防止・注意喚起の文は対象外です。",
    why="賭博、虚偽の報告、公金の私的流用、投票の秘密の侵害は法令に反します。",
    example="課の忘年会の飲み代は会議費で落としておきます。",
    use_instead="掲載せず、事実であれば上司や監査の窓口に相談してください。",
    message="「{excerpt}」は法令に反する行為（賭博・虚偽の報告・公金の私的流用・投票の秘密の侵害など）"
    "と受け取られます（ガイドライン{clause}）。削除してください。",
)


@dataclass(frozen=True)
class Defamation:
    """The family's data: defamation.tsv and misconduct.tsv by kind."""

    target: Cue
    insult: Cue
    incite: Cue
    misconduct: Cue
    individual: Cue
    recruit: Cue
    victim: Cue
    mock: Cue


def load(files: DataFiles) -> Defamation:
    """Read defamation.tsv and misconduct.tsv."""
    c = files.cues(
        "illegal/defamation.tsv", ("target", "insult", "incite", "individual", "victim", "mock")
    )
    m = files.cues("illegal/misconduct.tsv", ("misconduct", "recruit"))
    return Defamation(
        c["target"],
        c["insult"],
        c["incite"],
        m["misconduct"],
        c["individual"],
        m["recruit"],
        c["victim"],
        c["mock"],
    )


# A sentence that warns against the act or reports it being dealt with.
_LAWFUL = Cue(
    r"禁止|違法|犯罪|罰せられ|罰則|処罰|懲戒|処分(し|され|を)|やめましょう|しないで|してはいけ|"
    r"いけません|なりません|許されません|ご?注意|防止|相談|通報|調査|告発|返還|監査|発覚|指摘|"
    r"ことはありません|できません"
)


def _misconduct(ctx: Context, d: Defamation) -> Iterator[Finding]:
    text = ctx.norm.text
    for m in d.misconduct.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if _LAWFUL.search(text, s, e):
            continue
        a, b = m.start(), m.end()
        yield ctx.finding(
            ctx.norm,
            a,
            b,
            rule=MISCONDUCT.id,
            clause=CLAUSE,
            severity="block",
            message=MISCONDUCT.format(ctx.display(ctx.norm, a, b)),
        )
        # Others called to join it (「…しよう」「参加したい人は…まで」): also promoting it.
        nxt_e = ctx.sentence(e)[1] if e < len(text) else e
        if d.recruit.search(text, b, e) or d.recruit.search(text, e, nxt_e):
            yield ctx.finding(
                ctx.norm,
                a,
                b,
                rule=MISCONDUCT.id,
                clause=PROMOTION_CLAUSE,
                severity="block",
                message=MISCONDUCT.format(ctx.display(ctx.norm, a, b), PROMOTION_CLAUSE),
            )


_HANDLE = re.compile(r"@[A-Za-z0-9_]{3,}")
# A warning about a kind of fraud names no one: 「高齢者をだます悪質な業者にご注意」.
_WARNING = re.compile(
    r"ご?注意(ください|を)|気をつけ|相談(して|を|窓口)|被害に遭わない|消費生活センター"
)


def scan(ctx: Context) -> Iterator[Finding]:
    """Insults and incitement aimed at someone identifiable; misconduct by construction."""
    d: Defamation = ctx.data(FAMILY.name)
    yield from _misconduct(ctx, d)
    yield from _victims_mocked(ctx, d)
    text = ctx.norm.text
    # Only sentences holding an incitement or an insult can report: find those once.
    starts = [m.start() for m in d.incite.finditer(text)]
    starts += [m.start() for m in d.insult.finditer(text)]
    if not starts:
        return
    keep = {ctx.sentence(a) for a in starts}
    for s, e in ctx.sentences():
        if (s, e) not in keep:
            continue
        for m in d.incite.finditer(text, s, e):
            yield _defamation(ctx, m.start(), m.end())
            handle = _HANDLE.search(text, m.end(), min(len(text), m.end() + 12))
            if handle is not None:  # a private person's account, exposed: also 7(1)エ
                yield ctx.finding(
                    ctx.norm,
                    m.start(),
                    handle.end(),
                    rule=DEFAMATION.id,
                    clause="7(1)エ",
                    severity="block",
                    message=DEFAMATION.format(
                        ctx.display(ctx.norm, m.start(), handle.end()), "7(1)エ"
                    ),
                )
        ins = d.insult.search(text, s, e)
        if ins is None:
            continue
        prev = ctx.sentence(max(0, s - 1)) if s else (s, s)
        tgt = d.target.search(text, prev[0], ins.start())
        if tgt is None:
            continue
        # A warning names no one, unless the writer introduced the person (「〜って男」).
        warning = _WARNING.search(text, s, e) and not d.incite.search(text, s, e)
        if warning and not d.individual.search(text, prev[0], ins.start()):
            continue
        a = tgt.start() if tgt.start() >= s else s
        # The sentence may go on insulting (「客を騙す詐欺みたいな店」): up to its last insult.
        end = ins.end()
        for more in d.insult.finditer(text, end, e):
            end = more.end()
        yield _defamation(ctx, a, end)


# Speaking against such talk: 「自業自得と言うのはやめましょう」「心ない書き込み」.
_PLEA = re.compile(
    r"やめ(ましょう|てください|て下さい)|しないで|ないでください|心ない|心無い|誹謗中傷|"
    r"と(言う|いう|言わ|決めつけ)[^。\n]{0,6}(のは|ことは|べきでは|ない)|ではありません"
)


def _victims_mocked(ctx: Context, d: Defamation) -> Iterator[Finding]:
    """Victims of a disaster or an accident mocked or blamed (自業自得, 天罰, 〜ほうが悪い), the
    victims named in the sentence or the one before."""
    text = ctx.norm.text
    if not d.mock.possible(text):
        return
    for m in d.mock.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        prev = ctx.sentence(s - 1)[0] if s else s
        if d.victim.search(text, prev, e) is None or _PLEA.search(text, s, e):
            continue
        yield _defamation(ctx, m.start(), m.end())


def _defamation(ctx: Context, a: int, b: int) -> Finding:
    return ctx.finding(
        ctx.norm,
        a,
        b,
        rule=DEFAMATION.id,
        clause=CLAUSE,
        severity="block",
        message=DEFAMATION.format(ctx.display(ctx.norm, a, b)),
    )


FAMILY = Family(
    name="illegal",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(*_RULES, DEFAMATION, MISCONDUCT),
    phrases=_PHRASES,
    adjust=adjust,
    load=load,
    scan=scan,
)

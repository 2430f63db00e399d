"""7(1)イ — discrimination by race, belief, occupation, origin (差別又は差別を助長する内容).

An editable lexicon (``discrimination_terms.tsv``) matched on whole morphemes, after
with kana-script and look-alike variants; a surname (土方さん) never matches.
A sentence that talks *about* discriminatory wording (差別用語, 人権啓発) is not flagged.
Exclusion phrases aimed at a group (「障害者はいらない」) are found with the group list
``target_groups.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from ..context import Context
from ..cues import Cue
from ..data import PhraseEntry
from ..family import DataFiles, Family, PhraseFile, RuleDoc
from ..masking import masked_forms, masked_hits
from ..matcher import TermMatcher
from ..model import Finding
from ..normalize import normalize_plain, variants

CLAUSE = "7(1)イ"

TERM = RuleDoc(
    id="discrimination.term",
    clause=CLAUSE,
    severity="block",
    title="差別的な語",
    what="人種・民族・出自・障害・職業・性別などに関する蔑称や差別的表現を辞書で見つけます。",
    why="差別や差別を助長する内容は掲載できません。",
    example="（蔑称を含む文）",
    use_instead="中立的な呼称（外国人・外国籍の方、障がいのある方 等）を使ってください。",
    message="「{excerpt}」は差別的な語・表現です。ガイドライン{clause}により差別を助長する内容は"
    "掲載できません。中立的な表現に改めてください。",
)

_PHRASES = (PhraseFile("discrimination/discrimination_terms.tsv", TERM.id, CLAUSE, (CLAUSE,)),)

_EXCLUSION = (
    r"(?:の方)?(?:(?:は|なんか|なんて|など|が)[^。、．！!？?\n]{0,12}?)?(?:この(?:国|街|町|市)から)?(?:全員)?"
    r"(?:いらない|要らない|出て(?:い|行)け|消えろ|死ね|帰れ|追い出せ|排除しろ|来るな|入れるな"
    r"|来ないで|入らないで|お断り|お断わり|お断りします|ご遠慮ください|出入り禁止|立入禁止"
    r"|(?:の|は)?(?:入場|入店|来店|利用|参加|入居|宿泊|入室|乗車|採用)(?:は|を)?"
    r"(?:お断り|お断わり|禁止|不可|できません|認めません|ご遠慮))"
)


def scan(ctx: Context) -> Iterator[Finding]:
    """Exclusion phrases aimed at a group (target_groups.txt): 「障害者はいらない」."""
    yield from _generalisations(ctx)
    text = ctx.norm.text
    data = cast(DiscriminationData, ctx.data(FAMILY.name))
    # A slur with one letter masked (「ガ〇ジ」): the writer knows the word, so it blocks.
    for a, b in masked_hits(text, data.masked, data.masked_lengths):
        if _ABOUT_WORDING.search(ctx.sentence_text(a, b)):
            continue
        # The masked word is the group: what is said of it belongs to the finding
        # (「ナ〇ポの人たちって働く気ないから、窓口では冷たくしとけばいい」).
        e = ctx.sentence(a, b)[1]
        tail = [m.end() for c in (data.exclusion, data.trait) for m in c.finditer(text, b, e)]
        b = max([b, *tail])
        yield ctx.finding(
            ctx.norm,
            a,
            b,
            rule=TERM.id,
            clause=CLAUSE,
            severity="block",
            message=TERM.format(ctx.display(ctx.norm, a, b)),
        )
    groups = data.targets
    if not groups.search(text):
        return
    for a, b, _ in groups.finditer(text):
        m = _EXCLUSION_RE.match(text, b)
        if m is None:
            continue
        yield ctx.finding(
            ctx.norm,
            a,
            m.end(),
            rule=TERM.id,
            clause=CLAUSE,
            severity="block",
            message=TERM.format(ctx.display(ctx.norm, a, m.end())),
        )


_EXCLUSION_RE = re.compile(_EXCLUSION)
_ABOUT_WORDING = Cue(
    r"差別用語|差別的な(表現|言葉|語)|不適切な(表現|言葉)|人権(啓発|教育|講演|講座|研修|週間|擁護|尊重|問題|相談)"
    r"|部落差別|同和(問題|教育|対策)|差別(を|の)?(なくす|なくし|解消|撤廃|根絶|防止|禁止|のない)"
    r"|差別解消|差別撤廃|ヘイトスピーチ(の|を)?(解消|防止|禁止|許さない)"
)
# A term that is only sometimes a slur (review in the lexicon) blocks when the sentence
# also shows contempt or exclusion: 「外人はマナーが悪い」「部落だからやめた方がいい」.
_HOSTILE = re.compile(
    r"お断り|お断わり|来ないで|来るな|入るな|出て(い|行)け|帰れ|消えろ|死ね|いらない|要らない|"
    r"迷惑|困る|困ります|困って|嫌い|きらい|気持ち(悪|わる)|キモ|きも(い|すぎ)|汚い|臭い|くさい|"
    r"怖い|こわい|危ない|やめた方が|やめたほうが|避け|近づかない|関わらない|関わるな|"
    r"マナーが悪|うるさい|劣っ|劣る|だから|のくせに|ばかり|ばっかり|増えすぎ|多すぎ|追い出|排除|"
    r"犯罪者|クズ|くず|バカ|馬鹿|アホ|最悪|うざ|ウザ"
)


def adjust(ctx: Context, entry: PhraseEntry, a: int, b: int) -> tuple[str, str] | None:
    """Quiet where the wording itself is discussed; block a review term said with contempt."""
    sentence = ctx.sentence_text(a, b)
    if _ABOUT_WORDING.search(sentence):
        return None
    if entry.severity == "review" and _HOSTILE.search(sentence):
        return "block", entry.clause
    return entry.severity, entry.clause


@dataclass(frozen=True)
class DiscriminationData:
    """The family's data: the target-group matcher and the generalisation cues."""

    targets: TermMatcher
    group: Cue
    general: Cue
    trait: Cue
    exclusion: Cue
    preference: Cue
    blame: Cue
    anaphor: Cue
    agree: Cue
    rebuttal: Cue
    favour: Cue
    masked: dict[str, str]
    masked_lengths: tuple[int, ...]


_KINDS = (
    "group",
    "general",
    "trait",
    "exclusion",
    "preference",
    "blame",
    "anaphor",
    "agree",
    "rebuttal",
    "favour",
)


def load(files: DataFiles) -> DiscriminationData:
    """target_groups.txt (with spelling variants), generalisation.tsv, masked lexicon forms."""
    groups = files.entries("discrimination/target_groups.txt")
    cues = files.cues("discrimination/generalisation.tsv", _KINDS)
    masked = masked_forms(e.term for pf in _PHRASES for e in files.phrases(pf))
    return DiscriminationData(
        targets=TermMatcher(v for g in groups for v in variants(normalize_plain(g))),
        group=cues["group"],
        general=cues["general"],
        trait=cues["trait"],
        exclusion=cues["exclusion"],
        preference=cues["preference"],
        blame=cues["blame"],
        anaphor=cues["anaphor"],
        agree=cues["agree"],
        rebuttal=cues["rebuttal"],
        favour=cues["favour"],
        masked=masked,
        masked_lengths=tuple(sorted({len(k) for k in masked})),
    )


GENERALISATION = RuleDoc(
    id="discrimination.generalisation",
    clause=CLAUSE,
    severity="block",
    title="属性による決めつけ・排除",
    what="国籍・出身・宗教・性別・雇用形態・生活保護・住まい・障害・年齢・職業などの集団を表す語に、"
    "「だいたい〜」「〜ばかり」「〜は無理」などの決めつけや、「お断り」「ご遠慮ください」"
    "「貸したくない」などの排除が同じ文で続く構文を見つけます（蔑称がなくても）。「健常者の方を優先」"
    "「日本人のお客様に限り」のような多数派の優先・限定や、集団を名指した文に続けて集団を繰り返さずに"
    "決めつける文（どうせすぐ辞める）も報告します。",
    why="属性で人をひとまとめにして決めつけたり排除したりする内容は、差別を助長します。",
    example="〇〇の人はだいたいマナーが悪いので、入居はお断りしています。",
    use_instead="個人の行為を具体的に書き、属性で一括りにしないでください。条件は行為や資格で示してください。",
    message="「{excerpt}」は、属性で人を一括りにした決めつけや排除と受け取られます"
    "（ガイドライン{clause}：差別又は差別を助長する内容）。表現を改めてください。",
)

# Support, protection and respect around a group name are the opposite of exclusion.
_SUPPORTIVE = Cue(
    r"支援(?!なんて|なんか|は(必要|いら|要ら)な|学級|学校)|配慮|応援|歓迎|大歓迎|優先|無料|相談(窓口|に応じ|を受け|ください|できます)|ご相談|サポート|どなたでも|誰でも(?!でき)|問わず|関係なく|"
    r"差別|偏見|決めつけ|ステレオタイプ|思い込み|多様性|共生|人権|理解を深め|"
    r"無理(を|な|せず|しない|なさらず|のない|なく)|無理をせ|ご無理|誤解|誤り|ではありません|"
    r"と思っていませんか|とは限りません|に関係なく"
)


# The group is what the sentence is about: 「〇〇(の入居者)は…」「〇〇って…」「〇〇の仕業」.
_TOPIC = re.compile(
    r"(?:[一-龥ァ-ヴーぁ-ん]{0,6}?の)?(?:人|方|家庭|子|世帯|入居者|住民|利用者|応募者|職員|社員|学生)?"
    r"(?:たち|達|さん)?(?:は|って|なんて|なんか|に|の|が|だと|なら)"
)
_CLEFT = re.compile(r"のは[、,]?")
# Someone arguing against favouring the majority (「日本人を優先すべきだという声には反対です」).
_OPPOSED = re.compile(
    r"差別|偏見|反対|許されない|許されません|いけません|べきではない|ではありません"
)


def _generalisations(ctx: Context) -> Iterator[Finding]:
    data: DiscriminationData = ctx.data(FAMILY.name)
    text = ctx.norm.text
    # The predicate cues are cheaper to search than the group list: test them first.
    if not (data.trait.search(text) or data.exclusion.search(text)):
        if not (
            data.preference.search(text) or data.blame.search(text) or data.favour.search(text)
        ):
            return
    elif not (
        data.group.search(text)
        or data.preference.search(text)
        or _PLACE_PEOPLE.search(text)
        or data.favour.search(text)
    ):
        return
    rebutted = data.rebuttal.search(text) is not None
    sentences = ctx.sentences()
    found: set[int] = set()  # indices of sentences with a finding
    for k, (s, e) in enumerate(sentences):
        if _ABOUT_WORDING.search(text, s, e):
            continue
        # The majority put first (「健常者の方を優先」): 優先 is not a supportive word there.
        fav = data.favour.search(text, s, e)
        if fav is not None and not rebutted and not _OPPOSED.search(text, s, e):
            found.add(k)
            yield _general_finding(ctx, fav.start(), fav.end())
            continue
        if _SUPPORTIVE.search(text, s, e):
            continue
        for span in _anaphor_or_blame(ctx, data, sentences, k):
            found.add(k)
            yield _general_finding(ctx, *span)
        if k in found:
            continue
        pref = data.preference.search(text, s, e)
        if pref is not None:
            found.add(k)
            yield _general_finding(ctx, pref.start(), pref.end())
        for g in _groups_in(ctx, data, s, e):
            if pref is not None and g.start() >= pref.start():
                break  # the group of the preference itself
            if rebutted and _quoted(text, s, g.start()):
                continue  # 「〇〇は…」というご意見 answered with facts
            tail_end = min(e, g.end() + 45)
            ex = data.exclusion.search(text, g.end(), tail_end)
            tr = data.trait.search(text, g.end(), tail_end)
            start = g.start()
            if ex is not None:
                end = ex.end()
            elif tr is not None and (
                data.general.search(text, max(s, g.start() - 12), min(e, tr.end() + 12))
                or _TOPIC.match(text, g.end())
            ):
                end = tr.end()
            else:
                # Cleft: 「マナーが悪いのは、だいたい〇〇です」 — the trait comes first.
                before = data.trait.search(text, s, g.start())
                if before is not None and _CLEFT.search(text, before.end(), g.start()):
                    start, end = before.start(), g.end()
                else:
                    # The exclusion opens the next sentence, which names no group of its own:
                    # 「〇〇が…使うのは抵抗ある。別の場所に作って分ければいい」.
                    nxt = _next_exclusion(ctx, data, sentences, k)
                    if nxt is None:
                        continue
                    found.add(k + 1)
                    yield _general_finding(ctx, *nxt)
                    break
            found.add(k)
            yield _general_finding(ctx, start, end)
            break
    # What to do about the group, said in the next sentence: 「…はあの国のグループ。出禁にすれば」;
    # or more said of it with no group named: 「…は無理。責任感ないし、どうせすぐ辞めるし」.
    for k in sorted(found):
        if k + 1 not in found:
            nxt = _next_exclusion(ctx, data, sentences, k) or _next_trait(ctx, data, sentences, k)
            if nxt is not None:
                yield _general_finding(ctx, *nxt)
    # The writer siding with the remark, in its sentence or the next: 「私もそう思いました」.
    for k in sorted(found):
        for j in (k, k + 1):
            if j < len(sentences) and (j == k or j not in found):
                agree = data.agree.search(text, *sentences[j])
                if agree is not None:
                    yield _general_finding(ctx, agree.start(), agree.end())
                    break


class _Span:
    """A group's position, shaped like a match (``start()``, ``end()``)."""

    __slots__ = ("_a", "_b")

    def __init__(self, a: int, b: int) -> None:
        self._a, self._b = a, b

    def start(self) -> int:
        return self._a

    def end(self) -> int:
        return self._b


#: 「<place>の人(たち)は」: the people of a place named by a place-name token (沖縄の人は).
_PLACE_PEOPLE = re.compile(r"の(人|人たち|人達|連中|やつら|出身者)(は|って|なんて|なんか)")


def _groups_in(
    ctx: Context, data: DiscriminationData, s: int, e: int
) -> list[re.Match[str] | _Span]:
    """The group cues of ``text[s:e]``, and the people of a place read from the tokens."""
    text = ctx.norm.text
    out: list[re.Match[str] | _Span] = list(data.group.finditer(text, s, e))
    for m in _PLACE_PEOPLE.finditer(text, s, e):
        before = [t for t in ctx.tokens_in(max(s, m.start() - 8), m.start()) if t.end <= m.start()]
        if before and before[-1].end == m.start() and before[-1].pos3 == "地名":
            out.append(_Span(before[-1].start, m.end(1)))
    return sorted(out, key=lambda g: g.start())


def _next_without_group(
    ctx: Context, data: DiscriminationData, sentences: list[tuple[int, int]], k: int
) -> tuple[int, int] | None:
    """Sentence ``k + 1`` when there is one and it names no group and is not supportive."""
    if k + 1 >= len(sentences):
        return None
    s, e = sentences[k + 1]
    text = ctx.norm.text
    if data.group.search(text, s, e) or _SUPPORTIVE.search(text, s, e):
        return None
    return s, e


def _next_exclusion(
    ctx: Context, data: DiscriminationData, sentences: list[tuple[int, int]], k: int
) -> tuple[int, int] | None:
    """An exclusion at the head of sentence ``k + 1`` when that sentence names no group."""
    found = _next_without_group(ctx, data, sentences, k)
    if found is None:
        return None
    s, e = found
    ex = data.exclusion.search(ctx.norm.text, s, min(e, s + 30))
    return None if ex is None else (s, ex.end())


def _next_trait(
    ctx: Context, data: DiscriminationData, sentences: list[tuple[int, int]], k: int
) -> tuple[int, int] | None:
    """Sentence ``k + 1`` going on about the group of sentence ``k`` without naming one: a
    trait with a generalising word (どうせ, みんな), from its start to its last trait."""
    found = _next_without_group(ctx, data, sentences, k)
    if found is None:
        return None
    s, e = found
    text = ctx.norm.text
    traits = list(data.trait.finditer(text, s, e))
    if not traits or not data.general.search(text, s, e):
        return None
    return s, traits[-1].end()


def _general_finding(ctx: Context, a: int, b: int) -> Finding:
    return ctx.finding(
        ctx.norm,
        a,
        b,
        rule=GENERALISATION.id,
        clause=CLAUSE,
        severity="block",
        message=GENERALISATION.format(ctx.display(ctx.norm, a, b)),
    )


def _quoted(text: str, s: int, i: int) -> bool:
    """True when ``text[i]`` is inside a 「…」 opened in its sentence or just before it."""
    opened = text.rfind("「", max(0, s - 40), i)
    return opened >= 0 and text.find("」", opened, i) < 0


def _anaphor_or_blame(
    ctx: Context, data: DiscriminationData, sentences: list[tuple[int, int]], k: int
) -> Iterator[tuple[int, int]]:
    """A group pointed back to (「ああいう人たち」「あそこは」, the group named in this sentence or
    the one before) with an exclusion or a trait; a crime pinned on a group (「犯人は…外国人」)."""
    text = ctx.norm.text
    s, e = sentences[k]
    prev_s = sentences[k - 1][0] if k else s
    for m in data.anaphor.finditer(text, s, e):
        if data.group.search(text, prev_s, m.start()) is None:
            continue
        tail = min(e, m.end() + 45)
        pred = data.exclusion.search(text, m.end(), tail) or data.trait.search(text, m.end(), tail)
        if pred is not None:
            yield m.start(), pred.end()
            return
    for m in data.blame.finditer(text, s, e):
        g = data.group.search(text, m.end(), min(e, m.end() + 30))
        if g is not None:
            yield m.start(), g.end()
            return


FAMILY = Family(
    name="discrimination",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(TERM, GENERALISATION),
    phrases=_PHRASES,
    load=load,
    scan=scan,
    adjust=adjust,
)

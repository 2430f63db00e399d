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

from ..context import Context
from ..data import PhraseEntry
from ..family import DataFiles, Family, PhraseFile, RuleDoc
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
    text = ctx.norm.text
    groups: TermMatcher = ctx.data(FAMILY.name)
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
_ABOUT_WORDING = re.compile(
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


def load(files: DataFiles) -> TermMatcher:
    """The groups exclusion phrases target (target_groups.txt), with spelling variants."""
    groups = files.entries("discrimination/target_groups.txt")
    return TermMatcher(v for g in groups for v in variants(normalize_plain(g)))


FAMILY = Family(
    name="discrimination",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(TERM,),
    phrases=_PHRASES,
    load=load,
    scan=scan,
    adjust=adjust,
)

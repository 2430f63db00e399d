"""People identified by more than a name (7(1)エ): a child with school, grade or age, a
person's illness, a bank account with its holder, a name given as 「お名前は〜」.

Also: the named holder of a phone number or My Number reported beside it, a home given by its
room number (「…203号室の80代女性」), a suspect given by home and occupation (also 7(1)コ).

These are constructions over the sentence: a person (UniDic 人名 tokens, or a kana name
in quotes, with or without an honorific) next to what makes them identifiable.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from ..context import Context
from ..cues import Cue
from ..model import Finding, Severity
from ..tokens import Token
from .rule_docs import CLAUSE, NAMED_PERSON

# A given name the tagger did not tag as one may sit between surname and honorific (山崎蒼くん).
# So may a given name in kana (田中ひなさん).
_HONORIFIC_AFTER = re.compile(r"(?:[一-龥]{0,2}?|[ぁ-ゖ]{2,3})(?:くん|君|ちゃん|さん|様|さま|氏)")
# A bare name marked as a person by what follows (「小西って男」「佐藤という女」).
_PERSON_MARKER_AFTER = re.compile(
    r"(?:って|という|っていう)(?:男|女|人|奴|やつ|ヤツ|子|おっさん|おばさん|ばあさん|じいさん|爺さん|婆さん|じじい|ばばあ)"
)
_HONORIFIC_OR_MARKER = re.compile(rf"{_HONORIFIC_AFTER.pattern}|{_PERSON_MARKER_AFTER.pattern}")
# School and grade, or age: 「〇〇小2年の」「中学3年」「（11歳）」「4さい」
_SCHOOL = re.compile(
    r"(?:小学校|中学校|高等学校|高校|保育園|幼稚園|こども園)\s?(?:[0-9]{1,2}\s?年(?!生まれ)|の)"
    r"|(?<=[一-龥ぁ-んァ-ヴー])(?:小|中|高)\s?[0-9]{1,2}\s?年(?!生まれ)"
    r"|(?:小学|中学|高校)\s?[0-9]{1,2}\s?年(?!生まれ)"
    # a class: 「1年2組の」「同5年2組 」
    r"|(?<![0-9])[0-9]{1,2}\s?年\s?[0-9]{1,2}\s?組"
)
_AGE = re.compile(
    r"(?<![0-9])(?:[0-9]{1,3}\s?(?:歳|才|さい|か月|ヶ月|カ月)|[0-9]{1,2}\s?年生(?!まれ))"
    # the newspaper style 「松本和夫さん（81）」: a bare age in brackets after an honorific
    r"|(?<=[ん君様氏])\s?[（(][0-9]{1,3}(?:歳|才)?(?:[・、,][^（）()\n]{1,12})?[)）]"
)
# What a named person's home, income or health data makes identifiable: 「田村博さん（東町5丁目
# 3番9号）」「吉田さんの年収が…」「近藤さんの血糖値が…」.
_PRIVATE_DETAIL = re.compile(
    r"[0-9]+丁目|[0-9]+番地|[0-9]+番[0-9]+号|年収|所得|収入|給料|貯金|借金|滞納|負債|"
    r"血糖値|血圧|検査結果|検査値|体重|病歴|通院|前科|逮捕歴|犯罪歴|服役|刑務所"
)
# Where someone lives, just before the name or in brackets after it: 「北野町三丁目の佐伯さん」
# 「団地4号棟の吉岡さん」「清水さん（白樺町在住の70代）」. A name with its home is personal
# information whatever the sentence is about.
_RESIDENCE_BEFORE = re.compile(
    r"(?:[0-9一二三四五六七八九十]+\s?丁目|[0-9]+\s?番地?|[0-9]+\s?号棟|"
    r"[一-龥ァ-ヴー]{1,6}(?:丁目|団地|地区|在住|にお住まい))(?:の|に住む)\s?$"
)
_RESIDENCE_AFTER = re.compile(
    r"\s?[（(][^（）()\n]{0,12}?(?:在住|丁目|にお住まい)[^（）()\n]{0,12}[)）]"
)
# A one-word place before 「の」 and a full name: 「中川原の今井房江さん」 (the tagger often reads
# the place as a surname).
_PLACE_NO = re.compile(r"(?<![一-龥ァ-ヴー])[一-龥]{2,4}の$")
# A home word with a name's honorific a few characters on, or a bracket with the home.
_RESIDENCE_NEAR = Cue(
    r"(?:丁目|団地|号棟|地区|在住|番地|にお住まい)[^。\n]{0,14}?(?:さん|様|さま|氏|くん|ちゃん)"
    # 「南町の吉岡って爺さん」: a place and a bare surname marked as a person
    r"|(?:町|村|地区|団地)の[一-龥]{1,4}(?:って|という|っていう)(?:男|女|人|爺さん|婆さん|じいさん|ばあさん|おっさん|おばさん|じじい|ばばあ)"
    r"|(?:さん|様|さま|氏|くん|ちゃん)\s?[（(][^（）()\n]{0,12}?(?:在住|丁目|にお住まい)"
)
# What else the sentence, or the one after, says about the named person's life: their
# household, health, home (「3人のお子さんを抱えて」「一人暮らしで」「ご自宅の前を通ると」).
_LIFE = re.compile(
    r"一人暮らし|独り暮らし|ひとり暮らし|[0-9]人のお子さん|お子さんを抱え|シングルマザー|"
    r"母子家庭|父子家庭|ひとり親|夜勤|離婚|介護が必要|要介護|ご自宅|お宅|自宅の"
)
_HOME_NEXT = re.compile(r"ご自宅|お宅|自宅の")
# The household's troubles told in the next sentence (「ご主人の借金のことで…」).
_TROUBLE_NEXT = re.compile(r"借金|滞納|負債|離婚|DV|暴力|生活保護|失業|介護")
_REACH = 30  # characters either side of the name within which the sentence's detail is joined
_QUOTED_KANA_NAME = re.compile(r"「([ぁ-んァ-ヴー]{2,8}[\s　]?[ぁ-んァ-ヴー]{1,8})」")
_NAME_GIVEN = re.compile(r"(?:お名前|名前|氏名|児童名|本名)(?:は|:|：)\s?")
_ILLNESS = re.compile(
    r"糖尿|痛風|高血圧|心臓病|脳梗塞|肝炎|性病|適応障害|パニック障害|双極性障害|心療内科|精神科|"
    r"がん|癌|うつ病|鬱病|精神疾患|認知症|統合失調症|HIV|エイズ|妊娠|流産|不妊|入院|"
    r"手術|持病|難病|発達障害|障害者手帳|要精密検査|精密検査|再検査|診断され|病気療養|療養中|休職|"
    r"血糖値|血圧が|病院に運ばれ|救急搬送|"
    # round 8a: treatment and emergencies (「救急で運ばれてきた」「点滴2本」「透析」)
    r"救急で運ばれ|救急車で運ばれ|搬送され|点滴|透析|通院中|治療中|リハビリ中"
)
# Money a named person has, owes or earns, up to its amount or state (「所得は約850万円」
# 「固定資産税が未納のまま」「借入は県の制度資金1,200万円」).
_MONEY = re.compile(
    r"(?:年収|所得|収入|給料|月給|貯金|預金|借入|借り入れ|借金|負債|ローン|滞納|未納)"
    r"(?:額|金)?(?:[^。\n]{0,16}?(?:[0-9][0-9,.]*\s?(?:億|万|千)?\s?円|[0-9][0-9,.]*\s?(?:億|万)|のまま|して(?:い)?る))?"
)
# A named household (「田島さん宅」「佐藤様のお宅」「山本さん方」) and what happened there: a fire
# and its cause, a burglary, a death, a dispute. The house is personal information with it.
_NAMED_HOUSE = Cue(r"(?:さん|様|さま|氏)(?:の)?(?:宅|お宅|家(?![族具電計賃事])|方(?=[のでがは、]))")
_INCIDENT = re.compile(
    r"出火|火元|火災|火事|原因|空き巣|泥棒|被害|孤独死|亡くな|救急|騒音|苦情|トラブル|ゴミ屋敷|ごみ屋敷|"
    r"差し押さえ|差押え|夜逃げ|通報"
)
_POST = re.compile(
    r"[一-龥]{1,4}(?:係長|課長補佐|課長|部長|次長|主査|主任|主事|室長|所長|局長|館長|校長|教頭|先生)"
)
_ACCOUNT = re.compile(
    r"(?:普通|当座|貯蓄|口座番号)[\s:：]{0,3}(?:預金)?[\s:：]{0,2}[0-9]{6,8}(?![0-9])"
)
_HOLDER = re.compile(r"名義|口座名|様|さん")
_PUBLIC_ACCOUNT = re.compile(r"会計管理者|松本市|市役所|寄附|寄付|募金|義援金|納付先|振込先は市")


# The same patterns gated on rare characters for the whole-post test (see rules.cues).
_AGE_CUE, _SCHOOL_CUE, _ILLNESS_CUE, _NAME_GIVEN_CUE, _PRIVATE_DETAIL_CUE = (
    Cue(rx.pattern) for rx in (_AGE, _SCHOOL, _ILLNESS, _NAME_GIVEN, _PRIVATE_DETAIL)
)


# A child's given name in kana, which the tagger does not know as a name, identified by an
# age in brackets or by the class it is in: 「あおいちゃん(4)」「3年1組のゆうとくん」「ひまわり組の
# はるとくん」. In a photo caption this is also the child's portrait (7(1)ク).
_KANA = "ぁ-んァ-ヴー"
_KANA_CHILD = re.compile(
    rf"(?:(?:[0-9]{{1,2}}年[0-9]{{1,2}}組|[{_KANA}一-龥]{{1,6}}組|保育園|幼稚園|こども園|小学校|学童)の\s?)?"
    rf"(?<![{_KANA}])(?P<name>[{_KANA}]{{2,5}})(?:くん|ちゃん|クン|チャン)"
    r"(?P<age>\s?[（(]\s?(?:[0-9]{1,2}\s?年\s?[0-9]{1,2}\s?組|[0-9]{1,2}\s?年生?|"
    r"[0-9]{1,2}\s?(?:歳|才|さい)?)\s?[)）])?"
)
_NOT_NAME = frozenset({"助詞", "助動詞", "動詞", "形容詞", "補助記号", "空白"})
_KIN = ("ばあ", "じい", "にい", "ねえ", "かあ", "とう", "ばぁ", "じぃ", "あか", "ぼう", "嬢")
# A child's kana name in brackets after what the child is: 「2年生の男の子（ゆうまくん）」.
_KANA_CHILD_BRACKET = re.compile(
    rf"(?:男の子|女の子|児童|生徒|お子さん|長男|長女|次男|次女)\s?[（(]\s?"
    rf"(?P<name>[{_KANA}]{{2,5}})(?:くん|ちゃん)\s?[)）]"
)
# Where a named person's portrait or whereabouts goes out: a photo caption, a list of who is
# in a shelter (安否情報). Then the person's consent is at stake too (7(1)ク).
_PHOTO = re.compile(
    r"写真|画像|動画|映像|撮影|撮っ|📷|📸|安否|避難されている|避難している|避難者|避難所"
)
# A child's honorific: a named child with age, grade or school is the child's rights as well
# as personal information (7(1)ク), whether or not the post says a photo goes with it.
_CHILD_HONORIFIC = re.compile(r"くん|君|ちゃん")


def _kana_children(ctx: Context) -> Iterator[Finding]:
    text = ctx.norm.text
    if not any(h in text for h in ("くん", "ちゃん", "クン", "チャン")):
        return
    portrait = True  # a named child is also the child's portrait and rights (7(1)ク)
    for m in _KANA_CHILD_BRACKET.finditer(text):
        yield from _person(ctx, m.start(), m.end(), portrait)
    for m in _KANA_CHILD.finditer(text):
        if m.group("age") is None and m.start("name") == m.start():
            continue  # a name alone (「みんなのあおいちゃん」) is not enough
        # The kana run may begin with the particle or verb ending before the name
        # (「活躍したさくらちゃん」「組のあおいちゃん」): start at the first token that is not one.
        a, name_end = m.start("name"), m.end("name")
        glued = (
            a > 0 and not text[a - 1].isspace() and text[a - 1] not in "、。，．,.!！?？)）」』】"
        )
        for tok in ctx.tokens_in(a, name_end) if glued else ():
            if tok.start >= a and tok.pos1 in _NOT_NAME and tok.end < name_end:
                a = tok.end
            elif tok.start >= a:
                break
        name = text[a:name_end].strip()
        if len(name) < 2 or name.endswith(_KIN):
            continue  # 「おばあちゃん（85）」 is a relation, not a name
        start = m.start() if m.start() < m.start("name") else a
        yield from _person(ctx, start, m.end(), portrait)


# A public office right before the name (「市長 山田太郎」「議長の佐藤一郎」).
_OFFICE_BEFORE = re.compile(
    # (a former office, 「元市議の」「前町長の」, is a private person's past, not the office)
    r"(?<![元前])(?:市長|副市長|町長|村長|知事|教育長|議長|副議長|市議会議員|市議|県議|議員|大臣|署長|消防長)"
    r"(?:の|\s)?\s?$"
)
# The post says the person (or the family) agreed to be named: the city's own celebration or
# introduction of a citizen (「ご本人とご家族の了承を得て掲載しています」).
CONSENT = re.compile(
    r"(?:ご本人|本人|ご家族|保護者)[^。\n]{0,10}?(?:了承|同意|許可|承諾|了解)を(?:得て|いただ|頂)"
)
# An honorific right after it makes a place-name token a surname (「同級生の山口くん」).
_HONORIFIC_ONLY = re.compile(r"くん|君|ちゃん|さん|様|さま|氏")


def _is_name(tokens: list[Token], i: int, text: str) -> bool:
    tok = tokens[i]
    if tok.is_person_name:
        return True
    # (after a relative clause too: 「お電話をいただいた宗像様」「今日来た…吉岡って爺さん」)
    return (
        tok.pos2 == "固有名詞"
        and tok.pos3 == "地名"
        and (
            _HONORIFIC_ONLY.match(text, tok.end) is not None
            or _PERSON_MARKER_AFTER.match(text, tok.end) is not None
        )
        and (
            i == 0
            or tokens[i - 1].surface in ("の", "、", "は", "が", "と")
            or tokens[i - 1].pos1 == "助動詞"
        )
    )


def _name_runs(tokens: list[Token], text: str = "") -> list[tuple[int, int, int, int]]:
    """(first index, end index, start, end) of each run of 人名 tokens (and of a place-name
    token an honorific makes a surname)."""
    out, i = [], 0
    while i < len(tokens):
        if _is_name(tokens, i, text):
            j = i + 1
            while j < len(tokens) and tokens[j].is_person_name:
                j += 1
            out.append((i, j, tokens[i].start, tokens[j - 1].end))
            i = j
        else:
            i += 1
    return out


def _person(ctx: Context, a: int, b: int, portrait: bool) -> Iterator[Finding]:
    """A person identified by age, school or home: 7(1)エ, and 7(1)ク in a caption or list."""
    yield _finding(ctx, a, b)
    if portrait:
        yield _finding(ctx, a, b, clause="7(1)ク")


def _residence_start(ctx: Context, s: int, a: int, tokens: list[Token], i: int) -> int:
    """Where the home named before the person at ``norm[a]`` starts (``a`` if none)."""
    text = ctx.norm.text
    m = _RESIDENCE_BEFORE.search(text, max(s, a - 16), a)
    if m is not None:
        return m.start()
    if (
        i >= 2
        and tokens[i - 1].surface == "の"
        and tokens[i - 2].pos2 == "固有名詞"
        and tokens[i - 2].end == tokens[i - 1].start
        and _PLACE_NO.search(text, max(s, a - 5), a)
    ):
        return tokens[i - 2].start
    return a


def _widen(
    ctx: Context, lo: int, hi: int, sentence: tuple[int, int], after: tuple[int, int] | None
) -> tuple[int, int]:
    """Reach what the sentence (or the next one) says about the person's life or health."""
    text = ctx.norm.text
    s, e = sentence
    a, b = lo, hi
    for rx in (_LIFE, _ILLNESS, _TROUBLE_NEXT, _MONEY):
        for m in rx.finditer(text, max(s, a - _REACH), min(e, b + _REACH)):
            lo, hi = min(lo, m.start()), max(hi, m.end())
    if after is not None and not _HONORIFIC_AFTER.search(text, *after):
        end = min(after[1], after[0] + _REACH)
        nxt = (
            _HOME_NEXT.search(text, after[0], end)
            or _ILLNESS.search(text, after[0], end)
            or _TROUBLE_NEXT.search(text, after[0], end)
            or _MONEY.search(text, after[0], end)
            or _INCIDENT.search(text, after[0], end)
        )
        if nxt is not None:
            hi = max(hi, nxt.end())
    return lo, hi


def _finding(
    ctx: Context, a: int, b: int, severity: Severity = "block", clause: str = CLAUSE
) -> Finding:
    return ctx.finding(
        ctx.norm,
        a,
        b,
        rule=NAMED_PERSON.id,
        clause=clause,
        severity=severity,
        message=NAMED_PERSON.format(ctx.display(ctx.norm, a, b)),
    )


# Someone the writer dealt with at work — a notification filed or accepted, a visit to a
# counter, an application, a report to the child guidance centre, a test result, a book
# borrowed, a person sheltering from violence — and what the case says about them.
_CASE = Cue(
    r"(?:転出|転入|転居|婚姻|離婚|出生|死亡)(?:届|届け)(?:を出した|を出しに来|を受理|が出(?:た|され))|"
    r"受理しました|受付させていただいた|窓口(?:に|で)[^。\n]{0,30}?(?:来た|来られた|来て|見えた)|"
    r"(?:申告|相談|申請|手続き|支払い|納付)に来(?:た|られた|て)|応募して(?:きた|来た)|"
    r"(?:通告|通報)があった|借りた本|貸出(?:記録|履歴)|(?:検査|PCR)で陽性|陽性(?:に|と)なった|"
    r"陽性だった|DVで避難|避難して(?:る|いる)方|生活保護を受けて(?:る|いる)|滞納して(?:る|いる)"
)
# What the case tells about the person beyond the case itself.
_CASE_DETAIL = re.compile(
    r"転居先|引っ越し先|引越し先|転出先|転入先|引っ越し|所得|収入|年収|借金|懲戒解雇|解雇|"
    r"前の勤め先|前科|タイトル|保育園|幼稚園|小学校|中学校|高校|年長|[0-9]年の|若い|男の|女の|"
    r"近所|住所|生まれ|カップル|ご一家|ご家族|病名|[0-9]+歳|[0-9]+代"
)
# A notice or an explanation names the same cases for anyone (「転出届を出した方は…」).
_CASE_QUIET = re.compile(
    r"ください|できます|必要です|場合|方は|方へ|皆さん|皆様|お問い合わせ|手続きは|"
    r"受け付けて(?:い|お)ます|ご案内|お知らせ|について|しましょう|ましょう"
)
_CASE_PERSON = re.compile(r"人|方|子|さん|様|先生|氏|職員|ご一家|カップル|夫婦")
_PLACEHOLDER_NAME = re.compile(r"(?:〇〇|○○|◯◯|××)(?:さん|様|先生|氏)")


def _cases(ctx: Context) -> Iterator[Finding]:
    """A person in a case the writer handled at work, named or placed by what the case says."""
    text = ctx.norm.text
    for m in _CASE.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if _CASE_QUIET.search(text, s, e):
            continue
        named = _PLACEHOLDER_NAME.search(text, s, e) is not None or any(
            t.is_person_name and _HONORIFIC_AFTER.match(text, t.end) for t in ctx.tokens_in(s, e)
        )
        detail = _CASE_DETAIL.search(text, s, e)
        if not (named or (detail and _CASE_PERSON.search(text, s, e))):
            continue
        hi = e
        while hi > m.start() and text[hi - 1] in "。．！？!?\n 　…":
            hi -= 1
        yield _finding(ctx, min(m.start(), detail.start() if detail else m.start()), hi)
        return


def scan(ctx: Context) -> Iterator[Finding]:
    """Children with school/grade/age, illnesses, bank accounts, 「お名前は」, people in a case."""
    yield from _kana_children(ctx)
    yield from _cases(ctx)
    text = ctx.norm.text
    num = ctx.num.text
    for m in _ACCOUNT.finditer(num):
        around = num[max(0, m.start() - 40) : m.end() + 30]
        if _HOLDER.search(around) and not _PUBLIC_ACCOUNT.search(around):
            yield ctx.finding(
                ctx.num,
                m.start(),
                m.end(),
                rule=NAMED_PERSON.id,
                clause=CLAUSE,
                severity="block",
                message=NAMED_PERSON.format(ctx.display(ctx.num, m.start(), m.end())),
            )
    has_age = _AGE_CUE.search(num) or _SCHOOL_CUE.search(num)
    has_illness = _ILLNESS_CUE.search(text)
    has_given = _NAME_GIVEN_CUE.search(text)
    has_detail = _PRIVATE_DETAIL_CUE.search(num)
    has_residence = _RESIDENCE_NEAR.search(text) or _NAMED_HOUSE.search(text)
    if not (has_age or has_illness or has_given or has_detail or has_residence):
        return
    portrait = _PHOTO.search(text) is not None
    sentences = ctx.sentences()
    for k, (s, e) in enumerate(sentences):
        after = sentences[k + 1] if k + 1 < len(sentences) else None
        sent_num = num[s:e] if len(num) == len(text) else None
        if sent_num is None:  # the num view changed lengths: fall back to the norm view
            sent_num = text[s:e]
        # (a pattern the whole post does not match cannot match one of its sentences)
        age_here = has_age and (_AGE.search(sent_num) or _SCHOOL.search(sent_num))
        ill_here = _ILLNESS.search(text, s, e) if has_illness else None
        given_here = _NAME_GIVEN.search(text, s, e) if has_given else None
        detail_here = has_detail and _PRIVATE_DETAIL.search(sent_num)
        res_here = has_residence and (
            _RESIDENCE_NEAR.search(text, s, e)
            or (_NAMED_HOUSE.search(text, s, e) and _INCIDENT.search(text, s, e))
        )
        if not (age_here or ill_here or given_here or detail_here or res_here):
            continue
        quoted = _QUOTED_KANA_NAME.search(text, s, e)
        if quoted and (age_here or given_here):
            yield _finding(ctx, quoted.start(), quoted.end())
            continue
        if ill_here:
            post = _POST.search(text, max(s, ill_here.start() - 30), ill_here.start())
            if post is not None:
                yield _finding(ctx, post.start(), ill_here.end())
                continue
        tokens = [t for t in ctx.tokens_in(s, e) if s <= t.start and t.end <= e]
        done_to = s  # a list of people (「…ちゃん（5歳）、…さん（68歳）」): each one is reported
        for i, j, a, b in _name_runs(tokens, text):
            if a < done_to or _OFFICE_BEFORE.search(text, max(s, a - 6), a):
                continue  # 「市長 山田太郎は」: someone in a public office, named in it
            hon = _HONORIFIC_OR_MARKER.match(text, b)
            end = hon.end() if hon else b
            full = j - i >= 2 and {t.pos4 for t in tokens[i:j]} >= {"姓", "名"}
            if not (hon or full):
                continue
            if given_here and given_here.end() <= a and a - given_here.end() <= 2:
                yield _finding(ctx, given_here.start(), end)
                break
            home = _residence_start(ctx, s, a, tokens, i) if hon else a
            home_after = _RESIDENCE_AFTER.match(text, end) if hon else None
            if age_here:
                w0 = max(s, a - 20)
                near = [
                    m
                    for rx in (_AGE, _SCHOOL)
                    for m in rx.finditer(sent_num, w0 - s, min(e, end + 16) - s)
                ]
                if near:
                    # The span reaches the school or age too: 「〇〇小学校3年の田中ゆいちゃん（9歳）」.
                    lo = min([home] + [s + m.start() for m in near])
                    hi = max([end] + [s + m.end() for m in near])
                    if home_after is not None:
                        hi = max(hi, home_after.end())
                    child = bool(hon and _CHILD_HONORIFIC.search(hon.group())) or any(
                        m.re is _SCHOOL for m in near
                    )
                    lo, hi = _widen(ctx, lo, hi, (s, e), after)
                    yield from _person(ctx, lo, hi, portrait or bool(child))
                    done_to = hi
                    continue
            if home < a or home_after is not None:
                hi = home_after.end() if home_after is not None else end
                yield from _person(ctx, *_widen(ctx, home, hi, (s, e), after), portrait)
                break
            if hon and detail_here:
                detail = _PRIVATE_DETAIL.search(sent_num, end - s, min(e, end + 16) - s)
                if detail is not None:
                    yield _finding(ctx, a, s + detail.end())
                    break
            if ill_here and hon and ill_here.start() - end <= 30 and ill_here.start() >= end:
                yield _finding(ctx, a, ill_here.end())
                break
            if ill_here and hon and ill_here.end() <= a and a - ill_here.end() <= 20:
                # the emergency told first: 「救急で運ばれてきたのは〇〇さん」
                yield _finding(ctx, *_widen(ctx, ill_here.start(), end, (s, e), after))
                break
            house = _NAMED_HOUSE.match(text, b) if hon else None
            if house is not None and _INCIDENT.search(text, s, e):
                # 「出火元は〇〇町の田島さん宅」: the household where it happened
                hi = house.end()
                yield _finding(ctx, *_widen(ctx, home, hi, (s, e), after))
                break


# A person named right beside their own phone or My Number (「中村美咲さん（090-…）」「0263-…、
# 長男の小池忠まで」「…1290（宮本様）」): the name is reported with the number.
_CONTACT_REACH = 16
_CONTACT_RULES = frozenset({"pii.mobile-phone", "pii.landline-phone", "pii.my-number"})


def beside_contact(ctx: Context, found: Sequence[Finding]) -> Iterator[Finding]:
    """The named holder of a phone number or My Number reported in the same sentence."""
    hits = [f for f in found if f.rule in _CONTACT_RULES and f.severity in ("block", "review")]
    if not hits:
        return
    text = ctx.norm.text
    starts = ctx.norm.starts
    done: set[tuple[int, int]] = set()
    for f in hits:
        a = bisect.bisect_left(starts, f.start)
        b = bisect.bisect_left(starts, f.end)
        s, e = ctx.sentence(a, max(a + 1, b))
        lo, hi = max(s, a - _CONTACT_REACH), min(e, b + _CONTACT_REACH)
        tokens = [t for t in ctx.tokens_in(lo, hi) if lo <= t.start and t.end <= hi]
        for i, j, na, nb in _name_runs(tokens, text):
            hon = _HONORIFIC_AFTER.match(text, nb)
            full = j - i >= 2 and {t.pos4 for t in tokens[i:j]} >= {"姓", "名"}
            if not (hon or full) or (na, nb) in done:
                continue
            done.add((na, nb))
            yield _finding(ctx, na, hon.end() if hon else nb, severity=f.severity)


# A full address given for someone named in the same sentence or the one before it (「お電話を
# いただいた宗像様、…。ご住所:〇〇町4丁目11番地7」): the name goes out with the address.
def beside_address(ctx: Context, found: Sequence[Finding]) -> Iterator[Finding]:
    """The named person whose home address is reported in this sentence or the one before."""
    hits = [f for f in found if f.rule == "pii.address" and f.severity == "block"]
    if not hits:
        return
    text = ctx.norm.text
    starts = ctx.norm.starts
    done: set[int] = set()
    for f in hits:
        a = bisect.bisect_left(starts, f.start)
        s, _e = ctx.sentence(a)
        lo = ctx.sentence(s - 1)[0] if s else s
        if not _HONORIFIC_ONLY.search(text, lo, a):
            continue
        tokens = [t for t in ctx.tokens_in(lo, a) if lo <= t.start and t.end <= a]
        for _i, _j, na, nb in _name_runs(tokens, text):
            hon = _HONORIFIC_AFTER.match(text, nb)
            if hon is None or na in done or _OFFICE_BEFORE.search(text, max(lo, na - 6), na):
                continue
            done.add(na)
            yield _finding(ctx, na, hon.end())


# A home given by its room (「〇〇ハイツ203号室の80代女性」): the person is identified.
_ROOM_PERSON = Cue(
    r"[0-9]{2,4}\s?号室の[^。\n、]{0,8}?(?:[0-9]{1,3}\s?(?:代|歳|才)|男性|女性|男の子|女の子|住人|"
    r"入居者|方|お年寄り|高齢者|おばあ|おじい|ご夫婦|ご家族|世帯)"
)
_ROOM_QUIET = re.compile(r"庁舎|本庁|会議|窓口|受付|相談室|教室|研修室|集会所|センター")
# A suspect placed by home and occupation or age (「容疑者は〇〇町の自営業の人」): personal
# information, and what an investigation has not made public (7(1)コ).
_SUSPECT = Cue(
    r"(?:容疑者|被疑者|犯人|加害者)(?:は|が|って)[^。\n]{0,20}?(?:町|地区|丁目|在住|市内|近所)[^。\n]{0,10}?"
    r"(?:自営業|会社員|無職|公務員|職員|アルバイト|学生|[0-9]{1,3}\s?(?:代|歳)|男|女|人)"
)
_SUSPECT_QUIET = re.compile(r"逮捕されました|発表|報道|警察によると|ご注意|お気をつけ")


def identified_by_home(ctx: Context) -> Iterator[Finding]:
    """A person given by their room number, a suspect given by home and occupation."""
    text = ctx.norm.text
    for m in _ROOM_PERSON.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if _ROOM_QUIET.search(text, s, e):
            continue
        a = m.start()
        while a > s and text[a - 1] not in "、。，,（(「『 \n":
            a -= 1
        yield _finding(ctx, a, m.end())
    for m in _SUSPECT.finditer(text):
        s, e = ctx.sentence(m.start(), m.end())
        if _SUSPECT_QUIET.search(text, s, e):
            continue
        yield _finding(ctx, m.start(), m.end())
        yield _finding(ctx, m.start(), m.end(), clause="7(1)コ")

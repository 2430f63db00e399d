"""7(1)エ — personal information learned at work (職務上知り得た…個人情報).

Phone numbers of people, My Number, e-mail addresses of individuals, home addresses,
birth dates and named private persons in a case context. Data beside this module:
``public_numbers.tsv`` and ``public_addresses.txt`` (what the city itself publishes),
``case_words.txt``, ``freemail_domains.txt``, ``role_mailboxes.txt``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..context import Context
from ..model import Finding, Severity
from ..registry import RuleDoc
from ..urls import host_matches

CLAUSE = "7(1)エ"

_WHY = "個人情報は職務上知り得た情報であり、ガイドライン{clause}により掲載できません。"

MOBILE = RuleDoc(
    id="pii.mobile-phone",
    clause=CLAUSE,
    severity="block",
    title="携帯電話番号",
    what="070/080/090/060/020 で始まる携帯電話・PHS・M2M 番号を見つけます"
    "（全角・漢数字・記号混じりも）。",
    why="個人の携帯電話番号は個人情報です。",
    example="担当の090-1234-5678までご連絡ください。",
    use_instead="市の代表番号や担当課の公開番号を案内してください。",
    message="携帯電話番号「{excerpt}」が含まれています。"
    + _WHY
    + "番号を削除し、問い合わせ先には担当課の公開番号を記載してください。",
)
LANDLINE = RuleDoc(
    id="pii.landline-phone",
    clause=CLAUSE,
    severity="review",
    title="固定電話・IP電話番号（公開番号以外）",
    what="市の公開番号一覧（public_numbers.tsv）にない固定電話・050 番号を見つけます。"
    "「消費生活センター（0263-…）」のように機関名が添えられ、個人を示す語（さん・様・宅・携帯 等）が"
    "ない番号は info（判定に影響しない参考表示）にとどめます。",
    why="個人宅の電話番号であれば個人情報です。公開番号なら問題ありません。",
    example="詳しくは0263-12-3456（山田）へ。",
    use_instead="市が公開している番号を使い、一覧にない場合は"
    " public_numbers.tsv に登録してください。",
    message="市の公開番号一覧にない電話番号「{excerpt}」があります。個人の番号であれば"
    "ガイドライン{clause}（個人情報）に当たります。公開されている番号か確認してください。",
)
MY_NUMBER = RuleDoc(
    id="pii.my-number",
    clause=CLAUSE,
    severity="block",
    title="マイナンバー（個人番号）",
    what="チェックデジットが正しい 12 桁の番号を見つけます。"
    "「マイナンバー」「個人番号」が近くにあるか"
    " 4-4-4 区切りなら block、それ以外は review。チェックデジットが誤りなら報告しません。",
    why="マイナンバーは法律で利用・提供が厳しく制限された特定個人情報です。",
    example="マイナンバー 1234 5678 9018 の方",
    use_instead="番号は絶対に掲載せず、手続きの案内だけを書いてください。",
    message="マイナンバー（個人番号）と思われる12桁の番号「{excerpt}」が含まれています。"
    + _WHY
    + "番号を削除してください。",
)
EMAIL = RuleDoc(
    id="pii.email",
    clause=CLAUSE,
    severity="block",
    title="個人のメールアドレス",
    what="フリーメール・携帯キャリアのアドレスは block、その他の民間ドメインの個人らしいアドレスは"
    " review。市・官公庁（lg.jp、go.jp、市のドメイン）や info@ などの窓口アドレスは対象外です。",
    why="個人のメールアドレスは個人情報です。",
    example="taro.yamada@gmail.com に送ってください",
    use_instead="担当課の公開アドレスや問い合わせフォームを案内してください。",
    message="個人のものと思われるメールアドレス「{excerpt}」が含まれています。"
    + _WHY
    + "担当課の公開アドレスや問い合わせフォームに置き換えてください。",
)
ADDRESS = RuleDoc(
    id="pii.address",
    clause=CLAUSE,
    severity="block",
    title="番地・号までの住所",
    what="「1丁目2番3号」「1234番地」「中央1-2-3」など番地・号までの住所を見つけます。"
    "自宅・住所・さん等の個人の文脈があれば block、会場・施設名が添えられていれば info、"
    "どちらもなければ review。「中央1-2」のような二つ組は個人の自宅の文脈でだけ block。"
    "市の公開住所は対象外です。",
    why="個人の自宅住所は個人情報です。",
    example="山田さん（松本市中央1丁目2番3号）から相談があり",
    use_instead="地区名まで（例：松本市中央地区）にするか、公共施設の公開住所を使ってください。",
    message="番地・号まで含む住所「{excerpt}」があります。個人の住所であれば"
    "ガイドライン{clause}（個人情報）に当たり掲載できません。公共施設の公開住所か確認し、"
    "個人の住所なら削除してください。",
)
BIRTH_DATE = RuleDoc(
    id="pii.birth-date",
    clause=CLAUSE,
    severity="block",
    title="生年月日",
    what="「生年月日」に続く日付や「〇年〇月〇日生まれ」を見つけます。行事の日付は対象外です。",
    why="生年月日は個人を特定できる個人情報です。",
    example="生年月日：昭和60年4月1日",
    use_instead="生年月日は書かず、必要なら年代（例：30代）にとどめてください。",
    message="生年月日「{excerpt}」が含まれています。" + _WHY + "日付を削除してください。",
)
NAMED_PERSON = RuleDoc(
    id="pii.named-person",
    clause=CLAUSE,
    severity="block",
    title="事案に関わる個人の氏名",
    what="UniDic の人名タグ（姓・名）に「さん・様・氏」等が付いた氏名が、"
    "申請・相談・苦情・逮捕・入院・"
    "生活保護・滞納などの事案語と同じ文にあるときに見つけます（敬称なしの姓名は review）。",
    why="誰がどんな申請や相談をしたかは、職務上知り得た個人情報です。",
    example="山田太郎さんから生活保護の申請がありました。",
    use_instead="「市民の方から」「申請者から」のように個人が特定できない書き方にしてください。",
    message="個人名「{excerpt}」が申請・相談などの事案と一緒に書かれています。"
    + _WHY
    + "氏名を削除するか、個人が特定できない表現にしてください。",
)

RULES = (MOBILE, LANDLINE, MY_NUMBER, EMAIL, ADDRESS, BIRTH_DATE, NAMED_PERSON)
PHRASES = ()

# --- phone numbers and My Number ------------------------------------------------------

# Digit groups joined by at most three separator characters; linear, no nesting.
# (finditer never starts inside a run of digits, so no look-behind is needed, and a
# pattern that starts with a character class lets ``re`` skip ahead in C.)
_DIGIT_RUN = re.compile(r"[+0-9][0-9]*(?:[ \t.\-()/の]{1,3}[0-9]+)*")
_NON_DIGIT = re.compile(r"[^0-9]+")
_GROUP = re.compile(r"[0-9]+")
_MY_NUMBER_CUE = re.compile(r"マイナンバー|個人番号|my ?number|通知カード", re.IGNORECASE)
_MOBILE_PREFIXES = ("070", "080", "090", "060", "020")
_NON_PERSONAL_PREFIXES = ("0120", "0800", "0570", "0990", "0180")


def my_number_valid(digits: str) -> bool:
    """Official check digit of the individual number (12 digits)."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = digits[:11]
    total = 0
    for n in range(1, 12):  # P_n is the n-th digit from the right of the 11-digit body
        p = int(body[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return int(digits[11]) == check


def _phone_kind(digits: str) -> str | None:
    if digits.startswith("81") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits.startswith(_MOBILE_PREFIXES):
        return "mobile"
    if len(digits) == 11 and digits.startswith("050"):
        return "landline"
    if len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        if digits.startswith(_NON_PERSONAL_PREFIXES) or digits.startswith(_MOBILE_PREFIXES):
            return None
        if digits.startswith("050"):
            return None
        return "landline"
    return None


def _national(digits: str, plus: bool) -> str:
    if plus and digits.startswith("81"):
        rest = digits[2:]
        return rest if rest.startswith("0") else "0" + rest
    return digits


def _public_number(ctx: Context, digits: str) -> bool:
    cfg = ctx.config
    return digits in cfg.public_numbers or any(digits.startswith(p) for p in cfg.public_prefixes)


# A landline labelled with an organisation (「消費生活センター（0263-…）」) is that office's
# published number, not a person's: reported as info only, unless a person is named there.
_ORG_CUE = re.compile(
    r"課|係|室|センター|協議会|事務所|事務局|役所|役場|庁舎|支所|出張所|公民館|図書館|博物館|美術館|"
    r"体育館|会館|病院|診療所|クリニック|保健所|消防|警察|交番|学校|[^公]園|組合|協会|連盟|団体|法人|会社|"
    r"\(株\)|\(有\)|店|ホテル|旅館|館|署|局|本部|窓口|代表|受付|コールセンター|ダイヤル|ホール|"
    r"案内所|ハローワーク|機構|財団|社協|ステーション|プラザ|施設|大学|市役所|県庁|町役場|村役場|"
    r"お問い?合わ?せ先?は(?:市|県|町|村)"
)
_PERSON_CUE = re.compile(r"さん|様|さま|氏|宅|自宅|携帯|個人|私用|ご家族|ご本人|本人|方の|者の")


def _landline_severity(ctx: Context, a: int, b: int) -> Severity:
    text = ctx.num.text
    s, e = ctx.sentence(a, b)
    window = text[max(s, a - 30) : a] + "|" + text[b : min(e, b + 15)]
    if _ORG_CUE.search(window) and not _PERSON_CUE.search(window):
        return "info"
    return "review"


def _numbers(ctx: Context) -> Iterator[Finding]:
    text = ctx.num.text
    for run in _DIGIT_RUN.finditer(text):
        s = run.group()
        if len(s) < 10 or len(_NON_DIGIT.sub("", s)) < 10:
            continue
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(s)]
        base = run.start()
        plus = s.startswith("+")
        all_digits = "".join(s[a:b] for a, b in groups)
        if len(all_digits) < 10:
            continue
        # My Number: the whole run is exactly 12 digits (a 16-digit card number is not).
        if len(all_digits) == 12 and not plus and my_number_valid(all_digits):
            lengths = [b - a for a, b in groups]
            before = text[max(0, base - 24) : base]
            cued = bool(_MY_NUMBER_CUE.search(before)) or lengths == [4, 4, 4]
            yield ctx.finding(
                ctx.num,
                base + groups[0][0],
                base + groups[-1][1],
                rule=MY_NUMBER.id,
                clause=CLAUSE,
                severity="block" if cued else "review",
                message=MY_NUMBER.format(ctx.display(ctx.num, base, run.end())),
            )
            continue
        # Phones: the longest window of groups whose digits form a number. Only windows of
        # 10 to 13 digits can, so prefix sums find them without trying every window.
        cum = [0]
        for a, b in groups:
            cum.append(cum[-1] + b - a)
        i = 0
        while i < len(groups):
            hit = None
            lo = bisect.bisect_left(cum, cum[i] + 10, i + 1)
            hi = bisect.bisect_right(cum, cum[i] + 13, lo)
            for j in range(hi - 1, lo - 1, -1):
                digits = "".join(s[a:b] for a, b in groups[i:j])
                national = _national(digits, plus and i == 0)
                kind = _phone_kind(national)
                if kind:
                    hit = (j, national, kind)
                    break
            if hit is None:
                i += 1
                continue
            j, national, kind = hit
            a = base + (0 if plus and i == 0 else groups[i][0])
            b = base + groups[j - 1][1]
            if kind == "mobile":
                yield ctx.finding(
                    ctx.num,
                    a,
                    b,
                    rule=MOBILE.id,
                    clause=CLAUSE,
                    severity="block",
                    message=MOBILE.format(ctx.display(ctx.num, a, b)),
                )
            elif not _public_number(ctx, national):
                yield ctx.finding(
                    ctx.num,
                    a,
                    b,
                    rule=LANDLINE.id,
                    clause=CLAUSE,
                    severity=_landline_severity(ctx, a, b),
                    message=LANDLINE.format(ctx.display(ctx.num, a, b)),
                )
            i = j


# --- e-mail ---------------------------------------------------------------------------


def _emails(ctx: Context) -> Iterator[Finding]:
    cfg = ctx.config
    for hit in ctx.urls:
        if hit.kind != "email":
            continue
        if host_matches(hit.host, cfg.trusted_domains) or host_matches(
            hit.host, ctx.trusted.domains
        ):
            continue
        local = hit.local.lower()
        if host_matches(hit.host, cfg.freemail_domains):
            severity: Severity = "block"
        elif local in cfg.role_mailboxes or local.split("-")[0] in cfg.role_mailboxes:
            continue
        else:
            severity = "review"
        yield ctx.finding(
            ctx.norm,
            hit.start,
            hit.end,
            rule=EMAIL.id,
            clause=CLAUSE,
            severity=severity,
            message=EMAIL.format(ctx.display(ctx.norm, hit.start, hit.end)),
        )


# --- addresses ------------------------------------------------------------------------

# All forms start with digits (so ``re`` can skip ahead in C); the conditions on what
# precedes a match are checked in Python.
_ADDRESS_CORE = re.compile(
    r"[0-9]{1,5}(?:"
    r"丁目 ?[0-9]{1,4} ?(?:番地?|-|の) ?[0-9]{1,4}(?: ?(?:号|-[0-9]{1,4}))?"
    r"|丁目 ?[0-9]{1,4} ?番地?"
    r"| ?番地(?: ?(?:の|-)? ?[0-9]{1,4} ?号?)?"
    r"| ?番 ?[0-9]{1,4} ?号"
    r"|(?P<hyphen>-[0-9]{1,4}-[0-9]{1,4})(?![0-9]|-[0-9])"
    r"|(?P<two>-[0-9]{1,4})(?![0-9]|-[0-9]|[年月日回号位組階名人歳才時分%円個件枚本台期次条項部巻])"
    r")"
)
_KANJI_BEFORE = re.compile(r"[\u4e00-\u9fff々ヶ]")
_PLACE_CHAR = re.compile(r"[\u4e00-\u9fff々〆ヶケァ-ヴー〇○の]")
_PERSONAL_ADDRESS_CUE = re.compile(r"自宅|住所|お宅|宅|在住|住まい|住む|住ん|さん|様|氏|方")
_STRONG_ADDRESS_CUE = re.compile(r"自宅|お宅|宅|在住|住まい|住む|住ん|さん|様|氏|世帯|居住")
# A venue or facility named next to the address (「会場：Mウイング（中央1丁目18番1号）」).
_VENUE_CUE = re.compile(
    r"会場|所在地|開催場所|開催地|場所|集合|施設|館|センター|ホール|公民館|学校|公園|庁舎|役所|役場|"
    r"支所|病院|駐車場|店|事務所|ウイング|〒|アクセス|会議室|広場|ステーション|プラザ|神社|寺"
)
_SPACES = re.compile(r"[\s\-ー－]")


def address_key(s: str) -> str:
    """Comparison key for addresses: digits normalised, spaces and hyphens dropped."""
    from ..normalize import build_views

    return _SPACES.sub("", build_views(s)[1].text)


def _addresses(ctx: Context) -> Iterator[Finding]:
    num = ctx.num
    if "番" not in num.text and "丁目" not in num.text and "-" not in num.text:
        return
    for m in _ADDRESS_CORE.finditer(num.text):
        a, b = m.span()
        if a and num.text[a - 1].isdigit():
            continue
        two = m.group("two") is not None
        if (m.group("hyphen") or two) and not (
            # 中央1-2-3: a chome number after a place name (a phone number starts with 0)
            a
            and _KANJI_BEFORE.match(num.text[a - 1])
            and num.text[a] != "0"
            and m.start("hyphen") - a <= 3
        ):
            continue
        # Extend left over the place name (kanji/katakana, の) in the same view.
        k = a
        while k > 0 and a - k < 20 and _PLACE_CHAR.match(num.text[k - 1]):
            k -= 1
        while k < a and num.text[k] == "の":
            k += 1
        key = _SPACES.sub("", num.text[k:b])
        if any(p.endswith(key) or key.endswith(p) for p in ctx.config.public_address_keys):
            continue
        window = num.text[max(0, k - 30) : k] + "|" + num.text[b : b + 12]
        severity: Severity
        if _STRONG_ADDRESS_CUE.search(window):
            severity = "block"
        elif two:
            continue  # 中央1-2 is an address only when a person's home is named
        elif _VENUE_CUE.search(window):
            severity = "info"
        elif _PERSONAL_ADDRESS_CUE.search(window):
            severity = "block"
        else:
            severity = "review"
        yield ctx.finding(
            num,
            k,
            b,
            rule=ADDRESS.id,
            clause=CLAUSE,
            severity=severity,
            message=ADDRESS.format(ctx.display(num, k, b)),
        )


# --- birth dates ----------------------------------------------------------------------

_DATE = (
    r"(?:(?:(?:19|20)[0-9]{2}|(?:明治|大正|昭和|平成|令和|[MTSHR]) ?(?:元|[0-9]{1,2})) ?[年./-] ?)?"
    r"[0-9]{1,2} ?[月./-] ?[0-9]{1,2} ?日?"
)
_BIRTH = re.compile(
    rf"(?:生年月日|誕生日)[ \t:：は、]{{0,3}}(?:[(（]?[^0-9\n]{{0,6}})?{_DATE}"
    rf"|{_DATE}(?: ?生まれ| ?生(?![\u4e00-\u9fffぁ-ん])| ?出生| ?誕生(?!日?[会祭]))"
)


def _birth_dates(ctx: Context) -> Iterator[Finding]:
    num = ctx.num
    if "生" not in num.text and "誕" not in num.text:
        return
    for m in _BIRTH.finditer(num.text):
        s = m.group()
        if s.startswith("誕生日") and "年" not in s and "." not in s and "/" not in s:
            continue  # 「誕生日は4月1日」: a birthday without a year is often a mascot's
        yield ctx.finding(
            num,
            m.start(),
            m.end(),
            rule=BIRTH_DATE.id,
            clause=CLAUSE,
            severity="block",
            message=BIRTH_DATE.format(ctx.display(num, m.start(), m.end())),
        )


# --- named private persons --------------------------------------------------------------

_HONORIFICS = frozenset({"さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿"})
_HONORIFIC_RE = re.compile("|".join(sorted(_HONORIFICS, key=len, reverse=True)))
# A case word used as the name of an event or a service is not a case: 相談会, 相談窓口.
_CASE_NOT_AFTER = re.compile(r"[会窓所室日員課係セ]")


def _case_positions(ctx: Context) -> list[tuple[int, int]]:
    out = []
    for a, b, _ in ctx.config.case_matcher.finditer(ctx.norm.text):
        if not _CASE_NOT_AFTER.match(ctx.norm.text, b):
            out.append((a, b))
    return out


def _names(ctx: Context) -> Iterator[Finding]:
    cases = _case_positions(ctx)
    if not cases:
        return
    seen_sentences: set[tuple[int, int]] = set()
    reported: set[int] = set()
    norm = ctx.norm.text
    for ca, cb in cases:
        s_a, s_b = ctx.sentence(ca, cb)
        if (s_a, s_b) in seen_sentences:
            continue
        seen_sentences.add((s_a, s_b))
        # Morphological analysis only where a name could matter: an honorific in the
        # sentence, or a serious case word (for a bare full name).
        honorific_here = _HONORIFIC_RE.search(norm, s_a, s_b) is not None
        serious_here = ctx.config.serious_case_matcher.search(norm, s_a, s_b)
        if not (honorific_here or serious_here):
            continue
        tokens = [t for t in ctx.tokens_in(ca, cb) if s_a <= t.start and t.end <= s_b]
        i = 0
        while i < len(tokens):
            if not tokens[i].is_person_name:
                i += 1
                continue
            j = i
            while j < len(tokens) and tokens[j].is_person_name:
                j += 1
            honorific = j < len(tokens) and tokens[j].surface in _HONORIFICS
            full_name = (
                serious_here and j - i >= 2 and {t.pos4 for t in tokens[i:j]} >= {"姓", "名"}
            )
            if (honorific or full_name) and tokens[i].start not in reported:
                a = tokens[i].start
                b = tokens[j].end if honorific else tokens[j - 1].end
                reported.add(a)
                yield ctx.finding(
                    ctx.norm,
                    a,
                    b,
                    rule=NAMED_PERSON.id,
                    clause=CLAUSE,
                    severity="block" if honorific else "review",
                    message=NAMED_PERSON.format(ctx.display(ctx.norm, a, b)),
                )
            i = j + 1 if honorific else j


def scan(ctx: Context) -> Iterator[Finding]:
    """All 7(1)エ personal-information findings."""
    yield from _numbers(ctx)
    yield from _emails(ctx)
    yield from _addresses(ctx)
    yield from _birth_dates(ctx)
    yield from _names(ctx)

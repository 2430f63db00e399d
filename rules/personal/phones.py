"""Telephone numbers of people and My Number (7(1)エ)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..context import Context
from ..model import Finding, Severity
from .rule_docs import CLAUSE, LANDLINE, MOBILE, MY_NUMBER

# --- phone numbers and My Number ------------------------------------------------------

# Digit groups joined by at most three separator characters; linear, no nesting.
# (finditer never starts inside a run of digits, so no look-behind is needed, and a
# pattern that starts with a character class lets ``re`` skip ahead in C.)
# A line break may split a number too (「090-58⏎21-4473」).
_DIGIT_RUN = re.compile(r"[+0-9][0-9]*(?:[ \t\n.\-()/の]{1,3}[0-9]+)*")
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
# 「宅」 names a household (佐藤宅), but not inside 住宅 (住宅課, 市営住宅).
# The honorific of a common noun (お客さまセンター, 皆さま, お子さま) names no one.
_PERSON_CUE = re.compile(
    r"(?<!客)(?<!皆)(?<!お子)(?:さん|様|さま)|氏|(?<!住)宅|携帯|個人|私用|ご家族|ご本人|本人|方の|者の|"
    # someone who calls (「何度もかけてくる人、番号は…」) is a person, whatever office they call
    r"(?:かけて|掛けて|電話して)(?:くる|きた|来る|来た)"
)
# A heading that names the post's subject (「【市民会館】」, 「◆子育て支援課」 on a line of its own).
_HEADING = re.compile(r"^[ \t]*(?:【[^】\n]{1,30}】|[◆■●◇□☆★▼▽][^\n]{1,30})[ \t]*$", re.M)
# The number is labelled as a way to reach someone (「TEL 0146-…」, 「電話：」, 「☎」, 「問合せ」).
_CONTACT_LABEL = re.compile(r"(?:TEL|Tel|tel|電話|☎|℡|問い?合わ?せ|連絡先)[^\n]{0,12}$")


# A name and honorific right before a number (「折り返し待ち：佐野さん　090-…」).
_OWNER_BEFORE = re.compile(
    r"(?<![一-龥ァ-ヴー])[一-龥ァ-ヴー]{1,5}(?<!皆)(?<!お客)(?:さん|様|さま|氏)[ \t:：、]{0,2}$"
)


def _block_title(text: str, line_start: int) -> str:
    """The first line of the block of lines (no blank line between) that ends before
    ``line_start``, when it is short enough to be a title; else ''."""
    title = ""
    end = line_start - 1
    for _ in range(4):
        if end <= 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if not line.strip():
            break
        title = line
        end = start - 1
    return title if len(title.strip()) <= 30 else ""


def _landline_severity(ctx: Context, a: int, b: int) -> Severity:
    text = ctx.num.text
    s, e = ctx.sentence(a, b)
    window = text[max(s, a - 30) : a] + "|" + text[b : min(e, b + 15)]
    if _PERSON_CUE.search(window):
        return "review"
    if _ORG_CUE.search(window):
        return "info"
    # A contact block: the office is named at the head of the line or on the line before
    # (「市役所本庁舎 〒… TEL 0555-…」, 「【観光案内所】\nTEL …」).
    line_start = text.rfind("\n", 0, a) + 1
    head = text[max(line_start, a - 80) : a]
    if _ORG_CUE.search(head) or _ORG_CUE.search(ctx.line_before(a)):
        return "info"
    # A labelled number in a contact block whose first short line names the facility
    # (「市立図書館 本館\n住所：…\n電話：0263-…」): the block is the facility's.
    if _CONTACT_LABEL.search(head) and _ORG_CUE.search(_block_title(text, line_start)):
        return "info"
    # A labelled contact number in a block whose heading names an office or a facility
    # (「【観光案内所】 … TEL 0146-…」): the heading is what the number belongs to.
    if _CONTACT_LABEL.search(head) and any(
        _ORG_CUE.search(h.group()) for h in _HEADING.finditer(text, 0, a)
    ):
        return "info"
    return "review"


def _my_number(text: str, s: str, base: int, groups: list[tuple[int, int]], digits: str) -> bool:
    """Twelve digits that read as a My Number, not as a phone number and what follows it
    (「0263-33-9191（24時間）」), unless the post says My Number or groups them 4-4-4."""
    if not my_number_valid(digits):
        return False
    if _MY_NUMBER_CUE.search(text[max(0, base - 24) : base]) or [b - a for a, b in groups] == [
        4,
        4,
        4,
    ]:
        return True
    return not any(
        _phone_kind(_national("".join(s[a:b] for a, b in groups[:k]), False))
        for k in range(2, len(groups))
    )


def scan(ctx: Context) -> Iterator[Finding]:
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
        if len(all_digits) == 12 and not plus and _my_number(text, s, base, groups, all_digits):
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
            whose = _OWNER_BEFORE.search(text, max(0, a - 14), a)
            if whose is not None:
                a = whose.start()  # the person the number belongs to: 「佐野さん 090-…」
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

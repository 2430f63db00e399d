"""Birth dates (7(1)エ)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..context import Context
from ..model import Finding
from .rule_docs import BIRTH_DATE, CLAUSE

# --- birth dates ----------------------------------------------------------------------

_DATE = (
    r"(?:(?:(?:19|20)[0-9]{2}|(?:明治|大正|昭和|平成|令和|[MTSHR]) ?(?:元|[0-9]{1,2})) ?[年./-] ?)?"
    r"[0-9]{1,2} ?[月./-] ?[0-9]{1,2} ?日?"
)
_BIRTH = re.compile(
    rf"(?:生年月日|誕生日)[ \t:：はが、]{{0,3}}(?:[(（]?[^0-9\n]{{0,6}})?{_DATE}"
    rf"|{_DATE}(?: ?生まれ| ?生(?![\u4e00-\u9fffぁ-ん])| ?出生| ?誕生(?!日?[会祭]))"
)


# A year written just before the matched date (the date pattern's own year covers only
# 19xx/20xx) or inside it, and the eras that ended long ago.
_YEAR_BEFORE = re.compile(r"(1[0-9]{3}|20[0-9]{2}) ?年 ?$")
_YEAR_IN = re.compile(r"(?:19|20)[0-9]{2}")
_OLD_ERA = re.compile(
    r"(?:明治|大正|慶応|元治|文久|安政|嘉永|弘化|天保|文政|文化|享和|寛政)[ 元0-9]*年? ?$"
)
# Personal information is information about a living individual (個人情報保護法 2条1項): a
# birth date more than this many years ago is a historical figure's, not a resident's.
HISTORICAL_YEARS = 110


def _historical(text: str, start: int, match: str) -> bool:
    before = text[max(0, start - 12) : start]
    if _OLD_ERA.search(before) or match.startswith(("明治", "大正", "M", "T")):
        return True
    m = _YEAR_BEFORE.search(before) or _YEAR_IN.match(match)
    if not m:
        return False
    return int(m.group(1) if m.lastindex else m.group()) <= date.today().year - HISTORICAL_YEARS


_RANGE_BEFORE = re.compile(r"[〜~～\-]|から")
_RANGE_AFTER = re.compile(r"(の方|の人|のお子|の児童|の子ども|の子供|以降|以前|まで|から|〜|~)")
# After 「生年月日が…」 one date names one person (「生年月日が…の方、忘れ物が…」); only a
# range (…から, …以前) names a group.
_RANGE_AFTER_LABEL = re.compile(r"(以降|以前|まで|から|〜|~)")


def scan(ctx: Context) -> Iterator[Finding]:
    num = ctx.num
    if "生" not in num.text and "誕" not in num.text:
        return
    for m in _BIRTH.finditer(num.text):
        s = m.group()
        if s.startswith("誕生日") and "年" not in s and "." not in s and "/" not in s:
            continue  # 「誕生日は4月1日」: a birthday without a year is often a mascot's
        # An eligibility range names no one: 「2004年4月2日〜2005年4月1日生まれの方」.
        before = num.text[max(0, m.start() - 3) : m.start()]
        after = num.text[m.end() : m.end() + 6]
        labelled = s.startswith(("生年月日", "誕生日"))
        range_after = (_RANGE_AFTER_LABEL if labelled else _RANGE_AFTER).match(after)
        if _RANGE_BEFORE.search(before) or range_after:
            continue
        if _historical(num.text, m.start(), s):
            continue  # 「宮沢賢治（1896年8月27日生まれ）」: a historical figure
        yield ctx.finding(
            num,
            m.start(),
            m.end(),
            rule=BIRTH_DATE.id,
            clause=CLAUSE,
            severity="block",
            message=BIRTH_DATE.format(ctx.display(num, m.start(), m.end())),
        )

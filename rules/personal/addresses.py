"""Home addresses down to 番地・号 (7(1)エ)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context
from ..model import Finding, Severity
from .rule_docs import ADDRESS, CLAUSE

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
    r"支所|病院|駐車場|店|事務所|ウイング|〒|アクセス|会議室|広場|ステーション|プラザ|神社|寺|"
    r"付近|周辺|沿い|工事|交差点|通行|道路|県道|国道|市道|地先"
)
_SPACES = re.compile(r"[\s\-ー－]")


def scan(ctx: Context) -> Iterator[Finding]:
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

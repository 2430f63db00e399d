"""7(1)ア / 7(1)ウ — illegal content and promoting illegal acts.

An editable lexicon (``illegal_terms.tsv``) of drugs, piracy, illegal gambling, fraud
roles and threats. A term is reviewed under 7(1)ア; next to a selling or recruiting cue
(売ります, 入手方法, 稼げる …) it blocks under 7(1)ウ; in a prevention sentence
(防止, ダメ, 犯罪です …) it stays quiet, because cities post those warnings often.
"""

from __future__ import annotations

import re

from ..context import Context
from ..data import PhraseEntry
from ..family import Family, PhraseFile, RuleDoc

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

_PREVENTION = re.compile(
    r"防止|撲滅|根絶|禁止|違法です|犯罪です|ダメ|だめ|絶対に|やめましょう|しないで|ご?注意|相談|"
    r"被害|啓発|取締|取り締ま|逮捕|検挙|許さない|ストップ|守りましょう|乱用|誘い|危険|気をつけ|"
    r"手を出さない|断る|断りましょう"
)
_PROMOTION = re.compile(
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
    return entry.severity, entry.clause


FAMILY = Family(
    name="illegal",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=_RULES,
    phrases=_PHRASES,
    adjust=adjust,
)

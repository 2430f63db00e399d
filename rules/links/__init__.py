"""7(2)エ — links to third-party pages (第三者が管理…するページへのリンク…は慎重に).

Links whose host is not on the trusted-domain allow-list (``trusted_domains.txt``: go.jp,
lg.jp, the city's own domain …) are reviewed. Shorteners (5(9)) and internal hosts (7(1)オ)
are reported by their own rules, not again here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context
from ..family import Family, RuleDoc
from ..model import Finding
from ..security import admin_host, internal_host, private_ip_host
from ..shorteners import shortener_hosts
from ..urls import host_matches

CLAUSE = "7(2)エ"

THIRD_PARTY = RuleDoc(
    id="link.third-party",
    clause=CLAUSE,
    severity="review",
    title="第三者のページへのリンク",
    what="信頼できるドメインの一覧（trusted_domains.txt）にないホストへのリンクを見つけます。"
    "偽サイト・フィッシングへの注意喚起の中で「開かないでください」と示したアドレスは info"
    "（判定に影響しない参考表示）にとどめます。",
    why="第三者のページへのリンクは、その内容を市が保証していると受け取られるおそれがあります。",
    example="詳しくは https://example.com/event をご覧ください。",
    use_instead="市ホームページや官公庁のページにリンクするか、リンク先の内容と管理者を確認してください。",
    message="第三者のページへのリンク「{excerpt}」があります。ガイドライン{clause}により、第三者の"
    "ページへのリンクは慎重に行います。リンク先の管理者と内容が信頼できるか確認してください。",
)


HOMOGRAPH = RuleDoc(
    id="link.homograph",
    clause=CLAUSE,
    severity="block",
    title="見た目の似た文字を使ったURL",
    what="ラテン文字に見えるキリル文字・ギリシャ文字（і、о、а など）を含むホスト名のURLと、"
    "官公庁・信頼済みのドメインの名前に英字に見える数字（l に見える 1、o に見える 0：examp1e）を"
    "混ぜたURL、小文字の l の代わりに大文字の I を使ったURL（exampIe）を見つけます。"
    "見た目は市や既知のサービスのURLでも、実際は別のサイトです。",
    why="見た目の似た文字によるなりすましURLは、利用者を第三者の（悪意のある）ページに誘導します。",
    example="https://www.city.matsumotо.nagano.jp/（о がキリル文字）",
    use_instead="リンク先のURLを半角英数字で入力し直すか、市ホームページからコピーしてください。",
    message="URL「{excerpt}」に、ラテン文字に見える別の文字（キリル文字・ギリシャ文字、英字に見える数字）が"
    "含まれています。"
    "見た目と違うサイトへのリンクです（ガイドライン{clause}）。正しいURLを入力し直してください。",
)


# A digit standing in for a letter inside a word-like label: examp1e, g00gle, matsum0to.
_DIGIT_FOR_LETTER = re.compile(r"[a-z][01]+[a-z]")
_OFFICIAL_SUFFIXES = (".lg.jp", ".go.jp")


def _digit_lookalike(host: str, trusted: frozenset[str]) -> bool:
    """An official-looking host (lg.jp, go.jp, a trusted domain) with a 1/0 inside a word."""
    if not (host.endswith(_OFFICIAL_SUFFIXES) or host_matches(host, trusted)):
        return False
    return any(_DIGIT_FOR_LETTER.search(label) for label in host.split(".")[:-2])


# Shorteners of online shops (their links are a shop's pages, 7(2)エ, as well as 5(9)).
_SHOP_SHORTENERS = frozenset({"amzn.to", "amzn.asia", "a.co", "r10.to", "a.r10.to"})
# A capital I standing in for a lower-case l inside a lower-case label: exampIe, maiI.
_CAPITAL_I_FOR_L = re.compile(r"[a-z]I|I[a-z]")
_LABEL = re.compile(r"[A-Za-z0-9\-]+")


def _capital_i_lookalike(ctx: Context, start: int, end: int, host: str) -> bool:
    """An official-looking host spelt with I for l (I and l look alike in many fonts)."""
    if not host.endswith(_OFFICIAL_SUFFIXES) and not host_matches(host, ctx.config.trusted_domains):
        return False
    raw = ctx.norm.text[start:end]
    at = raw.lower().find(host)
    if at < 0 or "I" not in raw[at : at + len(host)]:
        return False
    return any(
        _CAPITAL_I_FOR_L.search(lab) and lab.replace("I", "").islower()
        for lab in _LABEL.findall(raw[at : at + len(host)])
    )


# A fake site named in a warning about it (「偽サイトにご注意ください。…のような似たアドレスの
# サイトに入力しないでください」): the address is not a link the city points readers to.
_FAKE = re.compile(r"偽|にせ|ニセ|なりすまし|フィッシング|詐欺|不審な")
_DONT = re.compile(
    r"(入力|アクセス|クリック|タップ|返信|開か?|ダウンロード)(しないで|しない(よう|ように)|せず)|"
    r"開かないで|押さないで|ご注意|ご用心|お気をつけ|のような(似た|偽|にせ|ニセ|不審)"
)


def _warned(ctx: Context, start: int, end: int) -> bool:
    s, e = ctx.sentence(start, end)
    text = ctx.norm.text
    return _DONT.search(text, s, e) is not None and _FAKE.search(text) is not None


def scan(ctx: Context) -> Iterator[Finding]:
    """Links outside the trusted-domain allow-list; look-alike hosts."""
    cfg = ctx.config
    skip = shortener_hosts(ctx)
    for hit in ctx.urls:
        if hit.kind == "email":
            continue
        if (
            hit.homograph
            or _digit_lookalike(hit.host, cfg.trusted_domains)
            or _capital_i_lookalike(ctx, hit.start, hit.end, hit.host)
        ):
            yield ctx.finding(
                ctx.norm,
                hit.start,
                hit.end,
                rule=HOMOGRAPH.id,
                clause=CLAUSE,
                severity="block",
                message=HOMOGRAPH.format(ctx.display(ctx.norm, hit.start, hit.end)),
            )
            continue
        if hit.start in skip and not host_matches(hit.host, _SHOP_SHORTENERS):
            continue  # a shortener is 5(9); one that leads to a shop is a third party too
        if host_matches(hit.host, cfg.trusted_domains) or ctx.trusted.trusts(hit.host, hit.path):
            continue
        if internal_host(hit.host) or admin_host(hit.host) or private_ip_host(hit.host):
            continue  # reported under 7(1)オ
        yield ctx.finding(
            ctx.norm,
            hit.start,
            hit.end,
            rule=THIRD_PARTY.id,
            clause=CLAUSE,
            severity="info" if _warned(ctx, hit.start, hit.end) else "review",
            message=THIRD_PARTY.format(ctx.display(ctx.norm, hit.start, hit.end)),
        )


FAMILY = Family(
    name="links", clause=CLAUSE, doc=__doc__ or "", rules=(THIRD_PARTY, HOMOGRAPH), scan=scan
)

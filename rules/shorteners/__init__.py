"""5(9) — URL shortening services (「URL短縮サービス」… 原則として利用しません).

``url_shorteners.txt`` is the maintained list (hundreds of domains; subdomains match);
links through them block. ``url_shorteners_review.txt`` lists share links of platforms
that a city legitimately posts (forms.gle, lin.ee, youtu.be, maps.app.goo.gl): those are
reviewed, not blocked, because the guideline says 「原則として」.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..data import validate_domain
from ..family import DataFiles, Family, RuleDoc
from ..model import Finding, Severity
from ..urls import host_matches

CLAUSE = "5(9)"

SHORTENER = RuleDoc(
    id="link.shortener",
    clause=CLAUSE,
    severity="block",
    title="URL短縮サービス",
    what="bit.ly、t.co、tinyurl.com など数百の短縮 URL ドメイン"
    "（url_shorteners.txt）へのリンクは block、forms.gle・lin.ee・youtu.be など"
    "プラットフォームの共有リンク（url_shorteners_review.txt）は review。",
    why="短縮 URL は本来のリンク先が分からず、利用者に不安を与えます。",
    example="詳しくは https://bit.ly/3abcDEF",
    use_instead="リンク先の本来の URL（市ホームページ等）をそのまま記載してください。",
    message="短縮URL「{excerpt}」が使われています。ガイドライン{clause}により、本来のURLが分からない"
    "短縮URLは原則として利用しません。リンク先の本来のURLに置き換えてください。",
)


@dataclass(frozen=True)
class Shorteners:
    """The family's data: shortener domains that block, and share links that are reviewed."""

    block: frozenset[str]
    review: frozenset[str]


def load(files: DataFiles) -> Shorteners:
    """Read url_shorteners.txt and url_shorteners_review.txt."""
    return Shorteners(
        block=frozenset(files.entries("shorteners/url_shorteners.txt", validate_domain)),
        review=frozenset(files.entries("shorteners/url_shorteners_review.txt", validate_domain)),
    )


def shortener_hosts(ctx: Context) -> set[int]:
    """Start offsets of links that are reported here (so 7(2)エ does not repeat them)."""
    data: Shorteners = ctx.data(FAMILY.name)
    out = set()
    for hit in ctx.urls:
        if hit.kind != "email" and (
            host_matches(hit.host, data.review) or host_matches(hit.host, data.block)
        ):
            out.add(hit.start)
    return out


def scan(ctx: Context) -> Iterator[Finding]:
    """Links through URL shorteners."""
    data: Shorteners = ctx.data(FAMILY.name)
    for hit in ctx.urls:
        if hit.kind == "email":
            continue
        review = host_matches(hit.host, data.review)
        block = host_matches(hit.host, data.block)
        if not (review or block):
            continue
        # The more specific entry wins: maps.app.goo.gl (review) over goo.gl (block).
        severity: Severity = (
            "review" if review and (not block or len(review) >= len(block)) else "block"
        )
        yield ctx.finding(
            ctx.norm,
            hit.start,
            hit.end,
            rule=SHORTENER.id,
            clause=CLAUSE,
            severity=severity,
            message=SHORTENER.format(ctx.display(ctx.norm, hit.start, hit.end)),
        )


FAMILY = Family(
    name="shorteners",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=(SHORTENER,),
    load=load,
    scan=scan,
)

"""E-mail addresses of individuals (7(1)エ)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..context import Context
from ..model import Finding, Severity
from ..urls import host_matches
from .rule_docs import CLAUSE, EMAIL

if TYPE_CHECKING:
    from . import PersonalData

# --- e-mail ---------------------------------------------------------------------------


def scan(ctx: Context) -> Iterator[Finding]:
    cfg = ctx.config
    data: PersonalData = ctx.data("personal")
    for hit in ctx.urls:
        if hit.kind != "email":
            continue
        if host_matches(hit.host, cfg.trusted_domains) or host_matches(
            hit.host, ctx.trusted.domains
        ):
            continue
        local = hit.local.lower()
        if host_matches(hit.host, data.freemail_domains):
            severity: Severity = "block"
        elif local in data.role_mailboxes or local.split("-")[0] in data.role_mailboxes:
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

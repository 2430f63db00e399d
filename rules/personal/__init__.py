"""7(1)エ — personal information learned at work (職務上知り得た…個人情報).

Phone numbers of people, My Number, e-mail addresses of individuals, home addresses,
birth dates and named private persons in a case context. Data beside this module:
``public_numbers.tsv`` and ``public_addresses.txt`` (what the city itself publishes),
``case_words.txt``, ``freemail_domains.txt``, ``role_mailboxes.txt``.

The family is split along its sections: ``phones`` (phone numbers, My Number), ``emails``,
``addresses``, ``birth_dates``, ``names``; ``rule_docs`` holds the rules' metadata.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..data import load_list, validate_domain
from ..family import DataFiles, Family
from ..matcher import TermMatcher
from ..model import Finding
from ..normalize import normalize_plain
from . import addresses, birth_dates, emails, names, people, phones
from .phones import my_number_valid
from .rule_docs import CLAUSE, RULES

__all__ = ["FAMILY", "PersonalData", "my_number_valid"]


@dataclass(frozen=True)
class PersonalData:
    """What the family loads: case words (plain and serious), mail domains and mailboxes."""

    case_matcher: TermMatcher
    serious_case_matcher: TermMatcher
    freemail_domains: frozenset[str]
    role_mailboxes: frozenset[str]


def _validate_case_word(entry: str) -> str | None:
    parts = entry.split("\t")
    if len(parts) > 2 or (len(parts) == 2 and parts[1].strip() != "serious"):
        return "expected 'word' or 'word<TAB>serious'"
    return None


def load(files: DataFiles) -> PersonalData:
    """Read case_words.txt, freemail_domains.txt and role_mailboxes.txt."""
    case_lines = load_list(files.path("personal/case_words.txt"), _validate_case_word)
    words = [w.split("\t")[0].strip() for w in case_lines]
    serious = [w.split("\t")[0].strip() for w in case_lines if w.endswith("\tserious")]
    return PersonalData(
        case_matcher=TermMatcher(normalize_plain(w) for w in words),
        serious_case_matcher=TermMatcher(normalize_plain(w) for w in serious),
        freemail_domains=frozenset(files.entries("personal/freemail_domains.txt", validate_domain)),
        role_mailboxes=frozenset(e.lower() for e in files.entries("personal/role_mailboxes.txt")),
    )


def scan(ctx: Context) -> Iterator[Finding]:
    """All 7(1)エ personal-information findings."""
    numbers = list(phones.scan(ctx))
    yield from numbers
    yield from people.beside_contact(ctx, numbers)
    yield from people.identified_by_home(ctx)
    yield from emails.scan(ctx)
    homes = list(addresses.scan(ctx))
    yield from homes
    yield from people.beside_address(ctx, homes)
    yield from birth_dates.scan(ctx)
    yield from names.scan(ctx)
    consented = people.CONSENT.search(ctx.norm.text) is not None
    for f in people.scan(ctx):
        # a person the post says agreed to be named is shown, not held up
        yield dataclasses.replace(f, severity="info") if consented else f


FAMILY = Family(
    name="personal",
    clause=CLAUSE,
    doc=__doc__ or "",
    rules=RULES,
    load=load,
    scan=scan,
)

"""City-editable configuration: allow-lists, lexicons and the shortener list.

``Config.load()`` reads every data file once (bundled, or replaced by a file of the same
name in the folder named by ``GUIDELINE_RULES_DATA``) and fails with a message naming the
file and line when one is malformed. Callers add entries in code with ``Config.extend``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from types import ModuleType

from . import (
    confidential,
    discrimination,
    illegal,
    links,
    obscene,
    personal,
    rights,
    rumour,
    security,
    shorteners,
    undecided,
)
from .data import (
    DataError,
    PhraseEntry,
    load_list,
    load_phrases,
    override_dir_from_env,
    resolve,
    validate_domain,
)
from .matcher import TermMatcher
from .normalize import normalize_plain, variants

#: Rule families in reporting order. Each module names its clause at the top.
FAMILIES: tuple[ModuleType, ...] = (
    personal,
    confidential,
    undecided,
    rumour,
    discrimination,
    illegal,
    obscene,
    security,
    rights,
    shorteners,
    links,
)

_DIGITS = re.compile(r"[0-9]")


def _validate_number(entry: str) -> str | None:
    number = entry.split("\t", 1)[0].strip()
    digits = "".join(_DIGITS.findall(normalize_plain(number)))
    if len(digits) < 6:
        return "not a telephone number"
    return None


def _validate_case_word(entry: str) -> str | None:
    parts = entry.split("\t")
    if len(parts) > 2 or (len(parts) == 2 and parts[1].strip() != "serious"):
        return "expected 'word' or 'word<TAB>serious'"
    return None


@dataclass(frozen=True)
class Config:
    """Everything the rules read that the city may edit."""

    public_numbers: frozenset[str] = frozenset()
    public_prefixes: tuple[str, ...] = ()
    public_addresses: tuple[str, ...] = ()
    trusted_domains: frozenset[str] = frozenset()
    shorteners: frozenset[str] = frozenset()
    shorteners_review: frozenset[str] = frozenset()
    freemail_domains: frozenset[str] = frozenset()
    role_mailboxes: frozenset[str] = frozenset()
    case_words: tuple[str, ...] = ()
    serious_case_words: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    phrases: tuple[PhraseEntry, ...] = ()
    allow_phrases: frozenset[str] = frozenset()
    disabled_rules: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> Config:
        """Load the data files; ``data_dir`` (or ``$GUIDELINE_RULES_DATA``) overrides."""
        override = Path(data_dir) if data_dir is not None else override_dir_from_env()
        if override is not None and not override.is_dir():
            raise DataError(f"{override}: override folder does not exist")

        def path(rel: str) -> Path:
            return resolve(rel, override)

        numbers: set[str] = set()
        prefixes: list[str] = []
        for entry in load_list(path("personal/public_numbers.tsv"), _validate_number):
            raw = entry.split("\t", 1)[0].strip()
            digits = "".join(_DIGITS.findall(normalize_plain(raw)))
            (prefixes.append(digits) if raw.endswith("*") else numbers.add(digits))
        phrases: list[PhraseEntry] = []
        for family in FAMILIES:
            for pf in family.PHRASES:
                phrases.extend(
                    load_phrases(
                        path(pf.filename),
                        rule=pf.rule,
                        clause=pf.clause,
                        allowed_clauses=pf.allowed_clauses,
                    )
                )
        allow = path("allow_phrases.txt")
        case_lines = load_list(path("personal/case_words.txt"), _validate_case_word)
        return cls(
            public_numbers=frozenset(numbers),
            public_prefixes=tuple(prefixes),
            public_addresses=tuple(load_list(path("personal/public_addresses.txt"))),
            trusted_domains=frozenset(
                load_list(path("links/trusted_domains.txt"), validate_domain)
            ),
            shorteners=frozenset(load_list(path("shorteners/url_shorteners.txt"), validate_domain)),
            shorteners_review=frozenset(
                load_list(path("shorteners/url_shorteners_review.txt"), validate_domain)
            ),
            freemail_domains=frozenset(
                load_list(path("personal/freemail_domains.txt"), validate_domain)
            ),
            role_mailboxes=frozenset(
                e.lower() for e in load_list(path("personal/role_mailboxes.txt"))
            ),
            case_words=tuple(w.split("\t")[0].strip() for w in case_lines),
            serious_case_words=tuple(
                w.split("\t")[0].strip() for w in case_lines if w.endswith("\tserious")
            ),
            phrases=tuple(phrases),
            target_groups=tuple(load_list(path("discrimination/target_groups.txt"))),
            allow_phrases=frozenset(normalize_plain(e) for e in load_list(allow)),
        )

    def extend(
        self,
        *,
        public_numbers: Iterable[str] = (),
        trusted_domains: Iterable[str] = (),
        public_addresses: Iterable[str] = (),
        allow_phrases: Iterable[str] = (),
        disabled_rules: Iterable[str] = (),
    ) -> Config:
        """A copy with extra allow-list entries (e.g. a department's own numbers)."""
        digits = {"".join(_DIGITS.findall(normalize_plain(n))) for n in public_numbers}
        domains = set()
        for d in trusted_domains:
            d = d.strip().lower().rstrip(".")
            if validate_domain(d):
                raise ValueError(f"not a domain name: {d!r}")
            domains.add(d)
        return replace(
            self,
            public_numbers=self.public_numbers | digits,
            trusted_domains=self.trusted_domains | domains,
            public_addresses=self.public_addresses + tuple(public_addresses),
            allow_phrases=self.allow_phrases | {normalize_plain(p) for p in allow_phrases},
            disabled_rules=self.disabled_rules | frozenset(disabled_rules),
        )

    # Derived, compiled once per Config -------------------------------------------------

    @cached_property
    def case_matcher(self) -> TermMatcher:
        """Case words (申請, 相談 …) as one matcher over the normalised text."""
        return TermMatcher(normalize_plain(w) for w in self.case_words)

    @cached_property
    def serious_case_matcher(self) -> TermMatcher:
        """Case words next to which even a bare full name is reviewed."""
        return TermMatcher(normalize_plain(w) for w in self.serious_case_words)

    @cached_property
    def target_group_matcher(self) -> TermMatcher:
        """Groups that exclusion phrases target (7(1)イ)."""
        return TermMatcher(v for g in self.target_groups for v in variants(normalize_plain(g)))

    @cached_property
    def phrase_matcher(self) -> TermMatcher:
        """All phrase-file terms of all families and their spelling variants."""
        return TermMatcher(self.phrases_by_term)

    @cached_property
    def phrases_by_term(self) -> dict[str, list[PhraseEntry]]:
        """Phrase entries keyed by every spelling variant of their term."""
        out: dict[str, list[PhraseEntry]] = {}
        for e in self.phrases:
            for v in sorted(variants(e.term)):
                entries = out.setdefault(v, [])
                if e not in entries:
                    entries.append(e)
        return out

    @cached_property
    def public_address_keys(self) -> tuple[str, ...]:
        """Comparison keys of the city's published addresses."""
        return tuple(personal.address_key(a) for a in self.public_addresses)

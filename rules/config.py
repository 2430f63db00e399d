"""The city's overrides, allow-lists and switches (nothing a rule family owns).

``Config.load()`` reads the allow-list files once (bundled, or replaced by a file of the
same name in the folder named by ``GUIDELINE_RULES_DATA``) and remembers that folder, so
that every family loads its own data files from it too (see :mod:`rules.family`).
Callers add entries in code with ``Config.extend``. A malformed file fails with a message
naming the file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .data import DataError, load_list, override_dir_from_env, resolve, validate_domain
from .normalize import address_key, normalize_plain

_DIGITS = re.compile(r"[0-9]")
#: Switches the statistical tier on (1/on/true/yes, or unset: the default) or off (0/off/false/no).
STATISTICAL_ENV = "GUIDELINE_RULES_STATISTICAL"
_FLAGS = {"": True, "0": False, "off": False, "false": False, "no": False}
_FLAGS.update(dict.fromkeys(("1", "on", "true", "yes"), True))


def _validate_number(entry: str) -> str | None:
    number = entry.split("\t", 1)[0].strip()
    digits = "".join(_DIGITS.findall(normalize_plain(number)))
    if len(digits) < 6:
        return "not a telephone number"
    return None


@dataclass(frozen=True)
class Config:
    """Overrides (``data_dir``), allow-lists and switches."""

    data_dir: Path | None = None  # the override folder every family reads from
    public_numbers: frozenset[str] = frozenset()  # digits of published numbers
    public_prefixes: tuple[str, ...] = ()  # digit prefixes of published number blocks
    public_addresses: tuple[str, ...] = ()  # addresses the city publishes
    trusted_domains: frozenset[str] = frozenset()  # link targets that are not third parties
    allow_phrases: frozenset[str] = frozenset()  # excerpts confirmed as false positives
    disabled_rules: frozenset[str] = field(default_factory=frozenset)  # switched-off rule ids
    statistical: bool = True  # the statistical tier (rules.statistical); on by default

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> Config:
        """Load the allow-lists; ``data_dir`` (or ``$GUIDELINE_RULES_DATA``) overrides."""
        override = Path(data_dir) if data_dir is not None else override_dir_from_env()
        if override is not None and not override.is_dir():
            raise DataError(f"{override}: override folder does not exist")

        flag = os.environ.get(STATISTICAL_ENV, "").strip().lower()
        if flag not in _FLAGS:
            raise DataError(f"{STATISTICAL_ENV}={flag}: expected 1 / 0 (or on / off)")

        def path(rel: str) -> Path:
            return resolve(rel, override)

        numbers: set[str] = set()
        prefixes: list[str] = []
        for entry in load_list(path("personal/public_numbers.tsv"), _validate_number):
            raw = entry.split("\t", 1)[0].strip()
            digits = "".join(_DIGITS.findall(normalize_plain(raw)))
            (prefixes.append(digits) if raw.endswith("*") else numbers.add(digits))
        return cls(
            data_dir=override,
            public_numbers=frozenset(numbers),
            public_prefixes=tuple(prefixes),
            public_addresses=tuple(load_list(path("personal/public_addresses.txt"))),
            trusted_domains=frozenset(
                load_list(path("links/trusted_domains.txt"), validate_domain)
            ),
            allow_phrases=frozenset(
                normalize_plain(e) for e in load_list(path("allow_phrases.txt"))
            ),
            statistical=_FLAGS[flag],
        )

    def extend(
        self,
        *,
        public_numbers: Iterable[str] = (),
        trusted_domains: Iterable[str] = (),
        public_addresses: Iterable[str] = (),
        allow_phrases: Iterable[str] = (),
        disabled_rules: Iterable[str] = (),
        statistical: bool | None = None,
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
            statistical=self.statistical if statistical is None else statistical,
        )

    @cached_property
    def public_address_keys(self) -> tuple[str, ...]:
        """Comparison keys of the city's published addresses."""
        return tuple(address_key(a) for a in self.public_addresses)

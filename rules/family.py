"""The rule-family contract: what a family declares, and how it loads its own data.

Every family is one package under ``rules/`` that exports ``FAMILY``, a :class:`Family`:

* ``rules``: the :class:`RuleDoc` of every rule it reports (id, clause, severity, docs);
* ``phrases``: the phrase files it owns (matched by the checker in one shared scan);
* ``load``: reads its own data files through :class:`DataFiles` (bundled, or replaced by a
  file of the same name in the override folder) and returns the family's data object;
* ``scan``: yields findings from a :class:`~rules.context.Context`
  (``ctx.data(FAMILY.name)`` is what ``load`` returned);
* ``adjust``: re-grades a phrase hit of the family's rules in context, or drops it;
* ``follow``: yields findings that point further than a phrase hit the family kept (what a
  confidentiality marking marks), from the phrase hits found so far.

``rules/registry.py`` lists the families; nothing is discovered by attribute lookup.
Each family has its own test table in ``tests/rules/families/`` (valid and invalid texts,
with the positions the invalid ones must be found at).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cues import Cue, CueSet
from .data import DataError, PhraseEntry, iter_lines, load_list, load_phrases, resolve

if TYPE_CHECKING:
    from .context import Context
    from .model import Finding


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's stable id, clause and documentation (ruff-style sections)."""

    id: str
    clause: str
    severity: str  # default severity; some findings of the rule may be milder
    title: str
    what: str
    why: str
    example: str
    use_instead: str
    message: str  # Japanese template; ``{excerpt}`` and ``{clause}`` are filled in

    def format(self, excerpt: str, clause: str | None = None, **extra: str) -> str:
        """Render the Japanese message for one finding."""
        return self.message.format(excerpt=excerpt, clause=clause or self.clause, **extra)


@dataclass(frozen=True, slots=True)
class PhraseFile:
    """A phrase file a family owns, and the rule its entries report under."""

    filename: str  # relative to the rules package, e.g. "rumour/rumour_terms.tsv"
    rule: str
    clause: str
    allowed_clauses: tuple[str, ...] | None = None


class DataFiles:
    """Resolves a family's data files: bundled, or replaced from the override folder."""

    def __init__(self, override: Path | None) -> None:
        self.override = override

    def path(self, relative: str) -> Path:
        return resolve(relative, self.override)

    def entries(
        self, relative: str, validate: Callable[[str], str | None] | None = None
    ) -> list[str]:
        """A one-entry-per-line file."""
        return load_list(self.path(relative), validate)

    def cues(self, relative: str, kinds: Iterable[str]) -> CueSet:
        """A cue file: ``kind<TAB>regex`` lines; one compiled alternation per kind.

        Every kind in ``kinds`` must have at least one line; an unknown kind or a bad
        regex fails naming the file and line.
        """
        path = self.path(relative)
        wanted = tuple(kinds)
        parts: dict[str, list[str]] = {k: [] for k in wanted}
        for number, line in iter_lines(path):
            kind, sep, rx = line.partition("\t")
            kind, rx = kind.strip(), rx.strip()
            if not sep or not rx:
                raise DataError(f"{path}:{number}: expected 'kind<TAB>regex', got {line!r}")
            if kind not in parts:
                raise DataError(f"{path}:{number}: unknown kind {kind!r} (kinds: {list(wanted)})")
            try:
                re.compile(rx)
            except re.error as exc:
                raise DataError(f"{path}:{number}: bad regex: {exc}") from exc
            parts[kind].append(rx)
        for kind, alts in parts.items():
            if not alts:
                raise DataError(f"{path}: no line of kind {kind!r}")
        return CueSet({k: Cue("|".join(f"(?:{a})" for a in v)) for k, v in parts.items()})

    def phrases(self, pf: PhraseFile) -> list[PhraseEntry]:
        """A phrase file."""
        return load_phrases(
            self.path(pf.filename),
            rule=pf.rule,
            clause=pf.clause,
            allowed_clauses=pf.allowed_clauses,
        )


Scan = Callable[["Context"], Iterable["Finding"]]
Adjust = Callable[["Context", PhraseEntry, int, int], "tuple[str, str] | None"]
Follow = Callable[["Context", "Sequence[Finding]"], Iterable["Finding"]]


@dataclass(frozen=True)
class Family:
    """One rule family (see the module docstring)."""

    name: str
    clause: str
    doc: str
    rules: tuple[RuleDoc, ...]
    phrases: tuple[PhraseFile, ...] = ()
    load: Callable[[DataFiles], Any] | None = None
    scan: Scan | None = None
    adjust: Adjust | None = None
    follow: Follow | None = None

    def __post_init__(self) -> None:
        ids = {r.id for r in self.rules}
        for pf in self.phrases:
            if pf.rule not in ids:
                raise DataError(f"family {self.name}: phrase file {pf.filename} reports {pf.rule}")

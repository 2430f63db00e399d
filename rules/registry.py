"""Rule metadata: the one place a rule's id, clause, severity and docs live."""

from __future__ import annotations

from dataclasses import dataclass


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

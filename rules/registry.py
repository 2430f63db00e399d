"""The registry: every rule family, in reporting order, and their rules by id.

A family is added here and nowhere else (see :mod:`rules.family` for the contract).
"""

from __future__ import annotations

from . import (
    conduct,
    confidential,
    discrimination,
    encouragement,
    illegal,
    inappropriate,
    links,
    obscene,
    personal,
    rights,
    rumour,
    security,
    shorteners,
    statistical,
    undecided,
)
from .family import Family, PhraseFile, RuleDoc

FAMILIES: tuple[Family, ...] = (
    personal.FAMILY,
    confidential.FAMILY,
    undecided.FAMILY,
    rumour.FAMILY,
    discrimination.FAMILY,
    illegal.FAMILY,
    encouragement.FAMILY,
    obscene.FAMILY,
    security.FAMILY,
    rights.FAMILY,
    shorteners.FAMILY,
    links.FAMILY,
    inappropriate.FAMILY,
    conduct.FAMILY,
    statistical.FAMILY,
)


def rule_docs() -> dict[str, RuleDoc]:
    """Every rule's metadata by id (ids are unique across families)."""
    out: dict[str, RuleDoc] = {}
    for fam in FAMILIES:
        for doc in fam.rules:
            if doc.id in out:
                raise ValueError(f"rule id {doc.id} declared twice")
            out[doc.id] = doc
    return out


__all__ = ["FAMILIES", "Family", "PhraseFile", "RuleDoc", "rule_docs"]

"""Findings and reports: the check's result, JSON-serialisable."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["block", "review", "info"]
Verdict = Literal["block", "review", "ok"]

SEVERITIES: tuple[str, ...] = ("block", "review", "info")
SEVERITY_RANK = {"block": 0, "review": 1, "info": 2}

#: Clauses exactly as SPEC's table writes them.
CLAUSES: tuple[str, ...] = (
    "7(1)ア",
    "7(1)イ",
    "7(1)ウ",
    "7(1)エ",
    "7(1)オ",
    "7(1)カ",
    "7(1)キ",
    "7(1)ク",
    "7(1)ケ",
    "7(1)コ",
    "7(1)サ",
    "7(2)エ",
    "7(2)オ",
    "7(2)カ",
    "7(2)キ(ウ)",
    "5(8)",
    "5(9)",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a text; ``text[start:end] == excerpt`` on the original text."""

    rule: str
    clause: str
    severity: Severity
    start: int
    end: int
    excerpt: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Report:
    """The result of checking one text."""

    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def verdict(self) -> Verdict:
        """``block`` if any finding blocks, else ``review`` if any needs review, else ``ok``."""
        sev = {f.severity for f in self.findings}
        if "block" in sev:
            return "block"
        if "review" in sev:
            return "review"
        return "ok"

    @property
    def blocking(self) -> list[Finding]:
        """Findings that stop submission."""
        return [f for f in self.findings if f.severity == "block"]

    @property
    def reviews(self) -> list[Finding]:
        """Findings the approver should look at."""
        return [f for f in self.findings if f.severity == "review"]

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}

    def to_json(self, **kwargs: Any) -> str:
        """JSON text (UTF-8, not ASCII-escaped)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col

"""The content check for the city's social-media guideline (7(1), 5(9), 7(2)).

>>> from rules import check
>>> report = check("担当の090-1234-5678までご連絡ください")
>>> report.verdict
'block'
"""

from __future__ import annotations

from .checker import Checker, check, default_checker
from .config import Config
from .data import DataError
from .model import CLAUSES, Finding, Report

__all__ = [
    "CLAUSES",
    "Checker",
    "Config",
    "DataError",
    "Finding",
    "Report",
    "check",
    "default_checker",
]

"""No clause id, role title, form name or exemption letter written into a message (issue 15, 2).

Every user-facing string literal in ``bot/``, ``handlers/`` and ``rules/`` is scanned for the
seed city's vocabulary: clause ids (「4(1)」「4(3)エ」「7(1)」), role titles (所属長, 広報課長,
情報政策課), the form's name (開設届) and exemption letters standing alone (``"エ"``), and
the titles, form names and exemption labels of every shipped guideline file (さくら町's
所管課長, 企画課長, 総務課情報係, 開設確認申請書, 甲, 乙). Such
words must come from the guideline file (``bot.guideline.terms``), so that another city's
file shows its own.

Not scanned: docstrings and comments (they explain the seed city's numbering), log and
scheduler-job names (operators', not staff's, text), and in ``rules/`` the content-check
categories themselves: ``rules`` keys each check by the seed numbering, and the bot
translates that key into the city's clause id through the file's ``check:`` mapping
(``Terms.translate``), so those keys are identifiers, not citations.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.guideline.loader import DATA_DIR, load_file
from rules.model import CLAUSES as CHECK_CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "handlers", "rules")

CLAUSE_ID = re.compile(r"(?<![\d.])\d{1,2}[（(]\d{1,2}[)）](?:[ア-ン](?:[（(][ア-ン][)）])?)?")


def _shipped_vocabulary() -> tuple[set[str], set[str]]:
    """Role titles, form names and exemption labels of every shipped guideline file (the
    seed city's and さくら町's): a message naming any of them was written for one city."""
    titles: set[str] = set()
    labels: set[str] = set()
    for path in sorted(DATA_DIR.glob("*.yaml")):
        g = load_file(path)
        titles |= {g.approver, g.account_confirmer.title, g.incident_desk.title}
        titles |= {g.account_confirmer.form} if g.account_confirmer.form else set()
        labels |= {e.label for e in g.exemptions}
    return titles, labels


_FILE_TITLES, _FILE_LABELS = _shipped_vocabulary()
TITLES = re.compile(
    "|".join(
        re.escape(t)
        for t in sorted(
            {"広報課長", "所属長", "情報政策課", "開設届", "政策部広報課", *_FILE_TITLES},
            key=len,
            reverse=True,
        )
    )
)
LETTERS = frozenset("アイウエオカキクケコサ") | _FILE_LABELS
_LOGGING = frozenset({"debug", "info", "warning", "error", "exception", "critical"})

# What may stay, and why: (path, a substring of the literal).
ALLOWED: tuple[tuple[str, str], ...] = (
    # APScheduler job names: the worker's log, read by operators.
    ("bot/app.py", "reminders: daily digest to"),
    ("bot/app.py", "audit: the daily copy of the head to"),
    # A content-check category (the rules' key), looked up through the file's check:
    # mapping (Terms.cite) for the {rights} word: an identifier, shown as the city's id.
    ("bot/guideline/terms.py", "7(1)ク"),
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def _logged(tree: ast.AST) -> set[int]:
    """String constants passed to ``log.info(...)`` and the like."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LOGGING
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"log", "logger", "_log", "LOG"}
        ):
            found.update(id(n) for arg in node.args for n in ast.walk(arg))
    return found


def offending(value: str, *, in_rules: bool) -> bool:
    if in_rules:
        if value in CHECK_CATEGORIES:
            return False  # a check's key, translated at the bot's boundary
        return bool(TITLES.search(value)) or any(
            m.group(0) not in CHECK_CATEGORIES for m in CLAUSE_ID.finditer(value)
        )
    return bool(CLAUSE_ID.search(value) or TITLES.search(value)) or value in LETTERS


def scan_source(path: str, source: str) -> list[tuple[str, int, str]]:
    """(path, line, literal) of every hard-coded term in one module."""
    tree = ast.parse(source)
    skipped = _docstrings(tree) | _logged(tree)
    in_rules = path.startswith("rules/")
    hits: dict[int, str] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
            and offending(node.value, in_rules=in_rules)
            and not any(path == p and part in node.value for p, part in ALLOWED)
        ):
            hits.setdefault(node.lineno, node.value)
    return [(path, line, value) for line, value in sorted(hits.items())]


def scan() -> list[tuple[str, int, str]]:
    found = []
    for top in SCANNED:
        for file in sorted((ROOT / top).rglob("*.py")):
            rel = file.relative_to(ROOT).as_posix()
            found += scan_source(rel, file.read_text(encoding="utf-8"))
    return found


# Lines that still hard-code a term (issue 15, 2). Lower it as messages move to the file;
# it must never grow.
REMAINING = 0


def test_no_message_hard_codes_the_seed_citys_terms():
    found = scan()
    listing = "\n".join(f"{p}:{line}: {value[:80]!r}" for p, line, value in found)
    assert len(found) <= REMAINING, (
        f"{len(found)} lines hard-code a clause id, role title or exemption letter "
        f"(at most {REMAINING}); take them from bot.guideline.terms:\n{listing}"
    )


def test_the_scanner_sees_a_hard_coded_term_and_ignores_code_and_docs():
    source = '''
"""Module docs may cite 4(3)エ and the 広報課長."""
import logging
log = logging.getLogger(__name__)
EMERGENCY = "エ"
def f(terms):
    """The 所属長 decides (4(3))."""
    log.info("sent to 情報政策課")
    x = f"{terms.approver}の決裁（{terms.approval_clause}）"  # 所属長 in a comment
    return "所属長の決裁（4(3)）を依頼しました", "開設届", x
'''
    found = [(line, value) for _, line, value in scan_source("bot/x.py", source)]
    assert found == [(5, "エ"), (10, "所属長の決裁（4(3)）を依頼しました")]
    # Another shipped file's words are seen too.
    assert scan_source("bot/x.py", 'a = "所管課長へ"\nb = "乙"\nc = "開設確認申請書"\n') == [
        ("bot/x.py", 1, "所管課長へ"),
        ("bot/x.py", 2, "乙"),
        ("bot/x.py", 3, "開設確認申請書"),
    ]
    assert scan_source("rules/x.py", 'CLAUSE = "7(1)エ"\nwhy = "5(10) も参照"\n') == [
        ("rules/x.py", 2, "5(10) も参照")
    ]

"""Loading the city-editable data files (lexicons, allow-lists, the shortener list).

Every data file sits beside the rule module that uses it. A city overrides one by putting
a file with the same name in the folder named by ``GUIDELINE_RULES_DATA``: that file then
replaces the bundled one. Format errors raise :class:`DataError` naming file and line, at
start-up (``Config.load``), never in the middle of a check.

Formats (UTF-8; blank lines and lines starting with ``#`` are ignored):

* list files (``*.txt``): one entry per line.
* phrase files (``*.tsv``): ``term<TAB>severity`` then optional ``key=value`` columns,
  see :class:`PhraseEntry`. ``term`` may list variants separated by ``|``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .argparse_ja import os_error
from .model import CLAUSES, SEVERITIES
from .normalize import normalize_plain

ENV_VAR = "GUIDELINE_RULES_DATA"
PACKAGE_DIR = Path(__file__).resolve().parent


class DataError(ValueError):
    """A data file is malformed; the message names the file and line."""


def resolve(relative: str, override_dir: Path | None) -> Path:
    """Path of a bundled data file, or of its replacement in the override folder."""
    bundled = PACKAGE_DIR / relative
    if override_dir is not None:
        candidate = override_dir / bundled.name
        if candidate.is_file():
            return candidate
    return bundled


def override_dir_from_env() -> Path | None:
    """The override folder named by the environment, if any (must exist)."""
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise DataError(f"{ENV_VAR}={value}: folder does not exist")
    return path


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` for meaningful lines of a data file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: 読めません（{os_error(exc)}）") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}:{bad_line}: not valid UTF-8") from exc
    for number, line in enumerate(content.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        yield number, line.rstrip("\r\n")


def load_list(path: Path, validate: Callable[[str], str | None] | None = None) -> list[str]:
    """Load a one-entry-per-line file; ``validate`` returns an error text or None."""
    out: list[str] = []
    for number, line in iter_lines(path):
        entry = line.strip()
        if validate is not None:
            error = validate(entry)
            if error:
                raise DataError(f"{path}:{number}: {error}: {entry!r}")
        out.append(entry)
    return out


_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")


def validate_domain(entry: str) -> str | None:
    """Domain entries: lower-case ASCII labels, no scheme, no path."""
    if entry != entry.lower():
        return "domain must be lower case"
    if not _DOMAIN_RE.match(entry):
        return "not a domain name"
    return None


@dataclass(frozen=True, slots=True)
class PhraseEntry:
    """One line of a phrase file.

    Optional columns (``key=value``):
    ``clause`` (defaults to the family's), ``category``, ``note``,
    ``not_before`` (regex; the hit is ignored when the text just before it matches),
    ``not_after`` (regex; ignored when the text just after it starts with a match),
    ``needs`` (regex that must occur in the same sentence),
    ``unless`` (regex that must not occur in the same sentence),
    ``unless_post`` (regex that must not occur anywhere in the text),
    ``pos`` (UniDic part of speech the first morpheme must have, e.g. ``助動詞``),
    ``lemma`` (UniDic lemma the first morpheme must have, e.g. ``そう-伝聞`` for hearsay),
    ``match`` (``token``: the hit must start and end on morpheme boundaries, and must not
    be a person's or place name; ``substring``: anywhere; ``auto``, the default: ``token``
    for terms of one or two characters or of up to four kana, else ``substring``).
    """

    term: str  # normalised form; its spelling variants are matched too
    display: str
    rule: str
    clause: str
    severity: str
    category: str
    note: str
    not_before: re.Pattern[str] | None
    not_after: re.Pattern[str] | None
    needs: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    unless_post: re.Pattern[str] | None
    match: str
    pos: str  # required UniDic pos1 of the first morpheme ("" = any)
    lemma: str  # required UniDic lemma of the first morpheme ("" = any)
    source: str  # "file:line", for docs and debugging


_KANA = re.compile(r"^[\u3041-\u309f\u30a1-\u30ffー]+$")


def _needs_token_check(term: str) -> bool:
    """Short or kana-only terms hide inside other words (非人道的, 惑わされず)."""
    return len(term) <= 2 or (len(term) <= 4 and bool(_KANA.match(term)))


_KEYS = {
    "unless_post",
    "pos",
    "lemma",
    "clause",
    "category",
    "note",
    "not_before",
    "not_after",
    "needs",
    "unless",
    "match",
}


def load_phrases(
    path: Path, *, rule: str, clause: str, allowed_clauses: tuple[str, ...] | None = None
) -> list[PhraseEntry]:
    """Load a phrase file for one rule."""
    out: list[PhraseEntry] = []
    for number, line in iter_lines(path):
        where = f"{path}:{number}"
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2:
            raise DataError(f"{where}: expected 'term<TAB>severity', got {line!r}")
        terms, severity = cols[0], cols[1]
        if severity not in SEVERITIES:
            raise DataError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        opts: dict[str, str] = {}
        for col in cols[2:]:
            if not col:
                continue
            key, sep, value = col.partition("=")
            if not sep or key not in _KEYS:
                raise DataError(f"{where}: unknown column {col!r} (keys: {sorted(_KEYS)})")
            opts[key] = value
        entry_clause = opts.get("clause", clause)
        if entry_clause not in CLAUSES or (
            allowed_clauses is not None and entry_clause not in allowed_clauses
        ):
            raise DataError(f"{where}: clause {entry_clause!r} not allowed here")
        match_mode = opts.get("match", "auto")
        if match_mode not in ("auto", "token", "substring"):
            raise DataError(f"{where}: match must be 'auto', 'token' or 'substring'")
        compiled: dict[str, re.Pattern[str] | None] = {}
        template: str
        for name, template in (
            ("not_before", "(?:{})$"),
            ("not_after", "{}"),
            ("needs", "{}"),
            ("unless", "{}"),
            ("unless_post", "{}"),
        ):
            pattern = opts.get(name)
            if pattern:
                try:
                    compiled[name] = re.compile(template.format(pattern))
                except re.error as exc:
                    raise DataError(f"{where}: bad regex in {name}: {exc}") from exc
            else:
                compiled[name] = None
        for variant in terms.split("|"):
            display = normalize_plain(variant.strip())
            if not display:
                raise DataError(f"{where}: empty term")
            mode = match_mode
            if mode == "auto":
                mode = "token" if _needs_token_check(display) else "substring"
            out.append(
                PhraseEntry(
                    term=display,
                    display=display,
                    rule=rule,
                    clause=entry_clause,
                    severity=severity,
                    category=opts.get("category", ""),
                    note=opts.get("note", ""),
                    not_before=compiled["not_before"],
                    not_after=compiled["not_after"],
                    needs=compiled["needs"],
                    unless=compiled["unless"],
                    unless_post=compiled["unless_post"],
                    match=mode,
                    pos=opts.get("pos", ""),
                    lemma=opts.get("lemma", ""),
                    source=where,
                )
            )
    return out

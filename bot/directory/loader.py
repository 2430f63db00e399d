"""Load the directory (people, departments, accounts, org roles, channels) from YAML.

The file format is documented in docs/directory.md. Loading is:

- validated first, as a whole: every problem is reported with the line it is on, and
  nothing is written if there is any;
- idempotent: people are matched by ``handle``, departments and accounts by ``code``,
  channels by ``key``; running the same file twice changes nothing;
- a sync for the lists it owns: deputies, operators, exemptions and org roles that are no
  longer listed are removed. People, departments and accounts missing from the file are
  left alone (drafts and the audit log refer to them).

Parsing is ``bot.directory.parsing``, applying ``bot.directory.applying`` (one function per
section of the file each); this module reads the file and runs both.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from bot.cliutil import os_error
from bot.clock import Clock
from bot.directory.applying import LoadResult, apply
from bot.directory.parsing import (
    TOP_LEVEL,
    AccountSpec,
    ChannelSpec,
    DepartmentSpec,
    DeputySpec,
    DirectoryError,
    DirectorySpec,
    ExemptionSpec,
    PersonSpec,
    parse,
)
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms

__all__ = [
    "DEMO_FILE",
    "TOP_LEVEL",
    "AccountSpec",
    "ChannelSpec",
    "DepartmentSpec",
    "DeputySpec",
    "DirectoryError",
    "DirectorySpec",
    "ExemptionSpec",
    "LoadResult",
    "PersonSpec",
    "apply",
    "load_file",
    "load_text",
    "parse",
]


def load_text(
    session: Session,
    *,
    source: str,
    name: str = "",
    actor: str = "system",
    clock: Clock | None = None,
) -> LoadResult:
    """Validate and apply a directory given as YAML text."""
    spec = parse(source, origin=name, terms=guideline_terms.in_force(session))
    return apply(session, spec=spec, actor=actor, clock=clock)


def load_file(
    session: Session, *, path: str | Path, actor: str = "system", clock: Clock | None = None
) -> LoadResult:
    """Validate and apply a directory file."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationFailed(f"名簿ファイルを読めません: {path}（{os_error(exc)}）") from None
    except UnicodeDecodeError:
        raise ValidationFailed(f"名簿ファイルは UTF-8 で保存してください: {path}") from None
    return load_text(session, source=source, name=str(path), actor=actor, clock=clock)


DEMO_FILE = Path(__file__).with_name("demo.yaml")

"""Loading a guideline version into the database (recorded, never rewriting history)."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot import audit
from bot.clock import Clock, SystemClock
from bot.directory import service as directory
from bot.errors import PermissionDenied
from bot.guideline.loader import DATA_DIR, default_guideline, parse
from bot.guideline.model import Guideline
from bot.guideline.models import GuidelineLoad

#: Who may change the guideline in force: administrators and 情報政策課.
LOADER_ROLES = ("admin", "info_policy")


def record_load(
    session: Session,
    *,
    raw: bytes,
    source: str,
    actor: str,
    clock: Clock | None = None,
) -> tuple[Guideline, GuidelineLoad | None]:
    """Validate and record a guideline file; None when that exact file is already in force.

    ``actor`` is a directory handle (who must hold an admin or 情報政策課 role) or
    ``system`` (the operator at the command line, as for ``directory load``).
    """
    guideline = parse(raw, source=source)
    person = None
    if actor != "system":
        person = directory.get_person(session, handle=actor)
        if not any(directory.has_role(session, person=person, role=r) for r in LOADER_ROLES):
            # The desk of the version in force: the one whose staff loaded it.
            desk = in_force(session).incident_desk.title
            raise PermissionDenied(f"ガイドラインを読み込めるのは管理者と{desk}の担当者だけです。")
    current = latest(session)
    if current is not None and current.sha256 == guideline.sha256:
        return guideline, None
    load = GuidelineLoad(
        name=guideline.name,
        version=guideline.version,
        sha256=guideline.sha256,
        content=raw.decode("utf-8-sig"),
        loaded_by_id=person.id if person else None,
        loaded_by_name=person.handle if person else actor,
        loaded_at=(clock or SystemClock()).now(),
    )
    session.add(load)
    session.flush()
    audit.record(
        session,
        actor=load.loaded_by_name,
        action="guideline.loaded",
        subject_type="guideline",
        subject_id=load.id,
        data={
            "name": guideline.name,
            "version": guideline.version,
            "sha256": guideline.sha256,
            "source": source,
        },
        clock=clock,
    )
    return guideline, load


def latest(session: Session) -> GuidelineLoad | None:
    return session.scalars(
        sa.select(GuidelineLoad).order_by(GuidelineLoad.id.desc()).limit(1)
    ).first()


def in_force(session: Session) -> Guideline:
    """The guideline in force: the newest load, or the bundled default if none was loaded.

    The one lookup of the guideline in force (per session, hence per tenant); the parsed
    file is cached by its SHA-256, so each request costs one indexed query.
    """
    row = session.execute(
        sa.select(GuidelineLoad.id, GuidelineLoad.sha256).order_by(GuidelineLoad.id.desc()).limit(1)
    ).first()
    if row is None:
        return default_guideline()
    return _parsed(session, row.id, row.sha256)


def by_sha256(session: Session | None, sha256: str) -> Guideline | None:
    """A version by its hash: a load recorded in the database, or a file that ships."""
    cached = _cache.get(sha256)
    if cached is not None:
        return cached
    if session is not None:
        load_id = session.scalar(
            sa.select(GuidelineLoad.id).where(GuidelineLoad.sha256 == sha256).limit(1)
        )
        if load_id is not None:
            return _parsed(session, load_id, sha256)
    for path in sorted(DATA_DIR.glob("*.yaml")):
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() == sha256:
            guideline = parse(raw, source=str(path))
            _cache[sha256] = guideline
            return guideline
    return None


_cache: dict[str, Guideline] = {}


def _parsed(session: Session, load_id: int, sha256: str) -> Guideline:
    found = _cache.get(sha256)
    if found is None:
        content = session.scalar(
            sa.select(GuidelineLoad.content).where(GuidelineLoad.id == load_id)
        )
        assert content is not None
        found = parse(content.encode("utf-8"), source=f"guideline_loads#{load_id}")
        _cache[sha256] = found
    return found


def history(session: Session) -> list[GuidelineLoad]:
    return list(session.scalars(sa.select(GuidelineLoad).order_by(GuidelineLoad.id)))

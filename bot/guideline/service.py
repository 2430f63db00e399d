"""Loading a guideline version into the database (recorded, never rewriting history)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot import audit
from bot.clock import Clock, SystemClock
from bot.directory import service as directory
from bot.errors import PermissionDenied
from bot.guideline.loader import default_guideline, parse
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
            raise PermissionDenied(
                "ガイドラインを読み込めるのは管理者と情報政策課の担当者だけです。"
            )
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
    """The guideline in force: the newest load, or the bundled default if none was loaded."""
    load = latest(session)
    if load is None:
        return default_guideline()
    return parse(load.content.encode("utf-8"), source=f"guideline_loads#{load.id}")


def history(session: Session) -> list[GuidelineLoad]:
    return list(session.scalars(sa.select(GuidelineLoad).order_by(GuidelineLoad.id)))

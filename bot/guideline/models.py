"""Which guideline versions were loaded, by whom and when: the file itself is kept."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base
from bot.directory.models import Person
from bot.tenancy import TenantOwned


class GuidelineLoad(TenantOwned, Base):
    """One load of a guideline file. The newest load is the guideline in force."""

    __tablename__ = "guideline_loads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[str] = mapped_column(sa.String(64))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    # The file as loaded, so that every past version can be shown and compared later.
    content: Mapped[str] = mapped_column(sa.Text)
    loaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    loaded_by_name: Mapped[str] = mapped_column(sa.String(64))  # handle, or "system"
    loaded_at: Mapped[datetime]

    loaded_by: Mapped[Person | None] = relationship()

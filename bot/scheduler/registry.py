"""The reminder sources this deployment has."""

from __future__ import annotations

from bot.scheduler.settings import ReminderSettings
from bot.scheduler.sources import ReminderSource


def default_sources(settings: ReminderSettings) -> list[ReminderSource]:
    """Drafts always; incidents once the incidents package is installed."""
    from bot.scheduler.drafts import DraftSource

    sources: list[ReminderSource] = [DraftSource(settings)]
    try:
        from bot.scheduler.incidents import IncidentSource
    except ImportError:  # the incidents package has not landed in this checkout
        return sources
    sources.append(IncidentSource(settings))
    return sources

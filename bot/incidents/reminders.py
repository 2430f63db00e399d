"""Reminders about incidents (6(3)): an open 炎上 with no status update for a while.

Rule ``incident.stale``: counted from ``Incident.last_update_at`` (every status update resets
it, which starts a new series), wall-clock time (a 炎上 does not wait for office hours),
posted in the incident's thread in 情報政策課's channel, mentioning the account manager and
the reporter. The wording is the incidents package's (``messaging.reminder_message``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.business_calendar import BusinessCalendar
from bot.incidents import messaging
from bot.incidents.models import Incident
from bot.incidents.service import reminder_mentions
from bot.scheduler.models import Reminder
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.sources import Rendered, Rule, Rules, id_in, snooze_actions


def _stale_flaming(now: datetime) -> sa.Select:
    return sa.select(
        Incident.id.label("item_id"),
        Incident.last_update_at.label("anchor_at"),
        sa.literal(messaging.INFO_POLICY_CHANNEL, sa.String).label("recipient_key"),
    ).where(Incident.status == "open", Incident.type == "flaming")


class IncidentSource:
    """Open 炎上 incidents whose thread has gone quiet."""

    item_type = "incident"

    def __init__(self, settings: ReminderSettings) -> None:
        self.settings = settings

    def rules(self) -> Sequence[Rule]:
        minutes = timedelta(minutes=1)
        rule = Rules("incident", recipient_kind="channel", business_hours=False)
        return (
            rule(
                "incident.stale",
                "炎上・状況報告なし（{incident_flaming}）",
                self.settings.flaming_stale_after_minutes * minutes,
                self.settings.flaming_repeat_minutes * minutes,
                _stale_flaming,
            ),
        )

    def titles(self, session: Session, item_ids: Sequence[int]) -> dict[int, str]:
        incidents = session.scalars(
            sa.select(Incident).where(id_in(session, Incident.id, item_ids))
        )
        return {i.id: messaging.incident_title(i) for i in incidents}

    def render(
        self,
        session: Session,
        reminders: Sequence[Reminder],
        *,
        now: datetime,
        calendar: BusinessCalendar,
    ) -> dict[int, Rendered]:
        ids = sorted({r.item_id for r in reminders})
        incidents = {
            i.id: i
            for i in session.scalars(sa.select(Incident).where(id_in(session, Incident.id, ids)))
        }
        result: dict[int, Rendered] = {}
        for reminder in reminders:
            incident = incidents.get(reminder.item_id)
            if incident is None:
                continue
            message = messaging.reminder_message(
                incident, now=now, mentions=reminder_mentions(session, incident=incident, now=now)
            )
            message = dataclasses.replace(
                message,
                actions=[*message.actions, *snooze_actions(reminder)],
                context=f"{message.context}・リマインダー #{reminder.id}",
            )
            result[reminder.id] = Rendered(message, thread_of_id=incident.thread_root_id)
        return result

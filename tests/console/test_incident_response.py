"""/incident respond in the console drafts the response post with its spacing kept."""

from __future__ import annotations

import sqlalchemy as sa

from bot.drafts.models import DraftVersion
from bot.incidents.models import Incident, IncidentDraft
from handlers.console.testing import TestBot

BODY = "先日の投稿で開催日を誤って掲載しました。  正しくは　12月1日（日）です。"


def test_response_text_keeps_its_inner_spacing(factory, clock):
    bot = TestBot(factory, clock=clock)
    bot.push("sato", "/incident 訂正 kanko-x 開催日の誤り")
    with factory() as session:
        incident_id = session.scalars(sa.select(Incident.id)).one()
    bot.push("sato", f"/incident respond {incident_id} 訂正 {BODY}")
    with factory() as session:
        (link,) = session.scalars(sa.select(IncidentDraft)).all()
        stored = session.scalars(
            sa.select(DraftVersion.text).where(DraftVersion.draft_id == link.draft_id)
        ).one()
    assert stored == BODY

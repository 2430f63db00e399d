"""The 起案 button on an incident card drafts the response post exactly as it was typed."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.drafts.models import DraftVersion
from bot.incidents.models import IncidentDraft

from .conftest import INFO_POLICY_CHANNEL
from .harness import Bot, StubConnector, card_of, click, executes, install, message, payload

TEXT = "  先日の投稿で開催日を誤って掲載しました。\n　正しくは12月1日（日）です。お詫びして訂正します。\n\n"


def test_response_text_from_the_card_keeps_its_spacing_and_line_breaks(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    bot.send(payload("conversation_update_bot_added", stub))  # 情報政策課's team
    for handle in ("sato", "yamada", "watanabe"):
        bot.send(install(stub, handle))
    bot.send(message(stub, "sato", "/incident 訂正 kanko-x 開催日の誤り"))
    (root,) = stub.of("POST", f"/v3/conversations/{INFO_POLICY_CHANNEL}/activities")
    draft_it = executes(card_of(root))["説明・訂正・謝罪等の投稿を起案"]
    assert draft_it["verb"] == "incident.respond"

    answer = bot.send(
        click(
            stub,
            "sato",
            draft_it,
            reply_to=root.response_id,
            inputs={"purpose": "訂正", "text": TEXT},
        )
    )

    assert answer.status_code == 200
    with city() as session:
        (link,) = session.scalars(sa.select(IncidentDraft)).all()
        stored = session.scalars(
            sa.select(DraftVersion.text).where(DraftVersion.draft_id == link.draft_id)
        ).one()
    assert stored == TEXT

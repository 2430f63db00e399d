"""W4 over HTTP: ``/incident 炎上 …`` opens a thread in 情報政策課's channel and continues there."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.incidents.models import IncidentEvent

from .conftest import INFO_POLICY_CHANNEL
from .harness import (
    Bot,
    StubConnector,
    card_of,
    click,
    executes,
    install,
    message,
    payload,
    texts_of,
)

ROOT_PATH = f"/v3/conversations/{INFO_POLICY_CHANNEL}/activities"


def test_incident_root_in_the_channel_then_replies_in_its_thread(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    bot.send(payload("conversation_update_bot_added", stub))  # 情報政策課's team
    for handle in ("sato", "yamada", "watanabe"):
        bot.send(install(stub, handle))
    stub.calls.clear()

    bot.send(message(stub, "sato", "/incident 炎上 kanko-x 防災訓練の投稿に批判が集中"))

    (root,) = stub.of("POST", ROOT_PATH)
    card = card_of(root)
    assert "炎上" in texts_of(card) and "6(3)" in texts_of(card)
    # The 所属長 and others are brought in with real Teams mentions.
    mentioned = {e["mentioned"]["id"] for e in card["msteams"]["entities"]}
    assert "aad-yamada" in mentioned
    assert any("（炎上）を記録しました" in texts_of(card_of(c)) for c in stub.activities())
    root_id = root.response_id
    stub.calls.clear()

    # 情報政策課 posts a status update from the card: it lands as a reply in the thread.
    thread = {
        "conversationType": "channel",
        "tenantId": "tenant-city",
        "isGroup": True,
        "id": f"{INFO_POLICY_CHANNEL};messageid={root_id}",
    }
    update = executes(card)["状況を報告"]
    answer = bot.send(
        click(
            stub,
            "watanabe",
            update,
            reply_to=root_id,
            conversation=thread,
            inputs={"reason": "所属長・管理者と協議を開始しました。"},
        )
    )
    assert answer.status_code == 200

    replies = stub.of("POST", f"{INFO_POLICY_CHANNEL};messageid={root_id}/activities")
    assert replies, "the update is a reply in the incident's thread"
    assert "所属長・管理者と協議を開始しました。" in texts_of(card_of(replies[-1]))
    with city() as session:
        kinds = session.scalars(sa.select(IncidentEvent.kind)).all()
    assert "update" in kinds

    # Ticking a checklist item rewrites the root card in place.
    stub.calls.clear()
    first_item = next(a for t, a in executes(card).items() if a["verb"] == "incident.toggle")
    bot.send(click(stub, "watanabe", first_item, reply_to=root_id, conversation=thread))
    put = next(c for c in stub.of("PUT") if c.path.endswith(f"/activities/{root_id}"))
    assert "☑" in texts_of(card_of(put))

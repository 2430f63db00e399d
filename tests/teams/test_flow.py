"""The whole W1/W2 path over HTTP against the real core, on SQLite and PostgreSQL.

Activities are POSTed to ``/api/messages``; everything the bot says goes to the stand-in
connector, including what the outbox delivers proactively after each activity.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.drafts.models import Decision, Draft
from bot.notify.models import OutboxMessage

from .harness import (
    Bot,
    Call,
    StubConnector,
    card_of,
    click,
    executes,
    install,
    message,
    payload,
    personal_chat,
    texts_of,
)

TEXT = "本日、市役所本庁舎で防災訓練を行います。"


def posted_to(stub: StubConnector, handle: str) -> list[Call]:
    """New messages the bot posted in ``handle``'s personal chat."""
    return stub.of("POST", f"/v3/conversations/{personal_chat(handle)}/activities")


def last_card(stub: StubConnector, handle: str) -> tuple[str, dict[str, Any]]:
    """(message id, card) of the last message posted to ``handle``."""
    call = [c for c in posted_to(stub, handle) if c.status == 200][-1]
    assert call.response_id is not None
    return call.response_id, card_of(call)


def install_everyone(bot: Bot, stub: StubConnector) -> None:
    for handle in ("sato", "yamada", "kato", "suzuki"):
        bot.send(install(stub, handle))
    stub.calls.clear()


def submit(bot: Bot, stub: StubConnector, text: str = TEXT, options: str = "") -> dict[str, Any]:
    """sato drafts a post for みどり市観光課 X; returns the receipt card."""
    response = bot.send(message(stub, "sato", f"/draft account=kanko-x {options}{text}"))
    assert response.status_code == 200
    return card_of(posted_to(stub, "sato")[0])


def decisions(factory: sessionmaker[Session]) -> list[tuple[str, str | None]]:
    with factory() as session:
        return [(d.kind, d.reason) for d in session.scalars(sa.select(Decision))]


def draft_state(factory: sessionmaker[Session]) -> str:
    with factory() as session:
        (state,) = session.scalars(sa.select(Draft.state)).all()
        return state


def test_draft_is_sent_to_the_head_and_approved_by_the_right_person(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    install_everyone(bot, stub)

    receipt = submit(bot, stub)

    assert "所属長の決裁（4(3)）を依頼しました" in texts_of(receipt)
    # The approval request went proactively to the 所属長 (and the active deputy).
    request_id, request = last_card(stub, "yamada")
    assert "【決裁依頼】" in texts_of(request) and TEXT in texts_of(request)
    assert request["version"] == "1.5"
    assert posted_to(stub, "kato"), "the active deputy gets the request too"
    approve = executes(request)["承認"]
    assert approve["verb"] == "draft.approve"
    stub.calls.clear()

    # Someone else (an operator of the account) clicks: refused, only to them; no change.
    refused = bot.send(click(stub, "suzuki", approve, reply_to=request_id)).json()
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert "決裁" in refused["value"]
    # The author cannot approve their own draft either.
    own = bot.send(click(stub, "sato", approve, reply_to=request_id)).json()
    assert own["type"] == "application/vnd.microsoft.activity.message"
    assert decisions(city) == [] and draft_state(city) == "pending_approval"
    assert stub.of("PUT") == [] and stub.activities() == []

    # The 所属長 approves: the clicker's card changes at once …
    invoke = click(stub, "yamada", approve, reply_to=request_id, activity_id="inv-approve")
    decided = bot.send(invoke).json()
    assert decided["type"] == "application/vnd.microsoft.card.adaptive"
    assert "承認しました" in texts_of(decided["value"])
    # … and the request is replaced in place for everyone (no buttons left) …
    put = next(c for c in stub.of("PUT") if c.path.endswith(f"/activities/{request_id}"))
    assert put.path.startswith(f"/v3/conversations/{personal_chat('yamada')}/")
    assert "【承認済み】" in texts_of(card_of(put)) and "actions" not in card_of(put)
    # … and the author is told, with the next step as a button.
    _, told = last_card(stub, "sato")
    assert "承認" in texts_of(told) and "掲載しました" in executes(told)
    assert decisions(city) == [("approve", None)]

    # The same invoke delivered again (Teams retries) decides nothing.
    again = bot.send(invoke).json()
    assert again["type"] == "application/vnd.microsoft.activity.message"
    assert "既に受け付けました" in again["value"]
    # A second click by the deputy on the stale card is refused by the core.
    late = bot.send(click(stub, "kato", approve, reply_to=request_id)).json()
    assert "既に" in late["value"]
    assert decisions(city) == [("approve", None)]


def test_reject_needs_a_reason_and_the_author_sees_it(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    install_everyone(bot, stub)
    submit(bot, stub)
    request_id, request = last_card(stub, "yamada")
    reject = executes(request)["却下"]
    assert reject["verb"] == "draft.reject" and reject["associatedInputs"] == "auto"

    empty = bot.send(click(stub, "yamada", reject, reply_to=request_id, inputs={"reason": " "}))
    assert "理由を入力してください" in empty.json()["value"]
    assert decisions(city) == []

    bot.send(
        click(stub, "yamada", reject, reply_to=request_id, inputs={"reason": "日付が未確定です"})
    )

    assert decisions(city) == [("reject", "日付が未確定です")]
    _, told = last_card(stub, "sato")
    assert "却下" in texts_of(told) and "日付が未確定です" in texts_of(told)


def test_exempt_post_report_is_acknowledged_by_the_head(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    install_everyone(bot, stub)
    receipt = submit(
        bot,
        stub,
        text="桜まつりを開催します。",
        options="exempt=ア evidence=https://www.city.midori.example.jp/sakura ",
    )
    assert "決裁不要" in texts_of(receipt)
    assert not posted_to(stub, "yamada"), "no 決裁 request for an exempt post"
    receipt_id = posted_to(stub, "sato")[0].response_id
    assert receipt_id is not None

    report = executes(receipt)["投稿しました（事後報告）"]
    answer = bot.send(
        click(
            stub,
            "sato",
            report,
            reply_to=receipt_id,
            inputs={"url": "https://x.com/midori_kanko_demo/status/1", "note": "予定どおり"},
        )
    ).json()
    # The receipt (with its findings) stays: the answer is a message to the clicker only.
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert "事後報告を提出しました" in answer["value"]

    report_id, filed = last_card(stub, "yamada")
    assert "【事後報告】" in texts_of(filed)
    acknowledge = executes(filed)["確認しました"]
    assert acknowledge["verb"] == "report.acknowledge"
    # Only the 所属長 (or deputy) acknowledges; the author's click is refused.
    refused = bot.send(click(stub, "sato", acknowledge, reply_to=report_id)).json()
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert draft_state(city) == "reported"

    ack = bot.send(click(stub, "yamada", acknowledge, reply_to=report_id)).json()

    assert "確認しました" in texts_of(ack["value"])
    assert draft_state(city) == "acknowledged"
    put = next(c for c in stub.of("PUT") if c.path.endswith(f"/activities/{report_id}"))
    assert "【事後報告 確認済み】" in texts_of(card_of(put))


def test_unregistered_user_is_told_in_japanese(bot: Bot, stub: StubConnector) -> None:
    bot.send(message(stub, "stranger", "/draft account=kanko-x お知らせ"))

    (reply,) = stub.activities()
    assert "名簿に登録されていません" in texts_of(card_of(reply))


def test_unregistered_user_may_still_self_check(bot: Bot, stub: StubConnector) -> None:
    bot.send(message(stub, "stranger", "/check 連絡先は090-1234-5678です"))

    (reply,) = stub.activities()
    card = card_of(reply)
    assert "7(1)エ" in texts_of(card) and "090-1234-5678" in texts_of(card)


def test_outbox_waits_while_the_connector_fails_and_delivers_later(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock: Any
) -> None:
    install_everyone(bot, stub)
    # The approval request to the 所属長 meets 503s on every retry of this round.
    stub.script("POST", personal_chat("yamada"), *[(503, {})] * 4)
    stub.script("POST", personal_chat("kato"), *[(429, {"Retry-After": "1"})] * 4)

    submit(bot, stub)

    assert not [c for c in posted_to(stub, "yamada") if c.status == 200]
    with city() as session:
        waiting = session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.status == "pending")
        ).all()
        assert len(waiting) == 2 and all(m.last_error for m in waiting)

    clock.advance(minutes=5)
    stats = bot.deliver()

    assert stats.sent == 2
    _, request = last_card(stub, "yamada")
    assert "【決裁依頼】" in texts_of(request)
    with city() as session:
        assert (
            session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == "pending")) == 0
        )


def test_conversation_reference_is_stored_on_first_message(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    from bot.directory.models import ConversationRef

    bot.send(message(stub, "yamada", "/inbox"))

    with city() as session:
        (ref,) = session.scalars(sa.select(ConversationRef)).all()
    assert (ref.platform, ref.owner_kind, ref.owner_key) == ("teams", "person", "yamada")
    assert ref.conversation_id == personal_chat("yamada")
    assert ref.service_url == stub.base_url
    assert ref.data["tenant_id"] == "tenant-city"


def test_channel_reference_is_stored_when_the_bot_joins_the_team(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    from bot.directory.models import ConversationRef

    bot.send(payload("conversation_update_bot_added", stub))

    with city() as session:
        (ref,) = session.scalars(sa.select(ConversationRef)).all()
    assert (ref.owner_kind, ref.owner_key) == ("channel", "info_policy")
    assert ref.conversation_id == "19:johoseisaku-general@thread.tacv2"

"""Messages wait for a person (or channel) the bot cannot reach yet, and go out the moment
it can: over HTTP, with the 所属長 (yamada) and the deputy (kato) not installed at first.

Issue 12, item 2: capturing a conversation reference (install, first message, the bot added
to a channel) releases everything waiting for that person or channel at once; "no address
yet" is no failure that exhausts retries; 情報政策課's digest lists who cannot be reached.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.app import reminder_sources
from bot.clock import FakeClock
from bot.db import transaction
from bot.notify.models import OutboxMessage
from bot.notify.service import MAX_ATTEMPTS_BEFORE_FAILED
from bot.scheduler.service import build_digest, build_plan
from bot.scheduler.settings import ReminderSettings

from .conftest import INFO_POLICY_CHANNEL
from .harness import Bot, StubConnector, card_of, install, message, payload, personal_chat, texts_of


def to_chat(stub: StubConnector, handle: str) -> list[str]:
    """Texts of the cards posted in ``handle``'s personal chat."""
    return [
        texts_of(card_of(c))
        for c in stub.of("POST", f"/v3/conversations/{personal_chat(handle)}/activities")
        if c.status == 200
    ]


def waiting_for(factory: sessionmaker[Session], handle: str) -> list[OutboxMessage]:
    with factory() as session:
        return list(
            session.scalars(
                sa.select(OutboxMessage).where(
                    OutboxMessage.recipient_key == handle, OutboxMessage.status == "pending"
                )
            )
        )


def digest_text(factory: sessionmaker[Session], clock: FakeClock) -> str:
    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    plan = build_plan(settings, reminder_sources(settings))
    with factory() as session:
        digest = build_digest(session, plan=plan, now=clock.now())
    return digest.text + "\n" + "\n".join(f"{f.label}: {f.value}" for f in digest.fields)


def test_approval_request_waits_for_the_head_then_arrives_with_their_install(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> None:
    bot.send(install(stub, "sato"))
    bot.send(message(stub, "sato", "/draft account=kanko-x 本日、防災訓練を行います。"))
    assert to_chat(stub, "yamada") == [] and to_chat(stub, "kato") == []

    # Hourly worker runs past where the old code gave up: the requests wait, no attempt
    # is counted, nothing is marked failed.
    for _ in range(MAX_ATTEMPTS_BEFORE_FAILED + 5):
        clock.advance(hours=1)
        bot.deliver()
    (request,) = waiting_for(city, "yamada")
    assert request.attempts == 0 and request.unreachable_since is not None
    assert "no teams address" in (request.last_error or "")

    # 情報政策課's digest names both approvers the bot cannot reach yet.
    digest = digest_text(city, clock)
    assert "山田" in digest and "加藤" in digest and "アプリ未追加" in digest

    # The 所属長 installs the app: the request arrives with that very activity's delivery
    # (no clock advance, no worker run, no further message from them).
    stub.calls.clear()
    bot.send(install(stub, "yamada"))
    texts = to_chat(stub, "yamada")
    assert any("【決裁依頼】" in t for t in texts), texts
    assert waiting_for(city, "yamada") == []
    # The deputy is still waiting; their first message (no install event) releases theirs.
    assert to_chat(stub, "kato") == []
    bot.send(message(stub, "kato", "help"))
    assert any("【決裁依頼】" in t for t in to_chat(stub, "kato"))
    assert waiting_for(city, "kato") == []


def test_messages_in_backoff_are_released_when_the_address_is_stored(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> None:
    """A message in a long backoff (connector errors) goes out when the person writes."""
    bot.send(install(stub, "sato"))
    bot.send(install(stub, "yamada"))
    stub.calls.clear()
    # Every attempt to reach yamada fails for a while (the SDK's retries included).
    stub.script("POST", personal_chat("yamada"), *[(503, {})] * 4 * 6)
    bot.send(message(stub, "sato", "/draft account=kanko-x 本日、防災訓練を行います。"))
    for _ in range(5):
        clock.advance(minutes=20)
        bot.deliver()
    (request,) = waiting_for(city, "yamada")
    assert request.attempts >= 1 and request.next_attempt_at > clock.now() + timedelta(minutes=1)
    stub.scripted.clear()

    bot.send(message(stub, "yamada", "/inbox"))
    assert any("【決裁依頼】" in t for t in to_chat(stub, "yamada"))
    assert waiting_for(city, "yamada") == []


def test_incident_thread_waits_for_the_channel_and_goes_out_when_the_bot_is_added(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> None:
    """The channel has a Teams id but the bot was never added: the root waits; being added
    to the team releases the root and then its thread replies, in order."""
    for handle in ("sato", "yamada", "watanabe"):
        bot.send(install(stub, handle))
    with transaction(city) as session:  # the directory knows no Teams id for the channel
        from bot.directory.models import Channel

        channel = session.scalar(sa.select(Channel).where(Channel.key == "info_policy"))
        assert channel is not None
        channel.teams_channel_id = None
    bot.send(message(stub, "sato", "/incident 炎上 kanko-x 防災訓練の投稿に批判が集中"))
    with city() as session:
        from bot.incidents.models import Incident

        number = session.scalar(sa.select(sa.func.max(Incident.id)))
    bot.send(message(stub, "sato", f"/incident update {number} 削除を検討中"))
    clock.advance(hours=5)
    bot.deliver()
    assert stub.of("POST", INFO_POLICY_CHANNEL) == []
    # The reporter is told what is queued, not that the thread exists (issue 12, item 3).
    told = "\n".join(to_chat(stub, "sato"))
    assert "対応スレッドの作成を依頼しました" in told and "スレッドができ次第" in told
    assert "スレッドを作成しました" not in told
    assert "ボット未追加" in digest_text(city, clock)

    with transaction(city) as session:
        from bot.directory.models import Channel

        channel = session.scalar(sa.select(Channel).where(Channel.key == "info_policy"))
        assert channel is not None
        channel.teams_channel_id = INFO_POLICY_CHANNEL
    stub.calls.clear()
    bot.send(payload("conversation_update_bot_added", stub))
    posts = stub.of("POST", INFO_POLICY_CHANNEL)
    assert len(posts) == 2, [c.path for c in posts]
    # … and told when it does exist, after the root was posted, with a way to open it.
    notice = [c for c in stub.activities() if personal_chat("sato") in c.path]
    assert len(notice) == 1 and "対応スレッドを作成しました" in texts_of(card_of(notice[0]))
    assert stub.calls.index(posts[0]) < stub.calls.index(notice[0])
    root, reply = posts
    assert root.path == f"/v3/conversations/{INFO_POLICY_CHANNEL}/activities"
    assert f";messageid={root.response_id}" in reply.path
    assert "削除を検討中" in texts_of(card_of(reply))

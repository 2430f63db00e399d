"""Slack's Web API is down for ten minutes (issue 17, item 5).

Everything queued before and during the outage is delivered once afterwards, and in order
within each conversation. The outbox's retry schedule runs on a fake clock: the test steps
through the ten minutes (and the backoff after them) without waiting for them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from bot.directory.models import Channel, Person
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.notify.service import deliver_pending, enqueue
from handlers.slack.client import build_client
from handlers.slack.notifier import SlackNotifier
from handlers.slack.settings import SlackSettings
from tests.slack.mock_web_api_server import MockSlackWebApi

OUTAGE = timedelta(minutes=10)
STEP = timedelta(seconds=10)
TITLE = re.compile(r"^通知 (\S+) #(\d+)")


class SlackDownUntil(MockSlackWebApi):
    """The Web API stand-in that answers 503 to every method until the fake clock passes."""

    def __init__(self, clock: Any, until: Any) -> None:
        super().__init__()
        self.clock = clock
        self.until = until

    def _handle(self, method: str, params: dict, token: str | None) -> Any:
        if self.clock.now() < self.until:
            return 503, {"ok": False, "error": "service_unavailable"}, {}
        return super()._handle(method, params, token)


def _directory(session) -> list[str]:
    for i in range(3):
        session.add(Person(handle=f"p{i}", name=f"職員{i}", active=True, slack_user_id=f"U0P{i}"))
    session.add(Channel(key="info_policy", name="情報政策課", slack_channel_id="C0INFO"))
    session.flush()
    return ["p0", "p1", "p2", "#info_policy"]


def _queue(session, clock, conversation: str, n: int) -> None:
    message = OutMessage(kind="test", title=f"通知 {conversation} #{n}")
    if conversation.startswith("#"):
        enqueue(session, message=message, to_channel=conversation[1:], clock=clock)
    else:
        person = session.scalars(sa.select(Person).where(Person.handle == conversation)).one()
        enqueue(session, message=message, to_person=person, clock=clock)


def test_everything_queued_during_a_ten_minute_outage_is_delivered_once_in_order(
    session, factory, clock
):
    conversations = _directory(session)
    start = clock.now()
    sleeps: list[float] = []
    with SlackDownUntil(clock, start + OUTAGE) as api:
        settings = SlackSettings(
            slack_bot_token="xoxb-0-0-fault", slack_signing_secret="s", slack_api_url=api.api_url
        )
        notifier = SlackNotifier(build_client(settings, sleep=sleeps.append, timeout=5))
        queued: dict[str, list[int]] = {c: [] for c in conversations}
        counter = 0

        def queue_some() -> None:
            nonlocal counter
            for conversation in conversations:
                counter += 1
                _queue(session, clock, conversation, counter)
                queued[conversation].append(counter)

        queue_some()  # before the outage is noticed
        session.commit()
        delivered_during_outage = 0
        steps = 0
        while True:
            while (stats := deliver_pending(factory, notifier, clock=clock)).sent:
                if clock.now() < start + OUTAGE:
                    delivered_during_outage += stats.sent
            pending = session.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == "pending")
            )
            if clock.now() >= start + OUTAGE and not pending:
                break
            steps += 1
            assert steps < 5000, "the outbox did not drain within seven hours after the outage"
            if clock.now() < start + OUTAGE and steps % 6 == 0:
                queue_some()  # new notifications keep coming while Slack is down
                session.commit()
            clock.advance(seconds=STEP.total_seconds())

        posted = [
            c for c in api.calls_to("chat.postMessage") if c.status == 200
        ]  # the 503 answers are recorded too
    assert delivered_during_outage == 0
    assert any(c.status == 503 for c in api.calls)  # the outage was real
    assert sleeps  # the client's own retries ran (on recorded, not real, sleeps)
    seen: dict[str, list[int]] = {c: [] for c in conversations}
    for call in posted:
        match = TITLE.match(call.params["text"])
        assert match, call.params["text"]
        seen[match.group(1)].append(int(match.group(2)))
    total = sum(len(v) for v in queued.values())
    assert total >= 4 * 10  # ten minutes of traffic, not a handful
    assert seen == queued  # each message once, and in the order queued per conversation
    statuses = session.scalars(sa.select(OutboxMessage.status)).all()
    assert set(statuses) == {"sent"} and len(statuses) == total
    # Delivered soon after Slack came back, not at the end of a long backoff.
    last = session.scalar(sa.select(sa.func.max(OutboxMessage.sent_at)))
    assert last - (start + OUTAGE) <= timedelta(minutes=20)

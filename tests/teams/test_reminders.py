"""W3 through Teams: a reminder sweep (FakeClock) delivered by TeamsNotifier; snooze by card.

Also the worker's side: ``BOT_PLATFORM=teams`` builds its notifier through
``handlers.teams.make_notifier`` (a standalone SDK app on its own loop thread).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.__main__ import ADAPTERS
from bot.app import reminder_sources
from bot.clock import FakeClock
from bot.config import Settings
from bot.notify.messages import OutMessage
from bot.notify.service import resolve_address
from bot.scheduler.models import Reminder
from bot.scheduler.notifiers import make_notifier
from bot.scheduler.service import build_plan
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.worker import Worker
from bot.tenancy import DEFAULT_TENANT
from handlers.teams.addresses import read_mention_targets
from handlers.teams.app import standalone_notifier
from handlers.teams.notifier import TeamsNotifier, TenantTeamsNotifiers
from handlers.teams.settings import TeamsSettings

from .harness import (
    BOT_APP_ID,
    TENANT,
    Bot,
    StubConnector,
    StubTokenProvider,
    card_of,
    click,
    executes,
    install,
    message,
    personal_chat,
    texts_of,
)


def settings() -> ReminderSettings:
    return ReminderSettings(_env_file=None, approval_after_hours=4)  # type: ignore[call-arg]


def test_waiting_approval_is_reminded_once_and_can_be_snoozed(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> None:
    for handle in ("sato", "yamada", "kato"):
        bot.send(install(stub, handle))
    bot.send(message(stub, "sato", "/draft account=kanko-x 明日、防災訓練を行います。"))
    worker = Worker(
        factory=city,
        plan=build_plan(settings(), reminder_sources(settings())),
        notifier=bot.notifier,
        clock=clock,
        name="t",
    )
    stub.calls.clear()

    clock.advance(hours=4, minutes=1)  # Wednesday 10:00 JST + 4 business hours
    stats, delivered = worker.run_once()
    worker.run_once()  # a second sweep sends nothing twice

    to_head = stub.of("POST", f"/v3/conversations/{personal_chat('yamada')}/activities")
    assert stats.sent >= 1 and delivered.sent >= 1
    (reminder,) = to_head
    card = card_of(reminder)
    assert "4(3)" in texts_of(card)
    buttons = executes(card)
    assert {"承認", "30分後に再通知"} <= set(buttons)
    mentioned = card["msteams"]["entities"][0]["mentioned"]
    assert mentioned == {"id": "aad-yamada", "name": "山田 花子"}

    answer = bot.send(
        click(stub, "yamada", buttons["30分後に再通知"], reply_to=reminder.response_id or "")
    ).json()

    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    with city() as session:
        snoozed = session.scalars(
            sa.select(Reminder).where(Reminder.recipient_key == "yamada")
        ).one()
    assert snoozed.status == "snoozed"
    assert snoozed.snoozed_until == clock.now() + timedelta(minutes=30)


def test_worker_gets_the_teams_notifier_by_platform_name(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.setenv("CLIENT_ID", BOT_APP_ID)

    notifier = make_notifier(
        "teams", Settings(DATABASE_URL=db_url, BOT_PLATFORM="teams"), ADAPTERS.notifiers
    )

    # Per tenant: the worker delivers tenant T's outbox with for_tenant(T), whose mentions
    # name T's people.
    assert isinstance(notifier, TenantTeamsNotifiers) and notifier.platform == "teams"
    assert isinstance(notifier.for_tenant(DEFAULT_TENANT), TeamsNotifier)


def test_standalone_notifier_sends_from_its_own_loop_thread(
    stub: StubConnector, city: sessionmaker[Session], bot: Bot
) -> None:
    """What the worker process does: no HTTP server, its own SDK app and event loop."""
    bot.send(install(stub, "yamada"))
    stub.calls.clear()
    engine = city.kw["bind"]
    notifier = standalone_notifier(
        TeamsSettings(CLIENT_ID=BOT_APP_ID, TENANT_ID=TENANT, SERVICE_URL=stub.base_url),
        token_provider=StubTokenProvider(stub),
        mentions=lambda handles: read_mention_targets(
            engine, handles=handles, tenant=DEFAULT_TENANT
        ),
    )
    with city() as session:
        address = resolve_address(session, "teams", "person", "yamada")
    assert address is not None

    ref = notifier.send(
        address, OutMessage(kind="reminder", title="決裁待ちがあります", mentions=["yamada"])
    )
    notifier.update(ref, OutMessage(kind="reminder", title="対応済みです"))

    sent = stub.of("POST", f"/v3/conversations/{personal_chat('yamada')}/activities")
    assert len(sent) == 1 and ref.platform == "teams" and ref.message_id == sent[0].response_id
    assert card_of(sent[0])["msteams"]["entities"][0]["mentioned"]["id"] == "aad-yamada"
    (put,) = stub.of("PUT")
    assert put.path.endswith(f"/activities/{ref.message_id}")

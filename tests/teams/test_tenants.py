"""Teams per tenant: the activity's Entra tenant id picks our tenant (issue 15 item 5).

Over HTTP through the real Teams app on both backends. Until a Teams tenant is linked the
deployment is single-tenant (everything is the default tenant: every other Teams test);
once one is linked, an activity from an organisation nobody linked is answered in
Japanese and nothing else happens.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.audit.models import AuditEvent
from bot.clock import FakeClock
from bot.db import transaction
from bot.directory.models import ConversationRef
from bot.drafts.models import Draft
from bot.notify.models import OutboxMessage
from bot.tenancy import DEFAULT_TENANT
from bot.workspaces import TEAMS, Workspace, link
from handlers.teams.tenants import UNKNOWN_TENANT_MESSAGE, activity_tenant

from .harness import TENANT, Bot, StubConnector, install, message, personal_chat

OTHER = "9a0c1e2d-0000-4000-8000-00000000beef"


def link_city(factory: sessionmaker[Session], clock: FakeClock) -> None:
    with transaction(factory) as session:
        link(
            session,
            workspace=Workspace(TEAMS, TENANT),
            tenant_id=DEFAULT_TENANT,
            by="test",
            clock=clock,
        )


def from_org(activity: dict[str, Any], org: str | None) -> dict[str, Any]:
    activity["conversation"] = dict(activity["conversation"])
    if org is None:
        activity["conversation"].pop("tenantId", None)
        activity.pop("channelData", None)
    else:
        activity["conversation"]["tenantId"] = org
        activity["channelData"] = {"tenant": {"id": org}}
    return activity


def replies(stub: StubConnector, handle: str) -> list[str]:
    calls = stub.of("POST", f"/v3/conversations/{personal_chat(handle)}/activities")
    return [str(c.body.get("text") or "") + str(c.body.get("attachments") or "") for c in calls]


def counts(factory: sessionmaker[Session]) -> tuple[int, ...]:
    with factory() as session:
        return tuple(
            session.scalar(sa.select(sa.func.count()).select_from(m)) or 0
            for m in (AuditEvent, OutboxMessage, ConversationRef, Draft)
        )


def test_activity_tenant_reads_conversation_then_channel_data() -> None:
    class Obj:
        def __init__(self, **kw: Any) -> None:
            self.__dict__.update(kw)

    assert activity_tenant(Obj(conversation=Obj(tenant_id=" ABC "))) == "abc"
    assert (
        activity_tenant(
            Obj(conversation=Obj(tenant_id=None), channel_data=Obj(tenant=Obj(id="DEF")))
        )
        == "def"
    )
    assert activity_tenant(Obj(conversation=None, channel_data=None)) is None


def test_a_linked_organisation_is_served(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> None:
    link_city(city, clock)
    bot.send(install(stub, "sato"))
    stub.calls.clear()
    response = bot.send(message(stub, "sato", "/draft account=kanko-x 本日は晴天です。"))
    assert response.status_code == 200
    assert replies(stub, "sato") and UNKNOWN_TENANT_MESSAGE not in " ".join(replies(stub, "sato"))
    with city() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1


def test_an_unlinked_organisation_is_told_and_nothing_is_done(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock: FakeClock
) -> None:
    link_city(city, clock)
    before = counts(city)
    for org in (OTHER, None):
        stub.calls.clear()
        bot.send(from_org(install(stub, "sato"), org))
        response = bot.send(
            from_org(message(stub, "sato", "/draft account=kanko-x 本日は晴天です。"), org)
        )
        assert response.status_code == 200
        (answer,) = replies(stub, "sato")  # one answer, to the message; none to the install
        assert UNKNOWN_TENANT_MESSAGE in answer
    assert counts(city) == before


def test_without_any_link_every_organisation_is_the_default_tenant(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    bot.send(from_org(install(stub, "sato"), OTHER))
    stub.calls.clear()
    bot.send(from_org(message(stub, "sato", "/draft account=kanko-x 本日は晴天です。"), OTHER))
    assert UNKNOWN_TENANT_MESSAGE not in " ".join(replies(stub, "sato"))
    with city() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1

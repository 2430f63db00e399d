"""Which of our tenants an incoming Teams activity works for (issue 15 item 5).

Every activity names the Microsoft Entra tenant it comes from (``conversation.tenantId``,
or ``channelData.tenant.id``). ``tenant_scope`` is the first handler of the app (SDK
middleware): it maps that id to one of our tenants through ``workspace_links``
(``python -m bot tenant link-teams T <id>``) and runs the listeners with ``CURRENT`` set,
so every session the core opens for this activity works for that tenant
(``TeamsCore.factory``). ``asyncio.to_thread`` copies the context, so the core's threads
see it too.

- No Teams tenant linked at all: a single-tenant deployment, as before; everything is the
  default tenant, whatever the activity says.
- Once one is linked, only linked Teams tenants are served: an activity from any other
  (or naming none) gets a Japanese answer and nothing else is done (no listener runs, no
  address is remembered, nothing is read).
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.tenancy import DEFAULT_TENANT
from bot.workspaces import TEAMS, Workspace, has_links, tenant_of

logger = logging.getLogger("handlers.teams.tenants")

# The tenant of the activity being handled (None outside an activity: the default tenant).
CURRENT: ContextVar[str | None] = ContextVar("teams_tenant", default=None)

UNKNOWN_TENANT_MESSAGE = (
    "この組織（Teams のテナント）は、このシステムのどの自治体（テナント）にも登録されて"
    "いないため、処理していません。システムの運用担当者に登録を依頼してください。"
)

# Activities a person sent and expects an answer to; the others (installs, conversation
# updates, typing) from an unknown organisation are only logged.
_ANSWERED = frozenset({"message", "invoke"})


def activity_tenant(activity: Any) -> str | None:
    """The Entra tenant id an activity names (lower case), or None."""
    conversation = getattr(activity, "conversation", None)
    found = getattr(conversation, "tenant_id", None)
    if not found:
        channel_data = getattr(activity, "channel_data", None)
        found = getattr(getattr(channel_data, "tenant", None), "id", None)
    return str(found).strip().lower() if found else None


def resolve(factory: sessionmaker[Session], teams_tenant: str | None) -> str | None:
    """Our tenant for ``teams_tenant``; None when this deployment does not serve it."""
    with factory() as session:
        if not has_links(session, TEAMS):
            return DEFAULT_TENANT
        if teams_tenant is None:
            return None
        return tenant_of(session, Workspace(TEAMS, teams_tenant))


def tenant_scope(factory: sessionmaker[Session]) -> Any:
    """The SDK middleware that scopes each activity to its tenant (register it first)."""

    async def scope(ctx: Any) -> None:
        activity = ctx.activity
        teams_tenant = activity_tenant(activity)
        tenant = await asyncio.to_thread(resolve, factory, teams_tenant)
        if tenant is None:
            logger.warning(
                "activity %s from an unlinked Teams tenant %s ignored",
                getattr(activity, "type", "?"),
                teams_tenant or "-",
            )
            if getattr(activity, "type", None) in _ANSWERED:
                try:
                    await ctx.send(UNKNOWN_TENANT_MESSAGE)
                except Exception as exc:  # the activity is refused either way
                    logger.warning("could not answer (%s)", type(exc).__name__)
            return
        token = CURRENT.set(tenant)
        try:
            await ctx.next()
        finally:
            CURRENT.reset(token)

    return scope

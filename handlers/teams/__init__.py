"""Microsoft Teams adapter (issue 8). ``make_notifier`` is what the worker imports."""

from __future__ import annotations

from typing import Any

from bot.db import make_engine

from .settings import TeamsSettings


def make_notifier(settings: Any) -> Any:
    """The outbox notifier for ``BOT_PLATFORM=teams`` (``bot.scheduler.notifiers``).

    ``settings`` are the core's (``DATABASE_URL`` for mention names); the Teams credentials
    come from the environment (``CLIENT_ID``, ``CLIENT_SECRET``, ``TENANT_ID``,
    ``SERVICE_URL``). Imports the SDK only when called.
    """
    # Imported on call: these import the Teams SDK, which python -m bot (it imports this
    # package for every command) and the other platforms' deployments need not load.
    from . import addresses
    from .app import standalone_notifier
    from .notifier import TenantTeamsNotifiers

    engine = make_engine(settings.database_url)

    def mentions_for(tenant: str) -> Any:
        def mentions(handles: Any) -> Any:
            return addresses.read_mention_targets(engine, handles=handles, tenant=tenant)

        return mentions

    # The worker delivers tenant by tenant with ``for_tenant``: mentions name that
    # tenant's people.
    return TenantTeamsNotifiers(standalone_notifier(TeamsSettings()), mentions_for)

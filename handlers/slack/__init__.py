"""Slack adapter (slack-bolt): Socket Mode or HTTP mode; ``make_notifier`` for the worker."""

from __future__ import annotations

from typing import Any

from bot.db import make_engine, make_sessionmaker
from bot.notify.port import Notifier
from handlers.slack.settings import SlackSettings


def make_notifier(settings: Any = None) -> Notifier:
    """The Slack notifier for the worker process (``bot.scheduler.notifiers``).

    Slack credentials come from the environment (``SLACK_BOT_TOKEN``, ``SLACK_API_URL``; or
    ``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET``: per-tenant tokens from the installation store);
    ``settings.database_url`` (the core settings) is used to turn mentions into <@U…>.
    """
    # Imported on call: these import the Slack SDK, which python -m bot (it imports this
    # package for every command) and the other platforms' deployments need not load.
    from handlers.slack.client import build_client
    from handlers.slack.notifier import SlackNotifier, directory_user_ids

    slack = SlackSettings()
    client = build_client(slack)
    url = getattr(settings, "database_url", None)
    if slack.multi_workspace and url:
        # Many workspaces: each tenant's messages go with its workspace's bot token.
        from handlers.slack.oauth import TenantNotifiers, build_stores

        factory = make_sessionmaker(make_engine(url))
        assert slack.slack_client_id is not None
        store, _states = build_stores(factory.kw["bind"], client_id=slack.slack_client_id)
        return TenantNotifiers(factory, store, base=client)
    user_ids = directory_user_ids(make_sessionmaker(make_engine(url))) if url else None
    return SlackNotifier(client, user_ids=user_ids)

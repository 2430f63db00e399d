"""Entry point: ``python -m handlers.slack`` runs Socket Mode or HTTP mode from the environment."""

from __future__ import annotations

import logging
import sys

from pydantic import ValidationError
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot import logsafe
from bot.config import get_settings
from bot.dedupe import DbDeduper
from handlers.slack.app import create_app
from handlers.slack.client import build_client
from handlers.slack.runtime import build_core
from handlers.slack.settings import SlackMode, SlackSettings
from handlers.slack.wsgi import serve

logger = logging.getLogger("handlers.slack")

EXIT_CONFIG = 2


def load_settings() -> SlackSettings | None:
    """Settings from the environment; None (after logging what is wrong) when invalid."""
    try:
        return SlackSettings()
    except ValidationError as error:
        # Name the variable and the problem, never the value: it may be a secret.
        for problem in error.errors():
            name = "_".join(str(part) for part in problem["loc"]).upper() or "SLACK"
            cause = problem.get("ctx", {}).get("error")
            # Our validators' reasons are Japanese; pydantic's own (a port that is not a
            # number…) are English, so only their kind is named.
            reason = (
                str(cause) if cause is not None else f"値が正しくありません（{problem['type']}）"
            )
            logger.error("設定に誤りがあるため起動できません: %s: %s", name, reason)
        return None


def run(settings: SlackSettings) -> int:
    """Start the bot in the mode the settings call for; returns an exit status."""
    mode = settings.mode
    if mode is None:
        logger.error(
            "refusing to start: set SLACK_APP_TOKEN for Socket Mode or SLACK_SIGNING_SECRET "
            "for HTTP mode (see docs/slack.md)"
        )
        return EXIT_CONFIG
    client = build_client(settings)
    if settings.multi_workspace:
        if mode is not SlackMode.HTTP:
            logger.error(
                "refusing to start: installs into many workspaces (SLACK_CLIENT_ID) need HTTP "
                "mode for /slack/oauth_redirect: set SLACK_SIGNING_SECRET and unset "
                "SLACK_APP_TOKEN (see docs/slack.md)"
            )
            return EXIT_CONFIG
        from handlers.slack.runtime import build_multi_workspace_core

        core, oauth_flow = build_multi_workspace_core(
            get_settings().database_url, settings=settings, client=client
        )
        logger.info("many workspaces: installs at /slack/install (signed links per tenant)")
    else:
        core = build_core(get_settings().database_url, client=client)
        oauth_flow = None
    assert core.courier is not None
    core.courier.start()
    app = create_app(
        settings=settings,
        core=core,
        client=client,
        deduper=DbDeduper(core.factory),
        oauth_flow=oauth_flow,
    )
    if mode is SlackMode.SOCKET:
        assert settings.slack_app_token is not None
        if settings.slack_signing_secret is not None:
            logger.info("SLACK_APP_TOKEN is set: Socket Mode; SLACK_SIGNING_SECRET is not used")
        logger.info("starting in Socket Mode")
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
    else:
        logger.info(
            "starting in HTTP mode on %s:%d (POST /slack/events)", settings.host, settings.port
        )
        assert settings.slack_signing_secret is not None
        previous = settings.slack_signing_secret_previous
        if previous is not None:
            logger.info("SLACK_SIGNING_SECRET_PREVIOUS is set: requests signed with it verify too")
        serve(
            app,
            signing_secret=settings.slack_signing_secret.get_secret_value(),
            previous_signing_secret=previous.get_secret_value() if previous else None,
            host=settings.host,
            port=settings.port,
        )
    return 0


def main() -> int:
    """Configure logging, read the environment and run."""
    logsafe.install()  # before anything logs: no draft text, name or secret in any line
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = load_settings()
    if settings is None:
        return EXIT_CONFIG
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())

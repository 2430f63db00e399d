"""``python -m bot``: the entry point, the one module of ``bot/`` that imports ``handlers/``.

It supplies the platform parts the core cannot import (``bot.app.Adapters``): the local
console (the default command) and one notifier factory per platform for the worker. The
adapter packages import their SDKs only inside ``make_notifier``, so a deployment needs
only the SDK of the platform it delivers to.
"""

from __future__ import annotations

import sys

from bot.app import Adapters
from bot.cli import main
from handlers import slack, teams
from handlers.console.cli import run as run_console

ADAPTERS = Adapters(
    console=run_console, notifiers={"slack": slack.make_notifier, "teams": teams.make_notifier}
)

if __name__ == "__main__":
    sys.exit(main(adapters=ADAPTERS))

"""Activity listeners, one module per kind, each with ``register(app, deps)``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from microsoft_teams.apps import App

from ..core_adapter import TeamsCore
from ..delivery import Deliverer
from ..private import PrivateReplies

CallCore = Callable[..., Awaitable[Any]]


async def call_in_thread(func: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Run a synchronous core call off the event loop."""
    return await asyncio.to_thread(func, **kwargs)


@dataclass(frozen=True)
class Deps:
    """What listeners need: the core, how to call it, the outbox deliverer, and how to
    reach one person privately."""

    core: TeamsCore
    deliverer: Deliverer
    private: PrivateReplies
    call: CallCore = call_in_thread


def register_listeners(app: App, deps: Deps) -> None:
    """Wire every listener onto ``app``."""
    # Imported here: each listener module imports ``Deps`` from this package.
    from . import card_actions, lifecycle, messages

    messages.register(app, deps)
    card_actions.register(app, deps)
    lifecycle.register(app, deps)

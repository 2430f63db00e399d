"""Deliver the outbox after each handled activity, without holding up the HTTP response.

The core writes notifications to the outbox in the same transaction as the change; the
web process delivers them right after, in the background, and the worker process
(``python -m bot worker``) picks up whatever is left (e.g. after a connector outage). One
delivery runs at a time per process; a kick during a run asks for one more run, so nothing
that was queued meanwhile waits for the worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from .notifier import loop_runner

logger = logging.getLogger("handlers.teams.delivery")


class BoundLoop:
    """The ``TeamsNotifier`` runner of the web process: the loop the SDK app serves on.

    The loop is only known once the server runs, so it is bound on the first kick.
    """

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Remember the app's loop."""
        self.loop = loop

    def __call__(self, coro: Coroutine[Any, Any, Any]) -> Any:
        if self.loop is None:
            coro.close()
            raise RuntimeError("no event loop bound yet")
        return loop_runner(self.loop)(coro)


class Deliverer:
    """Runs ``deliver`` (synchronous, e.g. ``deliver_pending``) in a thread, one at a time."""

    def __init__(self, deliver: Callable[[], Any], *, binding: BoundLoop | None = None) -> None:
        self._deliver = deliver
        self._binding = binding
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def kick(self) -> None:
        """Start a delivery now, or one more after the running one."""
        loop = asyncio.get_running_loop()
        if self._binding is not None:
            self._binding.bind(loop)
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = loop.create_task(self._run())

    async def _run(self) -> None:
        while True:
            self._again = False
            try:
                await asyncio.to_thread(self._deliver)
            except Exception as exc:  # the outbox keeps the messages; the worker retries
                logger.error("outbox delivery failed: %s", type(exc).__name__)
            if not self._again:
                return

    async def idle(self) -> None:
        """Wait until no delivery is running (tests, shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

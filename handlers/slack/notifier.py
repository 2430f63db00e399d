"""SlackNotifier: the core's ``Notifier`` port on the Slack Web API.

The outbox (``bot.notify.deliver_pending``) calls ``send`` / ``update``; any failure is
raised as ``DeliveryError`` so the outbox keeps the message and tries again later (the
client itself already retried 429 and 5xx a few times). A DM is ``chat.postMessage`` to
the user id (Slack opens the app's DM); the returned channel id (D…) and ``ts`` are the
``SentRef`` that later ``chat.update`` (decisions) and thread replies (incidents) use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.directory.models import Person
from bot.notify.messages import OutMessage
from bot.notify.port import Address, DeliveryError, SentRef
from bot.tenancy import factory_tenant
from handlers.slack import render

logger = logging.getLogger("handlers.slack.notifier")

# Errors that will not go away by themselves (a person must fix the directory or invite
# the bot); the outbox still keeps the message, marked permanent in the log.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "invalid_blocks",
        "msg_too_long",
        "message_not_found",
        "cant_update_message",
        "invalid_auth",
        "not_authed",
        "missing_scope",
    }
)

UserIds = Callable[[Sequence[str]], dict[str, str]]


def directory_user_ids(factory: sessionmaker[Session]) -> UserIds:
    """Map person handles to Slack user ids through the directory (Person.slack_user_id).

    The lookup runs inside the platform call (``deliver_pending`` has committed its claim
    by then), and may run while another session of this process holds a transaction. On
    SQLite every SQLAlchemy transaction starts with BEGIN IMMEDIATE (bot.db), so a second
    session could wait for the first one's lock; a plain DBAPI read in autocommit mode does
    not take that lock (WAL readers never block).
    """
    engine = factory.kw["bind"]
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    table = Person.__tablename__
    # Raw SQL: the ORM's tenant criteria do not apply, so name the factory's tenant here
    # (and on PostgreSQL tell row-level security which tenant this transaction is for).
    tenant = factory_tenant(factory)
    postgres = engine.dialect.name == "postgresql"

    def lookup(handles: Sequence[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(handles))
        if not wanted:
            return {}
        sql = (
            f"SELECT handle, slack_user_id FROM {table} "
            f"WHERE tenant_id = {mark} AND slack_user_id IS NOT NULL "
            f"AND handle IN ({', '.join([mark] * len(wanted))})"
        )
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            if postgres:
                cursor.execute("SELECT set_config('app.tenant_id', %s, true)", [tenant])
            cursor.execute(sql, [tenant, *wanted])
            rows = cursor.fetchall()
            cursor.close()
        finally:
            raw.close()  # back to the pool (rolled back there)
        return {str(handle): str(user_id) for handle, user_id in rows if user_id}

    return lookup


class SlackNotifier:
    """Deliver ``OutMessage`` to Slack as Block Kit."""

    platform = "slack"

    def __init__(self, client: WebClient, *, user_ids: UserIds | None = None) -> None:
        self.client = client
        self.user_ids = user_ids

    def _payload(self, message: OutMessage) -> dict[str, Any]:
        """The message with its mentions and the people its fields name as Slack users."""
        named = [f.person for f in message.fields if f.person is not None]
        handles = list(dict.fromkeys([*message.mentions, *named]))
        if not handles or self.user_ids is None:
            return render.message(message)
        found = self.user_ids(handles)
        return render.message(
            message,
            mention_ids=[found[h] for h in message.mentions if h in found],
            people={h: found[h] for h in named if h in found},
        )

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        """Post to a person (DM) or a channel, or reply in ``thread``."""
        payload = self._payload(message)
        channel = to.target
        thread_ts: str | None = None
        if thread is not None:
            channel = thread.channel
            thread_ts = thread.thread_id or thread.message_id
        response = self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **payload,
            ),
        )
        return SentRef(
            platform="slack",
            channel=str(response.get("channel") or channel),
            message_id=str(response["ts"]),
            thread_id=thread_ts,
        )

    def update(self, ref: SentRef, message: OutMessage) -> None:
        """Replace a message in place (buttons gone after a decision)."""
        payload = self._payload(message)
        self._call(
            "chat.update",
            lambda: self.client.chat_update(channel=ref.channel, ts=ref.message_id, **payload),
        )

    def _call(self, method: str, call: Callable[[], object]) -> dict:
        try:
            response = call()
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            raise DeliveryError(
                f"slack {method}: {error}", permanent=error in PERMANENT_ERRORS
            ) from None
        except Exception as exc:  # connection reset, timeout, DNS: try again later
            raise DeliveryError(f"slack {method}: {type(exc).__name__}") from None
        data = getattr(response, "data", response)
        if not isinstance(data, dict) or not data.get("ok"):  # pragma: no cover - SDK raises
            raise DeliveryError(f"slack {method}: unexpected response")
        return data

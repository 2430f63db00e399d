"""The port through which the core speaks: each platform adapter implements ``Notifier``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from bot.notify.messages import OutMessage


@dataclass(frozen=True)
class Address:
    """Where to deliver: a person's DM or a channel, resolved for one platform."""

    platform: str
    kind: str  # "person" | "channel"
    key: str  # person handle or channel key (stable, ours)
    target: str  # platform id: Slack user/channel id, Teams conversation id, console name
    reference: dict[str, Any] = field(default_factory=dict)  # e.g. Teams service URL, tenant


@dataclass(frozen=True)
class SentRef:
    """A message the platform accepted, so it can be updated or replied to in a thread."""

    platform: str
    channel: str
    message_id: str
    thread_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class DeliveryError(Exception):
    """Raised by a notifier when a message could not be delivered (it will be retried)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Notifier(Protocol):
    """What a platform adapter must provide to the core."""

    platform: str

    def send(self, to: Address, message: OutMessage, *, thread: SentRef | None = None) -> SentRef:
        """Post a message to a person or channel, optionally as a reply in a thread."""
        ...

    def update(self, ref: SentRef, message: OutMessage) -> None:
        """Replace a message the bot sent earlier (e.g. remove buttons after a decision)."""
        ...


@runtime_checkable
class PerTenantNotifier(Protocol):
    """A notifier that holds each tenant's own credentials (one Slack workspace per tenant).

    ``python -m bot worker`` delivers each tenant's outbox with ``for_tenant(t)``. None means
    the tenant cannot be reached on this platform yet (its workspace has no installation):
    its messages stay in the outbox, untouched, and go out once it is installed. No other
    tenant's credentials are ever used for it.
    """

    platform: str

    def for_tenant(self, tenant_id: str) -> Notifier | None:
        """The notifier of ``tenant_id``, or None while it has no credentials."""
        ...

"""Import every model module so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from bot.audit.models import AuditEvent
from bot.directory.models import (
    Account,
    Channel,
    ConversationRef,
    Department,
    Deputy,
    ExemptionRule,
    OrgRole,
    Person,
)
from bot.drafts.models import AfterReport, Decision, Draft, DraftNotice, DraftVersion
from bot.notify.models import OutboxMessage

__all__ = [
    "Account",
    "AfterReport",
    "AuditEvent",
    "Channel",
    "ConversationRef",
    "Decision",
    "Department",
    "Deputy",
    "Draft",
    "DraftNotice",
    "DraftVersion",
    "ExemptionRule",
    "OrgRole",
    "OutboxMessage",
    "Person",
]

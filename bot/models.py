"""Import every model module so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from bot.accounts.models import (
    AccountCheck,
    AccountEvent,
    AccountPolicy,
    AccountRegistration,
    ExemptionRuleHistory,
)
from bot.audit.models import AuditEvent
from bot.custody.models import (
    CustodyMedium,
    CustodyRecord,
    Handover,
    HandoverStep,
    Transfer,
    TransferBatch,
)
from bot.dedupe import IdempotencyKey
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
from bot.feedback.models import CheckAllowance
from bot.guideline.models import GuidelineLoad
from bot.incidents.models import (
    Incident,
    IncidentChecklistItem,
    IncidentDraft,
    IncidentEvent,
    IncidentEventEdit,
    ModeratedComment,
)
from bot.notify.models import OutboxMessage
from bot.scheduler.models import Reminder
from bot.tenancy import Tenant
from bot.workspaces import WorkspaceLink

__all__ = [
    "Account",
    "AccountCheck",
    "AccountEvent",
    "AccountPolicy",
    "AccountRegistration",
    "AfterReport",
    "AuditEvent",
    "Channel",
    "CheckAllowance",
    "ConversationRef",
    "CustodyMedium",
    "CustodyRecord",
    "Decision",
    "Department",
    "Deputy",
    "Draft",
    "DraftNotice",
    "DraftVersion",
    "ExemptionRule",
    "ExemptionRuleHistory",
    "GuidelineLoad",
    "Handover",
    "HandoverStep",
    "IdempotencyKey",
    "Incident",
    "IncidentChecklistItem",
    "IncidentDraft",
    "IncidentEvent",
    "IncidentEventEdit",
    "ModeratedComment",
    "OrgRole",
    "OutboxMessage",
    "Person",
    "Reminder",
    "Tenant",
    "Transfer",
    "TransferBatch",
    "WorkspaceLink",
]

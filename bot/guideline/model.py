"""A municipality's guideline as the bot reads it: plain, frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Clause:
    id: str  # as the city writes it, e.g. "5(1)エ"
    title: str
    text: str
    # The content-check category (the rules package's clause key) this clause enforces.
    check: str | None = None


@dataclass(frozen=True)
class Exemption:
    """A category of post that needs no prior approval (4(3) ただし書 in the seed city)."""

    label: str
    description: str
    evidence: str  # required | optional | none
    held: bool  # False: never held back, even with blocking findings (emergencies)
    # How forms, buttons and messages name the category (defaults to the description).
    short: str = ""

    @property
    def name(self) -> str:
        return self.short or self.description


@dataclass(frozen=True)
class Role:
    title: str  # what the city calls the office, e.g. 広報課長, 企画課長
    org_role: str  # the directory's org role that holds it (pr_head, info_policy)
    clause: str | None = None
    form: str = ""  # what the city calls the form sent to this role (開設届)


@dataclass(frozen=True)
class PolicyItem:
    label: str
    text: str
    # The registry's form fields this item covers (organisation, url…): how a field cites it.
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReminder:
    """A reminder ``/check`` adds for personal accounts: ``{hours}`` and ``{now}`` in the
    text become the working hours and whether it is working time now."""

    clause: str
    text: str


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    clause: str


@dataclass(frozen=True)
class IncidentType:
    code: str
    name: str
    clause: str
    description: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Calendar:
    working_time_name: str = "勤務時間"
    start: str = "08:30"
    end: str = "17:15"
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    holidays: str = "JP"
    closed_days: tuple[str, ...] = ("12-29..01-03",)


@dataclass(frozen=True)
class Guideline:
    name: str
    short_name: str
    version: str
    issued_by: str
    issued_on: str | None
    clauses: tuple[Clause, ...]
    approval_clause: str
    exemptions: tuple[Exemption, ...]
    approver: str
    account_confirmer: Role
    incident_desk: Role
    policy_clause: str
    policy_items: tuple[PolicyItem, ...]
    incident_types: tuple[IncidentType, ...]
    rule_severity: dict[str, str] = field(default_factory=dict)
    disabled_checks: frozenset[str] = frozenset()
    reminders: dict[str, float] = field(default_factory=dict)
    calendar: Calendar = field(default_factory=Calendar)
    # The clause each workflow's messages cite, by topic (publication, credentials…).
    references: dict[str, str] = field(default_factory=dict)
    check_reminders: tuple[CheckReminder, ...] = ()
    sha256: str = ""  # of the file's bytes, as loaded

    @property
    def title(self) -> str:
        """「松本市ソーシャルメディアの利用に関するガイドライン Ver1.00」."""
        return f"{self.name} {self.version}"

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def cite(self, check: str) -> str | None:
        """The city's clause id for a content-check category; None if the city has none."""
        if check in self.disabled_checks:
            return None
        return next((c.id for c in self.clauses if c.check == check), None)

    def exemption(self, label: str) -> Exemption | None:
        return next((e for e in self.exemptions if e.label == label), None)

    def incident_type(self, code: str) -> IncidentType | None:
        return next((t for t in self.incident_types if t.code == code), None)

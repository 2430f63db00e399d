"""Apply a validated ``DirectorySpec`` to the database, one function per section.

Idempotent: people are matched by ``handle``, departments and accounts by ``code``,
channels by ``key``; applying the same spec twice changes nothing. Lists the file owns
(deputies, org roles, new accounts' operators and rules) are synced; the account registry
(``bot.accounts``) owns an existing account's status, manager, operators and rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.audit import record
from bot.clock import Clock
from bot.directory.models import (
    Account,
    Channel,
    Department,
    Deputy,
    ExemptionRule,
    OrgRole,
    Person,
)
from bot.directory.parsing import AccountSpec, DirectorySpec
from bot.errors import ValidationFailed


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    # Existing accounts where the file differs from the registry in what the registry owns.
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"追加 {self.created} 件、更新 {self.updated} 件、削除 {self.removed} 件"
        if self.kept:
            text += (
                f"。既存のアカウント（{'、'.join(self.kept)}）の状態・管理者・担当者・決裁不要ルールは"
                "名簿ファイルと異なりますが、アカウント台帳（/account）の内容を維持しました"
                "（名簿ファイルからは、未登録の区分のルールだけを追加します）"
            )
        return text


def _set(obj: Any, result: LoadResult, **values: Any) -> None:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    state = sa.inspect(obj)
    # A row added in this load counts as created, not also as updated.
    if changed and not (state.pending or state.transient):
        result.updated += 1


def _create_account(
    session: Session,
    acs: AccountSpec,
    *,
    dept: Department,
    ref: Callable[[str | None], Person | None],
    result: LoadResult,
) -> Account:
    """A new account exactly as the file describes it (status, manager, operators, rules)."""
    manager = ref(acs.manager)
    account = Account(
        code=acs.code,
        name=acs.name,
        media=acs.media,
        url=acs.url,
        department_id=dept.id,
        manager_id=manager.id if manager else None,
        status=acs.status or "confirmed",
    )
    account.operators = [p for p in (ref(h) for h in acs.operators) if p is not None]
    for e in acs.exemptions:
        agreed_by = ref(e.agreed_by)
        account.exemptions.append(
            ExemptionRule(
                category=e.category,
                rule_text=e.rule,
                agreed_by_id=agreed_by.id if agreed_by else None,
                agreed_at=e.agreed_at,
            )
        )
    session.add(account)
    session.flush()
    result.created += 1 + len(acs.operators) + len(acs.exemptions)
    return account


def _differs_from_registry(account: Account, acs: AccountSpec) -> bool:
    """Whether the file says something else than the registry about what it owns."""
    manager = account.manager.handle if account.manager else None
    return (
        (acs.status is not None and acs.status != account.status)
        or (acs.manager is not None and acs.manager != manager)
        or set(acs.operators) != {p.handle for p in account.operators}
        or any(
            r.category not in {e.category for e in acs.exemptions}
            or r.rule_text != next(e.rule for e in acs.exemptions if e.category == r.category)
            for r in account.exemptions
        )
    )


def _registry_touched(session: Session, account: Account) -> set[str]:
    """Categories whose rule the account registry registered, replaced or revoked."""
    # Imported here: the registry builds on the directory, not the other way round.
    from bot.accounts.models import ExemptionRuleHistory

    return set(
        session.scalars(
            sa.select(ExemptionRuleHistory.category).where(
                ExemptionRuleHistory.account_id == account.id
            )
        )
    )


@dataclass
class _Apply:
    """One load: the session, the counts, and the rows found or made so far by key."""

    session: Session
    result: LoadResult = field(default_factory=LoadResult)
    people: dict[str, Person] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)

    def ref(self, handle: str | None) -> Person | None:
        """The person with this handle (None for None); parse() checked it exists."""
        if handle is None:
            return None
        if handle not in self.people:
            found = self.session.scalar(sa.select(Person).where(Person.handle == handle))
            if found is None:  # parse() checked every reference against the file
                raise ValidationFailed(f"people にいない人「{handle}」が指定されています。")
            self.people[handle] = found
        return self.people[handle]

    def department(self, code: str) -> Department:
        """The department with this code, from this load or already in the database."""
        if code not in self.departments:
            found = self.session.scalar(sa.select(Department).where(Department.code == code))
            if found is None:
                raise ValidationFailed(f"部署「{code}」がありません。")
            self.departments[code] = found
        return self.departments[code]


def apply(
    session: Session, *, spec: DirectorySpec, actor: str = "system", clock: Clock | None = None
) -> LoadResult:
    """Upsert a validated directory into the database (the caller owns the transaction)."""
    ctx = _Apply(session)
    for section in (_people, _departments, _accounts, _org_roles, _channels):
        section(ctx, spec)  # each flushes: later sections refer to earlier rows
    result = ctx.result
    if result.created or result.updated or result.removed:
        record(
            session,
            actor=actor,
            action="directory.loaded",
            subject_type="directory",
            subject_id="-",
            data={"created": result.created, "updated": result.updated, "removed": result.removed},
            clock=clock,
        )
    return result


def _people(ctx: _Apply, spec: DirectorySpec) -> None:
    """People by handle: created or updated (name, ids, ``active``); never deleted."""
    ctx.people.update(
        (p.handle, p)
        for p in ctx.session.scalars(
            sa.select(Person).where(Person.handle.in_([s.handle for s in spec.people]))
        )
    )
    for ps in spec.people:
        person = ctx.people.get(ps.handle)
        if person is None:
            person = Person(handle=ps.handle, name=ps.name)
            ctx.session.add(person)
            ctx.people[ps.handle] = person
            ctx.result.created += 1
        _set(
            person,
            ctx.result,
            name=ps.name,
            email=ps.email,
            slack_user_id=ps.slack_user_id,
            teams_user_id=ps.teams_user_id,
            active=ps.active,
        )
    ctx.session.flush()


def _departments(ctx: _Apply, spec: DirectorySpec) -> None:
    """Departments by code with their head; the deputies listed replace the others."""
    for ds in spec.departments:
        dept = ctx.session.scalar(sa.select(Department).where(Department.code == ds.code))
        if dept is None:
            dept = Department(code=ds.code, name=ds.name)
            ctx.session.add(dept)
            ctx.result.created += 1
        head = ctx.ref(ds.head)
        _set(dept, ctx.result, name=ds.name, head_id=head.id if head else None)
        ctx.departments[ds.code] = dept
        ctx.session.flush()
        wanted = {d.person: d for d in ds.deputies}
        for deputy in list(dept.deputies):
            if deputy.person.handle not in wanted:
                dept.deputies.remove(deputy)
                ctx.result.removed += 1
        existing = {d.person.handle: d for d in dept.deputies}
        for handle, d in wanted.items():
            row = existing.get(handle)
            if row is None:
                person = ctx.ref(handle)
                assert person is not None
                dept.deputies.append(
                    Deputy(
                        person_id=person.id,
                        person=person,
                        active_from=d.active_from,
                        active_until=d.active_until,
                    )
                )
                ctx.result.created += 1
            else:
                _set(row, ctx.result, active_from=d.active_from, active_until=d.active_until)
    ctx.session.flush()


def _accounts(ctx: _Apply, spec: DirectorySpec) -> None:
    """New accounts as the file says; existing ones keep what the registry owns."""
    for acs in spec.accounts:
        account = ctx.session.scalar(sa.select(Account).where(Account.code == acs.code))
        dept = ctx.department(acs.department)
        if account is None:
            _create_account(ctx.session, acs, dept=dept, ref=ctx.ref, result=ctx.result)
            continue
        # The account registry (bot.accounts, /account) owns an existing account's status,
        # manager, operators and posting rules: the file only adds rules it never had.
        _set(
            account,
            ctx.result,
            name=acs.name,
            media=acs.media,
            url=acs.url,
            department_id=dept.id,
        )
        if _differs_from_registry(account, acs):
            ctx.result.kept.append(acs.code)
        touched = _registry_touched(ctx.session, account)
        have = {r.category for r in account.exemptions}
        for e in acs.exemptions:
            if e.category in have or e.category in touched:
                continue
            agreed_by = ctx.ref(e.agreed_by)
            account.exemptions.append(
                ExemptionRule(
                    category=e.category,
                    rule_text=e.rule,
                    agreed_by_id=agreed_by.id if agreed_by else None,
                    agreed_at=e.agreed_at,
                )
            )
            ctx.result.created += 1
    ctx.session.flush()


def _org_roles(ctx: _Apply, spec: DirectorySpec) -> None:
    """Each listed role holds exactly the people listed."""
    for role, handles in spec.org_roles.items():
        rows = ctx.session.scalars(sa.select(OrgRole).where(OrgRole.role == role)).all()
        have_roles = {r.person.handle: r for r in rows}
        for handle, row_role in have_roles.items():
            if handle not in handles:
                ctx.session.delete(row_role)
                ctx.result.removed += 1
        for handle in handles:
            if handle not in have_roles:
                person = ctx.ref(handle)
                assert person is not None
                ctx.session.add(OrgRole(role=role, person_id=person.id))
                ctx.result.created += 1
    ctx.session.flush()


def _channels(ctx: _Apply, spec: DirectorySpec) -> None:
    """Channels by key: created or updated."""
    for cs in spec.channels:
        channel = ctx.session.scalar(sa.select(Channel).where(Channel.key == cs.key))
        if channel is None:
            channel = Channel(key=cs.key, name=cs.name)
            ctx.session.add(channel)
            ctx.result.created += 1
        _set(
            channel,
            ctx.result,
            name=cs.name,
            slack_channel_id=cs.slack_channel_id,
            teams_channel_id=cs.teams_channel_id,
        )
    ctx.session.flush()

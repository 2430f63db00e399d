"""Directory look-ups shared by every workflow: who is who, who approves, who is told."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.accounts.models import STATUS_LABELS
from bot.clock import format_jst
from bot.directory.models import (
    Account,
    Channel,
    Department,
    Deputy,
    ExemptionRule,
    OrgRole,
    Person,
)
from bot.errors import NotFound, ValidationFailed


def get_person(session: Session, *, handle: str) -> Person:
    """The active person with this handle, or NotFound."""
    person = session.scalar(sa.select(Person).where(Person.handle == handle))
    if person is None or not person.active:
        raise NotFound(f"「{handle}」という利用者は名簿に登録されていません。")
    return person


def person_by_platform_id(session: Session, *, platform: str, user_id: str) -> Person:
    """The person behind a Slack or Teams user id (or console handle), or NotFound."""
    column = {
        "slack": Person.slack_user_id,
        "teams": Person.teams_user_id,
        "console": Person.handle,
    }.get(platform)
    if column is None:
        raise ValueError(f"unknown platform {platform!r}")
    person = session.scalar(sa.select(Person).where(column == user_id))
    if person is None or not person.active:
        raise NotFound(
            "あなたは名簿に登録されていません。名簿の管理者（情報政策課）に登録を依頼してください。"
        )
    return person


# Loader options: a department with who may decide for it (head, deputies and their people).
DEPARTMENT_APPROVERS = (
    joinedload(Department.head),
    joinedload(Department.deputies).joinedload(Deputy.person),
)


def get_account(session: Session, *, code: str, for_routing: bool = False) -> Account:
    """The official account with this code, or NotFound.

    ``for_routing`` loads in the same query what posting and routing a draft read: the
    operators, the registered exempt categories, the department, its head and deputies.
    """
    stmt = sa.select(Account).where(Account.code == code)
    if for_routing:
        department = joinedload(Account.department)
        stmt = stmt.options(
            joinedload(Account.operators),
            joinedload(Account.exemptions),
            department.joinedload(Department.head),
            department.joinedload(Department.deputies).joinedload(Deputy.person),
        )
    account = session.scalars(stmt).unique().one_or_none()
    if account is None:
        raise NotFound(f"公式アカウント「{code}」は登録されていません。")
    return account


def accounts_operated_by(session: Session, *, person: Person) -> list[Account]:
    """Accounts the person operates or manages."""
    from bot.directory.models import account_operators

    stmt = (
        sa.select(Account)
        .outerjoin(account_operators, account_operators.c.account_id == Account.id)
        .where(sa.or_(account_operators.c.person_id == person.id, Account.manager_id == person.id))
        .distinct()
        .order_by(Account.code)
    )
    return list(session.scalars(stmt))


def can_post_for(account: Account, person: Person) -> bool:
    """Whether the person is the account's manager or one of its operators (4(1)キ)."""
    return account.manager_id == person.id or any(p.id == person.id for p in account.operators)


def department_of(session: Session, *, person: Person) -> Department | None:
    """The department the person heads or, failing that, the one whose account they operate."""
    headed = session.scalar(sa.select(Department).where(Department.head_id == person.id))
    if headed is not None:
        return headed
    accounts = accounts_operated_by(session, person=person)
    return accounts[0].department if accounts else None


def active_deputies(department: Department, now: datetime) -> list[Person]:
    """Deputies (代理) whose delegation covers ``now``."""
    return [d.person for d in department.deputies if d.is_active(now) and d.person.active]


def approvers(department: Department, now: datetime) -> list[Person]:
    """Who may decide for the department now: the 所属長 first, then active deputies."""
    people: list[Person] = []
    if department.head is not None and department.head.active:
        people.append(department.head)
    people.extend(p for p in active_deputies(department, now) if p not in people)
    if not people:
        raise ValidationFailed(
            f"{department.name}に所属長（または代理）が登録されていないため、決裁を依頼できません。"
            "名簿の管理者に登録を依頼してください。"
        )
    return people


def is_approver(department: Department, person: Person, now: datetime) -> bool:
    """Whether the person is the 所属長 or an active deputy of the department."""
    if department.head_id == person.id:
        return True
    return any(d.person_id == person.id and d.is_active(now) for d in department.deputies)


def exemption_rule(session: Session, *, account: Account, category: str) -> ExemptionRule | None:
    """The department's registered posting rule for that 4(3) category, if any."""
    return session.scalar(
        sa.select(ExemptionRule).where(
            ExemptionRule.account_id == account.id, ExemptionRule.category == category
        )
    )


def role_members(session: Session, *, role: str) -> list[Person]:
    """People holding an org role (pr_head, info_policy, admin)."""
    stmt = (
        sa.select(Person)
        .join(OrgRole, OrgRole.person_id == Person.id)
        .where(OrgRole.role == role, Person.active.is_(True))
        .order_by(Person.handle)
    )
    return list(session.scalars(stmt))


def has_role(session: Session, *, person: Person, role: str) -> bool:
    """Whether the person holds the org role."""
    return (
        session.scalar(
            sa.select(OrgRole.id).where(OrgRole.person_id == person.id, OrgRole.role == role)
        )
        is not None
    )


def get_channel(session: Session, *, key: str) -> Channel:
    """A channel by key, or NotFound."""
    channel = session.scalar(sa.select(Channel).where(Channel.key == key))
    if channel is None:
        raise NotFound(f"チャンネル「{key}」は名簿に登録されていません。")
    return channel


def is_empty(session: Session) -> bool:
    """Whether no person is registered yet (the console then loads the demo directory)."""
    return session.scalar(sa.select(Person.id).limit(1)) is None


def describe(session: Session) -> str:
    """The whole directory as readable Japanese text (``python -m bot directory show``)."""
    out: list[str] = []
    people = session.scalars(sa.select(Person).order_by(Person.handle)).all()
    out.append(f"■ 職員（{len(people)}人）")
    for p in people:
        ids = [
            f"{k}={v}"
            for k, v in (
                ("email", p.email),
                ("slack", p.slack_user_id),
                ("teams", p.teams_user_id),
            )
            if v
        ]
        state = "" if p.active else "（無効）"
        out.append(f"  {p.handle}: {p.name}{state}" + (f"  [{', '.join(ids)}]" if ids else ""))

    departments = session.scalars(
        sa.select(Department)
        .options(selectinload(Department.deputies).selectinload(Deputy.person))
        .order_by(Department.code)
    ).all()
    out.append("")
    out.append(f"■ 部署（{len(departments)}）")
    for d in departments:
        head = f"{d.head.name}（{d.head.handle}）" if d.head else "未登録"
        out.append(f"  {d.code}: {d.name}　所属長: {head}")
        for dep in d.deputies:
            period = _period(dep.active_from, dep.active_until)
            out.append(f"    代理: {dep.person.name}（{dep.person.handle}）{period}")

    accounts = session.scalars(sa.select(Account).order_by(Account.code)).all()
    out.append("")
    out.append(f"■ 公式アカウント（{len(accounts)}）")
    for a in accounts:
        out.append(
            f"  {a.code}: {a.name}［{a.media}］ 状態: {STATUS_LABELS.get(a.status, a.status)}"
        )
        out.append(f"    所管: {a.department.name}　URL: {a.url or '未登録'}")
        manager = f"{a.manager.name}（{a.manager.handle}）" if a.manager else "未登録"
        out.append(f"    管理者: {manager}")
        ops = "、".join(f"{p.name}（{p.handle}）" for p in a.operators) or "なし"
        out.append(f"    担当者: {ops}")
        if a.exemptions:
            for rule in sorted(a.exemptions, key=lambda r: r.category):
                agreed = ""
                if rule.agreed_by is not None or rule.agreed_at is not None:
                    who = rule.agreed_by.name if rule.agreed_by else ""
                    when = format_jst(rule.agreed_at) if rule.agreed_at else ""
                    agreed = f"（{who} {when} 取決め）".replace("（ ", "（")
                out.append(
                    f"    決裁不要 4(3){rule.category}: {rule.rule_text or '（ルール本文なし）'}{agreed}"
                )
        else:
            out.append("    決裁不要の区分: 登録なし（すべて所属長の決裁が必要）")

    out.append("")
    out.append("■ 全庁の役割")
    for role, name in (("pr_head", "広報課長"), ("info_policy", "情報政策課"), ("admin", "管理者")):
        members = role_members(session, role=role)
        out.append(
            f"  {name}: " + ("、".join(f"{p.name}（{p.handle}）" for p in members) or "未登録")
        )

    channels = session.scalars(sa.select(Channel).order_by(Channel.key)).all()
    out.append("")
    out.append(f"■ チャンネル（{len(channels)}）")
    for c in channels:
        ids = [
            f"{k}={v}"
            for k, v in (("slack", c.slack_channel_id), ("teams", c.teams_channel_id))
            if v
        ]
        out.append(f"  {c.key}: {c.name}" + (f"  [{', '.join(ids)}]" if ids else ""))
    return "\n".join(out)


def _period(start: datetime | None, until: datetime | None) -> str:
    if start is None and until is None:
        return "（常時）"
    a = format_jst(start) if start else ""
    b = format_jst(until) if until else ""
    return f"（{a}〜{b}）"

"""Directory look-ups shared by every workflow: who is who, who approves, who is told."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, object_session, selectinload

from bot.clock import format_jst
from bot.custody.departures import has_left
from bot.directory.models import (
    Account,
    Channel,
    Department,
    Deputy,
    ExemptionRule,
    OrgRole,
    Person,
    status_label,
)
from bot.errors import NotFound, ValidationFailed
from bot.guideline import terms as guideline_terms

# ``{desk}`` is the guideline's incident desk (``Terms.fill``), who keeps the directory.
PERSON_NOT_FOUND = (
    "「{handle}」は名簿に登録されていません。名簿の管理者（{desk}）に登録を依頼してください。"
)
ACCOUNT_NOT_FOUND = "公式アカウント「{code}」は登録されていません（/account list で確認できます）。"


def normalise_handle(text: str) -> str:
    """A handle as people type it, in the form the directory stores it.

    Full-width forms become ASCII (NFKC: ``＠ｓａｔｏ`` -> ``@sato``), surrounding blanks and
    one leading ``@`` (as in chat mentions) are dropped.
    """
    return unicodedata.normalize("NFKC", text).strip().removeprefix("@").strip()


def find_person(session: Session, *, handle: str) -> Person | None:
    """The active person with this handle (normalised, see ``normalise_handle``), or None."""
    key = normalise_handle(handle)
    if not key:
        return None
    person = session.scalar(sa.select(Person).where(Person.handle == key))
    return person if person is not None and person.active else None


def person_not_found(session: Session, handle: str) -> str:
    """The one wording for a handle the directory does not have (or has as inactive)."""
    message = guideline_terms.in_force(session).fill(PERSON_NOT_FOUND)
    return message.replace("{handle}", handle.strip())


def get_person(session: Session, *, handle: str) -> Person:
    """The active person with this handle (``@sato`` and ``ｓａｔｏ`` work too), or NotFound."""
    person = find_person(session, handle=handle)
    if person is None:
        raise NotFound(person_not_found(session, handle))
    return person


def person_by_platform_id(session: Session, *, platform: str, user_id: str) -> Person:
    """The person behind a Slack or Teams user id (or console handle), or NotFound."""
    if platform == "console":
        person = find_person(session, handle=user_id)
    else:
        column = {"slack": Person.slack_user_id, "teams": Person.teams_user_id}.get(platform)
        if column is None:
            raise ValueError(f"unknown platform {platform!r}")
        person = session.scalar(sa.select(Person).where(column == user_id))
    if person is None or not person.active:
        raise NotFound(
            "あなたは名簿に登録されていません。名簿の管理者"
            f"（{guideline_terms.in_force(session).incident_desk}）に登録を依頼してください。"
        )
    return person


# Loader options: a department with who may decide for it (head, deputies and their people).
DEPARTMENT_APPROVERS = (
    joinedload(Department.head),
    joinedload(Department.deputies).joinedload(Deputy.person),
)


def get_account(
    session: Session, *, code: str, for_routing: bool = False, lock: bool = False
) -> Account:
    """The official account with this code, or NotFound.

    ``for_routing`` loads in the same query what posting and routing a draft read: the
    operators, the registered exempt categories, the department, its head and deputies.
    ``lock`` reads it FOR UPDATE (fresh from the database) for a registry change.
    """
    stmt = sa.select(Account).where(Account.code == unicodedata.normalize("NFKC", code).strip())
    if for_routing:
        department = joinedload(Account.department)
        stmt = stmt.options(
            joinedload(Account.operators),
            joinedload(Account.exemptions),
            department.joinedload(Department.head),
            department.joinedload(Department.deputies).joinedload(Deputy.person),
        )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    account = session.scalars(stmt).unique().one_or_none()
    if account is None:
        raise NotFound(ACCOUNT_NOT_FOUND.format(code=code.strip()))
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
    """Deputies (代理) whose delegation covers ``now`` and who are active in the directory."""
    return [d.person for d in department.deputies if d.is_active(now) and d.person.active]


def heads_and_deputies(department: Department, now: datetime) -> list[Person]:
    """Who may decide for the department now: the active 所属長 first, then active deputies.

    Empty when nobody may (see ``approvers`` for the refusal wording).
    """
    people: list[Person] = []
    if department.head is not None and department.head.active:
        people.append(department.head)
    people.extend(p for p in active_deputies(department, now) if p not in people)
    return people


def approvers(department: Department, now: datetime) -> list[Person]:
    """``heads_and_deputies``, or ValidationFailed when the department has none to ask."""
    people = heads_and_deputies(department, now)
    if not people:
        raise ValidationFailed(
            f"{department.name}に{guideline_terms.of_record(department).approver}（または代理）が"
            "登録されていないため、決裁を依頼できません。名簿の管理者に登録を依頼してください。"
        )
    return people


def is_head_or_deputy(department: Department, person: Person, now: datetime) -> bool:
    """Whether the person is the department's active 所属長 or an active deputy now.

    Nobody who has left the department (a transfer due by ``now``, bot.custody) is one,
    even before the effective-date step has updated the directory.
    """
    listed = any(p.id == person.id for p in heads_and_deputies(department, now))
    return listed and not departed(department, person, now)


def departed(department: Department, person: Person, now: datetime) -> bool:
    """Whether a transfer due by ``now`` has taken the person out of the department."""
    session = object_session(department)
    if session is None:
        return False
    return has_left(session, person_id=person.id, department_id=department.id, now=now)


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
    """Whether the person holds the org role and is active in the directory."""
    if not person.active:
        return False
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
    terms = guideline_terms.in_force(session)
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
        out.append(f"  {p.name}（{p.handle}）{state}" + (f"  [{', '.join(ids)}]" if ids else ""))

    departments = session.scalars(
        sa.select(Department)
        .options(selectinload(Department.deputies).selectinload(Deputy.person))
        .order_by(Department.code)
    ).all()
    out.append("")
    out.append(f"■ 部署（{len(departments)}）")
    for d in departments:
        head = f"{d.head.name}（{d.head.handle}）" if d.head else "未登録"
        out.append(f"  {d.code}: {d.name}　{terms.approver}: {head}")
        for dep in d.deputies:
            period = _period(dep.active_from, dep.active_until)
            out.append(f"    代理: {dep.person.name}（{dep.person.handle}）{period}")

    accounts = session.scalars(sa.select(Account).order_by(Account.code)).all()
    out.append("")
    out.append(f"■ 公式アカウント（{len(accounts)}）")
    for a in accounts:
        out.append(
            f"  {a.code}: {a.name}［{a.media}］ 状態: {status_label(a.status, guideline_terms.of_record(a))}"
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
                    by = rule.agreed_by
                    parts = [
                        f"{by.name}（{by.handle}）" if by else "",
                        format_jst(rule.agreed_at) if rule.agreed_at else "",
                    ]
                    agreed = "（取り決め: " + "、".join(x for x in parts if x) + "）"
                out.append(
                    f"    決裁不要 {terms.exemption_ref(rule.category)}: "
                    f"{rule.rule_text or '（ルール本文なし）'}{agreed}"
                )
        else:
            out.append(f"    決裁不要の区分: 登録なし（すべて{terms.approver}の決裁が必要）")

    out.append("")
    out.append("■ 全庁の役割")
    roles = (
        (terms.guideline.account_confirmer.org_role, terms.account_confirmer),
        (terms.guideline.incident_desk.org_role, terms.incident_desk),
        ("admin", "管理者"),
    )
    for role, name in roles:
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

"""Load the directory (people, departments, accounts, org roles, channels) from YAML.

The file format is documented in docs/directory.md. Loading is:

- validated first, as a whole: every problem is reported with the line it is on, and
  nothing is written if there is any;
- idempotent: people are matched by ``handle``, departments and accounts by ``code``,
  channels by ``key``; running the same file twice changes nothing;
- a sync for the lists it owns: deputies, operators, exemptions and org roles that are no
  longer listed are removed. People, departments and accounts missing from the file are
  left alone (drafts and the audit log refer to them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from bot.audit import record
from bot.clock import JST, Clock
from bot.directory.models import (
    ACCOUNT_STATUSES,
    EXEMPT_CATEGORIES,
    ORG_ROLES,
    Account,
    Channel,
    Department,
    Deputy,
    ExemptionRule,
    OrgRole,
    Person,
)
from bot.errors import ValidationFailed

TOP_LEVEL = ("people", "departments", "accounts", "org_roles", "channels")


class DirectoryError(ValidationFailed):
    """The directory file does not validate; ``problems`` lists (line, message)."""

    def __init__(self, problems: list[tuple[int, str]], source: str = "") -> None:
        self.problems = sorted(problems)
        where = f"{source}: " if source else ""
        lines = [
            f"{where}{line}行目: {msg}" if line else f"{where}{msg}" for line, msg in self.problems
        ]
        super().__init__(
            f"名簿ファイルに {len(self.problems)} 件の誤りがあります（何も登録していません）。\n"
            + "\n".join(lines)
        )


# --- parsed, validated directory -------------------------------------------------------


@dataclass
class PersonSpec:
    handle: str
    name: str
    email: str | None = None
    slack_user_id: str | None = None
    teams_user_id: str | None = None
    active: bool = True


@dataclass
class DeputySpec:
    person: str
    active_from: datetime | None = None
    active_until: datetime | None = None


@dataclass
class DepartmentSpec:
    code: str
    name: str
    head: str | None
    deputies: list[DeputySpec] = field(default_factory=list)


@dataclass
class ExemptionSpec:
    category: str
    rule: str = ""
    agreed_by: str | None = None
    agreed_at: datetime | None = None


@dataclass
class AccountSpec:
    code: str
    name: str
    media: str
    department: str
    url: str | None = None
    manager: str | None = None
    operators: list[str] = field(default_factory=list)
    exemptions: list[ExemptionSpec] = field(default_factory=list)
    status: str | None = None


@dataclass
class ChannelSpec:
    key: str
    name: str
    slack_channel_id: str | None = None
    teams_channel_id: str | None = None


@dataclass
class DirectorySpec:
    people: list[PersonSpec] = field(default_factory=list)
    departments: list[DepartmentSpec] = field(default_factory=list)
    accounts: list[AccountSpec] = field(default_factory=list)
    org_roles: dict[str, list[str]] = field(default_factory=dict)
    channels: list[ChannelSpec] = field(default_factory=list)


# --- parsing with line numbers ---------------------------------------------------------


class _Parser:
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self._constructor = yaml.SafeLoader("")

    def error(self, node: yaml.Node | None, message: str) -> None:
        self.problems.append((_line(node), message))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what}は「キー: 値」の形で書いてください。")
            return None
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                self.error(key_node, f"{what}にキー「{key}」が2回あります。")
                continue
            result[key] = (key_node, value_node)
        return result

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what}は「- 」で始まる一覧で書いてください。")
            return []
        return list(node.value)

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            # e.g. 2026-13-01 matches YAML's timestamp pattern but is no date: keep the text
            # so that the field's own check reports it with its line.
            return str(node.value)

    def text(
        self,
        m: dict[str, tuple[yaml.Node, yaml.Node]],
        key: str,
        owner: yaml.Node,
        what: str,
        *,
        required: bool = False,
        max_len: int = 200,
    ) -> str | None:
        if key not in m:
            if required:
                self.error(owner, f"{what}に「{key}」がありません。")
            return None
        node = m[key][1]
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what}の「{key}」は文字列で書いてください。")
            return None
        value = self.scalar(node)
        if value is None:
            if required:
                self.error(node, f"{what}の「{key}」が空です。")
            return None
        text = str(value).strip()
        if not text:
            if required:
                self.error(node, f"{what}の「{key}」が空です。")
            return None
        if len(text) > max_len:
            self.error(node, f"{what}の「{key}」が長すぎます（{max_len}文字まで）。")
            return None
        return text

    def when(
        self,
        m: dict[str, tuple[yaml.Node, yaml.Node]],
        key: str,
        what: str,
        *,
        end_of_day: bool = False,
    ) -> datetime | None:
        if key not in m:
            return None
        node = m[key][1]
        value = self.scalar(node) if isinstance(node, yaml.ScalarNode) else node
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                self.error(
                    node,
                    f"{what}の「{key}」が日付として読めません: {value!r}"
                    "（例: 2026-04-01 または 2026-04-01T09:00）。",
                )
                return None
        if isinstance(value, datetime):
            return value if value.tzinfo is not None else value.replace(tzinfo=JST)
        if isinstance(value, date):
            # A date means the whole day in Japan: active_until is inclusive.
            start = datetime.combine(value, time(), JST)
            return start + timedelta(days=1) if end_of_day else start
        self.error(node, f"{what}の「{key}」が日付として読めません。")
        return None

    def repeated(self, seen: dict[str, int], value: str, node: yaml.Node, label: str) -> bool:
        """True (and an error) when ``value`` was seen before; else remember its line."""
        if value in seen:
            self.error(node, f"{label}「{value}」が重複しています（{seen[value]}行目と同じ）。")
            return True
        seen[value] = _line(node)
        return False

    def unknown_keys(
        self, m: dict[str, tuple[yaml.Node, yaml.Node]], allowed: tuple[str, ...], what: str
    ) -> None:
        for key, (key_node, _) in m.items():
            if key not in allowed:
                self.error(
                    key_node,
                    f"{what}に不明なキー「{key}」があります（使えるキー: {', '.join(allowed)}）。",
                )


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None and node.start_mark else 0


def parse(source: str, *, origin: str = "") -> DirectorySpec:
    """Parse and validate a directory file; raise DirectoryError naming every bad line."""
    p = _Parser()
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise DirectoryError(
            [(line, f"YAML として読めません: {getattr(exc, 'problem', None) or exc}")], origin
        ) from None
    spec = DirectorySpec()
    if root is None:
        raise DirectoryError([(0, "名簿ファイルが空です。")], origin)
    top = p.mapping(root, "名簿ファイル")
    if top is None:
        raise DirectoryError(p.problems, origin)
    p.unknown_keys(top, TOP_LEVEL, "名簿ファイル")

    handles: dict[str, int] = {}
    people_nodes = p.sequence(top["people"][1], "people") if "people" in top else []
    for node in people_nodes:
        m = p.mapping(node, "people の項目")
        if m is None:
            continue
        p.unknown_keys(
            m,
            ("handle", "name", "email", "slack_user_id", "teams_user_id", "active"),
            "people の項目",
        )
        handle = p.text(m, "handle", node, "people の項目", required=True, max_len=64)
        name = p.text(m, "name", node, f"people「{handle}」", required=True)
        if handle is not None and p.repeated(handles, handle, m["handle"][1], "handle"):
            continue
        active = True
        if "active" in m:
            value = p.scalar(m["active"][1])
            if not isinstance(value, bool):
                p.error(m["active"][1], "active は true か false で書いてください。")
            else:
                active = value
        if handle is not None and name is not None:
            spec.people.append(
                PersonSpec(
                    handle=handle,
                    name=name,
                    email=p.text(m, "email", node, f"people「{handle}」", max_len=254),
                    slack_user_id=p.text(
                        m, "slack_user_id", node, f"people「{handle}」", max_len=32
                    ),
                    teams_user_id=p.text(
                        m, "teams_user_id", node, f"people「{handle}」", max_len=128
                    ),
                    active=active,
                )
            )
    _unique_ids(p, people_nodes, "slack_user_id")
    _unique_ids(p, people_nodes, "teams_user_id")

    def person_ref(
        m: dict[str, tuple[yaml.Node, yaml.Node]],
        key: str,
        owner: yaml.Node,
        what: str,
        *,
        required: bool = False,
    ) -> str | None:
        handle = p.text(m, key, owner, what, required=required, max_len=64)
        if handle is not None and handle not in handles:
            p.error(
                m[key][1], f"{what}の「{key}」に、people にいない人「{handle}」が指定されています。"
            )
            return None
        return handle

    dept_codes: dict[str, int] = {}
    for node in p.sequence(top["departments"][1], "departments") if "departments" in top else []:
        m = p.mapping(node, "departments の項目")
        if m is None:
            continue
        p.unknown_keys(m, ("code", "name", "head", "deputies"), "departments の項目")
        code = p.text(m, "code", node, "departments の項目", required=True, max_len=64)
        what = f"部署「{code}」"
        name = p.text(m, "name", node, what, required=True)
        head = person_ref(m, "head", node, what)
        if code is not None and p.repeated(dept_codes, code, m["code"][1], "部署コード"):
            continue
        deputies: list[DeputySpec] = []
        seen: set[str] = set()
        for dnode in p.sequence(m["deputies"][1], f"{what}の deputies") if "deputies" in m else []:
            if isinstance(dnode, yaml.ScalarNode):
                dm: dict[str, tuple[yaml.Node, yaml.Node]] = {"person": (dnode, dnode)}
            else:
                maybe = p.mapping(dnode, f"{what}の代理")
                if maybe is None:
                    continue
                dm = maybe
                p.unknown_keys(dm, ("person", "active_from", "active_until"), f"{what}の代理")
            who = person_ref(dm, "person", dnode, f"{what}の代理", required=True)
            start = p.when(dm, "active_from", f"{what}の代理")
            until = p.when(dm, "active_until", f"{what}の代理", end_of_day=True)
            if start is not None and until is not None and until <= start:
                p.error(
                    dm["active_until"][1],
                    f"{what}の代理「{who}」: active_until が active_from より前です。",
                )
            if who is not None and who == head:
                p.error(dnode, f"{what}: 所属長「{who}」を自分の代理にはできません。")
            if who is not None and who in seen:
                p.error(dnode, f"{what}: 代理「{who}」が重複しています。")
            if who is not None:
                seen.add(who)
                deputies.append(DeputySpec(who, start, until))
        if code is not None and name is not None:
            spec.departments.append(DepartmentSpec(code, name, head, deputies))

    account_codes: dict[str, int] = {}
    for node in p.sequence(top["accounts"][1], "accounts") if "accounts" in top else []:
        m = p.mapping(node, "accounts の項目")
        if m is None:
            continue
        p.unknown_keys(
            m,
            (
                "code",
                "name",
                "media",
                "url",
                "department",
                "manager",
                "operators",
                "exemptions",
                "status",
            ),
            "accounts の項目",
        )
        code = p.text(m, "code", node, "accounts の項目", required=True, max_len=64)
        what = f"アカウント「{code}」"
        name = p.text(m, "name", node, what, required=True)
        media = p.text(m, "media", node, what, required=True, max_len=64)
        url = p.text(m, "url", node, what, max_len=500)
        dept = p.text(m, "department", node, what, required=True, max_len=64)
        if dept is not None and dept not in dept_codes:
            p.error(
                m["department"][1],
                f"{what}の department に、departments にない部署「{dept}」が指定されています。",
            )
            dept = None
        manager = person_ref(m, "manager", node, what)
        status = p.text(m, "status", node, what, max_len=16)
        if status is not None and status not in ACCOUNT_STATUSES:
            p.error(
                m["status"][1],
                f"{what}の status「{status}」は使えません（{', '.join(ACCOUNT_STATUSES)}）。",
            )
            status = None
        if code is not None and p.repeated(account_codes, code, m["code"][1], "アカウントコード"):
            continue
        operators: list[str] = []
        for onode in (
            p.sequence(m["operators"][1], f"{what}の operators") if "operators" in m else []
        ):
            handle = p.scalar(onode) if isinstance(onode, yaml.ScalarNode) else None
            if not isinstance(handle, str) or handle not in handles:
                p.error(
                    onode,
                    f"{what}の operators に、people にいない人「{handle}」が指定されています。",
                )
            elif handle in operators:
                p.error(onode, f"{what}の operators に「{handle}」が2回あります。")
            else:
                operators.append(handle)
        exemptions: list[ExemptionSpec] = []
        for enode in (
            p.sequence(m["exemptions"][1], f"{what}の exemptions") if "exemptions" in m else []
        ):
            if isinstance(enode, yaml.ScalarNode):
                em: dict[str, tuple[yaml.Node, yaml.Node]] = {"category": (enode, enode)}
            else:
                maybe = p.mapping(enode, f"{what}の exemptions")
                if maybe is None:
                    continue
                em = maybe
                p.unknown_keys(
                    em, ("category", "rule", "agreed_by", "agreed_at"), f"{what}の exemptions"
                )
            cat = p.text(em, "category", enode, f"{what}の exemptions", required=True, max_len=10)
            if cat is not None:
                cat = cat.removeprefix("4(3)")
            if cat is not None and cat not in EXEMPT_CATEGORIES:
                p.error(
                    em["category"][1],
                    f"{what}: 決裁不要の区分「{cat}」は使えません（4(3)ただし書のア・イ・ウ・エのいずれか）。",
                )
                continue
            if cat is not None and any(e.category == cat for e in exemptions):
                p.error(enode, f"{what}: 区分「{cat}」が2回あります。")
                continue
            rule = p.text(em, "rule", enode, f"{what}の区分{cat}", max_len=5000) or ""
            agreed_by = person_ref(em, "agreed_by", enode, f"{what}の区分{cat}")
            agreed_at = p.when(em, "agreed_at", f"{what}の区分{cat}")
            if cat is not None:
                exemptions.append(ExemptionSpec(cat, rule, agreed_by, agreed_at))
        if code and name and media and dept:
            spec.accounts.append(
                AccountSpec(code, name, media, dept, url, manager, operators, exemptions, status)
            )

    if "org_roles" in top:
        roles = p.mapping(top["org_roles"][1], "org_roles")
        for role, (key_node, value_node) in (roles or {}).items():
            if role not in ORG_ROLES:
                p.error(
                    key_node, f"org_roles の役割「{role}」は使えません（{', '.join(ORG_ROLES)}）。"
                )
                continue
            members: list[str] = []
            nodes = (
                [value_node]
                if isinstance(value_node, yaml.ScalarNode) and not value_node.tag.endswith(":null")
                else p.sequence(value_node, f"org_roles の {role}")
            )
            for mnode in nodes:
                handle = p.scalar(mnode) if isinstance(mnode, yaml.ScalarNode) else None
                if not isinstance(handle, str) or handle not in handles:
                    p.error(
                        mnode,
                        f"org_roles の {role} に、people にいない人「{handle}」が指定されています。",
                    )
                elif handle not in members:
                    members.append(handle)
            spec.org_roles[role] = members

    channel_keys: dict[str, int] = {}
    for node in p.sequence(top["channels"][1], "channels") if "channels" in top else []:
        m = p.mapping(node, "channels の項目")
        if m is None:
            continue
        p.unknown_keys(
            m, ("key", "name", "slack_channel_id", "teams_channel_id"), "channels の項目"
        )
        key = p.text(m, "key", node, "channels の項目", required=True, max_len=64)
        what = f"チャンネル「{key}」"
        name = p.text(m, "name", node, what, required=True)
        if key is not None and p.repeated(channel_keys, key, m["key"][1], "チャンネルキー"):
            continue
        if key and name:
            spec.channels.append(
                ChannelSpec(
                    key,
                    name,
                    p.text(m, "slack_channel_id", node, what, max_len=32),
                    p.text(m, "teams_channel_id", node, what, max_len=256),
                )
            )

    if p.problems:
        raise DirectoryError(p.problems, origin)
    return spec


def _unique_ids(p: _Parser, nodes: list[yaml.Node], key: str) -> None:
    seen: dict[str, int] = {}
    for node in nodes:
        if not isinstance(node, yaml.MappingNode):
            continue
        for k, v in node.value:
            if k.value == key and isinstance(v, yaml.ScalarNode) and v.value:
                p.repeated(seen, v.value, v, key)


# --- applying to the database ----------------------------------------------------------


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


def apply(
    session: Session, *, spec: DirectorySpec, actor: str = "system", clock: Clock | None = None
) -> LoadResult:
    """Upsert a validated directory into the database (the caller owns the transaction)."""
    result = LoadResult()
    people: dict[str, Person] = {
        p.handle: p
        for p in session.scalars(
            sa.select(Person).where(Person.handle.in_([s.handle for s in spec.people]))
        )
    }
    for ps in spec.people:
        person = people.get(ps.handle)
        if person is None:
            person = Person(handle=ps.handle, name=ps.name)
            session.add(person)
            people[ps.handle] = person
            result.created += 1
        _set(
            person,
            result,
            name=ps.name,
            email=ps.email,
            slack_user_id=ps.slack_user_id,
            teams_user_id=ps.teams_user_id,
            active=ps.active,
        )
    session.flush()

    def ref(handle: str | None) -> Person | None:
        if handle is None:
            return None
        if handle not in people:
            found = session.scalar(sa.select(Person).where(Person.handle == handle))
            if found is None:  # parse() checked every reference against the file
                raise ValidationFailed(f"people にいない人「{handle}」が指定されています。")
            people[handle] = found
        return people[handle]

    departments: dict[str, Department] = {}
    for ds in spec.departments:
        dept = session.scalar(sa.select(Department).where(Department.code == ds.code))
        if dept is None:
            dept = Department(code=ds.code, name=ds.name)
            session.add(dept)
            result.created += 1
        head = ref(ds.head)
        _set(dept, result, name=ds.name, head_id=head.id if head else None)
        departments[ds.code] = dept
        session.flush()
        wanted = {d.person: d for d in ds.deputies}
        for deputy in list(dept.deputies):
            if deputy.person.handle not in wanted:
                dept.deputies.remove(deputy)
                result.removed += 1
        existing = {d.person.handle: d for d in dept.deputies}
        for handle, d in wanted.items():
            row = existing.get(handle)
            if row is None:
                person = ref(handle)
                assert person is not None
                dept.deputies.append(
                    Deputy(
                        person_id=person.id,
                        person=person,
                        active_from=d.active_from,
                        active_until=d.active_until,
                    )
                )
                result.created += 1
            else:
                _set(row, result, active_from=d.active_from, active_until=d.active_until)
    session.flush()

    def dept_ref(code: str) -> Department:
        if code not in departments:
            found = session.scalar(sa.select(Department).where(Department.code == code))
            if found is None:
                raise ValidationFailed(f"部署「{code}」がありません。")
            departments[code] = found
        return departments[code]

    for acs in spec.accounts:
        account = session.scalar(sa.select(Account).where(Account.code == acs.code))
        dept = dept_ref(acs.department)
        if account is None:
            _create_account(session, acs, dept=dept, ref=ref, result=result)
            continue
        # The account registry (bot.accounts, /account) owns an existing account's status,
        # manager, operators and posting rules: the file only adds rules it never had.
        _set(
            account,
            result,
            name=acs.name,
            media=acs.media,
            url=acs.url,
            department_id=dept.id,
        )
        if _differs_from_registry(account, acs):
            result.kept.append(acs.code)
        touched = _registry_touched(session, account)
        have = {r.category for r in account.exemptions}
        for e in acs.exemptions:
            if e.category in have or e.category in touched:
                continue
            agreed_by = ref(e.agreed_by)
            account.exemptions.append(
                ExemptionRule(
                    category=e.category,
                    rule_text=e.rule,
                    agreed_by_id=agreed_by.id if agreed_by else None,
                    agreed_at=e.agreed_at,
                )
            )
            result.created += 1
    session.flush()

    for role, handles in spec.org_roles.items():
        rows = session.scalars(sa.select(OrgRole).where(OrgRole.role == role)).all()
        have_roles = {r.person.handle: r for r in rows}
        for handle, row_role in have_roles.items():
            if handle not in handles:
                session.delete(row_role)
                result.removed += 1
        for handle in handles:
            if handle not in have_roles:
                person = ref(handle)
                assert person is not None
                session.add(OrgRole(role=role, person_id=person.id))
                result.created += 1
    session.flush()

    for cs in spec.channels:
        channel = session.scalar(sa.select(Channel).where(Channel.key == cs.key))
        if channel is None:
            channel = Channel(key=cs.key, name=cs.name)
            session.add(channel)
            result.created += 1
        _set(
            channel,
            result,
            name=cs.name,
            slack_channel_id=cs.slack_channel_id,
            teams_channel_id=cs.teams_channel_id,
        )
    session.flush()

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


def load_text(
    session: Session,
    *,
    source: str,
    name: str = "",
    actor: str = "system",
    clock: Clock | None = None,
) -> LoadResult:
    """Validate and apply a directory given as YAML text."""
    return apply(session, spec=parse(source, origin=name), actor=actor, clock=clock)


def load_file(
    session: Session, *, path: str | Path, actor: str = "system", clock: Clock | None = None
) -> LoadResult:
    """Validate and apply a directory file."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationFailed(f"名簿ファイルを読めません: {path}（{exc.strerror}）") from None
    except UnicodeDecodeError:
        raise ValidationFailed(f"名簿ファイルは UTF-8 で保存してください: {path}") from None
    return load_text(session, source=source, name=str(path), actor=actor, clock=clock)


DEMO_FILE = Path(__file__).with_name("demo.yaml")

"""Parse and validate a directory file (YAML) into a ``DirectorySpec``, with line numbers.

``parse`` reads the file once and checks it as a whole, one function per top-level
section (people, departments, accounts, org_roles, channels); every problem is collected
with its line and reported together in a ``DirectoryError``. Nothing touches the
database here (see ``bot.directory.applying``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import yaml

from bot.clock import JST
from bot.directory.models import ACCOUNT_STATUSES, ORG_ROLES
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms

TOP_LEVEL = ("people", "departments", "accounts", "org_roles", "channels")
# A YAML mapping: key -> (key node, value node), to report lines.
Fields = dict[str, tuple[yaml.Node, yaml.Node]]


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
    def __init__(self, terms: Terms) -> None:
        self.terms = terms  # the guideline in force: exemption labels
        self.problems: list[tuple[int, str]] = []
        # What the file defines so far, with the line: references are checked against it.
        self.handles: dict[str, int] = {}
        self.departments: dict[str, int] = {}
        self._constructor = yaml.SafeLoader("")

    def error(self, node: yaml.Node | None, message: str) -> None:
        self.problems.append((_line(node), message))

    def mapping(self, node: yaml.Node, what: str) -> Fields | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what}は「キー: 値」の形で書いてください。")
            return None
        result: Fields = {}
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
        m: Fields,
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
        m: Fields,
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

    def unknown_keys(self, m: Fields, allowed: tuple[str, ...], what: str) -> None:
        for key, (key_node, _) in m.items():
            if key not in allowed:
                self.error(
                    key_node,
                    f"{what}に不明なキー「{key}」があります（使えるキー: {', '.join(allowed)}）。",
                )

    def person_ref(
        self,
        m: Fields,
        key: str,
        owner: yaml.Node,
        what: str,
        *,
        required: bool = False,
    ) -> str | None:
        """A reference to a person of the file's ``people`` (an error if there is none)."""
        handle = self.text(m, key, owner, what, required=required, max_len=64)
        if handle is not None and handle not in self.handles:
            self.error(
                m[key][1], f"{what}の「{key}」に、people にいない人「{handle}」が指定されています。"
            )
            return None
        return handle


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None and node.start_mark else 0


def parse(source: str, *, origin: str = "", terms: Terms | None = None) -> DirectorySpec:
    """Parse and validate a directory file; raise DirectoryError naming every bad line.

    ``terms``: the guideline in force, whose exemption labels the file's categories must
    use (loading passes the session's; a bare ``directory check`` reads the shipped one).
    """
    p = _Parser(terms or guideline_terms.of(default_guideline()))
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
    for section in (_people, _departments, _accounts, _org_roles, _channels):
        section(p, top, spec)
    if p.problems:
        raise DirectoryError(p.problems, origin)
    return spec


def _people(p: _Parser, top: Fields, spec: DirectorySpec) -> None:
    """The ``people`` list: handles unique, platform ids unique, ``active`` a boolean."""
    handles = p.handles
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


def _departments(p: _Parser, top: Fields, spec: DirectorySpec) -> None:
    """The ``departments`` list: head and deputies are people of the file, periods ordered."""
    dept_codes = p.departments
    for node in p.sequence(top["departments"][1], "departments") if "departments" in top else []:
        m = p.mapping(node, "departments の項目")
        if m is None:
            continue
        p.unknown_keys(m, ("code", "name", "head", "deputies"), "departments の項目")
        code = p.text(m, "code", node, "departments の項目", required=True, max_len=64)
        what = f"部署「{code}」"
        name = p.text(m, "name", node, what, required=True)
        head = p.person_ref(m, "head", node, what)
        if code is not None and p.repeated(dept_codes, code, m["code"][1], "部署コード"):
            continue
        deputies: list[DeputySpec] = []
        seen: set[str] = set()
        for dnode in p.sequence(m["deputies"][1], f"{what}の deputies") if "deputies" in m else []:
            if isinstance(dnode, yaml.ScalarNode):
                dm: Fields = {"person": (dnode, dnode)}
            else:
                maybe = p.mapping(dnode, f"{what}の代理")
                if maybe is None:
                    continue
                dm = maybe
                p.unknown_keys(dm, ("person", "active_from", "active_until"), f"{what}の代理")
            who = p.person_ref(dm, "person", dnode, f"{what}の代理", required=True)
            start = p.when(dm, "active_from", f"{what}の代理")
            until = p.when(dm, "active_until", f"{what}の代理", end_of_day=True)
            if start is not None and until is not None and until <= start:
                p.error(
                    dm["active_until"][1],
                    f"{what}の代理「{who}」: active_until が active_from より前です。",
                )
            if who is not None and who == head:
                p.error(dnode, f"{what}: {p.terms.approver}「{who}」を自分の代理にはできません。")
            if who is not None and who in seen:
                p.error(dnode, f"{what}: 代理「{who}」が重複しています。")
            if who is not None:
                seen.add(who)
                deputies.append(DeputySpec(who, start, until))
        if code is not None and name is not None:
            spec.departments.append(DepartmentSpec(code, name, head, deputies))


def _accounts(p: _Parser, top: Fields, spec: DirectorySpec) -> None:
    """The ``accounts`` list: department, manager and operators known, status and 4(3) categories valid."""
    account_codes: dict[str, int] = {}
    handles, dept_codes = p.handles, p.departments
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
        manager = p.person_ref(m, "manager", node, what)
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
                em: Fields = {"category": (enode, enode)}
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
                raw, cat = cat, p.terms.parse_exemption(cat)
                if cat is None:
                    p.error(
                        em["category"][1],
                        f"{what}: 決裁不要の区分「{raw}」は使えません"
                        f"（{p.terms.approval_clause}ただし書の{p.terms.exemption_labels}のいずれか）。",
                    )
                    continue
            if cat is not None and any(e.category == cat for e in exemptions):
                p.error(enode, f"{what}: 区分「{cat}」が2回あります。")
                continue
            rule = p.text(em, "rule", enode, f"{what}の区分{cat}", max_len=5000) or ""
            agreed_by = p.person_ref(em, "agreed_by", enode, f"{what}の区分{cat}")
            agreed_at = p.when(em, "agreed_at", f"{what}の区分{cat}")
            if cat is not None:
                exemptions.append(ExemptionSpec(cat, rule, agreed_by, agreed_at))
        if code and name and media and dept:
            spec.accounts.append(
                AccountSpec(code, name, media, dept, url, manager, operators, exemptions, status)
            )


def _org_roles(p: _Parser, top: Fields, spec: DirectorySpec) -> None:
    """The ``org_roles`` mapping: known roles, members who are people of the file."""
    if "org_roles" not in top:
        return
    handles = p.handles
    roles = p.mapping(top["org_roles"][1], "org_roles")
    for role, (key_node, value_node) in (roles or {}).items():
        if role not in ORG_ROLES:
            p.error(key_node, f"org_roles の役割「{role}」は使えません（{', '.join(ORG_ROLES)}）。")
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


def _channels(p: _Parser, top: Fields, spec: DirectorySpec) -> None:
    """The ``channels`` list: keys unique."""
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


def _unique_ids(p: _Parser, nodes: list[yaml.Node], key: str) -> None:
    seen: dict[str, int] = {}
    for node in nodes:
        if not isinstance(node, yaml.MappingNode):
            continue
        for k, v in node.value:
            if k.value == key and isinstance(v, yaml.ScalarNode) and v.value:
                p.repeated(seen, v.value, v, key)

"""Personnel transfers (人事異動): the transfer list and the effective-date step.

``python -m bot directory transfer FILE`` loads the list (CSV or YAML: person, from, to,
effective date, optional role ``head`` (所属長) / ``deputy`` (代理) / ``staff``). The list is
validated as a whole, every problem with its line; if any, nothing is written. ``--dry-run``
prints what will change.

On the effective date (``apply_due``: a worker job, also run right after a load, idempotent
through a conditional UPDATE on ``transfers.applied_at``), per date, in order:

1. departures: a leaving deputy's period ends at 00:00 JST of the date; a leaving 所属長 is
   replaced by the successor the list names (``to`` = that department, role ``head``);
2. arrivals: new 所属長 and new deputies (period from the date) take their posts;
3. pending 決裁 and unacknowledged 事後報告 of the department move: the open requests of
   people who left are closed ("引き継ぎました"), the successor gets them, and each
   draft's author is told who decides now;
4. every account of the department the person leaves, where they were manager, operator,
   credential holder or kept a medium, gets a handover task (``bot.custody.service``);
   the leaver stops being its manager / operator at once (4(1)キ);
5. ``to`` left empty: the person leaves the city (退職・転出) and is deactivated.

From 00:00 JST of the date, a leaver has no decision right over the old department, even
before this step has run (``bot.custody.departures``, asked by ``directory.is_head_or_deputy``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from bot import audit
from bot.accounts.models import AccountEvent
from bot.accounts.validation import parse_date
from bot.cliutil import os_error
from bot.clock import JST, Clock, SystemClock
from bot.custody import messaging
from bot.custody.models import (
    CustodyMedium,
    CustodyRecord,
    Handover,
    HandoverStep,
    Transfer,
    TransferBatch,
)
from bot.directory.models import Account, Department, Deputy, Person, account_operators
from bot.drafts import messaging as draft_messaging
from bot.drafts.models import AfterReport, Draft, DraftNotice, DraftVersion
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.notify.models import OutboxMessage
from bot.notify.service import enqueue
from bot.tenancy import current_tenant

KEYS = {
    "person": ("person", "handle", "職員", "氏名", "対象者"),
    "from": ("from", "異動元", "現所属", "旧所属"),
    "to": ("to", "異動先", "新所属"),
    "effective": ("effective", "effective_date", "date", "発令日", "異動日"),
    "role": ("role", "役職", "新役職"),
}
ROLES = {
    "": "staff",
    "staff": "staff",
    "職員": "staff",
    "係員": "staff",
    "head": "head",
    "課長": "head",
    "deputy": "deputy",
    "代理": "deputy",
    "課長補佐": "deputy",
}
# The approver's title (所属長, 所管課長…) is also accepted for head (``_roles``).
ROLE_LABELS = {"staff": "", "head": "（{approver}）", "deputy": "（代理）"}


def _roles(terms: Terms) -> dict[str, str]:
    """The words a transfer list may write as a role: ``ROLES`` and the approver's title."""
    return {**ROLES, unicodedata.normalize("NFKC", terms.approver).lower(): "head"}


class TransferError(ValidationFailed):
    """The transfer list does not validate; ``problems`` lists (line, message)."""

    def __init__(self, problems: list[tuple[int, str]], source: str = "") -> None:
        self.problems = sorted(problems)
        where = f"{source}: " if source else ""
        lines = [
            f"{where}{line}行目: {msg}" if line else f"{where}{msg}" for line, msg in self.problems
        ]
        super().__init__(
            f"異動ファイルに {len(self.problems)} 件の誤りがあります（何も登録していません）。\n"
            + "\n".join(lines)
        )


@dataclass
class Row:
    line: int
    person: str
    from_code: str
    to_code: str | None
    effective: date
    role: str


@dataclass
class Move:
    """A validated row, resolved against the directory."""

    row: Row
    person: Person
    source: Department
    target: Department | None

    @property
    def effective_at(self) -> datetime:
        return datetime.combine(self.row.effective, time(), JST)

    def role_is(self, role: str) -> bool:
        return self.row.role == role


@dataclass
class Plan:
    moves: list[Move]
    unchanged: list[Move] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


# --- reading the file -------------------------------------------------------------------


def _canonical(key: str) -> str | None:
    k = unicodedata.normalize("NFKC", str(key)).strip().lower()
    for name, aliases in KEYS.items():
        if k in aliases:
            return name
    return None


def _raw_rows(
    text: str, *, kind: str
) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[tuple[int, str]] = []
    if kind == "csv":
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        header: list[str | None] | None = None
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [_canonical(c) for c in cells]
                unknown = [c for c, k in zip(cells, header, strict=True) if k is None and c.strip()]
                if unknown:
                    problems.append(
                        (
                            number,
                            f"不明な列「{'」「'.join(unknown)}」があります（使える列: person, from, to, effective, role）。",
                        )
                    )
                continue
            if len(cells) > len(header):
                problems.append(
                    (
                        number,
                        f"列の数（{len(cells)}）が見出し（{len(header)}）より多くなっています。",
                    )
                )
                continue
            rows.append((number, {k: c.strip() for k, c in zip(header, cells, strict=False) if k}))
        if header is None:
            problems.append((0, "異動ファイルが空です。"))
        return rows, problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [
            (
                mark.line + 1 if mark else 0,
                f"YAML として読めません: {getattr(exc, 'problem', None) or exc}",
            )
        ]
    if root is None:
        return [], [(0, "異動ファイルが空です。")]
    if isinstance(root, yaml.MappingNode):
        items = {k.value: v for k, v in root.value}
        if set(items) != {"transfers"}:
            return [], [
                (root.start_mark.line + 1, "YAML の最上位は transfers: の一覧にしてください。")
            ]
        root = items["transfers"]
    if not isinstance(root, yaml.SequenceNode):
        return [], [(root.start_mark.line + 1, "transfers は一覧（- person: …）で書いてください。")]
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(
                (line, "各項目は person / from / to / effective を持つ対応表で書いてください。")
            )
            continue
        values: dict[str, str] = {}
        for key_node, value_node in node.value:
            name = _canonical(key_node.value)
            if name is None:
                problems.append(
                    (
                        key_node.start_mark.line + 1,
                        f"不明なキー「{key_node.value}」があります（使えるキー: person, from, to, effective, role）。",
                    )
                )
                continue
            if not isinstance(value_node, yaml.ScalarNode):
                problems.append(
                    (value_node.start_mark.line + 1, f"{name} には値を一つ書いてください。")
                )
                continue
            values[name] = (
                "" if value_node.value in ("~", "null") else str(value_node.value).strip()
            )
            values[f"@{name}"] = str(value_node.start_mark.line + 1)
        rows.append((line, values))
    return rows, problems


def parse(text: str, *, kind: str, terms: Terms) -> tuple[list[Row], list[tuple[int, str]]]:
    """Rows of the file and the problems that need no database (keys, dates, roles)."""
    raw, problems = _raw_rows(text, kind=kind)
    roles = _roles(terms)
    rows: list[Row] = []
    for line, values in raw:

        def at(key: str, values: dict[str, str] = values, line: int = line) -> int:
            return int(values.get(f"@{key}", line))

        missing = [k for k in ("person", "from", "effective") if not values.get(k)]
        if missing:
            problems.append((line, f"{'・'.join(missing)} が書かれていません。"))
            continue
        day = parse_date(unicodedata.normalize("NFKC", values["effective"]))
        if day is None:
            problems.append(
                (
                    at("effective"),
                    f"発令日「{values['effective']}」は日付として読めません（例: 2026-04-01）。",
                )
            )
            continue
        role = roles.get(unicodedata.normalize("NFKC", values.get("role", "")).strip().lower())
        if role is None:
            problems.append(
                (
                    at("role"),
                    f"役職「{values.get('role')}」は使えません（head＝{terms.approver}、"
                    "deputy＝代理、空欄＝職員）。",
                )
            )
            continue
        rows.append(
            Row(
                line=line,
                person=values["person"],
                from_code=values["from"],
                to_code=values.get("to") or None,
                effective=day,
                role=role,
            )
        )
    return rows, problems


# --- validating against the directory ---------------------------------------------------


def plan(session: Session, text: str, *, kind: str, origin: str = "") -> Plan:
    """Validate the whole list; raise TransferError (nothing applies) or return the plan."""
    terms = guideline_terms.in_force(session)
    approver = terms.approver
    rows, problems = parse(text, kind=kind, terms=terms)
    people = {p.handle: p for p in session.scalars(sa.select(Person))}
    departments = {d.code: d for d in session.scalars(sa.select(Department))}
    moves: list[Move] = []
    seen: dict[tuple[str, date], int] = {}
    for row in rows:
        person = people.get(row.person)
        bad = False
        if person is None or not person.active:
            problems.append(
                (
                    row.line,
                    f"職員「{row.person}」は名簿にいません（名簿のハンドルで書いてください）。",
                )
            )
            bad = True
        source = departments.get(row.from_code)
        if source is None:
            problems.append((row.line, f"異動元の部署「{row.from_code}」は名簿にありません。"))
            bad = True
        target = departments.get(row.to_code) if row.to_code else None
        if row.to_code and target is None:
            problems.append((row.line, f"異動先の部署「{row.to_code}」は名簿にありません。"))
            bad = True
        if row.to_code is None and row.role != "staff":
            problems.append((row.line, "異動先が空欄（退職・転出）の行に役職は書けません。"))
            bad = True
        if row.to_code == row.from_code and row.role == "staff":
            problems.append(
                (row.line, "異動元と異動先が同じです（所属内の昇任なら役職を書いてください）。")
            )
            bad = True
        key = (row.person, row.effective)
        if key in seen:
            problems.append(
                (row.line, f"「{row.person}」の同じ発令日の異動が {seen[key]}行目にもあります。")
            )
            bad = True
        seen.setdefault(key, row.line)
        if bad or person is None or source is None:
            continue
        headed = [d for d in departments.values() if d.head_id == person.id]
        if headed and all(d.id != source.id for d in headed):
            problems.append(
                (
                    row.line,
                    f"「{row.person}」は名簿では{headed[0].name}（{headed[0].code}）の{approver}"
                    f"ですが、異動元が{source.name}になっています。",
                )
            )
            continue
        moves.append(Move(row=row, person=person, source=source, target=target))

    # Every 所属長 who leaves has a successor named for the same date; a new 所属長 only
    # takes a post whose 所属長 leaves (or that has none).
    by_date: dict[date, list[Move]] = defaultdict(list)
    for m in moves:
        by_date[m.row.effective].append(m)
    for group in by_date.values():
        leaving = {m.person.id for m in group if m.target is None or m.target.id != m.source.id}
        incoming: dict[int, list[Move]] = defaultdict(list)
        for m in group:
            if m.role_is("head") and m.target is not None:
                incoming[m.target.id].append(m)
        for heads in incoming.values():
            dept = heads[0].target
            assert dept is not None
            if len(heads) > 1:
                problems.append(
                    (
                        heads[1].row.line,
                        f"{dept.name}の{approver}に、同じ発令日に {len(heads)}人が指定されています"
                        f"（{heads[0].row.line}行目にも）。",
                    )
                )
            elif (
                dept.head_id is not None
                and dept.head_id not in leaving
                and dept.head_id != heads[0].person.id
            ):
                current = next((p for p in people.values() if p.id == dept.head_id), None)
                problems.append(
                    (
                        heads[0].row.line,
                        f"{dept.name}には{approver}{messaging.who(current)}がいて、この発令日に"
                        f"異動しません。先に現{approver}の異動を書いてください。",
                    )
                )
        for m in group:
            if (
                m.source.head_id == m.person.id
                and m.person.id in leaving
                and not incoming.get(m.source.id)
            ):
                problems.append(
                    (
                        m.row.line,
                        f"{m.source.name}の{approver}「{m.row.person}」が異動しますが、同じ発令日に"
                        f"異動先を {m.source.code}、役職を head（{approver}）とする後任が書かれて"
                        "いません。決裁を引き継ぐ人がいなくなるため、後任を書いてください。",
                    )
                )

    # Against what was loaded before: the same move again is fine (nothing to do); a
    # different move for the same person and date is a conflict.
    result = Plan(moves=[])
    loaded = {
        (t.person_id, t.effective_at): t
        for t in session.scalars(
            sa.select(Transfer).where(Transfer.person_id.in_(sorted({m.person.id for m in moves})))
        )
    }
    for m in moves:
        existing = loaded.get((m.person.id, m.effective_at))
        if existing is None:
            result.moves.append(m)
        elif (
            existing.from_department_id == m.source.id
            and existing.to_department_id == (m.target.id if m.target else None)
            and existing.role == m.row.role
        ):
            result.unchanged.append(m)
        else:
            problems.append(
                (
                    m.row.line,
                    f"「{m.row.person}」の{_day(m.row.effective)}付の異動は既に別の内容で登録されています（異動ファイル {existing.line}行目）。",
                )
            )
    if problems:
        raise TransferError(problems, origin)
    result.lines = _describe(session, result)
    return result


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _describe(session: Session, p: Plan) -> list[str]:
    """What will change, in Japanese, as the directory stands now."""
    terms = guideline_terms.in_force(session)
    out: list[str] = []
    for m in sorted(p.moves, key=lambda m: (m.row.effective, m.row.line)):
        dest = (
            f"{m.target.name}{terms.fill(ROLE_LABELS[m.row.role])}"
            if m.target
            else "退職・転出（名簿で無効になります）"
        )
        out.append(f"{_day(m.row.effective)} {messaging.who(m.person)}: {m.source.name} → {dest}")
        if m.source.head_id == m.person.id and (m.target is None or m.target.id != m.source.id):
            pending = _pending_count(session, m.source)
            out.append(
                f"  {m.source.name}の{terms.approver}が交代します。"
                f"決裁待ち・事後報告の確認待ち {pending}件を後任に引き継ぎます。"
            )
        for d in _deputy_posts(session, m):
            out.append(f"  {d.department.name}の代理の期間が{_day(m.row.effective)}で終了します。")
        for account, roles in _account_roles(session, m):
            out.append(
                f"  引継ぎ: {account.code} {account.name}（{'・'.join(_ROLE_NAMES[r] for r in roles)}）"
            )
    for m in p.unchanged:
        out.append(f"（登録済み・変更なし）{m.row.line}行目 {messaging.who(m.person)}")
    return out


_ROLE_NAMES = {
    "manager": "管理者",
    "operator": "担当者",
    "holder": "認証情報の管理者",
    "media": "媒体の保管責任者",
}


def _pending_count(session: Session, department: Department) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count(Draft.id))
            .join(Account, Account.id == Draft.account_id)
            .where(
                Account.department_id == department.id,
                Draft.state.in_(("pending_approval", "reported")),
            )
        )
        or 0
    )


def _deputy_posts(session: Session, m: Move) -> list[Deputy]:
    if m.target is not None and m.target.id == m.source.id:
        return []
    return list(
        session.scalars(
            sa.select(Deputy).where(
                Deputy.person_id == m.person.id, Deputy.department_id == m.source.id
            )
        )
    )


def _account_roles(session: Session, m: Move) -> list[tuple[Account, list[str]]]:
    """Accounts of the department left where the person is manager, operator, credential
    holder or keeps a medium, with those roles: one query for the ties, one for the
    accounts (most people on an April list hold none)."""
    if m.target is not None and m.target.id == m.source.id:
        return []
    in_dept = sa.and_(Account.department_id == m.source.id, Account.status != "closed")
    ties = sa.union_all(
        sa.select(Account.id, sa.literal("manager")).where(
            in_dept, Account.manager_id == m.person.id
        ),
        sa.select(Account.id, sa.literal("operator"))
        .join(account_operators, account_operators.c.account_id == Account.id)
        .where(in_dept, account_operators.c.person_id == m.person.id),
        sa.select(Account.id, sa.literal("holder"))
        .join(CustodyRecord, CustodyRecord.account_id == Account.id)
        .where(in_dept, CustodyRecord.holder_id == m.person.id),
        sa.select(Account.id, sa.literal("media"))
        .join(CustodyMedium, CustodyMedium.account_id == Account.id)
        .where(in_dept, CustodyMedium.holder_id == m.person.id, CustodyMedium.retired_at.is_(None)),
    )
    roles: dict[int, set[str]] = defaultdict(set)
    for account_id, role in session.execute(ties):
        roles[account_id].add(role)
    if not roles:
        return []
    accounts = session.scalars(
        sa.select(Account).where(Account.id.in_(sorted(roles))).order_by(Account.code)
    )
    order = ("manager", "operator", "holder", "media")
    return [(a, [r for r in order if r in roles[a.id]]) for a in accounts]


# --- loading ----------------------------------------------------------------------------


def kind_of(path: str, text: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    first = text.lstrip("\ufeff").lstrip().splitlines()[0] if text.strip() else ""
    return "yaml" if first.startswith(("transfers:", "-")) else "csv"


def read_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except OSError as exc:
        raise TransferError([(0, f"ファイルを読めません（{os_error(exc)}）。")], path) from None
    except UnicodeDecodeError:
        raise TransferError(
            [
                (
                    0,
                    "UTF-8 のテキストとして読めません（Excel では「CSV UTF-8」で保存してください）。",
                )
            ],
            path,
        ) from None


def load(
    session: Session,
    *,
    text: str,
    kind: str,
    origin: str,
    actor: str = "system",
    clock: Clock | None = None,
) -> Plan:
    """Validate and store the list (all or nothing), then apply what is already due."""
    clock = clock or SystemClock()
    now = clock.now()
    result = plan(session, text, kind=kind, origin=origin)
    if not result.moves:
        return result
    batch = TransferBatch(
        filename=Path(origin).name[:500] or "-",
        file_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        loaded_at=now,
        loaded_by=actor,
    )
    session.add(batch)
    session.flush()
    for m in result.moves:
        session.add(
            Transfer(
                batch_id=batch.id,
                line=m.row.line,
                person_id=m.person.id,
                from_department_id=m.source.id,
                to_department_id=m.target.id if m.target else None,
                role=m.row.role,
                effective_at=m.effective_at,
            )
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="directory.transfers_loaded",
        subject_type="transfer_batch",
        subject_id=batch.id,
        data={"file": batch.filename, "file_hash": batch.file_hash, "moves": len(result.moves)},
        clock=clock,
    )
    apply_due(session, clock=clock)
    return result


# --- the effective-date step ------------------------------------------------------------


@dataclass
class Applied:
    transfers: list[int] = field(default_factory=list)
    handovers: list[int] = field(default_factory=list)
    moved_drafts: list[int] = field(default_factory=list)


def apply_due(session: Session, *, clock: Clock | None = None) -> Applied:
    """Apply every transfer whose date has come, once (a second run or worker adds nothing)."""
    clock = clock or SystemClock()
    now = clock.now()
    result = Applied()
    due = session.execute(
        sa.select(Transfer.id, Transfer.effective_at)
        .where(Transfer.applied_at.is_(None), Transfer.effective_at <= now)
        .order_by(Transfer.effective_at, Transfer.id)
    ).all()
    groups: dict[datetime, list[int]] = defaultdict(list)
    for tid, when in due:
        groups[when].append(tid)
    for when in sorted(groups):
        claimed = list(
            session.scalars(
                sa.update(Transfer)
                .where(Transfer.id.in_(groups[when]), Transfer.applied_at.is_(None))
                .values(applied_at=now)
                .returning(Transfer.id)
                .execution_options(synchronize_session=False)
            )
        )
        if not claimed:
            continue
        transfers = list(
            session.scalars(
                sa.select(Transfer)
                .where(Transfer.id.in_(claimed))
                .order_by(Transfer.id)
                .execution_options(populate_existing=True)
            )
        )
        _apply_group(session, transfers, when=when, clock=clock, result=result)
    return result


def _apply_group(
    session: Session, transfers: list[Transfer], *, when: datetime, clock: Clock, result: Applied
) -> None:
    now = clock.now()
    leaving = [t for t in transfers if t.to_department_id != t.from_department_id]
    successors = {
        t.to_department_id: t.person for t in transfers if t.role == "head" and t.to_department_id
    }
    changed_heads: dict[int, tuple[Person | None, Person | None]] = {}
    left_people: dict[int, set[int]] = defaultdict(set)  # department id -> people who left it
    log: dict[int, dict[str, object]] = {t.id: {"person": t.person.handle} for t in transfers}

    # 1. departures
    for t in leaving:
        left_people[t.from_department_id].add(t.person_id)
        for deputy in session.scalars(
            sa.select(Deputy).where(
                Deputy.person_id == t.person_id, Deputy.department_id == t.from_department_id
            )
        ):
            if deputy.active_until is None or deputy.active_until > when:
                deputy.active_until = when
                log[t.id]["deputy_ended"] = t.from_department.code
        dept = t.from_department
        if dept.head_id == t.person_id:
            new = successors.get(dept.id)
            changed_heads[dept.id] = (t.person, new)
            dept.head_id = new.id if new is not None else None
            log[t.id]["head_of"] = dept.code
    # 2. arrivals
    for t in transfers:
        if t.to_department_id is None:
            continue
        target = t.to_department
        assert target is not None
        if t.role == "head" and target.head_id != t.person_id:
            if target.id not in changed_heads:
                old = session.get(Person, target.head_id) if target.head_id else None
                changed_heads[target.id] = (old, t.person)
            target.head_id = t.person_id
        elif t.role == "deputy":
            post = session.scalar(
                sa.select(Deputy).where(
                    Deputy.person_id == t.person_id, Deputy.department_id == target.id
                )
            )
            if post is None:
                session.add(
                    Deputy(
                        department_id=target.id,
                        person_id=t.person_id,
                        active_from=when,
                        active_until=None,
                    )
                )
            else:
                post.active_from, post.active_until = when, None
    session.flush()
    # 3. pending approvals and reports move
    for dept_id, (old, new) in changed_heads.items():
        moved = _move_pending(
            session,
            dept_id=dept_id,
            old=old,
            new=new,
            gone=left_people.get(dept_id, set()),
            clock=clock,
        )
        result.moved_drafts.extend(moved)
        for t in transfers:
            if t.person_id == (old.id if old else None) and t.from_department_id == dept_id:
                log[t.id]["drafts_moved"] = moved
    for dept_id, gone in left_people.items():
        if dept_id not in changed_heads:
            _close_notices_of(session, dept_id=dept_id, people=gone, new=None, clock=clock)
    # 4. handovers
    for t in leaving:
        move = Move(
            row=Row(t.line, t.person.handle, t.from_department.code, None, when.date(), t.role),
            person=t.person,
            source=t.from_department,
            target=t.to_department,
        )
        ids: list[int] = []
        for account, roles in _account_roles(session, move):
            ids.append(
                _open_handover(
                    session, account=account, transfer=t, roles=roles, now=now, clock=clock
                )
            )
        if ids:
            log[t.id]["handovers"] = ids
            result.handovers.extend(ids)
    # 5. leaving the city
    for t in transfers:
        if t.to_department_id is None:
            t.person.active = False
    session.flush()
    audit.record_many(
        session,
        [
            audit.Entry(
                "system",
                "directory.transfer_applied",
                "transfer",
                t.id,
                {
                    **log[t.id],
                    "from": t.from_department.code,
                    "to": t.to_department.code if t.to_department else None,
                    "role": t.role,
                    "effective": when.astimezone(JST).date().isoformat(),
                },
            )
            for t in transfers
        ],
        clock=clock,
    )
    result.transfers.extend(t.id for t in transfers)


def _open_handover(
    session: Session,
    *,
    account: Account,
    transfer: Transfer,
    roles: list[str],
    now: datetime,
    clock: Clock,
) -> int:
    person = transfer.person
    if "manager" in roles:
        account.manager_id = None
        _account_event(
            session, account, "manager_changed", {"from": person.handle, "to": None}, now, clock
        )
    if "operator" in roles:
        before = [p.handle for p in account.operators]
        session.execute(
            sa.delete(account_operators).where(
                # A Core table: the ORM's tenant criteria do not apply to it.
                account_operators.c.tenant_id == current_tenant(session),
                account_operators.c.account_id == account.id,
                account_operators.c.person_id == person.id,
            )
        )
        session.expire(account, ["operators"])
        _account_event(
            session,
            account,
            "operators_changed",
            {"from": before, "to": [h for h in before if h != person.handle]},
            now,
            clock,
        )
    steps = ["password"]
    if "holder" in roles:
        steps = ["holder", "password", "twofa"]
    if "media" in roles:
        steps.append("media")
    if "manager" in roles or "operator" in roles:
        steps.append("policy")
    handover = Handover(
        account_id=account.id,
        transfer_id=transfer.id,
        leaving_id=person.id,
        roles=",".join(roles),
        created_at=now,
        steps=[HandoverStep(step=s) for s in steps],
    )
    session.add(handover)
    session.flush()
    audit.record(
        session,
        actor="system",
        action="handover.opened",
        subject_type="handover",
        subject_id=handover.id,
        data={"code": account.code, "leaving": person.handle, "roles": roles, "steps": steps},
        clock=clock,
    )
    session.refresh(account)
    head = account.department.head
    if head is not None and head.active:
        enqueue(session, message=messaging.handover_task(handover), to_person=head, clock=clock)
    return handover.id


def _account_event(
    session: Session,
    account: Account,
    kind: str,
    data: dict[str, object],
    now: datetime,
    clock: Clock,
) -> None:
    session.add(
        AccountEvent(
            account_id=account.id,
            occurred_at=now,
            actor_id=None,
            kind=kind,
            reason="人事異動",
            data=data,
        )
    )
    audit.record(
        session,
        actor="system",
        action=f"account.{kind}",
        subject_type="account",
        subject_id=account.id,
        data={"code": account.code, "reason": "transfer", **data},
        clock=clock,
    )


def _close_notices_of(
    session: Session, *, dept_id: int, people: set[int], new: Person | None, clock: Clock
) -> list[int]:
    """Close the open approval / report requests sent to people who left the department.

    Rows are only added (one flush at the end writes them together).
    """
    if not people:
        return []
    now = clock.now()
    rows = session.execute(
        sa.select(DraftNotice, OutboxMessage, Person)
        .join(Draft, Draft.id == DraftNotice.draft_id)
        .join(Account, Account.id == Draft.account_id)
        .join(OutboxMessage, OutboxMessage.id == DraftNotice.outbox_id)
        .join(Person, Person.id == DraftNotice.recipient_id)
        .where(
            Account.department_id == dept_id,
            DraftNotice.closed_at.is_(None),
            DraftNotice.recipient_id.in_(sorted(people)),
        )
        .order_by(DraftNotice.id)
    ).all()
    drafts: list[int] = []
    for notice, original, recipient in rows:
        enqueue(
            session,
            message=messaging.approval_handed_over(
                notice.draft_id, new, terms=guideline_terms.in_force(session)
            ),
            to_person=recipient,
            update_of=original,
            clock=clock,
            flush=False,
        )
        notice.closed_at = now
        drafts.append(notice.draft_id)
    session.flush()
    return sorted(set(drafts))


def _move_pending(
    session: Session,
    *,
    dept_id: int,
    old: Person | None,
    new: Person | None,
    gone: set[int],
    clock: Clock,
) -> list[int]:
    """Pending 決裁 and 事後報告 of the department go to the new 所属長; authors are told.

    Reads the drafts with their current versions (and reports) in two queries; adds the
    outbox rows and notices, flushed together at the end.
    """
    people = set(gone) | ({old.id} if old is not None else set())
    _close_notices_of(session, dept_id=dept_id, people=people, new=new, clock=clock)
    rows = session.execute(
        sa.select(Draft, DraftVersion)
        .join(Account, Account.id == Draft.account_id)
        .join(
            DraftVersion,
            sa.and_(
                DraftVersion.draft_id == Draft.id, DraftVersion.number == Draft.current_version
            ),
        )
        .where(Account.department_id == dept_id, Draft.state.in_(("pending_approval", "reported")))
        .order_by(Draft.id)
    ).all()
    if not rows:
        return []
    ids = [draft.id for draft, _ in rows]
    reports = {
        r.draft_id: r
        for r in session.scalars(sa.select(AfterReport).where(AfterReport.draft_id.in_(ids)))
    }
    already: set[tuple[int, str, int]] = set()
    if new is not None:
        already = {
            (n.draft_id, n.purpose, n.version)
            for n in session.scalars(
                sa.select(DraftNotice).where(
                    DraftNotice.draft_id.in_(ids),
                    DraftNotice.recipient_id == new.id,
                    DraftNotice.closed_at.is_(None),
                )
            )
        }
    moved: list[int] = []
    for draft, version in rows:
        purpose = "approval" if draft.state == "pending_approval" else "report"
        key = (draft.id, purpose, version.number)
        if new is not None and new.id != draft.author_id and key not in already:
            if purpose == "approval":
                message = draft_messaging.approval_request(draft, draft.account, version)
            else:
                message = draft_messaging.report_filed(
                    draft, draft.account, version, reports[draft.id]
                )
            row = enqueue(session, message=message, to_person=new, clock=clock, flush=False)
            assert row is not None
            session.add(
                DraftNotice(
                    draft_id=draft.id,
                    version=version.number,
                    purpose=purpose,
                    recipient_id=new.id,
                    outbox=row,
                )
            )
        if old is not None:
            enqueue(
                session,
                message=messaging.approvals_moved(
                    draft.id, draft.account.name, old, new, terms=guideline_terms.in_force(session)
                ),
                to_person=draft.author,
                clock=clock,
                flush=False,
            )
        moved.append(draft.id)
    session.flush()
    return moved

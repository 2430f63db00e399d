"""Custody records (5(10)) and handover tasks: every change, who may make it, its record.

Services take a resolved ``Person`` and never commit (the caller owns the transaction).
Every change is appended to the audit log with who and when; the audit data names fields,
handles, dates and flags, never a recovery address or phone number (and never a secret:
``bot.custody.secrets`` refuses those before anything is written).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from bot import audit
from bot.accounts.validation import parse_date
from bot.clock import JST, Clock, SystemClock
from bot.custody import messaging
from bot.custody.models import (
    HANDOVER_STEPS,
    MEDIUM_KINDS,
    STEP_LABELS,
    CustodyMedium,
    CustodyRecord,
    Handover,
    HandoverStep,
)
from bot.custody.recovery import personal_email, personal_phone, phone_digits
from bot.custody.secrets import looks_secret, refusal, refuse_secrets
from bot.directory import service as directory
from bot.directory.models import Account, Department, Person
from bot.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.notify.service import enqueue

# Form fields of the custody record (keys; the console also accepts the Japanese labels).
FIELDS: dict[str, str] = {
    "holder": "認証情報の管理者",
    "recovery_email": "復旧用メールアドレス",
    "recovery_phone": "復旧用電話番号",
    "twofa": "二要素認証",
    "twofa_method": "二要素認証の方式",
    "password_changed": "パスワードの最終変更日",
}
MEDIUM_FIELDS: dict[str, str] = {
    "label": "媒体の名前",
    "kind": "媒体の種類",
    "holder": "保管責任者",
    "storage": "保管場所",
}
_ON = {"on", "yes", "true", "1", "有効", "あり", "オン", "する"}
_OFF = {"off", "no", "false", "0", "無効", "なし", "オフ", "しない"}
_METHODS = {
    "app": "app",
    "アプリ": "app",
    "認証アプリ": "app",
    "totp": "app",
    "sms": "sms",
    "ショートメッセージ": "sms",
    "security_key": "security_key",
    "key": "security_key",
    "セキュリティキー": "security_key",
    "email": "email",
    "mail": "email",
    "メール": "email",
}
_KINDS = {
    **{k: k for k in MEDIUM_KINDS},
    "icカード": "ic_card",
    "ic": "ic_card",
    "key": "security_key",
    "セキュリティキー": "security_key",
    "codes": "recovery_codes",
    "リカバリーコード": "recovery_codes",
    "その他": "other",
}
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+$")
_LABEL_OF = {**{v: k for k, v in FIELDS.items()}}


def _updated(session: Session, stmt: Any) -> int:
    """Run a conditional UPDATE and return how many rows it changed."""
    result: CursorResult[Any] = session.execute(stmt)  # type: ignore[assignment]
    return int(result.rowcount)


def _now(clock: Clock | None) -> datetime:
    return (clock or SystemClock()).now()


def normalise_keys(
    values: Mapping[str, str | None], labels: Mapping[str, str]
) -> dict[str, str | None]:
    """Accept Japanese labels as keys; refuse unknown keys (typos) with the list of keys."""
    by_label = {v: k for k, v in labels.items()}
    out: dict[str, str | None] = {}
    unknown: list[str] = []
    for key, value in values.items():
        name = key if key in labels else by_label.get(key)
        if name is None:
            unknown.append(key)
        else:
            out[name] = value
    if unknown:
        raise ValidationFailed(
            "項目「" + "」「".join(unknown) + "」はありません。使える項目: " + "、".join(labels),
            fields={k: "この項目はありません。" for k in unknown},
        )
    return out


# --- who may do what --------------------------------------------------------------------


def _is_admin(session: Session, person: Person) -> bool:
    return directory.has_role(session, person=person, role="admin")


def can_edit(
    session: Session,
    *,
    account: Account,
    record: CustodyRecord | None,
    person: Person,
    now: datetime,
) -> bool:
    """Manager, 所属長 or active deputy (not departed), the credential holder, or admin."""
    return (
        account.manager_id == person.id
        or directory.is_head_or_deputy(account.department, person, now)
        or (
            record is not None
            and record.holder_id == person.id
            and person.active
            and not directory.departed(account.department, person, now)
        )
        or _is_admin(session, person)
    )


def can_view(
    session: Session,
    *,
    account: Account,
    record: CustodyRecord | None,
    person: Person,
    now: datetime,
) -> bool:
    """Those who may edit, the operators and 情報政策課."""
    return (
        can_edit(session, account=account, record=record, person=person, now=now)
        or any(p.id == person.id for p in account.operators)
        or directory.has_role(session, person=person, role="info_policy")
    )


def _require(allowed: bool, account: Account, what: str) -> None:
    if not allowed:
        terms = guideline_terms.of_record(account)
        raise PermissionDenied(
            f"公式アカウント「{account.name}」の{what}ができるのは、アカウントの管理者、"
            f"{account.department.name}の{terms.approver}または代理、認証情報の管理者、"
            f"システム管理者です（{terms.ref('credentials')}）。"
        )


# --- reading ----------------------------------------------------------------------------


def get_record(session: Session, *, account: Account) -> CustodyRecord | None:
    return session.scalar(sa.select(CustodyRecord).where(CustodyRecord.account_id == account.id))


def media_of(session: Session, *, account: Account) -> list[CustodyMedium]:
    return list(
        session.scalars(
            sa.select(CustodyMedium)
            .where(CustodyMedium.account_id == account.id, CustodyMedium.retired_at.is_(None))
            .order_by(CustodyMedium.id)
        )
    )


def open_handovers(session: Session, *, account: Account | None = None) -> list[Handover]:
    stmt = sa.select(Handover).where(Handover.completed_at.is_(None)).order_by(Handover.id)
    if account is not None:
        stmt = stmt.where(Handover.account_id == account.id)
    return list(session.scalars(stmt))


@dataclass
class CustodyView:
    account: Account
    record: CustodyRecord | None
    media: list[CustodyMedium]
    handovers: list[Handover] = field(default_factory=list)


def view(session: Session, *, actor: Person, code: str, clock: Clock | None = None) -> CustodyView:
    account = directory.get_account(session, code=code)
    record = get_record(session, account=account)
    _require(
        can_view(session, account=account, record=record, person=actor, now=_now(clock)),
        account,
        "認証情報の管理状況の確認",
    )
    return CustodyView(
        account,
        record,
        media_of(session, account=account),
        open_handovers(session, account=account),
    )


def views_for(session: Session, *, actor: Person, clock: Clock | None = None) -> list[CustodyView]:
    """Every account whose custody the person may see (App Home, /custody list)."""
    now = _now(clock)
    out: list[CustodyView] = []
    for account in session.scalars(
        sa.select(Account).where(Account.status != "closed").order_by(Account.code)
    ):
        record = get_record(session, account=account)
        if can_view(session, account=account, record=record, person=actor, now=now):
            out.append(
                CustodyView(
                    account,
                    record,
                    media_of(session, account=account),
                    open_handovers(session, account=account),
                )
            )
    return out


# --- validation -------------------------------------------------------------------------


def _person(session: Session, handle: str, *, field_name: str, label: str) -> Person:
    try:
        return directory.get_person(session, handle=handle.strip())
    except NotFound:
        raise ValidationFailed(
            f"{label}に指定した「{handle.strip()}」は名簿に登録されていません。名簿にいる職員を一人指定してください。",
            fields={field_name: "名簿に登録されている職員のハンドルを指定してください。"},
        ) from None


def _date(value: str, *, field_name: str, label: str, now: datetime) -> datetime:
    text = unicodedata.normalize("NFKC", value).strip()
    day = now.astimezone(JST).date() if text in ("今日", "today", "本日") else parse_date(text)
    if day is None:
        raise ValidationFailed(
            f"{label}は日付で入力してください（例: 2026-04-01、2026年4月1日、今日）。",
            fields={field_name: "日付で入力してください。"},
        )
    if day > now.astimezone(JST).date():
        raise ValidationFailed(
            f"{label}に未来の日付は指定できません。", fields={field_name: "未来の日付です。"}
        )
    return datetime.combine(day, time(), JST)


def _clause(session: Session) -> str:
    """「5(10)」: the clause on credentials of the guideline in force."""
    return guideline_terms.in_force(session).ref("credentials")


def _structured_refusal(
    session: Session, field_name: str, label: str, value: str, message: str
) -> ValidationFailed:
    """A format error for a structured field; a secret-looking value gets the secret refusal."""
    if looks_secret(value):
        text = refusal(label, clause=_clause(session))
        return ValidationFailed(text, fields={field_name: text})
    return ValidationFailed(message, fields={field_name: message})


@dataclass
class _Parsed:
    values: dict[str, object] = field(default_factory=dict)


def _parse_record(
    session: Session, values: Mapping[str, str | None], now: datetime
) -> dict[str, object]:
    out: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, raw in values.items():
        label = FIELDS[name]
        value = unicodedata.normalize("NFKC", raw or "").strip()
        try:
            if name == "holder":
                out["holder"] = (
                    _person(session, value, field_name=name, label=label) if value else None
                )
            elif name == "recovery_email":
                if value and not _EMAIL.match(value):
                    raise _structured_refusal(
                        session,
                        name,
                        label,
                        value,
                        f"{label}の形式が正しくありません（例: kanko-sns@city.example.lg.jp）。",
                    )
                out["recovery_email"] = value.lower() or None
            elif name == "recovery_phone":
                digits = phone_digits(value) if value else ""
                if value and (
                    not re.fullmatch(r"[0-9+()\- ]+", value) or not 10 <= len(digits) <= 11
                ):
                    raise _structured_refusal(
                        session,
                        name,
                        label,
                        value,
                        f"{label}は電話番号で入力してください（例: 0263-34-3000）。",
                    )
                out["recovery_phone"] = value or None
            elif name == "twofa":
                low = value.lower()
                if low not in _ON | _OFF:
                    raise _structured_refusal(
                        session,
                        name,
                        label,
                        value,
                        f"{label}は「on」または「off」で入力してください。",
                    )
                out["twofa"] = low in _ON
            elif name == "twofa_method":
                low = value.lower()
                if value and low not in _METHODS:
                    raise _structured_refusal(
                        session,
                        name,
                        label,
                        value,
                        f"{label}は app（認証アプリ）・sms・security_key（セキュリティキー）・email のいずれかです。",
                    )
                out["twofa_method"] = _METHODS[low] if value else None
            elif name == "password_changed":
                if not value:
                    raise ValidationFailed(
                        f"{label}を入力してください。", fields={name: "日付を入力してください。"}
                    )
                if parse_date(value) is None and value not in ("今日", "today", "本日"):
                    raise _structured_refusal(
                        session,
                        name,
                        label,
                        value,
                        f"{label}は日付で入力してください（例: 2026-04-01、今日）。",
                    )
                out["password_changed"] = _date(value, field_name=name, label=label, now=now)
        except ValidationFailed as exc:
            errors.update(exc.fields or {name: exc.message})
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(
            first
            if len(errors) == 1
            else "入力に誤りがあります。何も保存していません。\n" + "\n".join(errors.values()),
            fields=errors,
        )
    return out


# --- custody record ---------------------------------------------------------------------


def update_record(
    session: Session,
    *,
    actor: Person,
    code: str,
    values: Mapping[str, str | None],
    clock: Clock | None = None,
) -> CustodyRecord:
    """Create or change the custody record of an account; audited; secrets refused."""
    now = _now(clock)
    values = normalise_keys(values, FIELDS)
    # First, before anything else reads or stores it: no secret goes past this line.
    refuse_secrets(
        {k: v for k, v in values.items() if k == "holder"}, FIELDS, clause=_clause(session)
    )
    if not values:
        raise ValidationFailed("変更する項目を指定してください。使える項目: " + "、".join(FIELDS))
    account = directory.get_account(session, code=code)
    record = get_record(session, account=account)
    _require(
        can_edit(session, account=account, record=record, person=actor, now=now),
        account,
        "認証情報の管理状況の変更",
    )
    parsed = _parse_record(session, values, now)
    created = record is None
    if record is None:
        record = CustodyRecord(account_id=account.id, created_at=now, updated_at=now)
        session.add(record)
    changed: list[str] = []
    data: dict[str, object] = {"code": account.code}
    if "holder" in parsed:
        holder = parsed["holder"]
        assert holder is None or isinstance(holder, Person)
        if (holder.id if holder else None) != record.holder_id:
            record.holder = holder
            record.holder_id = holder.id if holder else None
            changed.append("holder")
        data["holder"] = holder.handle if holder else None
    if "recovery_email" in parsed or "recovery_phone" in parsed:
        people_emails = [e for e in session.scalars(sa.select(Person.email)) if e]
        codes = list(session.scalars(sa.select(Department.code)))
        if "recovery_email" in parsed and parsed["recovery_email"] != record.recovery_email:
            email = parsed["recovery_email"]
            assert email is None or isinstance(email, str)
            record.recovery_email = email
            record.recovery_email_personal = bool(email) and personal_email(
                email or "", people_emails=people_emails, department_codes=codes
            )
            record.recovery_changed_at = now
            changed.append("recovery_email")
        if "recovery_phone" in parsed and parsed["recovery_phone"] != record.recovery_phone:
            phone = parsed["recovery_phone"]
            assert phone is None or isinstance(phone, str)
            record.recovery_phone = phone
            record.recovery_phone_personal = bool(phone) and personal_phone(phone or "")
            record.recovery_changed_at = now
            changed.append("recovery_phone")
        data["recovery_email_personal"] = record.recovery_email_personal
        data["recovery_phone_personal"] = record.recovery_phone_personal
    if "twofa" in parsed or "twofa_method" in parsed:
        enabled = bool(parsed.get("twofa", record.twofa_enabled))
        method = parsed.get("twofa_method", record.twofa_method if enabled else None)
        if not enabled and "twofa_method" in parsed and method is not None:
            raise ValidationFailed(
                "二要素認証を off にするときは、方式を指定できません。",
                fields={"twofa_method": "二要素認証が off です。"},
            )
        if not enabled:
            method = None
        if enabled != record.twofa_enabled or method != record.twofa_method:
            record.twofa_enabled = enabled
            record.twofa_method = method if isinstance(method, str) else None
            record.twofa_changed_at = now
            changed.append("twofa")
        data["twofa"] = record.twofa_enabled
        data["twofa_method"] = record.twofa_method
    if "password_changed" in parsed:
        when = parsed["password_changed"]
        assert isinstance(when, datetime)
        if when != record.password_changed_at:
            record.password_changed_at = when
            changed.append("password_changed")
        data["password_changed"] = when.astimezone(JST).date().isoformat()
    if not changed and not created:
        raise ValidationFailed(
            "変更はありません（すべて現在の記録と同じです）。何も変更していません。"
        )
    record.updated_at = now
    record.updated_by_id = actor.id
    session.flush()
    audit.record(
        session,
        actor=actor.handle,
        action="custody.created" if created else "custody.updated",
        subject_type="account",
        subject_id=account.id,
        data={**data, "changed": changed},
        clock=clock,
    )
    flagged = (
        record.recovery_email_personal or record.recovery_phone_personal or not record.twofa_enabled
    )
    manager = account.manager
    if flagged and manager is not None and manager.id != actor.id:
        enqueue(
            session,
            message=messaging.custody_flags(account, record),
            to_person=manager,
            clock=clock,
        )
    return record


def confirm(
    session: Session, *, actor: Person, code: str, clock: Clock | None = None
) -> CustodyRecord:
    """The record matches reality (確認): restarts the "not confirmed for N days" clock."""
    now = _now(clock)
    account = directory.get_account(session, code=code)
    record = get_record(session, account=account)
    if record is None:
        raise InvalidTransition(
            f"公式アカウント「{account.name}」の認証情報の管理記録がまだありません。先に /custody set で登録してください。"
        )
    _require(
        can_edit(session, account=account, record=record, person=actor, now=now),
        account,
        "管理状況の確認",
    )
    record.confirmed_at = now
    record.confirmed_by_id = actor.id
    session.flush()
    audit.record(
        session,
        actor=actor.handle,
        action="custody.confirmed",
        subject_type="account",
        subject_id=account.id,
        data={"code": account.code},
        clock=clock,
    )
    return record


def set_medium(
    session: Session,
    *,
    actor: Person,
    code: str,
    values: Mapping[str, str | None],
    retire: bool = False,
    clock: Clock | None = None,
) -> CustodyMedium:
    """Add or change a physical medium (by label), or retire it; audited; secrets refused."""
    now = _now(clock)
    values = normalise_keys(values, MEDIUM_FIELDS)
    refuse_secrets(
        {k: v for k, v in values.items() if k in ("label", "storage", "holder")},
        MEDIUM_FIELDS,
        clause=_clause(session),
    )
    account = directory.get_account(session, code=code)
    record = get_record(session, account=account)
    _require(
        can_edit(session, account=account, record=record, person=actor, now=now),
        account,
        "媒体の管理",
    )
    label = (values.get("label") or "").strip()
    if not label:
        raise ValidationFailed(
            "媒体の名前（label）を指定してください（例: label=ICカード1）。",
            fields={"label": "媒体の名前を入力してください。"},
        )
    medium = session.scalar(
        sa.select(CustodyMedium).where(
            CustodyMedium.account_id == account.id, CustodyMedium.label == label
        )
    )
    if retire:
        if medium is None or medium.retired_at is not None:
            raise NotFound(f"媒体「{label}」は登録されていません。")
        medium.retired_at = now
        medium.updated_at = now
        session.flush()
        audit.record(
            session,
            actor=actor.handle,
            action="custody.medium_retired",
            subject_type="account",
            subject_id=account.id,
            data={"code": account.code, "medium": medium.id},
            clock=clock,
        )
        return medium
    errors: dict[str, str] = {}
    kind = None
    if "kind" in values:
        kind = _KINDS.get(unicodedata.normalize("NFKC", values["kind"] or "").strip().lower())
        if kind is None:
            errors["kind"] = (
                "媒体の種類は ic_card（ICカード）・security_key・recovery_codes（リカバリーコードの控え）・other です。"
            )
    elif medium is None:
        errors["kind"] = "媒体の種類（kind）を指定してください。"
    holder = None
    if values.get("holder"):
        try:
            holder = _person(
                session, values["holder"] or "", field_name="holder", label="保管責任者"
            )
        except ValidationFailed as exc:
            errors.update(exc.fields)
    storage = (values.get("storage") or "").strip() or None
    if medium is None and storage is None:
        errors["storage"] = "保管場所（storage）を入力してください（例: 観光課 金庫）。"
    if errors:
        raise ValidationFailed(
            next(iter(errors.values()))
            if len(errors) == 1
            else "入力に誤りがあります。何も保存していません。\n" + "\n".join(errors.values()),
            fields=errors,
        )
    created = medium is None
    if medium is None:
        medium = CustodyMedium(
            account_id=account.id, label=label, kind=kind, storage=storage, updated_at=now
        )
        session.add(medium)
    medium.retired_at = None
    if kind is not None:
        medium.kind = kind
    if storage is not None:
        medium.storage = storage
    if holder is not None:
        medium.holder_id = holder.id
        medium.holder = holder
    medium.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor.handle,
        action="custody.medium_added" if created else "custody.medium_changed",
        subject_type="account",
        subject_id=account.id,
        data={
            "code": account.code,
            "medium": medium.id,
            "kind": medium.kind,
            "holder": holder.handle if holder else None,
            "storage_changed": storage is not None,
        },
        clock=clock,
    )
    return medium


# --- handovers --------------------------------------------------------------------------


def get_handover(session: Session, *, handover_id: int) -> Handover:
    handover = session.get(Handover, handover_id)
    if handover is None:
        raise NotFound(f"引継ぎ #{handover_id} はありません。")
    return handover


def can_handle_handover(
    session: Session, *, handover: Handover, person: Person, now: datetime
) -> bool:
    """New holder, the account's manager, the 所属長 or active deputy, admin — never the leaver."""
    account = handover.account
    if person.id == handover.leaving_id and not _is_admin(session, person):
        return False
    return (
        handover.new_holder_id == person.id
        or account.manager_id == person.id
        or directory.is_head_or_deputy(account.department, person, now)
        or _is_admin(session, person)
    )


def handovers_for(
    session: Session, *, person: Person, clock: Clock | None = None
) -> list[Handover]:
    now = _now(clock)
    return [
        h
        for h in open_handovers(session)
        if can_handle_handover(session, handover=h, person=person, now=now)
    ]


def complete_step(
    session: Session,
    *,
    actor: Person,
    handover_id: int,
    step: str,
    holder: str | None = None,
    clock: Clock | None = None,
) -> Handover:
    """Mark one handover step done, exactly once (conditional UPDATE); audited.

    ``holder`` step: names the new credential holder (required). ``password``: also sets the
    record's last change to now. ``media``: media the leaver held pass to the new holder.
    """
    now = _now(clock)
    if step not in HANDOVER_STEPS:
        raise ValidationFailed(
            f"引継ぎの手順「{step}」はありません（"
            + "・".join(f"{k}: {v}" for k, v in STEP_LABELS.items())
            + "）。"
        )
    if holder is not None:
        refuse_secrets(
            {"holder": holder}, {"holder": "新しい認証情報の管理者"}, clause=_clause(session)
        )
    handover = get_handover(session, handover_id=handover_id)
    account = handover.account
    if not can_handle_handover(session, handover=handover, person=actor, now=now):
        raise PermissionDenied(
            f"引継ぎ #{handover.id}（{account.name}）の手順を記録できるのは、新しい認証情報の管理者、"
            f"アカウントの管理者、{account.department.name}の"
            f"{guideline_terms.in_force(session).approver}または代理です。"
            "異動した本人は記録できません。"
        )
    row = session.scalar(
        sa.select(HandoverStep).where(
            HandoverStep.handover_id == handover.id, HandoverStep.step == step
        )
    )
    if row is None:
        raise InvalidTransition(
            f"引継ぎ #{handover.id} には「{STEP_LABELS[step]}」の手順はありません。"
        )
    new_holder: Person | None = None
    if step == "holder":
        if not holder:
            raise ValidationFailed(
                "新しい認証情報の管理者（名簿のハンドル）を指定してください。",
                fields={"holder": "ハンドルを入力してください。"},
            )
        new_holder = _person(session, holder, field_name="holder", label="新しい認証情報の管理者")
        if new_holder.id == handover.leaving_id:
            raise ValidationFailed(
                "異動する本人を新しい認証情報の管理者にはできません。",
                fields={"holder": "異動する本人です。"},
            )
    done = _updated(
        session,
        sa.update(HandoverStep)
        .where(HandoverStep.id == row.id, HandoverStep.done_at.is_(None))
        .values(done_at=now, done_by_id=actor.id)
        .execution_options(synchronize_session=False),
    )
    if done != 1:
        session.refresh(row)
        who = session.get(Person, row.done_by_id) if row.done_by_id else None
        raise InvalidTransition(
            f"引継ぎ #{handover.id} の「{STEP_LABELS[step]}」は既に"
            f"{messaging.who(who)}が記録しています。何も変更していません。"
        )
    session.refresh(row)
    record = get_record(session, account=account)
    data: dict[str, object] = {"code": account.code, "handover": handover.id, "step": step}
    if new_holder is not None:
        handover.new_holder_id = new_holder.id
        handover.new_holder = new_holder
        if record is None:
            record = CustodyRecord(account_id=account.id, created_at=now, updated_at=now)
            session.add(record)
        record.holder_id = new_holder.id
        record.updated_at = now
        record.updated_by_id = actor.id
        data["holder"] = new_holder.handle
    if step == "password" and record is not None:
        record.password_changed_at = now
        record.updated_at = now
        record.updated_by_id = actor.id
    if step == "media":
        target = handover.new_holder_id
        moved = []
        for medium in media_of(session, account=account):
            if medium.holder_id == handover.leaving_id:
                medium.holder_id = target
                medium.updated_at = now
                moved.append(medium.id)
        data["media"] = moved
    session.flush()
    audit.record(
        session,
        actor=actor.handle,
        action="handover.step_done",
        subject_type="handover",
        subject_id=handover.id,
        data=data,
        clock=clock,
    )
    session.refresh(handover)
    if all(s.done_at is not None for s in handover.steps):
        finished = _updated(
            session,
            sa.update(Handover)
            .where(Handover.id == handover.id, Handover.completed_at.is_(None))
            .values(completed_at=now)
            .execution_options(synchronize_session=False),
        )
        if finished == 1:
            session.refresh(handover)
            audit.record(
                session,
                actor=actor.handle,
                action="handover.completed",
                subject_type="handover",
                subject_id=handover.id,
                data={"code": account.code},
                clock=clock,
            )
            head = account.department.head
            for person in {
                p.id: p for p in (head, account.manager) if p is not None and p.id != actor.id
            }.values():
                enqueue(
                    session,
                    message=messaging.handover_completed(handover),
                    to_person=person,
                    clock=clock,
                )
    return handover

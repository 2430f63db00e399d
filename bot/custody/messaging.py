"""Platform-neutral messages for custody records, handovers and transfers (Japanese).

Recovery addresses are shown to those who may see the record (never put in the audit
log); a personal one is marked. Nothing here can hold a secret: the record has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.clock import format_jst, to_jst
from bot.custody.models import (
    MEDIUM_LABELS,
    STEP_LABELS,
    TWOFA_LABELS,
    CustodyMedium,
    CustodyRecord,
    Handover,
)
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.notify.messages import Action, Field, OutMessage

if TYPE_CHECKING:
    from bot.custody.service import CustodyView
    from bot.directory.models import Account, Person


def _terms(record: Any) -> Terms:
    """The guideline whose words a message about ``record`` uses (the one in force)."""
    return guideline_terms.of_record(record)


def clause(record: Any) -> str:
    """「5(10)」: the guideline's clause on credentials."""
    return _terms(record).ref("credentials")


def who(person: Person | None) -> str:
    return f"{person.name}（{person.handle}）" if person is not None else "未登録"


def _day(when: Any) -> str:
    if when is None:
        return "未記録"
    local = to_jst(when)
    return f"{local.year}年{local.month}月{local.day}日"


def _twofa(record: CustodyRecord) -> str:
    if not record.twofa_enabled:
        return "未設定 ⚠"
    return f"設定済み（{TWOFA_LABELS.get(record.twofa_method or '', '方式未記録')}）"


def _recovery(value: str | None, personal: bool) -> str:
    if not value:
        return "未登録"
    return f"{value}" + (
        "（個人のものと思われます ⚠ 部署の共用アドレス・電話に変更してください）"
        if personal
        else ""
    )


def _medium_line(medium: CustodyMedium) -> str:
    return (
        f"{medium.label}［{MEDIUM_LABELS.get(medium.kind, medium.kind)}］ 保管責任者: "
        f"{who(medium.holder)}　保管場所: {medium.storage or '未記録'}"
    )


def record_fields(view: CustodyView) -> list[Field]:
    record = view.record
    if record is None:
        return [Field("管理記録", "未登録（/custody set で登録してください）")]
    fields = [
        Field("認証情報の管理者", who(record.holder)),
        Field(
            "復旧用メールアドレス", _recovery(record.recovery_email, record.recovery_email_personal)
        ),
        Field("復旧用電話番号", _recovery(record.recovery_phone, record.recovery_phone_personal)),
        Field("二要素認証", _twofa(record)),
        Field("パスワードの最終変更", _day(record.password_changed_at)),
        Field(
            "管理状況の確認",
            f"{_day(record.confirmed_at)}（{who(record.confirmed_by)}）"
            if record.confirmed_at
            else "未確認",
        ),
    ]
    for medium in view.media:
        fields.append(Field("媒体", _medium_line(medium)))
    for handover in view.handovers:
        fields.append(Field("引継ぎ中", handover_line(handover)))
    return fields


def custody_detail(view: CustodyView) -> OutMessage:
    account = view.account
    actions = [
        Action("custody.edit", "管理記録を編集", {"account": account.code}, style="primary"),
    ]
    if view.record is not None:
        actions.append(Action("custody.confirm", "記録どおりと確認", {"account": account.code}))
    return OutMessage(
        kind="custody.detail",
        title=f"認証情報の管理状況: {account.name}［{account.media}］",
        text=(
            f"パスワード・認証コード・リカバリーキーそのものは記録しません（{clause(account)}）。"
        ),
        fields=record_fields(view),
        actions=actions,
        context=f"{account.code}・所管 {account.department.name}・管理者 {who(account.manager)}",
    )


def custody_list(views: list[CustodyView]) -> OutMessage:
    if not views:
        return OutMessage(
            kind="custody.list",
            title="認証情報の管理状況",
            text="確認できる公式アカウントはありません。",
        )
    lines = []
    for v in views:
        r = v.record
        if r is None:
            state = "管理記録 未登録 ⚠"
        else:
            flags = []
            if not r.twofa_enabled:
                flags.append("二要素認証 off")
            if r.recovery_email_personal or r.recovery_phone_personal:
                flags.append("復旧先が個人")
            if v.handovers:
                flags.append(f"引継ぎ中 {len(v.handovers)}件")
            state = f"管理者 {who(r.holder)}・パスワード変更 {_day(r.password_changed_at)}" + (
                "・⚠ " + "、".join(flags) if flags else ""
            )
        lines.append(f"・{v.account.code} {v.account.name}: {state}")
    return OutMessage(
        kind="custody.list", title=f"認証情報の管理状況（{len(views)}件）", text="\n".join(lines)
    )


def custody_flags(account: Account, record: CustodyRecord) -> OutMessage:
    problems = []
    if not record.twofa_enabled:
        problems.append("二要素認証が設定されていません。")
    if record.recovery_email_personal:
        problems.append(
            "復旧用メールアドレスが個人のものと思われます。部署の共用アドレスにしてください。"
        )
    if record.recovery_phone_personal:
        problems.append("復旧用電話番号が個人の携帯電話と思われます。部署の電話にしてください。")
    return OutMessage(
        kind="custody.flags",
        title=f"【要対応】{account.name} の認証情報の管理（{clause(account)}）",
        text="\n".join(problems),
        actions=[
            Action("custody.edit", "管理記録を編集", {"account": account.code}, style="primary")
        ],
        context=account.code,
    )


REMINDER_TEXT = {
    "custody.rotation": "パスワードの変更から{days}日が経過しています。パスワードを変更し、最終変更日を記録してください。",
    "custody.2fa_off": "二要素認証が設定されていません。認証アプリ等で設定し、記録してください。",
    "custody.personal": "復旧用のメールアドレスまたは電話番号が個人のものと思われます。部署の共用アドレス・電話に変更してください。",
    "custody.unconfirmed": "認証情報の管理状況が{days}日以上確認されていません。記録どおりか確認してください。",
    "custody.missing": "認証情報の管理記録（誰がパスワードを管理し、復旧先がどこか）が登録されていません。",
}


def custody_reminder(
    account: Account, record: CustodyRecord | None, *, kind: str, escalated: bool, days: int
) -> OutMessage:
    base = kind.removesuffix(".esc")
    text = REMINDER_TEXT[base].format(days=days)
    if escalated:
        text = (
            "アカウントの管理者の対応が済んでいないため、"
            f"{_terms(account).approver}にもお知らせします。\n{text}"
        )
    actions = [Action("custody.edit", "管理記録を編集", {"account": account.code}, style="primary")]
    if record is not None:
        actions.append(Action("custody.confirm", "記録どおりと確認", {"account": account.code}))
    return OutMessage(
        kind="custody.reminder",
        title=f"【リマインダー】{account.name} の認証情報の管理（{clause(account)}）",
        text=text,
        actions=actions,
        context=f"{account.code}・管理者 {who(account.manager)}",
    )


def handover_line(handover: Handover) -> str:
    open_steps = [STEP_LABELS[s.step] for s in handover.steps if s.done_at is None]
    return (
        f"#{handover.id} {who(handover.leaving)}の異動（{_day(handover.created_at)}）"
        f" 残り: {'、'.join(open_steps) or 'なし'}"
    )


def handover_task(
    handover: Handover, *, reminder: bool = False, escalated: bool = False
) -> OutMessage:
    account = handover.account
    terms = _terms(handover)
    roles = {
        "manager": "管理者",
        "operator": "担当者",
        "holder": "認証情報の管理者",
        "media": "媒体の保管責任者",
    }
    held = "・".join(roles[r] for r in handover.roles.split(",") if r in roles)
    fields = [
        Field("異動した職員", f"{who(handover.leaving)}（{held}）"),
        Field("新しい認証情報の管理者", who(handover.new_holder)),
    ]
    actions = []
    for step in handover.steps:
        state = f"済（{who(step.done_by)} {format_jst(step.done_at)}）" if step.done_at else "未"
        fields.append(Field(STEP_LABELS[step.step], state))
        if step.done_at is None:
            # The holder step asks for the new holder first (bot.actions.PROMPTS).
            action_id = "handover.holder" if step.step == "holder" else "handover.step"
            actions.append(
                Action(
                    action_id,
                    STEP_LABELS[step.step],
                    {"handover": handover.id, "step": step.step},
                    style="primary" if step.step == "holder" else None,
                )
            )
    lead = "人事異動により、次の公式アカウントの引継ぎが必要です。済んだ手順のボタンを押して記録してください。"
    if reminder:
        lead = (
            "引継ぎがまだ終わっていません。"
            + (f"{terms.approver}にもお知らせします。" if escalated else "")
            + lead
        )
    return OutMessage(
        kind="handover.task",
        title=(
            f"{'【リマインダー】' if reminder else ''}引継ぎ #{handover.id}: {account.name}"
            f"（{'・'.join(filter(None, (terms.ref('credentials'), terms.policy_ref('manager'))))}）"
        ),
        text=lead,
        fields=fields,
        actions=actions,
        context=f"{account.code}・引継ぎ #{handover.id}",
    )


def handover_completed(handover: Handover) -> OutMessage:
    return OutMessage(
        kind="handover.completed",
        title=f"引継ぎ #{handover.id}（{handover.account.name}）が完了しました",
        text=f"{who(handover.leaving)}の異動に伴う引継ぎの手順がすべて記録されました。",
        context=handover.account.code,
    )


def approvals_moved(
    draft_id: int, account_name: str, old: Person, new: Person | None, *, terms: Terms
) -> OutMessage:
    target = f"後任の{who(new)}" if new is not None else f"{terms.approver}・代理"
    return OutMessage(
        kind="custody.approval_moved",
        title=f"下書き #{draft_id} の決裁者が変わりました（人事異動）",
        text=f"{who(old)}の異動に伴い、「{account_name}」の下書き #{draft_id} の決裁は{target}が行います。"
        "下書きはそのまま引き継がれており、再提出の必要はありません。",
        context=f"下書き #{draft_id}",
    )


def approval_handed_over(draft_id: int, new: Person | None, *, terms: Terms) -> OutMessage:
    return OutMessage(
        kind="draft.approval_closed",
        title=f"下書き #{draft_id}: 異動のため決裁を引き継ぎました",
        text=(
            "人事異動により、この決裁は"
            f"{('後任の' + who(new)) if new else terms.approver + '・代理'}に引き継がれました。"
        ),
        context=f"下書き #{draft_id}",
    )


def info(title: str, text: str = "") -> OutMessage:
    return OutMessage(kind="custody.reply", title=title, text=text)

"""Platform-neutral messages of the account registry (W5). Adapters decide how to draw them.

Kinds:
- ``account.registration``: the 開設届 sent to each 広報課長, with ``account.confirm`` and
  ``account.return`` (needs_reason) buttons; value ``{"registration": id, "account": code}``.
- ``account.registration_decided``: the same 開設届 after the decision (update in place,
  no buttons).
- ``account.decision``: to the registrant and the manager: confirmed or returned (reason).
- ``account.status_changed``: suspended / resumed / closed (to 広報課長 and the manager).
- ``account.manager_assigned``: to a newly named manager.
- ``account.rule_changed``: a posting rule (4(3) ただし書) registered or revoked.
- ``account.detail`` / ``account.list``: replies to ``/account show`` and ``/account list``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.accounts.models import (
    CHECK_ITEMS,
    AccountCheck,
    AccountEvent,
    AccountPolicy,
    AccountRegistration,
)
from bot.clock import format_jst
from bot.directory.models import (
    CONFIRMED,
    RETURNED,
    Account,
    ExemptionRule,
    Person,
    status_label,
)
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.guideline.terms import Terms
from bot.notify.messages import Action, Field, OutMessage

# Templates: ``{form}`` and ``{confirmer}`` are the guideline's words (``Terms.fill``).
EVENT_LABELS = {
    "registered": "登録",
    "updated": "運用ポリシーの修正",
    "submitted": "{form}の提出",
    "confirmed": "{form}の確認（{confirmer}）",
    "returned": "{form}の差し戻し",
    "withdrawn": "{form}の取り下げ",
    "suspended": "休止",
    "resumed": "再開",
    "closed": "閉鎖",
    "manager_changed": "管理者の変更",
    "operators_changed": "担当者の変更",
    "rule_registered": "掲載ルールの登録",
    "rule_revoked": "掲載ルールの取り消し",
    "checklist": "プロフィール確認項目の更新",
}
DECISION_LABELS = {"confirmed": "確認済み", "returned": "差し戻し", "withdrawn": "取り下げ"}


def person_label(person: Person | None) -> str:
    """「名前（handle）」, or a dash when nobody is named."""
    return f"{person.name}（{person.handle}）" if person is not None else "—"


def _cited(clause: str) -> str:
    """「（4(1)キ）」, or nothing when the guideline has no such item."""
    return f"（{clause}）" if clause else ""


def format_date(day: date | None) -> str:
    """2026年4月1日."""
    return f"{day.year}年{day.month}月{day.day}日" if day is not None else "—"


def policy_fields(account: Account, policy: AccountPolicy | None) -> list[Field]:
    """The 運用ポリシー items (4(1)ア〜キ) as labelled fields, each prefixed with the label
    of the guideline's item it belongs to."""
    terms = guideline_terms.of_record(account)

    def label(field: str, name: str) -> str:
        item = terms.policy_item(field)
        return f"{item} {name}" if item else name

    fields = [Field("所管課", account.department.name)]
    if policy is not None:
        fields += [
            Field(label("organisation", "管理主体"), policy.organisation),
            Field(label("purpose", "利用目的"), policy.purpose),
            Field(label("information", "発信する情報"), policy.information),
            Field(label("response", "受信した情報への対応"), policy.response),
        ]
    fields += [
        Field(label("media", "ソーシャルメディアの種類"), account.media),
        Field(label("name", "公式アカウント名"), account.name),
        Field(label("url", "登録URL"), account.url or "—"),
        Field(
            label("start_date", "運用開始日"), format_date(policy.start_date if policy else None)
        ),
        Field(label("manager", "管理者"), person_label(account.manager)),
        Field(
            label("operators", "担当者"),
            "、".join(person_label(p) for p in account.operators) or "—",
        ),
    ]
    return fields


def registration_request(
    account: Account, policy: AccountPolicy | None, registration: AccountRegistration
) -> OutMessage:
    """The 開設届 as the 広報課長 receives it, with 確認 / 差し戻し buttons (4(2))."""
    terms = guideline_terms.of_record(account)
    form = terms.registration_form
    value = {"registration": registration.id, "account": account.code}
    again = f"（{registration.number}回目の提出）" if registration.number > 1 else ""
    return OutMessage(
        kind="account.registration",
        title=f"公式アカウント{form}: {account.name}（{account.media}）",
        text=(
            f"{account.department.name}から公式アカウントの{form}が提出されました{again}。"
            + terms.fill(
                "{guideline}{confirmation}により、{confirmer}の確認を受けてから運用を始めます。"
                "運用ポリシー（{policy_items}）を確認し、「確認」または「差し戻し」を選んでください。"
            )
        ),
        fields=[
            *policy_fields(account, policy),
            Field("提出者", person_label(registration.submitted_by)),
        ],
        actions=[
            Action("account.confirm", "確認", value=value, style="primary"),
            Action("account.return", "差し戻し", value=value, style="danger", needs_reason=True),
        ],
        context=f"{form} #{registration.id}・提出 {format_jst(registration.submitted_at)}",
    )


def registration_decided(
    account: Account, policy: AccountPolicy | None, registration: AccountRegistration
) -> OutMessage:
    """The 開設届 after its decision: same content, no buttons, who decided and when."""
    form = guideline_terms.of_record(account).registration_form
    decision = registration.decision or ""
    who = person_label(registration.decided_by) if registration.decided_by else "—"
    when = format_jst(registration.decided_at) if registration.decided_at else ""
    text = f"この{form}は{DECISION_LABELS.get(decision, decision)}となりました（{who}、{when}）。"
    if decision == RETURNED and registration.reason:
        text += f"\n差し戻しの理由: {registration.reason}"
    return OutMessage(
        kind="account.registration_decided",
        title=f"公式アカウント{form}: {account.name}（{account.media}）【{DECISION_LABELS.get(decision, decision)}】",
        text=text,
        fields=[
            *policy_fields(account, policy),
            Field("提出者", person_label(registration.submitted_by)),
        ],
        context=f"{form} #{registration.id}・提出 {format_jst(registration.submitted_at)}",
    )


def decision_notice(account: Account, registration: AccountRegistration) -> OutMessage:
    """Tell the registrant (and the manager) what the 広報課長 decided."""
    terms = guideline_terms.of_record(account)
    form, confirmer, clause = (
        terms.registration_form,
        terms.account_confirmer,
        terms.words["confirmation"],
    )
    who = person_label(registration.decided_by)
    if registration.decision == CONFIRMED:
        title = f"{form}が確認されました: {account.name}"
        text = (
            f"{confirmer}の{who}が「{account.name}」の{form}を確認しました（{clause}）。"
            "この公式アカウントで投稿の下書き（/draft）を作成できます。"
            "市ホームページの公式アカウント一覧にも掲載されます。"
            + terms.fill(
                "プロフィールの確認項目（{account_contact} 運用組織・連絡先、{publication} "
                "市ホームページのURL）も"
            )
            + f"/account check {account.code} で記録してください。"
        )
    else:
        title = f"{form}が差し戻されました: {account.name}"
        text = (
            f"{confirmer}の{who}が「{account.name}」の{form}を差し戻しました（{clause}）。\n"
            f"理由: {registration.reason or '—'}\n"
            f"運用ポリシーを修正（/account edit {account.code} 項目=値）してから、"
            f"/account submit {account.code} で再提出してください。"
        )
    return OutMessage(
        kind="account.decision",
        title=title,
        text=text,
        context=f"{form} #{registration.id}",
    )


STATUS_VERBS = {"suspended": "休止", "resumed": "再開", "closed": "閉鎖"}


def status_notice(account: Account, kind: str, actor: Person, reason: str | None) -> OutMessage:
    """An account was suspended, resumed or closed: the published list may need updating."""
    terms = guideline_terms.of_record(account)
    verb = STATUS_VERBS[kind]
    text = f"{person_label(actor)}が公式アカウント「{account.name}」を{verb}しました。"
    if reason:
        text += f"\n理由: {reason}"
    if kind in ("suspended", "closed"):
        text += "\nこのアカウントでは投稿の下書きを作成できません。"
    text += terms.fill(
        "\n市ホームページの公式アカウント一覧（{confirmation}）の更新が必要か確認してください。"
    )
    return OutMessage(
        kind="account.status_changed",
        title=f"公式アカウントの{verb}: {account.name}",
        text=text,
        fields=[Field("状態", status_label(account.status, terms))],
        context=f"アカウント {account.code}",
    )


def manager_notice(account: Account, actor: Person) -> OutMessage:
    """Tell a person that they are now the account's manager (4(1)キ)."""
    return OutMessage(
        kind="account.manager_assigned",
        title=f"公式アカウントの管理者になりました: {account.name}",
        text=(
            f"{person_label(actor)}があなたを公式アカウント「{account.name}」"
            f"の管理者{_cited(guideline_terms.of_record(account).policy_ref('manager'))}に指定しました。"
        ),
        context=f"アカウント {account.code}",
    )


def after_revoke(category: str, terms: Terms | None = None) -> str:
    """What a revoked posting rule means for the next posts of that category."""
    terms = terms or guideline_terms.of(default_guideline())
    cited = terms.exemption_ref(category)
    if terms.is_emergency(category):
        return (
            f"今後も緊急情報（{cited}）は決裁なしですぐ掲載できますが、{terms.approver}には"
            "ルール未登録のまま掲載されたことを知らせます。"
        )
    return f"今後、{cited}の投稿も{terms.approver}の決裁が必要です。"


def rule_notice(account: Account, category: str, actor: Person, *, revoked: bool) -> OutMessage:
    """A posting rule (4(3) ただし書) was registered or revoked."""
    terms = guideline_terms.of_record(account)  # the guideline in force (accounts carry none)
    cited = terms.exemption_ref(category)
    if revoked:
        text = (
            f"{person_label(actor)}が「{account.name}」の{cited}の掲載ルールを取り消しました。"
            + after_revoke(category, terms)
        )
    else:
        text = (
            f"{person_label(actor)}が「{account.name}」の{cited}の掲載ルールを登録しました。"
            f"{cited}に当たる投稿は決裁なしで掲載し、掲載後速やかに{terms.approver}へ報告します。"
        )
    return OutMessage(
        kind="account.rule_changed",
        title=f"掲載ルール（{cited}）の{'取り消し' if revoked else '登録'}: {account.name}",
        text=text,
        context=f"アカウント {account.code}",
    )


@dataclass
class AccountSummary:
    """Everything ``/account show`` displays, loaded by ``service.account_summary``."""

    account: Account
    policy: AccountPolicy | None
    registration: AccountRegistration | None
    checks: dict[str, AccountCheck]
    rules: list[ExemptionRule]
    events: list[AccountEvent] = field(default_factory=list)


def account_detail(summary: AccountSummary) -> OutMessage:
    """``/account show``: policy, status, 開設届, posting rules, checklist, recent history."""
    account = summary.account
    terms = guideline_terms.of_record(account)
    fields = [Field("状態", status_label(account.status, terms))]
    fields += policy_fields(account, summary.policy)
    reg = summary.registration
    if reg is not None:
        state = DECISION_LABELS.get(reg.decision or "", f"{terms.account_confirmer}の確認待ち")
        line = f"#{reg.id}（{reg.number}回目）{format_jst(reg.submitted_at)} 提出・{state}"
        if reg.decided_by is not None and reg.decided_at is not None:
            line += f"（{person_label(reg.decided_by)}、{format_jst(reg.decided_at)}）"
        if reg.decision == RETURNED and reg.reason:
            line += f" 理由: {reg.reason}"
        fields.append(Field(f"{terms.registration_form}（{terms.words['confirmation']}）", line))
    by_cat = {r.category: r for r in summary.rules}
    for cat in (e.label for e in terms.exemptions):
        rule = by_cat.get(cat)
        if rule is None and terms.is_emergency(cat):
            # Emergency information is never held (4(3)エ): say what the bot does instead.
            value = (
                f"未登録（緊急情報は決裁なしですぐ掲載でき、{terms.approver}にはルール未登録のまま"
                "掲載されたことを知らせ、事後報告を求めます）"
            )
        elif rule is None:
            value = f"未登録（この区分の投稿も{terms.approver}の決裁が必要）"
        else:
            who = person_label(rule.agreed_by) if rule.agreed_by else "—"
            when = format_jst(rule.agreed_at) if rule.agreed_at else "—"
            value = f"{rule.rule_text}（取り決め: {who}、{when}）"
        fields.append(Field(f"掲載ルール {terms.exemption_ref(cat)}", value))
    for key, (topic, label) in CHECK_ITEMS.items():
        check = summary.checks.get(key)
        if check is None:
            value = "未確認"
        else:
            mark = "確認済み" if check.checked else "未確認"
            value = f"{mark}（{person_label(check.checked_by)}、{format_jst(check.checked_at)}）"
        fields.append(Field(f"{terms.ref(topic)} {label}", value))
    history = [
        f"{format_jst(e.occurred_at)} {terms.fill(EVENT_LABELS.get(e.kind, e.kind))}"
        f"（{person_label(e.actor)}）" + (f" 理由: {e.reason}" if e.reason else "")
        for e in summary.events
    ]
    return OutMessage(
        kind="account.detail",
        title=f"公式アカウント: {account.name}（{account.code}）",
        text="最近の履歴:\n" + "\n".join(history) if history else "",
        fields=fields,
        context=f"アカウント {account.code}",
    )


def account_list(accounts: Sequence[Account], *, title: str = "公式アカウント一覧") -> OutMessage:
    """``/account list``: one line per account with its status."""
    lines: list[str] = []
    if accounts:
        terms = guideline_terms.of_record(accounts[0])
        lines = [
            f"{a.code}  {a.name}（{a.media}）{a.department.name}  【{status_label(a.status, terms)}】"
            for a in accounts
        ]
    return OutMessage(
        kind="account.list",
        title=f"{title}（{len(accounts)}件）",
        text="\n".join(lines) if lines else "登録されている公式アカウントはありません。",
    )

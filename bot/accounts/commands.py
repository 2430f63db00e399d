"""The ``/account`` text command, shared by every chat adapter (console, Slack, Teams).

An adapter passes the text after ``/account`` and the caller's handle, inside its own
transaction, and renders the returned ``OutMessage``. Refusals are raised as ``BotError``
with a Japanese message; the adapter shows it and the transaction rolls back.

    /account new code=kankou-x department=kankou media=X ...   (or one "項目: 値" per line)
    /account edit CODE purpose="..."                            (registered or returned only)
    /account submit CODE | confirm CODE | return CODE 理由
    /account rule CODE ア 本文 | revoke CODE ア [理由]
    /account check CODE 5(4)|5(5) [未]
    /account manager CODE handle [理由] | operators CODE a,b,c
    /account suspend|resume|close CODE 理由
    /account show CODE | list [all]
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.accounts import messaging, service
from bot.accounts.models import CHECK_ITEMS, AccountRegistration
from bot.accounts.validation import FIELD_BY_KEY, KEY_ALIASES, form_fields
from bot.clock import Clock
from bot.directory import service as directory
from bot.directory.models import ACCOUNT_STATUSES, CLOSED, Account, Person, status_label
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.guideline.terms import Terms
from bot.notify.messages import OutMessage

# A template: ``{form}``, ``{confirmer}``… are the guideline's words (``Terms.fill``).
USAGE = """/account new 項目=値 …（項目を省略すると入力用の書式を表示します）
/account edit コード 項目=値 …（提出前・差し戻し後の修正）
/account submit コード（{form}を{confirmer}へ提出、{confirmation}）
/account confirm コード / /account return コード 理由（{confirmer}のみ）
/account rule コード {first_exemption} 本文 / /account revoke コード {first_exemption} [理由]（{approval}ただし書の掲載ルール、{approver}のみ）
/account check コード {account_contact}|{publication} [未]（プロフィールの確認項目）
/account manager コード ハンドル [理由] / /account operators コード ハンドル,ハンドル,…
/account suspend|resume|close コード 理由
/account show コード / /account list [all]"""

_UNCHECK = {"未", "未確認", "off", "no", "false", "0", "取消"}
_LINE_KV = re.compile(r"^\s*([^=:：＝\s]+)\s*[=:：＝]\s*(.*)$")


def reply(title: str, text: str = "", *, kind: str = "account.reply") -> OutMessage:
    """A short confirmation shown to the person who acted."""
    return OutMessage(kind=kind, title=title, text=text)


_reply = reply


def registered_reply(account: Account) -> OutMessage:
    """After registration: what happens next (the 開設届, 4(2))."""
    terms = guideline_terms.of_record(account)
    return reply(
        f"公式アカウント「{account.name}」を登録しました（{account.code}）",
        terms.fill("運用ポリシーを登録しました。{form}はまだ提出されていません。")
        + f"/account submit {account.code} "
        + terms.fill("で{confirmer}へ提出してください（{confirmation}）。"),
    )


def confirmed_reply(reg: AccountRegistration) -> OutMessage:
    """To the 広報課長 after confirming."""
    terms = guideline_terms.of_record(reg)
    return reply(
        f"{terms.registration_form}を確認しました: {reg.account.name}",
        terms.fill(
            "このアカウントは確認済みとなり、公開用の一覧（{confirmation}）に載ります。"
            "登録者に通知しました。"
        ),
    )


def returned_reply(reg: AccountRegistration) -> OutMessage:
    """To the 広報課長 after returning."""
    return reply(
        f"{guideline_terms.of_record(reg).registration_form}を差し戻しました: {reg.account.name}",
        f"理由: {reg.reason}\n登録者に通知しました。",
    )


def _key(raw: str) -> str:
    key = raw.strip().lstrip("-")
    return KEY_ALIASES.get(key, KEY_ALIASES.get(key.lower(), key.lower()))


def parse_values(text: str) -> dict[str, str]:
    """``key=value`` pairs (quotes allowed) or one ``項目: 値`` per line -> form values."""
    values: dict[str, str] = {}
    if "\n" in text.strip():
        for line in text.splitlines():
            if not line.strip():
                continue
            m = _LINE_KV.match(line)
            if m is None:
                raise ValidationFailed(
                    f"「{line.strip()}」は「項目: 値」の形になっていません。",
                    fields={"form": "1行に「項目: 値」を1つずつ書いてください。"},
                )
            values[_key(m.group(1))] = m.group(2).strip()
        return values
    try:
        tokens = shlex.split(text.replace("＝", "="))
    except ValueError:
        raise ValidationFailed(
            '引用符（"）が閉じていません。', fields={"form": "引用符を閉じてください。"}
        ) from None
    for token in tokens:
        if "=" not in token:
            raise ValidationFailed(
                f"「{token}」は「項目=値」の形になっていません。値に空白を含めるときは"
                '項目="値" のように引用符で囲んでください。',
                fields={"form": "項目=値 の形で入力してください。"},
            )
        key, value = token.split("=", 1)
        values[_key(key)] = value.strip()
    return values


def form_template(terms: Terms) -> OutMessage:
    """The guided form: every 4(1) item with its clause and an example, one per line."""
    lines = [
        f"{f.key}: "
        + (f"（{f.label}・{f.clause}）" if f.clause else f"（{f.label}）")
        + f" {f.hint}"
        for f in form_fields(terms)
    ]
    return OutMessage(
        kind="account.form",
        title=f"公式アカウントの登録（運用ポリシー {terms.policy_items}）",
        text=(
            "次の項目を「項目: 値」の形で1行ずつ書き、/account new に続けて送ってください"
            "（担当者以外はすべて必須です）。\n" + "\n".join(lines)
        ),
    )


def _split(args: str, n: int) -> list[str]:
    """First ``n`` words, then the rest of the text (which may contain spaces)."""
    parts = args.strip().split(None, n)
    return parts + [""] * (n + 1 - len(parts))


def _cited(clause: str) -> str:
    return f"（{clause}）" if clause else ""


def _need(value: str, what: str) -> str:
    if not value:
        raise ValidationFailed(f"{what}を指定してください。", fields={"args": what})
    return value


def run(session: Session, *, actor: Person, text: str, clock: Clock | None = None) -> OutMessage:
    """Run one ``/account`` command for ``actor`` and return the reply to show them."""
    # The first word may end with a space or a newline ("/account new\ncode: ...").
    m = re.match(r"\s*(\S*)\s*(.*)", text, re.DOTALL)
    sub, rest = (m.group(1), m.group(2)) if m else ("", "")
    handler = _COMMANDS.get(sub.lower())
    usage = guideline_terms.in_force(session).fill(USAGE)
    if handler is None and sub:
        return _reply(f"/account に「{sub}」という操作はありません", usage, kind="account.help")
    if handler is None:
        return _reply("/account の使い方", usage, kind="account.help")
    try:
        return handler(session, actor, rest, clock)
    except ValidationFailed as exc:
        if "args" not in exc.fields:
            raise
        # Something is missing from the command: show how this sub-command is written.
        raise ValidationFailed(
            f"{exc.message}\n使い方: {_usage_of(sub.lower(), usage)}", fields=exc.fields
        ) from None


def _usage_of(sub: str, usage: str) -> str:
    """The lines of the usage that show ``sub``; the whole usage if none does."""
    pattern = re.compile(rf"/account (?:\w+\|)*{re.escape(sub)}\b")
    lines = [line for line in usage.splitlines() if pattern.search(line)]
    return "\n".join(lines) if lines else "\n" + usage


def _new(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    if not args.strip():
        return form_template(guideline_terms.in_force(session))
    account = service.register_account(session, actor=actor, values=parse_values(args), clock=clock)
    return registered_reply(account)


def _edit(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    code, rest = _split(args, 1)
    values = parse_values(_need(rest, "修正する項目"))
    account = service.update_registration(
        session, actor=actor, code=_need(code, "アカウントコード"), values=values, clock=clock
    )
    changed = "、".join(FIELD_BY_KEY[k].label for k in values if k in FIELD_BY_KEY)
    return _reply(f"「{account.name}」の運用ポリシーを修正しました", f"修正した項目: {changed}")


def _submit(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    reg = service.submit_registration(
        session, actor=actor, code=_need(args.strip(), "アカウントコード"), clock=clock
    )
    heads = "、".join(
        messaging.person_label(directory.get_person(session, handle=handle))
        for handle in sorted(reg.request_messages)
    )
    terms = guideline_terms.of_record(reg)
    form = terms.registration_form
    return _reply(
        f"{form}を提出しました: {reg.account.name}",
        f"{terms.account_confirmer}の{heads}に{form}（#{reg.id}）を送りました。"
        "確認の結果はお知らせします。",
    )


def _confirm(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    reg = service.confirm_registration(
        session, actor=actor, code=_need(args.strip(), "アカウントコード"), clock=clock
    )
    return confirmed_reply(reg)


def _return(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    code, reason = _split(args, 1)
    reg = service.return_registration(
        session, actor=actor, code=_need(code, "アカウントコード"), reason=reason, clock=clock
    )
    return returned_reply(reg)


def _rule(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    code, category, body = _split(args, 2)
    terms = guideline_terms.in_force(session)
    rule = service.register_rule(
        session,
        actor=actor,
        code=_need(code, "アカウントコード"),
        category=_need(category, f"区分（{terms.exemption_labels}）"),
        rule_text=body,
        clock=clock,
    )
    account = directory.get_account(session, code=code)
    cited = terms.exemption_ref(rule.category)
    return _reply(
        f"掲載ルール（{cited}）を登録しました: {account.name}",
        f"ルール: {rule.rule_text}\n"
        f"{cited}に当たる投稿は決裁なしで掲載し、掲載後速やかに{terms.approver}へ報告します。",
    )


def _revoke(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    code, category, reason = _split(args, 2)
    terms = guideline_terms.in_force(session)
    row = service.revoke_rule(
        session,
        actor=actor,
        code=_need(code, "アカウントコード"),
        category=_need(category, f"区分（{terms.exemption_labels}）"),
        reason=reason,
        clock=clock,
    )
    return _reply(
        f"掲載ルール（{terms.exemption_ref(row.category)}）を取り消しました",
        messaging.after_revoke(row.category, terms) + "取り消したルールは履歴に残ります。",
    )


def _check(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    code, item, flag = _split(args, 2)
    checked = flag.strip().lower() not in _UNCHECK
    terms = guideline_terms.in_force(session)
    row = service.set_check(
        session,
        actor=actor,
        code=_need(code, "アカウントコード"),
        item=_need(item, terms.fill("確認項目（{account_contact} または {publication}）")),
        checked=checked,
        clock=clock,
    )
    topic, label = CHECK_ITEMS[row.item]
    return _reply(
        f"{terms.ref(topic)} {label}: {'確認済み' if row.checked else '未確認'}として記録しました"
    )


def _manager(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    code, handle, reason = _split(args, 2)
    account = service.change_manager(
        session,
        actor=actor,
        code=_need(code, "アカウントコード"),
        manager=_need(handle, "新しい管理者のハンドル"),
        reason=reason,
        clock=clock,
    )
    return _reply(
        f"「{account.name}」の管理者を変更しました",
        f"新しい管理者: {messaging.person_label(account.manager)}"
        + _cited(guideline_terms.of_record(account).policy_ref("manager")),
    )


def _operators(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    code, handles = _split(args, 1)
    account = service.set_operators(
        session, actor=actor, code=_need(code, "アカウントコード"), operators=handles, clock=clock
    )
    names = "、".join(messaging.person_label(p) for p in account.operators) or "なし"
    return _reply(
        f"「{account.name}」の担当者を変更しました",
        f"担当者: {names}" + _cited(guideline_terms.of_record(account).policy_ref("operators")),
    )


def _status(verb: str, fn: Callable[..., object]) -> Callable[..., OutMessage]:
    def handler(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
        code, reason = _split(args, 1)
        fn(session, actor=actor, code=_need(code, "アカウントコード"), reason=reason, clock=clock)
        account = directory.get_account(session, code=code)
        return _reply(
            f"「{account.name}」を{verb}しました",
            f"状態: {status_label(account.status, guideline_terms.of_record(account))}",
        )

    return handler


def _show(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    summary = service.account_summary(session, code=_need(args.strip(), "アカウントコード"))
    return messaging.account_detail(summary)


def _list(session: Session, actor: Person, args: str, clock: Clock | None) -> OutMessage:
    if args.strip().lower() in ("all", "すべて", "全部"):
        return messaging.account_list(service.list_accounts(session))
    statuses = [s for s in ACCOUNT_STATUSES if s != CLOSED]
    return messaging.account_list(service.list_accounts(session, statuses=statuses))


_COMMANDS: dict[str, Callable[[Session, Person, str, Clock | None], OutMessage]] = {
    "new": _new,
    "edit": _edit,
    "submit": _submit,
    "confirm": _confirm,
    "return": _return,
    "rule": _rule,
    "revoke": _revoke,
    "check": _check,
    "manager": _manager,
    "operators": _operators,
    "suspend": _status("休止", service.suspend_account),
    "resume": _status("再開", service.resume_account),
    "close": _status("閉鎖", service.close_account),
    "show": _show,
    "list": _list,
    "help": lambda session, *_: _reply(
        "/account の使い方", guideline_terms.in_force(session).fill(USAGE), kind="account.help"
    ),
}

"""The ``/custody`` text command, shared by every chat adapter (parsed once, here).

```
/custody                                  一覧（見られるアカウント）
/custody show CODE
/custody set CODE holder=sato recovery_email=kanko-sns@… twofa=on twofa_method=app password_changed=今日
/custody medium CODE label=ICカード1 kind=ic_card holder=sato storage="観光課 金庫"
/custody medium CODE label=ICカード1 retire
/custody confirm CODE
/custody handovers                        自分が記録できる引継ぎ
/custody handover N STEP [HANDLE]         STEP: holder password twofa media policy
```

Every value is checked for secrets before it is parsed further, and no error message here
repeats what was typed (a password typed in the wrong place must not be echoed back).
"""

from __future__ import annotations

import dataclasses
import shlex
import unicodedata

from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.custody import messaging, service
from bot.custody.models import HANDOVER_STEPS, STEP_LABELS
from bot.custody.secrets import looks_secret, refusal
from bot.directory.models import Person
from bot.errors import ValidationFailed
from bot.guideline import terms as guideline_terms
from bot.notify.messages import OutMessage

USAGE = (
    "/custody [list] | /custody show コード | /custody set コード 項目=値 … | "
    "/custody medium コード label=… kind=… holder=… storage=… [retire] | /custody confirm コード | "
    "/custody handovers | /custody handover 番号 手順 [新しい管理者]"
)

HELP = OutMessage(
    kind="custody.help",
    title="/custody の使い方（認証情報の管理・{credentials}）",
    text="\n".join(
        [
            "/custody — 見られる公式アカウントの一覧",
            "/custody show コード — 管理記録の表示",
            "/custody set コード 項目=値 … — 項目: "
            + "、".join(f"{k}（{v}）" for k, v in service.FIELDS.items()),
            "/custody medium コード label=名前 kind=ic_card|security_key|recovery_codes|other"
            ' holder=保管責任者 storage="保管場所" [retire]',
            "/custody confirm コード — 記録どおりであることの確認",
            "/custody handovers — 引継ぎの一覧",
            "/custody handover 番号 手順 [新しい管理者] — 手順: "
            + "、".join(f"{k}（{v}）" for k, v in STEP_LABELS.items()),
            "パスワード・認証コード・リカバリーキーそのものは入力しないでください（記録しません）。",
        ]
    ),
)


def _refuse_if_secret(session: Session, text: str, tokens: list[str]) -> None:
    """Refuse the whole command when any value looks like a secret (echoing nothing).

    The verb and the account code (the first two words) are names the service checks
    against the directory; everything after them is a value, or ``key=value``.
    """
    # A key is checked as well as its value: an unknown key is named in the refusal.
    values = [part for t in tokens[2:] for part in t.split("=", 1)]
    if looks_secret(text, shapes=False) or any(looks_secret(v) for v in values):
        message = refusal("コマンド", clause=guideline_terms.in_force(session).ref("credentials"))
        raise ValidationFailed(message, fields={"form": message})


def _tokens(text: str) -> list[str]:
    try:
        return shlex.split(unicodedata.normalize("NFKC", text).replace("＝", "="))
    except ValueError:
        raise ValidationFailed(
            '引用符（"）が閉じていません。何も変更していません。',
            fields={"form": "引用符を閉じてください。"},
        ) from None


def _pairs(tokens: list[str], *, flags: tuple[str, ...] = ()) -> tuple[dict[str, str], set[str]]:
    values: dict[str, str] = {}
    seen: set[str] = set()
    for n, token in enumerate(tokens, start=1):
        if token in flags:
            seen.add(token)
            continue
        if "=" not in token:
            raise ValidationFailed(
                f"{n}番目の語が「項目=値」の形になっていません。値に空白を含めるときは"
                '項目="値" のように引用符で囲んでください。何も変更していません。',
                fields={"form": "項目=値 の形で入力してください。"},
            )
        key, value = token.split("=", 1)
        values[key.strip()] = value.strip()
    return values, seen


def _code(tokens: list[str], what: str) -> str:
    if len(tokens) < 2:
        raise ValidationFailed(
            f"{what}する公式アカウントのコードを指定してください。\n使い方: {USAGE}"
        )
    return tokens[1]


def run(session: Session, *, actor: Person, text: str, clock: Clock | None = None) -> OutMessage:
    """Run ``/custody <text>`` for ``actor``; the message to show them."""
    if looks_secret(text, shapes=False):
        message = refusal("コマンド", clause=guideline_terms.in_force(session).ref("credentials"))
        raise ValidationFailed(message, fields={"form": message})
    tokens = _tokens(text)
    _refuse_if_secret(session, text, tokens)
    verb = tokens[0].lower() if tokens else "list"
    if verb in ("list", "一覧"):
        return messaging.custody_list(service.views_for(session, actor=actor, clock=clock))
    if verb in ("help", "ヘルプ"):
        terms = guideline_terms.in_force(session)
        return dataclasses.replace(HELP, title=terms.fill(HELP.title), text=terms.fill(HELP.text))
    if verb in ("show", "表示"):
        return messaging.custody_detail(
            service.view(session, actor=actor, code=_code(tokens, "表示"), clock=clock)
        )
    if verb in ("set", "登録", "変更"):
        code = _code(tokens, "登録")
        values, _ = _pairs(tokens[2:])
        service.update_record(session, actor=actor, code=code, values=values, clock=clock)
        view = service.view(session, actor=actor, code=code, clock=clock)
        detail = messaging.custody_detail(view)
        return OutMessage(
            kind="custody.detail",
            title="管理記録を保存しました: " + view.account.name,
            text=detail.text,
            fields=detail.fields,
            actions=detail.actions,
            context=detail.context,
        )
    if verb in ("medium", "媒体"):
        code = _code(tokens, "媒体を登録")
        values, flags = _pairs(tokens[2:], flags=("retire", "廃棄"))
        medium = service.set_medium(
            session, actor=actor, code=code, values=values, retire=bool(flags), clock=clock
        )
        verb_done = "廃棄（使用終了）として記録" if flags else "記録"
        return messaging.info(f"媒体「{medium.label}」を{verb_done}しました（{code}）。")
    if verb in ("confirm", "確認"):
        code = _code(tokens, "確認")
        record = service.confirm(session, actor=actor, code=code, clock=clock)
        return messaging.info(
            f"{code} の管理記録を確認済みにしました（{messaging._day(record.confirmed_at)}）。"
        )
    if verb in ("handovers", "引継ぎ一覧"):
        handovers = service.handovers_for(session, person=actor, clock=clock)
        if not handovers:
            return messaging.info("記録できる引継ぎはありません。")
        return OutMessage(
            kind="handover.list",
            title=f"引継ぎ（{len(handovers)}件）",
            text="\n".join(f"・{h.account.code} {messaging.handover_line(h)}" for h in handovers),
        )
    if verb in ("handover", "引継ぎ"):
        if len(tokens) < 3:
            raise ValidationFailed(f"引継ぎの番号と手順を指定してください。\n使い方: {USAGE}")
        try:
            handover_id = int(tokens[1].lstrip("#"))
        except ValueError:
            raise ValidationFailed(
                "引継ぎの番号は数字で指定してください（例: /custody handover 3 password）。"
            ) from None
        step = tokens[2].lower()
        if step not in HANDOVER_STEPS:
            raise ValidationFailed(
                "手順は "
                + "、".join(f"{k}（{v}）" for k, v in STEP_LABELS.items())
                + " のいずれかです。"
            )
        holder = tokens[3] if len(tokens) > 3 else None
        handover = service.complete_step(
            session, actor=actor, handover_id=handover_id, step=step, holder=holder, clock=clock
        )
        return messaging.handover_task(handover)
    raise ValidationFailed(f"/custody の「{verb}」という操作はありません。\n使い方: {USAGE}")

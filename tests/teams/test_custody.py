"""/custody over Teams HTTP: the custody card, its buttons, handover steps, a password refused."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.custody import transfers
from bot.custody.models import CustodyRecord, Handover
from bot.db import transaction

from .harness import (
    Bot,
    StubConnector,
    card_of,
    click,
    executes,
    install,
    message,
    personal_chat,
    texts_of,
)

SECRET = "Hn7#kq2Lp9xZ"


def posted_to(stub: StubConnector, handle: str):
    return stub.of("POST", f"/v3/conversations/{personal_chat(handle)}/activities")


def last_card(stub: StubConnector, handle: str):
    call = [c for c in posted_to(stub, handle) if c.status == 200][-1]
    return call.response_id, card_of(call)


def test_custody_card_buttons_and_password_refusal(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session], clock
) -> None:
    for handle in ("sato", "yamada", "suzuki"):
        bot.send(install(stub, handle))
    stub.calls.clear()

    bot.send(message(stub, "sato", f"/custody set kanko-x holder=sato recovery_email={SECRET}"))
    _, refused = last_card(stub, "sato")
    assert "認証情報と思われる文字列" in texts_of(refused) and SECRET not in str(refused)
    with city() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(CustodyRecord)) == 0
        dump = "".join(
            str(r)
            for t in ("audit_events", "outbox")
            for r in s.execute(sa.text(f"SELECT * FROM {t}"))
        )
        assert SECRET not in dump

    bot.send(message(stub, "sato", "/custody set kanko-x holder=sato twofa=on twofa_method=sms"))
    _, saved = last_card(stub, "sato")
    assert "管理記録を保存しました" in texts_of(saved) and "SMS" in texts_of(saved)

    # 管理記録を編集 opens the form card; a password typed into it is refused, not echoed.
    bot.send(message(stub, "sato", "/custody show kanko-x"))
    shown_id, shown = last_card(stub, "sato")
    opened = bot.send(
        click(stub, "sato", executes(shown)["管理記録を編集"], reply_to=shown_id or "")
    ).json()
    form = opened["value"]
    inputs = {e["id"]: e for e in form["body"] if e["type"].startswith("Input.")}
    assert set(inputs) == {
        "holder",
        "recovery_email",
        "recovery_phone",
        "twofa",
        "twofa_method",
        "password_changed",
    }
    assert inputs["twofa_method"]["value"] == "sms"
    save = executes(form)["保存する"]
    # Teams sends every input of the card (associatedInputs), as shown and as edited.
    shown_values = {k: str(e.get("value") or "") for k, e in inputs.items()}
    bad = bot.send(
        click(
            stub,
            "sato",
            save,
            reply_to=shown_id or "",
            inputs={**shown_values, "recovery_phone": SECRET},
        )
    ).json()
    assert "認証情報と思われる文字列" in str(bad) and SECRET not in str(bad)
    good = bot.send(
        click(
            stub,
            "sato",
            save,
            reply_to=shown_id or "",
            inputs={**shown_values, "recovery_phone": "0263-34-3000"},
        )
    )
    assert good.status_code == 200, good.text
    assert "管理記録を保存しました" in good.text, good.text
    with city() as s:
        assert s.scalar(sa.select(CustodyRecord.recovery_phone)) == "0263-34-3000"
        dump = "".join(
            str(r)
            for t in ("audit_events", "outbox", "custody_records")
            for r in s.execute(sa.text(f"SELECT * FROM {t}"))
        )
        assert SECRET not in dump

    bot.send(message(stub, "yamada", "/custody show kanko-x"))
    card_id, card = last_card(stub, "yamada")
    confirm = executes(card)["記録どおりと確認"]
    assert confirm["verb"] == "custody.confirm"
    done = bot.send(click(stub, "yamada", confirm, reply_to=card_id or ""))
    assert done.status_code == 200
    with city() as s:
        assert s.scalar(sa.select(CustodyRecord.confirmed_at)) is not None

    # sato moves on 12/1: the 所属長 gets the handover card and names the new holder.
    with transaction(city) as session:
        transfers.load(
            session,
            text="person,from,to,effective\nsato,kanko,kouhou,2026-12-01\n",
            kind="csv",
            origin="t.csv",
            clock=clock,
        )
    clock.set(clock.now().replace(month=12, day=1, hour=1))
    with transaction(city) as session:
        [handover_id] = transfers.apply_due(session, clock=clock).handovers
    bot.deliver()
    task_id, task = last_card(stub, "yamada")
    assert "引継ぎ" in texts_of(task)
    name = executes(task)["新しい認証情報の管理者を指名"]
    assert name["verb"] == "handover.holder"
    bot.send(click(stub, "yamada", name, reply_to=task_id or "", inputs={"holder": "suzuki"}))
    with city() as s:
        assert s.get(Handover, handover_id).new_holder.handle == "suzuki"
    password = executes(task)["パスワードを変更"]
    refused_leaver = bot.send(click(stub, "sato", password, reply_to=task_id or ""))
    assert "異動した本人は記録できません" in str(refused_leaver.json())

"""``/account new`` and ``/incident`` without arguments open card forms, over Teams HTTP."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.directory.models import Account
from bot.incidents.models import Incident

from .conftest import INFO_POLICY_CHANNEL
from .harness import Bot, StubConnector, card_of, click, executes, message, payload, texts_of

ACCOUNT = {
    "code": "kanko-line",
    "department": "kanko",
    "organisation": "みどり市 観光課",
    "purpose": "観光情報を届けるため",
    "information": "イベントと観光施設の情報",
    "response": "コメントには原則として個別に返信しません",
    "media": "LINE",
    "name": "みどり市観光課 LINE",
    "url": "https://line.me/R/ti/p/@midori-kanko",
    "start_date": "2026-04-01",
    "manager": "sato",
    "operators": "suzuki",
}


def inputs_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}


def count(factory: sessionmaker[Session], model: Any) -> int:
    with factory() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_account_new_form_keeps_input_and_shows_problems(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    bot.send(message(stub, "sato", "/account new"))
    (form_call,) = stub.activities()
    form = card_of(form_call)
    fields = inputs_of(form)
    assert list(fields) == list(ACCOUNT)
    assert "4(1)イ" in fields["purpose"]["label"] and fields["purpose"]["isMultiline"] is True
    assert (
        fields["code"]["isRequired"] is True and fields["operators"].get("isRequired") is not True
    )
    submit = executes(form)["登録する"]
    before = count(city, Account)

    typed = {**ACCOUNT, "url": "https://x.com/midori", "manager": "nobody"}
    again = bot.send(
        click(stub, "sato", submit, reply_to=form_call.response_id or "", inputs=typed)
    ).json()
    assert again["type"] == "application/vnd.microsoft.card.adaptive"
    card = again["value"]
    assert inputs_of(card)["url"]["value"] == "https://x.com/midori"  # what was typed stays
    assert inputs_of(card)["purpose"]["value"] == ACCOUNT["purpose"]
    shown = texts_of(card)
    assert "登録URL:" in shown and "LINE" in shown and "名簿" in shown
    assert count(city, Account) == before

    ok = bot.send(
        click(stub, "sato", submit, reply_to=form_call.response_id or "", inputs=ACCOUNT)
    ).json()
    assert "みどり市観光課 LINE" in texts_of(ok["value"]) and "開設届" in texts_of(ok["value"])
    with city() as session:
        account = session.scalar(sa.select(Account).where(Account.code == "kanko-line"))
        assert account is not None and account.status == "registered"


def test_incident_form_declares_and_opens_the_thread(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    bot.send(payload("conversation_update_bot_added", stub))  # 情報政策課's team
    stub.calls.clear()
    bot.send(message(stub, "sato", "/incident 訂正"))
    (form_call,) = stub.activities()
    form = card_of(form_call)
    fields = inputs_of(form)
    assert [c["value"] for c in fields["type"]["choices"]] == [
        "flaming",
        "impersonation",
        "correction",
    ]
    assert fields["type"]["value"] == "correction"
    assert "kanko-x" in [c["value"] for c in fields["account"]["choices"]]
    submit = executes(form)["報告する"]

    again = bot.send(
        click(
            stub,
            "sato",
            submit,
            reply_to=form_call.response_id or "",
            inputs={"type": "correction", "account": "kanko-x"},
        )
    ).json()
    assert "概要" in texts_of(again["value"])
    assert inputs_of(again["value"])["type"]["value"] == "correction"
    assert count(city, Incident) == 0

    stub.calls.clear()
    ok = bot.send(
        click(
            stub,
            "sato",
            submit,
            reply_to=form_call.response_id or "",
            inputs={"type": "correction", "account": "kanko-x", "summary": "日付を誤って掲載"},
        )
    ).json()
    assert "（訂正）を記録しました" in texts_of(ok["value"])
    bot.deliver()
    (root,) = stub.of("POST", f"/v3/conversations/{INFO_POLICY_CHANNEL}/activities")
    assert "日付を誤って掲載" in texts_of(card_of(root))
    assert count(city, Incident) == 1


def test_incident_subcommand_is_not_a_form(bot: Bot, stub: StubConnector) -> None:
    bot.send(message(stub, "sato", "/incident list"))
    (reply,) = stub.activities()
    assert "Input." not in str(reply.body)

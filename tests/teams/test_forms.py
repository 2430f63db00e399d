"""``/draft`` alone opens the draft form card; its submission goes to the core's form API."""

from __future__ import annotations

from typing import Any

from .harness import Bot, StubConnector, card_of, click, executes, message, personal_chat, texts_of


def inputs_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}


def test_draft_form_submits_and_shows_problems_in_the_form(bot: Bot, stub: StubConnector) -> None:
    bot.send(message(stub, "sato", "/draft"))
    (form_call,) = stub.activities()
    form = card_of(form_call)
    fields = inputs_of(form)
    assert [c["value"] for c in fields["account"]["choices"]] == ["kanko-x"]
    assert fields["text"]["isRequired"] is True
    submit = executes(form)["チェックして送信"]
    assert submit["verb"] == "draft.submit"

    # A blocking finding: the form comes back with what was typed and the reason.
    typed = {
        "account": "kanko-x",
        "text": "担当の携帯は090-1234-5678です。",
        "exemption": "none",
        "photo": "none",
    }
    again = bot.send(
        click(stub, "sato", submit, reply_to=form_call.response_id or "", inputs=typed)
    ).json()
    assert again["type"] == "application/vnd.microsoft.card.adaptive"
    assert inputs_of(again["value"])["text"]["value"] == typed["text"]
    assert "7(1)エ" in texts_of(again["value"])
    assert not stub.of("POST", personal_chat("yamada"))

    ok = bot.send(
        click(
            stub,
            "sato",
            submit,
            reply_to=form_call.response_id or "",
            inputs={
                **typed,
                "text": "本日、防災訓練を行います。",
                "planned_date": "2026-12-01",
                "planned_time": "10:00",
            },
        )
    ).json()

    assert "を登録しました" in texts_of(ok["value"])


def test_check_in_a_channel_is_answered_only_to_the_author(bot: Bot, stub: StubConnector) -> None:
    from .harness import payload

    bot.send(payload("message_channel_mention", stub))

    (reply,) = stub.activities()
    assert (
        reply.path
        == "/v3/conversations/19:koho-channel@thread.tacv2;messageid=1700000000100/activities"
    )
    assert reply.body["recipient"]["id"] == "29:1author"
    assert "7(1)エ" in texts_of(card_of(reply))

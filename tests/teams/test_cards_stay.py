"""Cards that must stay do stay (issue 12, items 1, 4, 5), over HTTP with two users.

A click's invoke response changes the card for the clicker only; a ``PUT`` changes it for
everyone. ``Views`` replays both in the order they happened and tells what each person
sees, so a receipt that replaces a card for the clicker is caught whatever the timing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from .conftest import INFO_POLICY_CHANNEL
from .harness import (
    Bot,
    StubConnector,
    Views,
    card_of,
    click,
    executes,
    install,
    message,
    payload,
    personal_chat,
    texts_of,
)

THREAD = {"conversationType": "channel", "tenantId": "tenant-city", "isGroup": True}
CHANNEL_ROOT = f"/v3/conversations/{INFO_POLICY_CHANNEL}/activities"


def open_incident(bot: Bot, stub: StubConnector) -> tuple[str, dict[str, Any]]:
    bot.send(payload("conversation_update_bot_added", stub))
    for handle in ("sato", "yamada", "watanabe"):
        bot.send(install(stub, handle))
    stub.calls.clear()
    bot.send(message(stub, "sato", "/incident 炎上 kanko-x 防災訓練の投稿に批判が集中"))
    (root,) = stub.of("POST", CHANNEL_ROOT)
    assert root.response_id is not None
    return root.response_id, card_of(root)


def assert_root_intact(card: dict[str, Any], *, closed: bool = False) -> None:
    text = texts_of(card)
    assert re.search(r"【炎上】#\d+ ", text), text
    assert "対応チェックリスト" in text and "1. " in text and "2. " in text, text
    assert "宛先:" in text and "山田" in text, "the 宛先 line stays on every rendering"
    assert "incident:" not in text and "event:" not in text, "no internal ids"
    if not closed:
        assert "状況を報告" in executes(card), "the buttons stay"


def test_incident_root_stays_intact_for_everyone_after_every_button(
    bot: Bot, stub: StubConnector, city: sessionmaker[Session]
) -> None:
    root_id, posted = open_incident(bot, stub)
    assert_root_intact(posted)
    # Long checklist labels are in the body; the buttons are short (issue 12, item 5).
    titles = [a["title"] for a in executes(posted).values()]
    assert max(len(t) for t in titles) <= 16, titles
    views = Views(stub, root_id, posted)
    thread = {**THREAD, "id": f"{INFO_POLICY_CHANNEL};messageid={root_id}"}

    def press(handle: str, title: str, **inputs: str) -> dict[str, Any]:
        current = views.of(handle)
        button = next(a for t, a in executes(current).items() if t.startswith(title))
        activity = click(
            stub, handle, button, reply_to=root_id, conversation=thread, inputs=inputs or None
        )
        return views.click(bot, handle, activity)

    # Two people work on it: 情報政策課 (watanabe) and the 所属長 (yamada).
    answer = press("watanabe", "☐ 1")
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "1. ☑" in texts_of(answer["value"]), "the clicker sees the new state at once"
    for who in ("watanabe", "yamada"):
        assert_root_intact(views.of(who))
        assert "1. ☑" in texts_of(views.of(who))
    put = [c for c in stub.of("PUT") if c.path.endswith(f"/activities/{root_id}")][-1]
    assert "entities" not in card_of(put).get("msteams", {}), "no second ping on update"

    press("yamada", "☐ 2")
    stub.calls.clear()
    press("watanabe", "状況を報告", reason="所属長と協議を開始しました。")
    for who in ("watanabe", "yamada"):
        assert_root_intact(views.of(who))
        assert "2. ☑" in texts_of(views.of(who))
    # The receipt of a status update is the reply in the thread, seen by everyone.
    (reply,) = stub.of("POST", f"{INFO_POLICY_CHANNEL};messageid={root_id}/activities")
    assert "所属長と協議を開始しました。" in texts_of(card_of(reply))
    assert "incident:" not in texts_of(card_of(reply)) and "・記録#" in texts_of(card_of(reply))

    press("yamada", "収束にする")
    for who in ("watanabe", "yamada"):
        assert_root_intact(views.of(who))
        assert "収束" in texts_of(views.of(who))

    stub.calls.clear()
    # The account's manager (sato) drafts a response post from the root.
    press("sato", "説明・訂正・謝罪等の投稿を起案", purpose="説明", text="ご意見を受け止めます。")
    for who in ("sato", "watanabe", "yamada"):
        assert_root_intact(views.of(who))
    # The new draft's receipt went to the clicker privately: their 1:1 chat, not the card.
    private = [c for c in stub.activities() if c.path.startswith("/v3/conversations/a:1personal")]
    assert private and "isTargetedActivity" not in str(private[0].query)

    press("yamada", "終了する", reason="削除と説明で収束しました。")
    for who in ("watanabe", "yamada"):
        card = views.of(who)
        assert_root_intact(card, closed=True)
        assert "終了しました" in texts_of(card)


def sent_back(bot: Bot, stub: StubConnector) -> tuple[str, dict[str, Any]]:
    """sato drafts, yamada sends it back with a reason; the notice in sato's chat."""
    for handle in ("sato", "yamada"):
        bot.send(install(stub, handle))
    bot.send(message(stub, "sato", "/draft account=kanko-x 本日、防災訓練を行います。"))
    request = [c for c in stub.of("POST", personal_chat("yamada")) if c.status == 200][-1]
    assert request.response_id is not None
    back = executes(card_of(request))["差し戻す"]
    bot.send(
        click(stub, "yamada", back, reply_to=request.response_id, inputs={"reason": "日時を明記"})
    )
    notice = [c for c in stub.of("POST", personal_chat("sato")) if c.status == 200][-1]
    assert notice.response_id is not None and "日時を明記" in texts_of(card_of(notice))
    return notice.response_id, card_of(notice)


def test_edit_button_keeps_the_send_back_notice_and_posts_the_form_below(
    bot: Bot, stub: StubConnector
) -> None:
    notice_id, notice = sent_back(bot, stub)
    views = Views(stub, notice_id, notice)
    stub.calls.clear()

    answer = views.click(
        bot, "sato", click(stub, "sato", executes(notice)["修正する"], reply_to=notice_id)
    )

    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert "日時を明記" in texts_of(views.of("sato")), "the reason stays in view"
    (form,) = stub.of("POST", personal_chat("sato"))
    form_card = card_of(form)
    assert "draft.submit" in str(form_card) and "本日、防災訓練を行います。" in str(form_card)
    # The form works: submitting it makes version 2 (the form may give way to the receipt).
    submit = next(a for a in executes(form_card).values() if a["verb"] == "draft.submit")
    data = dict(submit["data"])
    data["text"] = "12月3日（木）10時から、防災訓練を行います。"
    done = bot.send(
        click(stub, "sato", {**submit, "data": data}, reply_to=form.response_id or "")
    ).json()
    assert "を修正しました" in texts_of(done["value"])
    assert "日時を明記" in texts_of(views.of("sato"))


def test_open_thread_keeps_the_notice_and_sends_a_link_to_the_thread(
    bot: Bot, stub: StubConnector
) -> None:
    root_id, _ = open_incident(bot, stub)
    notice = next(
        c
        for c in stub.of("POST", personal_chat("sato"))
        if "対応スレッドを作成しました" in texts_of(card_of(c))
    )
    assert notice.response_id is not None
    views = Views(stub, notice.response_id, card_of(notice))
    stub.calls.clear()

    button = executes(card_of(notice))["スレッドを開く"]
    answer = views.click(bot, "sato", click(stub, "sato", button, reply_to=notice.response_id))

    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert "対応スレッドを作成しました" in texts_of(views.of("sato"))
    (link,) = stub.of("POST", personal_chat("sato"))
    (action,) = card_of(link)["actions"]
    assert action["type"] == "Action.OpenUrl"
    assert action["url"].startswith("https://teams.microsoft.com/l/message/")
    assert root_id in action["url"] and "johoseisaku-general" in action["url"]


def test_targeted_reply_falls_back_to_the_personal_chat_when_teams_refuses_it(
    bot: Bot, stub: StubConnector
) -> None:
    """Targeted messages are a preview API: a 403 BotNotInConversationRoster (or a 400)
    must not leave the person without an answer (issue 12, item 4)."""
    stub.script("POST", "messageid=1700000000100/activities", (403, {}))
    bot.send(payload("message_channel_mention", stub))

    targeted, *rest = stub.activities()
    assert targeted.status == 403 and targeted.query.get("isTargetedActivity") == ["true"]
    (create,) = [c for c in stub.of("POST") if c.path == "/v3/conversations"]
    assert create.body["members"] == [{"id": "29:1author"}]
    (fallback,) = [c for c in rest if c.path.startswith("/v3/conversations/a:1personal")]
    assert "7(1)エ" in texts_of(card_of(fallback)) and "isTargetedActivity" not in fallback.query


def test_forms_asked_for_in_a_channel_go_to_the_personal_chat_not_a_targeted_message(
    bot: Bot, stub: StubConnector
) -> None:
    """A targeted message disappears after 24 hours: never a form in one."""
    bot.send(install(stub, "sato"))
    stub.calls.clear()
    mention = payload("message_channel_mention", stub)
    mention["from"] = {"id": "29:1sato", "name": "sato", "aadObjectId": "aad-sato"}
    mention["text"] = "<at>ガイドラインBot</at> /draft"
    mention["id"] = "1700000000199"
    bot.send(mention)

    assert [c for c in stub.activities() if "isTargetedActivity" in c.query] == []
    (form,) = [c for c in stub.activities() if c.path.startswith("/v3/conversations/a:1personal")]
    assert "draft.submit" in str(card_of(form))

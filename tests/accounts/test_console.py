"""/account in the console, end to end (real router, facade and outbox), on the demo directory."""

from __future__ import annotations

import pytest

from handlers.console.render import render
from handlers.console.testing import TestBot


@pytest.fixture
def bot(factory, clock):
    return TestBot(factory, clock=clock)


FORM = [
    "code: kanko-fb",
    "所管課: kanko",
    "管理主体: みどり市 観光課",
    "利用目的: 観光イベントの告知",
    "発信する情報: イベント・観光施設の情報",
    "受信した情報への対応: コメントには個別に返信しません",
    "メディア: Facebook",
    "アカウント名: みどり市観光課 Facebook",
    "URL: https://www.facebook.com/midori.kanko.demo",
    "運用開始日: 2026-12-01",
    "管理者: sato",
    "担当者: suzuki",
]


def test_register_submit_return_resubmit_confirm_post_close(bot):
    bot.push("sato", "/account new")
    assert bot.pop("sato").kind == "account.form"
    for line in FORM:
        bot.push("sato", line)
    bot.push("sato", ".")
    assert "を登録しました（kanko-fb）" in bot.pop("sato", kind="account.reply").message.title

    bot.push("sato", "/account submit kanko-fb")
    request = bot.pop("takahashi", kind="account.registration")
    shown = render(request.message)
    assert "確認: /account confirm kanko-fb" in shown
    assert "差し戻し: /account return kanko-fb 理由" in shown

    bot.push("yamada", "/account confirm kanko-fb")
    refusal = bot.pop("yamada")
    assert (
        "開設届を確認・差し戻しできるのは広報課長だけです（ガイドライン4(2)）。"
        in refusal.message.plain_text()
    )

    bot.push("takahashi", "/account return kanko-fb 利用目的をもう少し具体的に")
    update = bot.pop("takahashi", kind="account.registration_decided")
    assert update.via == "update" and update.message.actions == []
    assert "利用目的をもう少し具体的に" in bot.pop("sato", kind="account.decision").message.text

    bot.push("sato", '/account edit kanko-fb purpose="紅葉まつり・観光イベントの告知"')
    bot.push("sato", "/account submit kanko-fb")
    bot.push("takahashi", "/account confirm kanko-fb")
    assert "確認されました" in bot.pop("sato", kind="account.decision").message.title

    bot.push("sato", "/draft account=kanko-fb 紅葉まつりを11月3日に開催します。")
    assert bot.pop("yamada", kind="draft.approval_request")

    bot.push("yamada", "/account close kanko-fb 事業終了のため")
    assert "閉鎖" in bot.pop("takahashi", kind="account.status_changed").message.title
    bot.clear()
    bot.push("sato", "/draft account=kanko-fb もう一件お知らせです。")
    refused = bot.pop("sato").message.plain_text()
    assert "このアカウントは閉鎖されています" in refused and "下書きを登録できません" in refused


def test_bad_input_is_explained(bot):
    bot.push(
        "sato",
        "/account new code=kanko-x2 department=kanko organisation=観光課 purpose=PR "
        "information=イベント response=返信しない media=X name=重複 "
        "url=https://X.com/Midori_Kanko_Demo/ start_date=2026-13-01 manager=nobody",
    )
    text = bot.pop("sato").message.plain_text()
    assert "この登録URLはすでに公式アカウント「みどり市観光課（公式）」" in text
    assert "運用開始日「2026-13-01」は実在する日付ではありません" in text
    assert "「nobody」は名簿に登録されていません" in text
    bot.push("sato", "/account list")
    assert "kanko-x2" not in bot.pop("sato").message.text


def test_directory_submitted_account_can_be_decided_and_rules_registered(bot):
    # Loaded without its 運用ポリシー: returned, completed by its manager, then confirmed.
    bot.push("takahashi", "/account return kanko-insta 運用ポリシーを登録してください")
    bot.push(
        "suzuki",
        '/account edit kanko-insta 管理主体="みどり市 観光課" 利用目的=観光の告知 '
        "発信する情報=イベント情報 受信した情報への対応=個別に返信しません "
        "URL=https://www.instagram.com/midori_kanko_demo 運用開始日=2026-12-01",
    )
    bot.push("suzuki", "/account submit kanko-insta")
    bot.clear()
    bot.push("takahashi", "/account confirm kanko-insta")
    assert bot.pop("takahashi").message.title.startswith("開設届を確認しました")
    assert bot.pop("suzuki", kind="account.decision")
    bot.push("kato", "/account rule kanko-insta ウ 法定の手続き案内は市HPと同文で投稿する")
    assert bot.pop("kato").message.title.startswith("掲載ルール（4(3)ウ）を登録しました")
    bot.push("suzuki", "/account show kanko-insta")
    shown = render(bot.pop("suzuki", kind="account.detail").message)
    assert "状態: 確認済み（運用中）" in shown
    assert (
        "掲載ルール 4(3)ウ: 法定の手続き案内は市HPと同文で投稿する（取り決め: 加藤 健（kato）"
        in shown
    )

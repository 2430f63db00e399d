"""The wording of issue 13, as staff meet it: each test is a console script and the exact
Japanese it shows (``python -m bot console --script``)."""

from __future__ import annotations

import re

import pytest

from bot.notify.messages import FindingView, OutMessage
from handlers.console.render import render
from handlers.console.testing import run_script

NEW_ACCOUNT = (
    "/account new code=kanko-yt department=kanko organisation=みどり市観光課 "
    "purpose=観光情報の発信 information=イベント情報 response=原則として返信しません "
    "media=YouTube name=みどり市観光課チャンネル url=https://www.youtube.com/@midori_kanko "
    "start_date=2026-04-01 manager=sato"
)


@pytest.fixture
def script(factory, clock):
    def run(text: str) -> str:
        return run_script(factory, text, clock=clock)

    return run


def test_an_unknown_account_lists_the_accounts_the_person_may_post_for(script):
    out = script(
        """
        /as sato
        /draft account=nosuch 桜まつりを開催します。
        /as takahashi
        /draft account=nosuch 桜まつりを開催します。
        """
    )
    assert (
        "■ 公式アカウント「nosuch」は登録されていません。"
        "あなたが投稿できる公式アカウント: 「みどり市観光課（公式）」（kanko-x）"
    ) in out
    # The 広報課長 operates no account: told so, and whom to ask.
    assert (
        "■ 公式アカウント「nosuch」は登録されていません。"
        "あなたが管理者・担当者として登録されている公式アカウント（広報課長の確認済み）がありません"
        "（4(1)キ、4(2)）。アカウントの管理者に登録を依頼してください。"
    ) in out


def test_the_photo_refusal_says_how_to_state_consent(script):
    out = script(
        """
        /as sato
        /draft account=kanko-x photo=identifiable 桜まつりの様子です。
        /draft account=kanko-x photo=identifiable consent=yes 桜まつりの様子です。
        """
    )
    assert (
        "了解を得てから「本人の同意あり」を選んで（コマンドでは consent=yes を付けて）"
        "送り直すか、写真・映像を外してください。"
    ) in out
    assert "■ 下書き #" in out  # with consent=yes it goes through


def test_account_usage_is_titled_once_and_a_missing_argument_shows_its_own_line(script):
    out = script(
        """
        /as sato
        /account
        /account check kanko-x
        /account bogus
        """
    )
    assert "■ /account の使い方\n/account new 項目=値 …" in out
    assert "/account の使い方:" not in out  # not 「使い方: /account の使い方:」
    assert (
        "■ 確認項目（5(4) または 5(5)）を指定してください。\n"
        "使い方: /account check コード 5(4)|5(5) [未]（プロフィールの確認項目）\n\n"
    ) in out
    assert "■ /account に「bogus」という操作はありません\n/account new" in out
    assert "CODE" not in out


def test_the_pr_head_is_named_with_the_handle_when_a_registration_is_sent_and_returned(script):
    out = script(
        f"""
        /as sato
        {NEW_ACCOUNT}
        /account submit kanko-yt
        /as takahashi
        /account return kanko-yt 利用目的をもっと具体的に
        """
    )
    assert "広報課長の高橋 誠（takahashi）に開設届（#" in out
    assert (
        "広報課長の高橋 誠（takahashi）が「みどり市観光課チャンネル」の開設届を差し戻しました（4(2)）。"
    ) in out
    assert "広報課長（" not in out


def test_editing_a_published_post_is_refused_once(script):
    out = script(
        """
        /as sato
        /draft account=kanko-x 桜まつりを4月5日に開催します。
        """
    )
    n = re.search(r"■ 下書き #(\d+)（第1版）を登録しました", out).group(1)
    out = script(
        f"""
        /as yamada
        /approve {n}
        /as sato
        /published {n} https://x.com/midori_kanko_demo/status/1
        /edit {n} 桜まつりを4月6日に開催します。
        """
    )
    assert "■ 掲載済みの投稿は修正できません。訂正は新しい下書きで行ってください（6(1)）。\n" in out
    assert "修正はできません" not in out


def test_an_incident_thread_shows_whom_it_mentions_and_names_the_texts_its_buttons_ask_for(
    script,
):
    out = script(
        """
        /as sato
        /incident 炎上 kanko-x 開催日の誤りに批判が集まっています
        """
    )
    thread = out.split("── #info_policy が受信 ──\n", 1)[1]
    assert re.match(
        r"■ 【炎上】#\d+ みどり市観光課（公式）\n"
        "宛先: 山田 花子（yamada）、加藤 健（kato）、佐藤 美咲（sato）、伊藤 由紀（ito）、"
        "渡辺 大輔（watanabe）\n",
        thread,
    )
    assert re.search(r"状況を報告: /incident update \d+ 本文\n", thread)
    assert re.search(r"終了する（まとめを入力）: /incident close \d+ まとめ\n", thread)
    assert "理由" not in thread.split("操作:", 1)[1].split("（事案#", 1)[0]


def test_two_factor_authentication_is_shown_in_japanese(script):
    out = script(
        """
        /as sato
        /custody set kanko-x twofa=on twofa_method=sms
        /custody show kanko-x
        """
    )
    assert "  二要素認証: 設定済み（SMS）\n" in out
    assert "on（" not in out


def test_a_one_character_finding_is_at_one_position():
    message = OutMessage(
        kind="draft.checked",
        title="チェック結果",
        findings=[
            FindingView("7(1)エ", "block", "X", "一文字の指摘", start=4, end=5),
            FindingView("7(1)エ", "review", "ABC", "三文字の指摘", start=0, end=3),
        ],
    )
    text = render(message)
    assert "5文字目「X」" in text and "5〜5文字目" not in text
    assert "1〜3文字目「ABC」" in text

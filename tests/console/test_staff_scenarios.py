"""Scenarios as city staff meet them, each replayed like ``python -m bot console --script``.

Every test is one short script a clerk or a 所属長 would type, and checks the transcript
they would read.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.accounts.publish import published_accounts, render_csv
from bot.directory.models import Account
from handlers.console.testing import run_script


@pytest.fixture
def script(factory, clock):
    def run(text: str, *, user: str | None = None) -> str:
        return run_script(factory, text, clock=clock, user=user)

    return run


def test_an_account_without_its_policy_cannot_be_confirmed_nor_listed(script, session):
    # kanko-insta was loaded as "submitted" with no 運用ポリシー and no URL.
    out = script(
        """
        /as takahashi
        /account confirm kanko-insta
        """
    )
    assert "開設届を確認できません（4(2)）" in out
    assert "4(1)ア 管理主体" in out and "4(1)カ 登録URL" in out
    assert "/account return kanko-insta" in out  # what to do instead
    assert "開設届を確認しました" not in out
    csv_text = render_csv(published_accounts(session))
    assert "Instagram" not in csv_text
    assert "https://x.com/midori_kanko_demo" in csv_text


def test_the_published_list_never_shows_an_account_without_its_url(script, session):
    script("/help")  # the demo directory
    account = session.scalar(sa.select(Account).where(Account.code == "kanko-x"))
    account.url = None
    session.flush()
    assert published_accounts(session) == []


def test_the_pr_head_finds_every_waiting_registration_in_the_inbox(script):
    out = script(
        """
        /as suzuki
        /account new
        code: kanko-fb
        所管課: kanko
        管理主体: みどり市 観光課
        利用目的: 観光イベントの告知
        発信する情報: イベント・観光施設の情報
        受信した情報への対応: コメントには個別に返信しません
        メディア: Facebook
        アカウント名: みどり市観光課 Facebook
        URL: https://www.facebook.com/midori.kanko.demo
        運用開始日: 2026-12-01
        管理者: suzuki
        .
        /account submit kanko-fb
        /as takahashi
        /inbox
        """
    )
    inbox = out.split("takahashi> /inbox", 1)[1]
    assert "あなたの決裁や確認を待っているものはありません" not in inbox
    assert "開設届の確認待ち（2件、4(2)）" in inbox
    assert "みどり市観光課 Facebook（Facebook・観光課）" in inbox
    assert "提出者: 鈴木 翔（suzuki）" in inbox
    assert "確認: /account confirm kanko-fb" in inbox
    assert "確認: /account confirm kanko-insta" in inbox  # loaded as submitted

    # Someone who is not a 広報課長 owes no 開設届.
    assert "開設届" not in script("/as yamada\n/inbox").split("yamada> /inbox", 1)[1]

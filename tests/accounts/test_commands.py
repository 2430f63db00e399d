"""The /account text command every chat adapter shares: whole flows, as a user types them."""

from __future__ import annotations

import pytest

from bot.accounts import commands
from bot.errors import BotError, PermissionDenied, ValidationFailed
from tests.accounts.helpers import audit_actions, counts
from tests.people import who

NEW = (
    'new code=kankou-x department=kankou 管理主体="松本市 観光課" purpose=観光PR '
    "information=イベント情報 response=個別返信はしません media=X name=松本市観光課 "
    "url=https://x.com/mk start_date=2026-04-01 manager=sato operators=suzuki,tanaka"
)


def say(session, clock, actor, text):
    return commands.run(session, actor=who(session, actor), text=text, clock=clock)


def test_whole_registration_by_command(session, org, clock):
    reply = say(session, clock, "sato", NEW)
    assert reply.title == "公式アカウント「松本市観光課」を登録しました（kankou-x）"
    assert "/account submit kankou-x" in reply.text
    reply = say(session, clock, "sato", "submit kankou-x")
    assert "広報課長の広瀬 広報課長（hirose）に開設届" in reply.text
    reply = say(session, clock, "hirose", "return kankou-x 利用目的をもっと具体的に")
    assert "利用目的をもっと具体的に" in reply.text
    say(session, clock, "sato", 'edit kankou-x purpose="夏祭り・花火大会の告知"')
    say(session, clock, "sato", "submit kankou-x")
    reply = say(session, clock, "hirose", "confirm kankou-x")
    assert reply.title == "開設届を確認しました: 松本市観光課"
    say(
        session,
        clock,
        "yamada",
        "rule kankou-x ア 市HPに掲載済みのイベントのみ、URLを添えて投稿する",
    )
    say(session, clock, "sato", "check kankou-x 5(4)")
    say(session, clock, "sato", "check kankou-x 5(5) 未")
    say(session, clock, "yamada", "manager kankou-x suzuki 異動のため")
    say(session, clock, "suzuki", "operators kankou-x tanaka")

    show = say(session, clock, "tanaka", "show kankou-x")
    fields = {f.label: f.value for f in show.fields}
    assert fields["状態"] == "確認済み（運用中）"
    assert fields["ア 管理主体"] == "松本市 観光課"
    assert fields["イ 利用目的"] == "夏祭り・花火大会の告知"
    assert fields["キ 管理者"] == "鈴木 主任（suzuki）"
    assert fields["キ 担当者"] == "田中 主事（tanaka）"
    assert fields["掲載ルール 4(3)ア"].startswith("市HPに掲載済みのイベントのみ")
    assert fields["5(4) 基本情報欄に運用組織・連絡先を明示している"].startswith("確認済み")
    assert fields["5(5) 基本情報欄に市ホームページの当該ページURLを掲載している"].startswith(
        "未確認（"
    )
    assert "開設届（4(2)）" in fields

    say(session, clock, "suzuki", "suspend kankou-x システム更新")
    say(session, clock, "suzuki", "resume kankou-x")
    reply = say(session, clock, "yamada", "close kankou-x 事業終了")
    assert reply.text == "状態: 閉鎖"
    assert "kankou-x" not in say(session, clock, "sato", "list").text
    assert "【閉鎖】" in say(session, clock, "sato", "list all").text
    assert audit_actions(session) == [
        "account.registered",
        "account.submitted",
        "account.returned",
        "account.updated",
        "account.submitted",
        "account.confirmed",
        "account.rule_registered",
        "account.checklist",
        "account.checklist",
        "account.manager_changed",
        "account.operators_changed",
        "account.suspended",
        "account.resumed",
        "account.closed",
    ]


def test_guided_form_round_trip(session, org, clock):
    template = say(session, clock, "sato", "new")
    assert template.kind == "account.form"
    assert "purpose: （利用目的・4(1)イ）" in template.text
    filled = "\n".join(
        [
            "new",
            "code: kankou-line",
            "所管課: kankou",
            "管理主体：松本市 観光課",
            "利用目的: 観光PR",
            "発信する情報: イベント",
            "受信した情報への対応: 返信しません",
            "メディア: LINE",
            "アカウント名: 松本市観光課LINE",
            "URL: https://line.me/R/ti/p/@matsumoto",
            "運用開始日: 2026年5月1日",
            "管理者: sato",
        ]
    )
    reply = say(session, clock, "sato", filled)
    assert "松本市観光課LINE" in reply.title


def test_bad_input_shows_every_problem_and_changes_nothing(session, org, clock):
    say(session, clock, "sato", NEW)
    before = counts(session)
    bad = NEW.replace("kankou-x", "kankou-x2").replace("manager=sato", "manager=ghost")
    bad = bad.replace("url=https://x.com/mk", "url=https://X.com/MK/")
    with pytest.raises(ValidationFailed) as exc:
        say(session, clock, "sato", bad)
    assert "・登録URL: この登録URLはすでに公式アカウント「松本市観光課」" in exc.value.message
    assert (
        "・公式アカウントの管理者: 管理者に指定した「ghost」は名簿に登録されていません"
        in exc.value.message
    )
    with pytest.raises(ValidationFailed, match="XのURLではありません"):
        say(
            session,
            clock,
            "sato",
            NEW.replace("kankou-x", "k2").replace("https://x.com/mk", "https://example.jp/mk"),
        )
    say(session, clock, "sato", "submit kankou-x")
    before = counts(session)
    with pytest.raises(PermissionDenied, match="広報課長だけです"):
        say(session, clock, "yamada", "confirm kankou-x")
    with pytest.raises(PermissionDenied, match="広報課長だけです"):
        say(session, clock, "yamada", "return kankou-x だめ")
    assert counts(session) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("new code=a b", "「b」は「項目=値」の形になっていません"),
        ('new name="open', "引用符"),
        ("submit", "アカウントコードを指定してください"),
        ("show nosuch", "公式アカウント「nosuch」は登録されていません"),
        ("rule kankou-x", "区分（ア・イ・ウ・エ）を指定してください"),
    ],
)
def test_malformed_commands(session, org, clock, text, message):
    with pytest.raises(BotError) as exc:
        say(session, clock, "sato", text)
    assert message in exc.value.message


def test_help(session, org, clock):
    assert "/account new" in say(session, clock, "sato", "").text
    assert say(session, clock, "sato", "help").kind == "account.help"

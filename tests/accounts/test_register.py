"""Registering an account with its 運用ポリシー (4(1)ア〜キ): every field validated in Japanese."""

from __future__ import annotations

from datetime import date

import pytest

from bot.accounts import service
from bot.accounts.models import AccountPolicy
from bot.accounts.validation import check_url, find_media, parse_date, url_key
from bot.errors import NotFound, ValidationFailed
from tests.accounts.helpers import audit_actions, counts, form
from tests.people import who


def test_register_creates_a_registered_account_with_its_policy(session, org, clock):
    account = service.register_account(
        session, actor=who(session, "sato"), values=form(), clock=clock
    )

    assert account.status == "registered"
    assert account.media == "X"
    assert account.url == "https://x.com/matsumoto_kankou"
    assert account.manager.handle == "sato"
    assert [p.handle for p in account.operators] == ["suzuki", "tanaka"]
    policy = session.get(AccountPolicy, account.id)
    assert policy.organisation == "松本市 産業振興部 観光課"
    assert policy.start_date == date(2026, 4, 1)
    assert policy.registered_by.handle == "sato"
    assert audit_actions(session) == ["account.registered"]


def test_japanese_keys_and_spellings_are_accepted(session, org, clock):
    values = form(media="インスタグラム", url="HTTPS://WWW.Instagram.com/matsumoto_kankou/")
    values["start_date"] = "2026年4月1日"
    account = service.register_account(
        session, actor=who(session, "sato"), values=values, clock=clock
    )
    assert account.media == "Instagram"
    assert account.url == "https://instagram.com/matsumoto_kankou"


def test_every_missing_field_is_named(session, org, clock):
    before = counts(session)
    with pytest.raises(ValidationFailed) as exc:
        service.register_account(session, actor=who(session, "sato"), values={}, clock=clock)
    fields = exc.value.fields
    for key in (
        "code",
        "department",
        "organisation",
        "purpose",
        "information",
        "response",
        "media",
        "name",
        "url",
        "start_date",
        "manager",
    ):
        assert key in fields, key
    assert fields["purpose"] == "利用目的を入力してください（4(1)イ）。"
    assert "operators" not in fields  # 担当者 may be none
    assert "4(1)" in exc.value.message
    assert counts(session) == before


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"media": "mixi"}, "media", "登録できるソーシャルメディアの種類にありません"),
        ({"url": "http://x.com/matsumoto_kankou"}, "url", "https:// で始まる"),
        ({"url": "https://example.com/matsumoto"}, "url", "XのURLではありません"),
        ({"url": "https://x.com.evil.example/matsumoto"}, "url", "XのURLではありません"),
        ({"url": "https://notx.com/matsumoto"}, "url", "XのURLではありません"),
        ({"url": "https://x.com/"}, "url", "アカウントのページを指定"),
        ({"media": "Facebook"}, "url", "FacebookのURLではありません"),
        ({"start_date": "2026-02-30"}, "start_date", "実在する日付ではありません"),
        ({"start_date": "来年"}, "start_date", "実在する日付ではありません"),
        ({"code": "観光X"}, "code", "半角英小文字"),
        ({"department": "nosuch"}, "department", "課コード「nosuch」は名簿に登録されていません"),
        ({"manager": "ghost"}, "manager", "「ghost」は名簿に登録されていません（4(1)キ）"),
        ({"operators": "suzuki, ghost2"}, "operators", "「ghost2」は名簿に登録されていません"),
    ],
)
def test_bad_field_is_refused_with_a_japanese_message(
    session, org, clock, overrides, field, expected
):
    before = counts(session)
    with pytest.raises(ValidationFailed) as exc:
        service.register_account(
            session, actor=who(session, "sato"), values=form(**overrides), clock=clock
        )
    assert expected in exc.value.fields[field]
    assert list(exc.value.fields) == [field]
    assert counts(session) == before


@pytest.mark.parametrize(
    "spelling",
    [
        "https://x.com/matsumoto_kankou",
        "https://X.com/Matsumoto_Kankou",
        "https://www.x.com/matsumoto_kankou/",
        "https://twitter.com/matsumoto_kankou",
        "https://mobile.twitter.com/matsumoto_kankou",
    ],
)
def test_duplicate_url_is_refused_however_it_is_spelled(session, org, clock, spelling):
    service.register_account(session, actor=who(session, "sato"), values=form(), clock=clock)
    before = counts(session)
    with pytest.raises(ValidationFailed) as exc:
        service.register_account(
            session,
            actor=who(session, "suzuki"),
            values=form(code="kankou-x2", url=spelling),
            clock=clock,
        )
    assert exc.value.fields["url"].startswith("この登録URLはすでに公式アカウント「松本市観光課」")
    assert counts(session) == before


def test_duplicate_of_an_account_loaded_from_the_directory_is_refused(session, org, clock):
    from bot.directory.models import Account

    session.add(
        Account(
            code="kouhou-fb",
            name="松本市広報",
            media="Facebook",
            url="https://www.facebook.com/matsumoto.city/",
            department=org.kouhou,
        )
    )
    session.flush()
    with pytest.raises(ValidationFailed) as exc:
        service.register_account(
            session,
            actor=who(session, "sato"),
            values=form(media="Facebook", url="https://facebook.com/Matsumoto.City"),
            clock=clock,
        )
    assert "松本市広報" in exc.value.fields["url"]


def test_duplicate_code_is_refused(session, org, clock):
    service.register_account(session, actor=who(session, "sato"), values=form(), clock=clock)
    with pytest.raises(ValidationFailed) as exc:
        service.register_account(
            session, actor=who(session, "sato"), values=form(url="https://x.com/other"), clock=clock
        )
    assert exc.value.fields == {"code": "アカウントコード「kankou-x」はすでに使われています。"}


def test_unknown_registrant_is_refused(session, org, clock):
    with pytest.raises(NotFound, match="名簿に登録されていません"):
        service.register_account(session, actor=who(session, "nobody"), values=form(), clock=clock)


def test_update_while_registered_revalidates(session, org, clock):
    service.register_account(session, actor=who(session, "sato"), values=form(), clock=clock)
    with pytest.raises(ValidationFailed) as exc:
        service.update_registration(
            session,
            actor=who(session, "sato"),
            code="kankou-x",
            values={"url": "https://line.me/x"},
            clock=clock,
        )
    assert "XのURLではありません" in exc.value.fields["url"]
    account = service.update_registration(
        session,
        actor=who(session, "sato"),
        code="kankou-x",
        values={"purpose": "観光情報の発信", "url": "https://x.com/matsumoto_kankou"},
        clock=clock,
    )
    assert session.get(AccountPolicy, account.id).purpose == "観光情報の発信"
    assert audit_actions(session)[-1] == "account.updated"


@pytest.mark.parametrize(
    ("media", "url", "ok"),
    [
        ("LINE", "https://line.me/R/ti/p/@matsumoto", True),
        ("LINE", "https://lin.ee/abc", False),  # a short link (5(9)), not the account page
        ("YouTube", "https://www.youtube.com/@matsumotocity", True),
        ("YouTube", "https://youtu.be/abc", False),
        ("TikTok", "https://www.tiktok.com/@matsumoto", True),
        ("note", "https://note.com/matsumoto_city", True),
        ("Instagram", "https://instagram.com@evil.example/x", False),
        ("X", "https://x.com:8443/matsumoto", False),
    ],
)
def test_platform_domains(media, url, ok):
    assert (check_url(url, find_media(media)) is None) is ok


def test_url_key_and_dates():
    assert url_key("https://WWW.Twitter.com/City/") == url_key("https://x.com/city")
    assert parse_date("2026/4/1") == date(2026, 4, 1)
    assert parse_date("2025-02-29") is None

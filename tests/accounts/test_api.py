"""Adapter entry points: forms, buttons and commands, each one transaction with a Reply."""

from __future__ import annotations

import sqlalchemy as sa

from bot.accounts import api
from bot.commands import run_command
from bot.directory.models import Account, Person
from bot.interaction import Actor
from tests.accounts.helpers import counts, form, outbox


def test_form_then_buttons(session, factory, org, clock):
    session.execute(sa.update(Person).where(Person.handle == "hirose").values(slack_user_id="U_PR"))
    session.flush()
    reply = api.register(factory, actor=Actor("console", "sato"), values=form(), clock=clock)
    assert reply.ok and "kankou-x" in reply.message.title
    reply = run_command(
        factory,
        actor=Actor("console", "sato"),
        command="account",
        text="submit kankou-x",
        clock=clock,
    )
    assert reply.ok
    [(_, request)] = outbox(session, to="hirose", kind="account.registration")
    confirm, ret = request.actions

    # Someone else presses the button (e.g. the message was forwarded): refused, nothing changes.
    before = counts(session)
    reply = api.handle_action(
        factory,
        actor=Actor("console", "yamada"),
        action_id=confirm.action_id,
        value=confirm.value,
        clock=clock,
    )
    assert not reply.ok and reply.code == "permission_denied"
    assert "広報課長だけです" in reply.message.plain_text()
    assert counts(session) == before

    # The 広報課長 on Slack returns it without a reason: asked for one, nothing changes.
    slack = Actor("slack", "U_PR")
    reply = api.handle_action(
        factory, actor=slack, action_id=ret.action_id, value=ret.value, clock=clock
    )
    assert not reply.ok and reply.fields == {"reason": "理由を入力してください。"}
    assert counts(session) == before

    reply = api.handle_action(
        factory, actor=slack, action_id=confirm.action_id, value=confirm.value, clock=clock
    )
    assert reply.ok and reply.message.title == "開設届を確認しました: 松本市観光課"
    again = api.handle_action(
        factory, actor=slack, action_id=confirm.action_id, value=confirm.value, clock=clock
    )
    assert not again.ok and "すでに確認済みです" in again.message.plain_text()
    assert session.scalar(sa.select(Account.status)) == "confirmed"


def test_form_errors_come_back_per_field(factory, org, clock):
    reply = api.register(
        factory,
        actor=Actor("console", "sato"),
        values=form(url="https://example.com/x"),
        clock=clock,
    )
    assert not reply.ok and reply.code == "validation_failed"
    assert set(reply.fields) == {"url"}


def test_bad_button_value(factory, org, clock):
    reply = api.handle_action(
        factory,
        actor=Actor("console", "hirose"),
        action_id="account.confirm",
        value={},
        clock=clock,
    )
    assert not reply.ok and "ボタンの情報が読み取れません" in reply.message.plain_text()


def test_unknown_person(factory, org, clock):
    reply = run_command(
        factory, actor=Actor("console", "nobody"), command="account", text="list", clock=clock
    )
    assert not reply.ok and "名簿に登録されていません" in reply.message.plain_text()


def test_prefill(factory, org, clock):
    api.register(factory, actor=Actor("console", "sato"), values=form(), clock=clock)
    values = api.form_values(factory, code="kankou-x")
    assert values["start_date"] == "2026-04-01" and values["operators"] == "suzuki,tanaka"

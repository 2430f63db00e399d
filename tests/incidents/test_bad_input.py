"""Bad input is refused in Japanese and leaves the database and the audit log unchanged."""

from __future__ import annotations

import pytest

from bot.errors import BotError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from bot.incidents import commands, service
from tests.incidents.conftest import snapshot
from tests.people import who


@pytest.fixture
def flaming(session, clock, org):
    return service.declare(
        session,
        type="炎上",
        account_code="kanko_x",
        actor=who(session, "ito"),
        summary="批判が殺到",
        clock=clock,
    )


@pytest.fixture
def closed(session, clock, org, flaming):
    service.close(
        session, incident_id=flaming.id, actor=who(session, "kato"), summary="収束", clock=clock
    )
    return flaming


def _unchanged(session, call, error, match):
    before = snapshot(session)
    with pytest.raises(error, match=match) as info:
        call()
    assert snapshot(session) == before
    assert any("\u3040" <= ch <= "\u30ff" for ch in info.value.message)  # Japanese
    return info.value


def test_unknown_type(session, clock, org):
    _unchanged(
        session,
        lambda: service.declare(
            session,
            type="障害",
            account_code="kanko_x",
            actor=who(session, "ito"),
            summary="x",
            clock=clock,
        ),
        ValidationFailed,
        "炎上|なりすまし|訂正",
    )


def test_unknown_account(session, clock, org):
    _unchanged(
        session,
        lambda: service.declare(
            session,
            type="炎上",
            account_code="nope",
            actor=who(session, "ito"),
            summary="x",
            clock=clock,
        ),
        NotFound,
        "公式アカウント「nope」は登録されていません",
    )


def test_unknown_person(session, clock, org):
    _unchanged(
        session,
        lambda: service.declare(
            session,
            type="炎上",
            account_code="kanko_x",
            actor=who(session, "ghost"),
            summary="x",
            clock=clock,
        ),
        NotFound,
        "名簿",
    )


def test_declare_without_summary(session, clock, org):
    _unchanged(
        session,
        lambda: service.declare(
            session,
            type="炎上",
            account_code="kanko_x",
            actor=who(session, "ito"),
            summary=" ",
            clock=clock,
        ),
        ValidationFailed,
        "概要",
    )


def test_closing_a_closed_incident(session, clock, closed):
    _unchanged(
        session,
        lambda: service.close(
            session,
            incident_id=closed.id,
            actor=who(session, "tanaka"),
            summary="再度",
            clock=clock,
        ),
        InvalidTransition,
        "既に終了",
    )


def test_update_on_closed_incident(session, clock, closed):
    _unchanged(
        session,
        lambda: service.post_update(
            session, incident_id=closed.id, actor=who(session, "ito"), text="追記", clock=clock
        ),
        InvalidTransition,
        "終了しているため",
    )


def test_tick_on_closed_incident(session, clock, closed):
    _unchanged(
        session,
        lambda: service.set_item(
            session, incident_id=closed.id, item="1", actor=who(session, "kato"), clock=clock
        ),
        InvalidTransition,
        "終了",
    )


@pytest.mark.parametrize("handle", ["kobayashi", "ito", "sato", "watanabe"])
def test_close_by_someone_not_allowed(session, clock, flaming, handle):
    # staff from elsewhere, the reporter, the account manager, another department's head
    err = _unchanged(
        session,
        lambda: service.close(
            session,
            incident_id=flaming.id,
            actor=who(session, handle),
            summary="終わり",
            clock=clock,
        ),
        PermissionDenied,
        "情報政策課または観光課の所属長",
    )
    assert "6(3)" in err.message


def test_unknown_incident(session, clock, org):
    _unchanged(
        session,
        lambda: service.post_update(
            session, incident_id=999, actor=who(session, "ito"), text="x", clock=clock
        ),
        NotFound,
        "事案#999",
    )


@pytest.mark.parametrize(
    "line",
    [
        "障害 kanko_x 何か",
        "炎上 nope 何か",
        "close 1",
        "update abc 本文",
        "status 1 再開",
        "comment kanko_x 不明 内容",
        "tick 1",
    ],
)
def test_bad_command_lines_change_nothing(session, clock, closed, line):
    before = snapshot(session)
    with pytest.raises(BotError):
        commands.run(session, actor=who(session, "kato"), text=line, clock=clock)
    assert snapshot(session) == before

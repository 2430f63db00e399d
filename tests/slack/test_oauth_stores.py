"""slack_sdk's SQLAlchemy installation and state stores on the migrated schema, both backends.

The migration (0020) creates the stores' tables; ``create_tables()`` is never called. If
slack_sdk changes its tables, the first test fails before an install does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.workspaces import slack_bots, slack_installations, slack_oauth_states
from handlers.slack.oauth import build_stores

CLIENT_ID = "1111.2222"


def _shape(table: sa.Table) -> tuple:
    columns = [
        (c.name, type(c.type).__name__, getattr(c.type, "length", None), c.nullable, c.primary_key)
        for c in table.columns
    ]
    indexes = sorted((i.name, tuple(c.name for c in i.columns)) for i in table.indexes)
    return table.name, columns, indexes


@pytest.mark.parametrize(
    ("ours", "build"),
    [
        (slack_installations, SQLAlchemyInstallationStore.build_installations_table),
        (slack_bots, SQLAlchemyInstallationStore.build_bots_table),
        (slack_oauth_states, SQLAlchemyOAuthStateStore.build_oauth_states_table),
    ],
)
def test_our_declarations_are_the_stores_tables(ours: sa.Table, build) -> None:
    theirs = build(sa.MetaData(), ours.name)
    assert _shape(ours) == _shape(theirs)


def _installation(team: str, token: str, *, when: datetime) -> Installation:
    return Installation(
        app_id="A0APP00001",
        enterprise_id=None,
        team_id=team,
        team_name=f"{team} の自治体",
        bot_token=token,
        bot_id="B0BOT00001",
        bot_user_id="U0BOT00001",
        bot_scopes="commands,chat:write",
        user_id="U0ADMIN001",
        installed_at=when.timestamp(),
    )


def test_installation_store_round_trips(committed_factory) -> None:
    installations, _states = build_stores(committed_factory.kw["bind"], client_id=CLIENT_ID)
    first = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    installations.save(_installation("T0KITA0001", "xoxb-kita-1", when=first))
    installations.save(_installation("T0MINAMI01", "xoxb-minami-1", when=first))
    # A reinstall (new token) is a new row; the newest wins.
    installations.save(_installation("T0KITA0001", "xoxb-kita-2", when=first + timedelta(days=1)))

    bot = installations.find_bot(enterprise_id=None, team_id="T0KITA0001")
    assert bot is not None and bot.bot_token == "xoxb-kita-2"
    assert bot.installed_at == (first + timedelta(days=1)).timestamp()
    found = installations.find_installation(enterprise_id=None, team_id="T0MINAMI01")
    assert found is not None
    assert (found.bot_token, found.team_name, found.user_id) == (
        "xoxb-minami-1",
        "T0MINAMI01 の自治体",
        "U0ADMIN001",
    )
    assert installations.find_bot(enterprise_id=None, team_id="T0NOBODY01") is None
    # Another app's rows (another client id) are not this app's installations.
    other, _ = build_stores(committed_factory.kw["bind"], client_id="9999.0000")
    assert other.find_bot(enterprise_id=None, team_id="T0KITA0001") is None

    installations.delete_installation(enterprise_id=None, team_id="T0MINAMI01")
    installations.delete_bot(enterprise_id=None, team_id="T0MINAMI01")
    assert installations.find_installation(enterprise_id=None, team_id="T0MINAMI01") is None
    assert installations.find_bot(enterprise_id=None, team_id="T0MINAMI01") is None
    assert installations.find_bot(enterprise_id=None, team_id="T0KITA0001") is not None


def test_state_store_issues_states_that_are_consumed_once(committed_factory) -> None:
    _installations, states = build_stores(committed_factory.kw["bind"], client_id=CLIENT_ID)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False
    assert states.consume("never-issued") is False


def test_an_expired_state_is_refused(committed_factory) -> None:
    _installations, states = build_stores(committed_factory.kw["bind"], client_id=CLIENT_ID)
    state = states.issue()
    with committed_factory.kw["bind"].begin() as conn:
        conn.execute(
            slack_oauth_states.update()
            .where(slack_oauth_states.c.state == state)
            .values(expire_at=datetime(2020, 1, 1))
        )
    assert states.consume(state) is False

"""Teams, acting as a user of tenant A against tenant B's ids: nothing is seen, nothing
changes (issue 15 item 5). The Teams counterpart of tests/tenancy/test_cross_tenant.py.

Through the real Teams app over HTTP, on both backends. Two Microsoft Entra tenants are
linked to our tenants town-a (A) and city-b (B); both load the same demo directory and
their people have the *same* Teams ids (aad-<handle>), so only the activity's
``conversation.tenantId`` tells them apart. B has a pending and a published draft, an
incident, a reminder and an account code A does not have. A's users then send every text
command Teams has and click every button and submit every form that names an id, with
B's ids. Each must get exactly the answer an id that exists nowhere gets, a Japanese
"not found"; B's rows and audit chain stay as they were, nothing is posted anywhere but
the clicker's own chat, and B's people are never mentioned in A's messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import FakeClock
from bot.db import transaction
from bot.directory.models import Channel, Person
from bot.notify.models import OutboxMessage
from bot.tenancy import for_tenant
from bot.workspaces import TEAMS, Workspace, link
from handlers.teams import forms
from handlers.teams.core_adapter import TeamsCore
from handlers.teams.demo import load_demo_directory
from tests.tenancy.crosstenant import (
    ACTIONS,
    COMMANDS,
    NOWHERE,
    normalised,
    seed_city_b,
    snapshot,
)

from .conftest import INFO_POLICY_CHANNEL, ON_TEAMS
from .harness import Bot, LoopThread, StubConnector, click, install, message, personal_chat
from .test_tenants import from_org

ORG_A = "0a0a0a0a-0000-4000-8000-00000000000a"
ORG_B = "0b0b0b0b-0000-4000-8000-00000000000b"

# The text commands of COMMANDS whose word Teams knows (decisions are buttons, and also
# /approve, /changes, /reject as text).
TEAMS_WORDS = (
    "/approve",
    "/changes",
    "/reject",
    "/edit",
    "/incident",
    "/draft",
    "/account",
    "/custody",
)
TEXT_COMMANDS = [(u, line) for u, line in COMMANDS if line.split()[0] in TEAMS_WORDS]

# The forms a Teams card submits, with B's ids (draft edit form, custody form, incident
# form naming an account code).
FORM_SUBMITS = [
    ("sato", forms.SUBMIT_VERB, {"draft_id": "pending", "text": "修正しました。"}),
    ("watanabe", forms.CUSTODY_VERB, {"account": "code", "holder": "sato"}),
    (
        "watanabe",
        forms.INCIDENT_VERB,
        {"type": "炎上", "account": "code", "summary": "批判が集まっています"},
    ),
]


@pytest.fixture
def cities(committed_factory: sessionmaker[Session], clock: FakeClock) -> dict[str, int]:
    ids = seed_city_b(committed_factory, clock)  # B: demo directory and its items
    load_demo_directory(for_tenant(committed_factory, "town-a"), clock=clock)
    for tenant, org in (("town-a", ORG_A), ("city-b", ORG_B)):
        with transaction(committed_factory) as session:
            link(session, workspace=Workspace(TEAMS, org), tenant_id=tenant, by="test", clock=clock)
        with transaction(for_tenant(committed_factory, tenant)) as session:
            for person in session.scalars(sa.select(Person).where(Person.handle.in_(ON_TEAMS))):
                person.teams_user_id = f"aad-{person.handle}"
    return ids


@pytest.fixture
def teams(
    loop: LoopThread,
    stub: StubConnector,
    committed_factory: sessionmaker[Session],
    clock: FakeClock,
    cities: dict[str, int],
) -> Iterator[Bot]:
    running = Bot(loop, stub, TeamsCore(committed_factory, clock=clock)).start()
    for handle in ON_TEAMS:
        running.send(from_org(install(stub, handle), ORG_A))
    yield running
    running.stop()


def _posted(stub: StubConnector) -> list[tuple[str, str]]:
    """(conversation, visible content) of every activity the bot posted or updated."""
    out = []
    for call in stub.activities():
        conversation = call.path.split("/v3/conversations/")[1].split("/")[0]
        body = {k: call.body.get(k) for k in ("text", "attachments") if call.body.get(k)}
        out.append((conversation, json.dumps(body, ensure_ascii=False, sort_keys=True)))
    return out


def _answer(bot: Bot, stub: StubConnector, activity: dict[str, Any]) -> str:
    """Everything the person sees in reply: the invoke's response and any posted message."""
    stub.calls.clear()
    response = bot.post(activity)
    bot.settle()
    assert response.status_code == 200
    text = response.text if activity["type"] == "invoke" else ""
    return text + "".join(content for _, content in _posted(stub))


def _same(got: str, expected: str, ids: dict[str, int]) -> bool:
    def clean(text: str) -> str:
        text = normalised(text, ids)
        # Card instance ids and activity ids differ from one answer to the next.
        return re.sub(r'"(id|replyToId|_nonce)": "[^"]*"', '"\\1": "-"', text)

    return clean(got) == clean(expected)


def test_every_text_command_against_another_citys_ids_finds_nothing(
    teams: Bot, stub: StubConnector, committed_factory, cities
) -> None:
    ids = cities
    before = snapshot(committed_factory, "city-b")
    tried = 0
    for user, line in TEXT_COMMANDS:
        theirs = line.format(code="b-only", **ids)
        nowhere = line.format(code="zz-none", **dict.fromkeys(ids, NOWHERE))
        got = _answer(teams, stub, from_org(message(stub, user, theirs), ORG_A))
        conversations = {c for c, _ in _posted(stub)}
        expected = _answer(teams, stub, from_org(message(stub, user, nowhere), ORG_A))
        assert re.search("見つかりません|登録されていません", got), (theirs, got)
        assert _same(got, expected, ids), (theirs, got, expected)
        assert conversations == {personal_chat(user)}, theirs  # only the sender's chat
        tried += 1
    assert tried == len(TEXT_COMMANDS) == 25
    assert snapshot(committed_factory, "city-b") == before


def test_every_button_and_form_against_another_citys_ids_is_refused(
    teams: Bot, stub: StubConnector, committed_factory, cities
) -> None:
    ids = cities
    before = snapshot(committed_factory, "city-b")

    def filled(value: dict[str, Any], theirs: bool) -> dict[str, Any]:
        out = {}
        for key, item in value.items():
            if item == "code":
                out[key] = "b-only" if theirs else "zz-none"
            elif isinstance(item, str) and item in ids:
                out[key] = ids[item] if theirs else NOWHERE
            else:
                out[key] = item
        return out

    # A report with a URL (Teams checks that the URL is filled in before anything else).
    url = {"draft.report": {"url": "https://x.com/midori_kanko_demo/status/9", "note": "済"}}
    clicks = [(u, verb, value, url.get(verb, inputs)) for u, verb, value, inputs in ACTIONS]
    clicks += [(u, verb, value, {}) for u, verb, value in FORM_SUBMITS]
    failures, tried = [], 0
    for user, verb, value, inputs in clicks:
        answers = []
        for theirs in (True, False):
            action = {"verb": verb, "title": "操作", "data": {**filled(value, theirs), "_p": "a1."}}
            activity = click(stub, user, action, reply_to="1700000000000", inputs=inputs)
            answers.append(_answer(teams, stub, from_org(activity, ORG_A)))
            if theirs:
                conversations = {c for c, _ in _posted(stub)}
        got, expected = answers
        if (
            not re.search("見つかりません|登録されていません", got)
            or not _same(got, expected, ids)
            or not conversations <= {personal_chat(user)}
        ):
            failures.append((verb, got, expected))
        tried += 1
    assert failures == []
    assert tried == len(ACTIONS) + len(FORM_SUBMITS) == 21
    assert snapshot(committed_factory, "city-b") == before
    # Nothing was queued for anybody in A either.
    with for_tenant(committed_factory, "town-a")() as session:
        assert session.scalars(sa.select(OutboxMessage)).all() == []


def test_a_citys_messages_mention_its_own_people(
    teams: Bot, stub: StubConnector, committed_factory, clock: FakeClock, cities
) -> None:
    """Mentions are looked up in the tenant being delivered: A's incident thread mentions
    A's people, never B's people with the same handles (and the same Teams ids)."""
    with transaction(for_tenant(committed_factory, "city-b")) as session:
        for person in session.scalars(sa.select(Person)):
            person.name = "B市の" + person.name  # B's people, told apart by name
    with transaction(for_tenant(committed_factory, "town-a")) as session:
        channel = session.scalars(sa.select(Channel).where(Channel.key == "info_policy")).one()
        channel.teams_channel_id = INFO_POLICY_CHANNEL
        names = {h: n for h, n in session.execute(sa.select(Person.handle, Person.name))}
    stub.calls.clear()
    teams.send(
        from_org(message(stub, "sato", "/incident 炎上 kanko-x 批判が集まっています"), ORG_A)
    )
    teams.deliver()
    thread = [
        call.body
        for call in stub.activities()
        if call.path.split("/v3/conversations/")[1].startswith(INFO_POLICY_CHANNEL)
    ]
    assert thread
    cards = [a["content"] for body in thread for a in body.get("attachments") or []]
    entities = [e for card in cards for e in card.get("msteams", {}).get("entities", [])]
    mentioned = {e["mentioned"]["name"] for e in entities}
    assert mentioned and mentioned <= set(names.values())
    assert "B市の" not in json.dumps(thread, ensure_ascii=False)

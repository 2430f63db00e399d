"""The directory alone answers "who": one normalisation, one wording, one rule for deciders."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.commands import DraftInput, run_command, submit_draft_form
from bot.directory import service as directory
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Department, Deputy, Person
from bot.errors import NotFound
from bot.interaction import Actor

TYPED = ["@sato", "＠ｓａｔｏ", " sato ", "ｓａｔｏ"]


@pytest.fixture
def demo(session, clock):
    load_file(session, path=DEMO_FILE, clock=clock)
    session.flush()


@pytest.mark.parametrize("typed", TYPED)
def test_a_handle_is_found_however_it_is_typed(session, demo, typed):
    assert directory.get_person(session, handle=typed).handle == "sato"
    found = directory.person_by_platform_id(session, platform="console", user_id=typed)
    assert found.handle == "sato"


def test_one_wording_for_an_unknown_or_inactive_person(session, demo):
    session.execute(sa.update(Person).where(Person.handle == "suzuki").values(active=False))
    session.expire_all()
    for handle in ("ghost", "suzuki"):
        with pytest.raises(NotFound) as err:
            directory.get_person(session, handle=f"@{handle}")
        assert err.value.message == directory.person_not_found(session, f"@{handle}")
        assert err.value.message == (
            f"「@{handle}」は名簿に登録されていません。名簿の管理者（情報政策課）に登録を依頼してください。"
        )
    assert directory.find_person(session, handle="@") is None


@pytest.mark.parametrize("typed", ["@sato", "＠ｓａｔｏ"])
def test_at_sato_works_the_same_in_every_workflow(factory, demo, clock, typed):
    plain, mention = Actor("console", "sato"), Actor("console", typed)
    for command, text in (
        ("drafts", ""),
        ("inbox", ""),
        ("account", "show kanko-x"),
        ("account", "list"),
        ("incident", "list"),
    ):
        a = run_command(factory, actor=plain, command=command, text=text, clock=clock)
        b = run_command(factory, actor=mention, command=command, text=text, clock=clock)
        assert a.ok and b.ok, (command, b.message.title)
        assert a.message == b.message, command

    draft = submit_draft_form(
        factory,
        actor=mention,
        form=DraftInput(account="kanko-x", text="本日から市民課の窓口時間を延長します。"),
        clock=clock,
    )
    assert draft.ok, draft.message.title

    incident = run_command(
        factory, actor=mention, command="incident", text="炎上 kanko-x 批判が集中", clock=clock
    )
    assert incident.ok, incident.message.title

    # Handles typed as arguments are read the same way (4(1)キ: manager and operators).
    head = Actor("console", "@yamada")
    reply = run_command(
        factory,
        actor=head,
        command="account",
        text="manager kanko-x "
        + typed.replace("sato", "suzuki").replace("ｓａｔｏ", "ｓｕｚｕｋｉ"),
        clock=clock,
    )
    assert reply.ok, reply.message.title
    reply = run_command(
        factory,
        actor=head,
        command="account",
        text=f"operators kanko-x {typed}、＠ｓｕｚｕｋｉ",
        clock=clock,
    )
    assert reply.ok, reply.message.title
    with factory() as s:
        account = directory.get_account(s, code="kanko-x")
        assert account.manager is not None and account.manager.handle == "suzuki"
        assert [p.handle for p in account.operators] == ["sato", "suzuki"]


def test_inactive_heads_and_deputies_decide_nothing(session, demo, clock):
    kanko = session.scalars(sa.select(Department).where(Department.code == "kanko")).one()
    now = clock.now()
    assert [p.handle for p in directory.heads_and_deputies(kanko, now)] == ["yamada", "kato"]
    yamada = directory.get_person(session, handle="yamada")
    kato = directory.get_person(session, handle="kato")
    yamada.active = False
    assert [p.handle for p in directory.heads_and_deputies(kanko, now)] == ["kato"]
    assert not directory.is_head_or_deputy(kanko, yamada, now)
    assert directory.is_head_or_deputy(kanko, kato, now)
    # A deputy counts only within the delegation period.
    deputy = session.scalars(sa.select(Deputy).where(Deputy.person_id == kato.id)).one()
    deputy.active_from = now + timedelta(days=1)
    assert not directory.is_head_or_deputy(kanko, kato, now)
    assert directory.heads_and_deputies(kanko, now) == []


def test_an_inactive_person_holds_no_role(session, demo):
    takahashi = directory.get_person(session, handle="takahashi")
    assert directory.has_role(session, person=takahashi, role="pr_head")
    takahashi.active = False
    assert not directory.has_role(session, person=takahashi, role="pr_head")
    assert takahashi not in directory.role_members(session, role="pr_head")

"""The directory file: validated with line numbers, idempotent, synced, readable back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.audit import verify
from bot.directory import service as directory
from bot.directory.loader import DEMO_FILE, DirectoryError, load_file, load_text, parse
from bot.directory.models import Account, Department, Deputy, OrgRole, Person
from tests.people import who

BASE = """\
people:
  - handle: head
    name: 課長
  - handle: dep
    name: 補佐
  - handle: clerk
    name: 係員
    slack_user_id: U1
departments:
  - code: d
    name: 観光課
    head: head
    deputies:
      - person: dep
        active_from: 2026-01-01
        active_until: 2026-12-31
accounts:
  - code: x
    name: 観光X
    media: X
    department: d
    operators: [clerk, dep]
    exemptions:
      - category: ア
        rule: 掲載済みのみ
        agreed_by: head
        agreed_at: 2026-04-01
org_roles:
  pr_head: [head]
channels:
  - key: info_policy
    name: 情報政策課
"""


def test_demo_directory_loads_and_is_idempotent(session, clock):
    first = load_file(session, path=DEMO_FILE, clock=clock)
    assert first.created > 10
    again = load_file(session, path=DEMO_FILE, clock=clock)
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    kanko = directory.get_account(session, code="kanko-x")
    assert {p.handle for p in kanko.operators} == {"sato", "suzuki"}
    assert sorted(r.category for r in kanko.exemptions) == ["ア", "イ", "エ"]
    assert [p.handle for p in directory.approvers(kanko.department, clock.now())] == [
        "yamada",
        "kato",
    ]
    assert verify(session) == []


def test_reload_syncs_deputies_and_roles_but_not_what_the_account_registry_owns(session, clock):
    load_text(session, source=BASE, clock=clock)
    smaller = (
        BASE.replace("operators: [clerk, dep]", "operators: [clerk]")
        .replace(
            "    deputies:\n      - person: dep\n        active_from: 2026-01-01\n        active_until: 2026-12-31\n",
            "",
        )
        .replace(
            "    exemptions:\n      - category: ア\n        rule: 掲載済みのみ\n        agreed_by: head\n        agreed_at: 2026-04-01\n",
            "",
        )
        .replace("  pr_head: [head]", "  pr_head: [clerk]")
    )
    result = load_text(session, source=smaller, clock=clock)
    assert result.removed == 2  # the deputy and the old pr_head
    assert result.kept == ["x"]
    assert "アカウント台帳" in result.summary()
    account = session.scalar(sa.select(Account).where(Account.code == "x"))
    session.refresh(account)
    # Operators and posting rules of an existing account belong to the registry (/account).
    assert sorted(p.handle for p in account.operators) == ["clerk", "dep"]
    assert [r.category for r in account.exemptions] == ["ア"]
    assert session.scalar(sa.select(sa.func.count()).select_from(Deputy)) == 0
    assert [r.person.handle for r in session.scalars(sa.select(OrgRole))] == ["clerk"]


def test_new_account_is_created_as_the_file_says(session, clock):
    load_text(session, source=BASE, clock=clock)
    more = BASE.replace(
        "org_roles:",
        "  - code: y\n    name: 観光Instagram\n    media: Instagram\n    department: d\n"
        "    manager: clerk\n    operators: [clerk]\n    status: submitted\n"
        "    exemptions: [イ]\n"
        "org_roles:",
    )
    load_text(session, source=more, clock=clock)
    y = directory.get_account(session, code="y")
    assert (y.status, y.manager.handle) == ("submitted", "clerk")
    assert [p.handle for p in y.operators] == ["clerk"]
    assert [r.category for r in y.exemptions] == ["イ"]


def test_reloading_the_directory_keeps_what_was_changed_in_the_account_registry(session, clock):
    """Issue 7: /account is the source of truth for an existing account's status, manager,
    operators and posting rules; a directory reload must not undo that work."""
    from bot.accounts import service as accounts
    from bot.accounts.models import ExemptionRuleHistory

    load_file(session, path=DEMO_FILE, clock=clock)
    accounts.register_rule(
        session,
        actor=who(session, "yamada"),
        code="kanko-x",
        category="イ",
        rule_text="速報値も可",
        clock=clock,
    )
    accounts.revoke_rule(
        session, actor=who(session, "yamada"), code="kanko-x", category="エ", clock=clock
    )
    accounts.change_manager(
        session, actor=who(session, "yamada"), code="kanko-x", manager="suzuki", clock=clock
    )
    accounts.set_operators(
        session, actor=who(session, "yamada"), code="kanko-x", operators="suzuki", clock=clock
    )
    accounts.suspend_account(
        session, actor=who(session, "yamada"), code="kanko-x", reason="改修のため", clock=clock
    )
    history_before = session.scalar(sa.select(sa.func.count()).select_from(ExemptionRuleHistory))

    # The same file again, plus a rule for a category nobody has registered yet (ウ).
    source = DEMO_FILE.read_text(encoding="utf-8").replace(
        "      - category: エ\n",
        "      - category: ウ\n        rule: 観光案内所の臨時休業は確定後に投稿する。\n"
        "      - category: エ\n",
    )
    result = load_text(session, source=source, clock=clock)
    assert result.kept == ["kanko-x"]

    kanko = directory.get_account(session, code="kanko-x")
    session.refresh(kanko)
    assert kanko.status == "suspended"
    assert kanko.manager.handle == "suzuki"
    assert [p.handle for p in kanko.operators] == ["suzuki"]
    rules = {r.category: r.rule_text for r in kanko.exemptions}
    assert rules["イ"] == "速報値も可"  # the registry's rule, not the file's
    assert "エ" not in rules  # revoked in the registry: stays revoked
    assert rules["ウ"] == "観光案内所の臨時休業は確定後に投稿する。"  # new: seeded
    assert rules["ア"].startswith("市ホームページ")
    assert (
        session.scalar(sa.select(sa.func.count()).select_from(ExemptionRuleHistory))
        == history_before
    )
    assert verify(session) == []


def test_until_date_is_inclusive_in_japan(session, clock):
    load_text(session, source=BASE, clock=clock)
    dept = session.scalar(sa.select(Department).where(Department.code == "d"))
    dep = dept.deputies[0]
    from datetime import datetime

    from bot.clock import JST

    assert dep.is_active(datetime(2026, 12, 31, 23, 59, tzinfo=JST))
    assert not dep.is_active(datetime(2027, 1, 1, 0, 0, tzinfo=JST))
    assert not dep.is_active(datetime(2025, 12, 31, 23, 59, tzinfo=JST))


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        (BASE.replace("handle: dep", "handle: head"), 4, "重複"),
        (BASE.replace("head: head\n    deputies", "head: nobody\n    deputies"), 12, "nobody"),
        (BASE.replace("category: ア", "category: オ"), 24, "オ"),
        (BASE.replace("active_until: 2026-12-31", "active_until: 2026-02-30"), 16, "日付"),
        (
            BASE.replace("active_until: 2026-12-31", "active_until: 2025-12-31"),
            16,
            "active_from より前",
        ),
        (BASE.replace("operators: [clerk, dep]", "operators: [clerk, ghost]"), 22, "ghost"),
        (BASE.replace("department: d\n", "department: zz\n"), 21, "zz"),
        (BASE.replace("  pr_head: [head]", "  boss: [head]"), 29, "boss"),
        (BASE.replace("    media: X\n", ""), 18, "media"),
        (BASE + "  - key: info_policy\n    name: 重複\n", 33, "重複"),
        (BASE.replace("name: 係員", "name: 係員\n    nmae: typo"), 8, "nmae"),
        ("people: [\n", 2, "YAML"),
    ],
)
def test_bad_files_name_the_line_and_store_nothing(session, clock, source, line, words):
    with pytest.raises(DirectoryError) as err:
        load_text(session, source=source, name="dir.yaml", clock=clock)
    message = err.value.message
    assert f"{line}行目" in message, message
    assert words in message
    assert "何も登録していません" in message
    assert session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_every_problem_is_reported_at_once(clock):
    bad = BASE.replace("head: head\n    deputies", "head: nobody\n    deputies").replace(
        "category: ア", "category: オ"
    )
    with pytest.raises(DirectoryError) as err:
        parse(bad)
    assert len(err.value.problems) == 2


def test_show_prints_the_directory_in_japanese(session, clock):
    load_file(session, path=DEMO_FILE, clock=clock)
    text = directory.describe(session)
    assert "■ 部署" in text and "観光課" in text and "所属長: 山田 花子" in text
    assert "代理: 加藤 健" in text
    assert "決裁不要 4(3)ア" in text
    assert "開設届提出中" in text
    assert "広報課長: 高橋 誠" in text

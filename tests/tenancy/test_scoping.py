"""Every query is scoped to the session's tenant, in one place (bot/tenancy.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.audit import record
from bot.audit.models import AuditEvent
from bot.audit.verify import verify
from bot.directory.loader import DEMO_FILE, load_file
from bot.directory.models import Account, Person, account_operators
from bot.tenancy import DEFAULT_TENANT, TenantError, ensure_tenant, tenant_session


@pytest.fixture
def two_cities(factory, clock):
    """Tenants "town-a" and "city-b", each with the demo directory (the same handles)."""
    with factory() as s, s.begin():
        ensure_tenant(s, tenant_id="town-a", name="A町", clock=clock)
        ensure_tenant(s, tenant_id="city-b", name="B市", clock=clock)
    for tenant in ("town-a", "city-b"):
        with tenant_session(factory, tenant) as s, s.begin():
            load_file(s, path=DEMO_FILE, clock=clock)
    return factory


def test_the_same_handles_exist_once_per_city(two_cities):
    with tenant_session(two_cities, "town-a") as a:
        handles_a = a.scalars(sa.select(Person.handle)).all()
        assert handles_a and all(p.tenant_id == "town-a" for p in a.scalars(sa.select(Person)))
    with tenant_session(two_cities, "city-b") as b:
        assert sorted(b.scalars(sa.select(Person.handle))) == sorted(handles_a)
    with two_cities() as default:
        assert default.scalars(sa.select(Person)).all() == []


def test_another_citys_id_is_not_found_by_get_join_or_relationship(two_cities):
    with tenant_session(two_cities, "city-b") as b:
        b_account = b.scalars(sa.select(Account)).first()
        b_person_id = b.scalars(sa.select(Person.id)).first()
        assert b_account is not None
        b_id = b_account.id
    with tenant_session(two_cities, "town-a") as a:
        assert a.get(Account, b_id) is None
        assert a.get(Person, b_person_id) is None
        joined = a.scalars(
            sa.select(Person)
            .join(Account, Account.manager_id == Person.id)
            .where(Account.id == b_id)
        ).all()
        assert joined == []
        aliased = sa.orm.aliased(Account)
        assert a.scalars(sa.select(aliased.id).where(aliased.id == b_id)).all() == []


def test_an_orm_update_or_delete_of_another_citys_row_changes_nothing(two_cities):
    with tenant_session(two_cities, "city-b") as b:
        b_id, b_name = b.execute(sa.select(Account.id, Account.name)).first()
    with tenant_session(two_cities, "town-a") as a, a.begin():
        changed = a.execute(sa.update(Account).where(Account.id == b_id).values(name="乗っ取り"))
        assert changed.rowcount == 0
        gone = a.execute(sa.delete(Person).where(Person.id == -1))
        assert gone.rowcount == 0
    with tenant_session(two_cities, "city-b") as b:
        assert b.get(Account, b_id).name == b_name


def test_the_reminder_sweep_schedules_only_its_own_citys_items(two_cities):
    """INSERT … SELECT (the sweep's insert(Reminder).from_select) is scoped like a SELECT:
    A's sweep used to copy B's due drafts into A's reminders, and B's were then never sent."""
    from bot.app import reminder_sources
    from bot.scheduler.models import Reminder
    from bot.scheduler.service import build_plan, schedule_due
    from bot.scheduler.settings import ReminderSettings
    from tests.scheduler.conftest import jst, make_draft, make_world

    drafts = {}
    for tenant in ("town-a", "city-b"):
        with tenant_session(two_cities, tenant) as s, s.begin():
            world = make_world(s, suffix="-r")
            drafts[tenant] = make_draft(s, world, submitted=jst("2026-11-25 09:00")).id
    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    plan = build_plan(settings, reminder_sources(settings))
    now = jst("2026-11-25 17:00")
    for tenant in ("town-a", "city-b"):
        with tenant_session(two_cities, tenant) as s, s.begin():
            assert schedule_due(s, plan=plan, now=now) >= 1
    for tenant in ("town-a", "city-b"):
        with tenant_session(two_cities, tenant) as s:
            items = set(s.scalars(sa.select(Reminder.item_id).where(Reminder.item_type == "draft")))
            assert items == {drafts[tenant]}


def test_a_new_object_gets_the_sessions_tenant_and_another_tenant_is_refused(two_cities):
    with tenant_session(two_cities, "town-a") as a, a.begin():
        p = Person(handle="newcomer", name="新人")
        a.add(p)
        a.flush()
        assert p.tenant_id == "town-a"
        stranger = Person(handle="stranger", name="他市", tenant_id="city-b")
        a.add(stranger)
        with pytest.raises(TenantError):
            a.flush()
        a.expunge(stranger)
        p.tenant_id = "city-b"
        with pytest.raises(TenantError):
            a.flush()
        p.tenant_id = "town-a"


def test_rows_written_without_an_object_get_the_sessions_tenant(two_cities):
    """Association rows (account_operators) and Core inserts read the tenant from the connection."""
    with tenant_session(two_cities, "city-b") as b, b.begin():
        account = b.scalars(sa.select(Account)).first()
        person = next(p for p in b.scalars(sa.select(Person)) if p not in account.operators)
        account.operators.append(person)
        b.flush()
        owners = b.scalars(
            sa.select(account_operators.c.tenant_id).where(
                account_operators.c.account_id == account.id
            )
        ).all()
        assert owners and set(owners) == {"city-b"}


def test_each_city_has_its_own_audit_chain(two_cities, clock):
    for tenant in ("town-a", "city-b"):
        with tenant_session(two_cities, tenant) as s, s.begin():
            record(
                s, actor="sato", action="test.event", subject_type="t", subject_id=1, clock=clock
            )
    with tenant_session(two_cities, "town-a") as a:
        a_rows = a.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert a_rows[0].seq == 1
        assert {e.tenant_id for e in a_rows} == {"town-a"}
        assert verify(a) == []
    with tenant_session(two_cities, "city-b") as b:
        b_rows = b.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert len(b_rows) == len(a_rows)
        assert verify(b) == []
    # Same content, same seq, another city: another hash (the tenant is hashed).
    assert a_rows[-1].hash != b_rows[-1].hash
    with two_cities() as default:
        assert all(e.tenant_id == DEFAULT_TENANT for e in default.scalars(sa.select(AuditEvent)))


def test_a_chain_moved_to_another_tenant_no_longer_verifies(two_cities, clock, backend):
    with tenant_session(two_cities, "city-b") as b, b.begin():
        record(b, actor="sato", action="test.event", subject_type="t", subject_id=1, clock=clock)
    with two_cities() as s, s.begin():
        ensure_tenant(s, tenant_id="town-c", name="C町", clock=clock)
    # An insider copies B's chain under tenant C (the log is append-only: copy, not move).
    cols = [c for c in AuditEvent.__table__.columns if c.key != "tenant_id"]
    with tenant_session(two_cities, "town-c") as c, c.begin():
        table = AuditEvent.__table__
        rows = c.execute(
            sa.select(*cols).where(table.c.tenant_id == "city-b").order_by(table.c.seq)
        ).all()
        for row in rows:
            values = dict(row._mapping)
            values["hash"] = values["hash"][::-1]  # the hash column is unique
            c.execute(sa.insert(table).values(tenant_id="town-c", **values))
        assert verify(c) != []


def test_each_city_has_its_own_guideline_in_force(two_cities, clock):
    """guideline.service.in_force(session) reads the newest load of the session's tenant."""
    from bot.guideline.loader import DEFAULT_FILE, default_guideline
    from bot.guideline.service import in_force, record_load

    town = DEFAULT_FILE.parent / "sakura-town-2.1.yaml"
    with tenant_session(two_cities, "city-b") as b, b.begin():
        record_load(b, raw=town.read_bytes(), source=str(town), actor="system", clock=clock)
        b_guideline = in_force(b)
    assert b_guideline.sha256 != default_guideline().sha256
    with tenant_session(two_cities, "town-a") as a:
        assert in_force(a).sha256 == default_guideline().sha256
    with tenant_session(two_cities, "city-b") as b:
        assert in_force(b).sha256 == b_guideline.sha256

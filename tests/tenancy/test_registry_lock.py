"""The account registry's lock is per tenant (issue 15 item 5): one city registering an
account does not hold up another city's registration; within a city, writes still queue.

PostgreSQL only (SQLite has one writer at a time for the whole file, by design).
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts.registration import register_account
from bot.db import transaction
from bot.directory.models import Account, Department, Person
from bot.tenancy import ensure_tenant, for_tenant
from tests.accounts.helpers import form

CITIES = ("kita-city", "minami-town")


def _directory(factory: sessionmaker[Session], clock) -> None:
    for tenant in CITIES:
        with transaction(factory) as session:
            ensure_tenant(session, tenant_id=tenant, name=tenant, clock=clock)
        with transaction(for_tenant(factory, tenant)) as session:
            people = {h: Person(handle=h, name=h) for h in ("yamada", "sato", "suzuki", "tanaka")}
            session.add_all(people.values())
            session.flush()
            session.add(Department(code="kankou", name="観光課", head=people["yamada"]))


def _actor(session: Session) -> Person:
    return session.scalars(sa.select(Person).where(Person.handle == "sato")).one()


def test_one_citys_registration_does_not_wait_for_anothers(committed_factory, clock, backend):
    if backend != "postgresql":
        pytest.skip("the registry lock is PostgreSQL's (SQLite serialises every writer)")
    _directory(committed_factory, clock)
    kita, minami = (for_tenant(committed_factory, t) for t in CITIES)

    holder = kita()
    holder.begin()
    register_account(holder, actor=_actor(holder), values=form(), clock=clock)
    try:
        # 南町 registers (the same code and URL: uniqueness is per city) while 北市's
        # registration is still open, holding 北市's registry lock.
        done: list[str] = []
        failed: list[BaseException] = []

        def other_city() -> None:
            try:
                with transaction(minami) as session:
                    session.execute(sa.text("SET LOCAL lock_timeout = '20s'"))
                    account = register_account(
                        session, actor=_actor(session), values=form(), clock=clock
                    )
                    done.append(account.code)
            except BaseException as exc:  # reported below
                failed.append(exc)

        thread = threading.Thread(target=other_city)
        thread.start()
        thread.join(timeout=60)
        assert not thread.is_alive() and failed == [] and done == ["kankou-x"]

        # A second registration in 北市 itself still queues behind the open one.
        with (
            pytest.raises(sa.exc.OperationalError, match="lock timeout"),
            transaction(kita) as session,
        ):
            session.execute(sa.text("SET LOCAL lock_timeout = '300ms'"))
            register_account(
                session,
                actor=_actor(session),
                values=form(code="kankou-fb", url="https://www.facebook.com/kita.kankou"),
                clock=clock,
            )
    finally:
        holder.commit()
        holder.close()

    for factory in (kita, minami):
        with factory() as session:
            assert session.scalars(sa.select(Account.code)).all() == ["kankou-x"]

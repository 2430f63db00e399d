"""The tenancy seam: how a Session knows its tenant (bot/tenancy.py, issue 15 item 5)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.tenancy import (
    DEFAULT_TENANT,
    Tenant,
    TenantError,
    current_tenant,
    ensure_tenant,
    factory_tenant,
    for_tenant,
    scoped,
    tenant_ids,
    tenant_session,
)


def test_the_migration_creates_the_default_tenant(session):
    assert session.scalars(sa.select(Tenant.id)).all() == [DEFAULT_TENANT]


def test_a_session_nobody_told_works_for_the_default_tenant(factory, session):
    assert current_tenant(session) == DEFAULT_TENANT
    assert factory_tenant(factory) == DEFAULT_TENANT


def test_tenant_session_and_for_tenant_name_the_tenant(factory):
    with tenant_session(factory, "town-a") as s:
        assert current_tenant(s) == "town-a"
    city_b = for_tenant(factory, "city-b")
    assert factory_tenant(city_b) == "city-b"
    with city_b() as s:
        assert current_tenant(s) == "city-b"
    # The original factory is untouched: other tenants keep using it.
    with factory() as s:
        assert current_tenant(s) == DEFAULT_TENANT


def test_scoped_refuses_to_switch_tenants_inside_a_transaction(session):
    scoped(session, "town-a")
    session.execute(sa.select(1))  # begins a transaction
    scoped(session, "town-a")  # same tenant: fine
    with pytest.raises(TenantError):
        scoped(session, "city-b")
    assert current_tenant(session) == "town-a"


@pytest.mark.parametrize("bad", ["", "Town", "a b", "x" * 65, "-a", "a;drop", "町"])
def test_a_malformed_tenant_id_is_refused_in_japanese(factory, bad):
    with pytest.raises(TenantError, match="テナントID"):
        tenant_session(factory, bad)


def test_ensure_tenant_adds_once_and_lists_the_default_first(session, clock):
    ensure_tenant(session, tenant_id="aaa", name="阿波町", clock=clock)
    again = ensure_tenant(session, tenant_id="aaa", name="ignored", clock=clock)
    assert again.name == "阿波町"
    assert tenant_ids(session) == [DEFAULT_TENANT, "aaa"]

"""Custody (5(10)) through the real Bolt app: App Home section, the record modal, handover
buttons, and a password typed into the modal that is refused and stored nowhere."""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.custody import service as custody
from bot.custody import transfers
from bot.custody.models import CustodyRecord, Handover
from bot.db import transaction
from bot.directory.models import Person
from tests.slack.flows.conftest import SLACK_IDS, buttons, click, submit_view, text_of, wait_dms

MANAGER, HEAD, OPERATOR = (SLACK_IDS[h] for h in ("sato", "yamada", "suzuki"))
SECRET = "Hn7#kq2Lp9xZ"


def _home(slack, slack_api, user_id, n):
    slack.event({"type": "app_home_opened", "user": user_id, "channel": "D0X", "tab": "home"})
    published = slack_api.wait_for("views.publish", n)[n - 1]
    return published.json_param("view")


def _home_buttons(view):
    return {
        (e["action_id"], e.get("value")): e
        for block in view["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
    }


def _values(**fields):
    out = {}
    for key, value in fields.items():
        if key in ("twofa", "twofa_method"):
            out[key] = {key: {"type": "static_select", "selected_option": {"value": value}}}
        else:
            out[key] = {key: {"type": "plain_text_input", "value": value}}
    return out


def test_home_section_and_modal_save_the_record_and_refuse_a_password(
    slack, slack_api, core, committed_factory, caplog
):
    caplog.set_level(logging.DEBUG)
    view = _home(slack, slack_api, MANAGER, 1)
    shown = json.dumps(view, ensure_ascii=False)
    assert "認証情報の管理（5(10)）" in shown and "みどり市観光課（公式）" in shown
    edit = next(e for (a, _), e in _home_buttons(view).items() if a.endswith("custody.edit"))
    slack_api.clear()
    click(slack, edit, user_id=MANAGER, channel="D0STAFF001")
    (opened,) = slack_api.wait_for("views.open")
    modal = opened.json_param("view")
    assert modal["callback_id"] == "custody_form"
    assert json.loads(modal["private_metadata"]) == {"account": "kanko-x"}

    refused = submit_view(
        slack, opened, _values(holder="sato", recovery_email=SECRET), user_id=MANAGER
    )
    body = refused.json()
    assert body["response_action"] == "errors" and "recovery_email" in body["errors"]
    assert "認証情報" in body["errors"]["recovery_email"] and SECRET not in refused.text
    with committed_factory() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(CustodyRecord)) == 0
        dump = "".join(
            str(r)
            for t in ("audit_events", "outbox")
            for r in s.execute(sa.text(f"SELECT * FROM {t}"))
        )
        assert SECRET not in dump
    assert SECRET not in caplog.text

    done = submit_view(
        slack,
        opened,
        _values(
            holder="sato",
            recovery_email="kanko-sns@city.example.lg.jp",
            recovery_phone="0263-34-3000",
            twofa="on",
            twofa_method="app",
            password_changed="2026-11-01",
        ),
        user_id=MANAGER,
    )
    assert done.status == 200 and done.body == b""
    (saved,) = wait_dms(slack_api, MANAGER)
    assert "管理記録を保存しました" in text_of(saved) and "認証アプリ" in text_of(saved)
    with committed_factory() as s:
        record = s.scalar(sa.select(CustodyRecord))
        assert record.holder_id is not None and not record.recovery_email_personal
        assert (
            s.scalar(sa.select(AuditEvent.actor).where(AuditEvent.action == "custody.created"))
            == "sato"
        )

    slack_api.clear()
    click(slack, edit, user_id=OPERATOR, channel="D0STAFF002")  # operators may not change it
    (hook,) = slack_api.wait_for("response_url")
    assert "5(10)" in text_of(hook) and slack_api.calls_to("views.open") == []


def test_handover_buttons_name_the_new_holder_and_refuse_the_leaver(
    slack, slack_api, core, committed_factory, clock
):
    with transaction(committed_factory) as session:
        sato = session.scalar(sa.select(Person).where(Person.handle == "sato"))
        custody.update_record(
            session, actor=sato, code="kanko-x", values={"holder": "sato"}, clock=clock
        )
        transfers.load(
            session,
            text="person,from,to,effective\nsato,kanko,kouhou,2026-12-01\n",
            kind="csv",
            origin="t.csv",
            clock=clock,
        )
    clock.set(clock.now().replace(month=12, day=1, hour=1))
    with transaction(committed_factory) as session:
        [handover_id] = transfers.apply_due(session, clock=clock).handovers
    core.deliver()
    (task,) = wait_dms(slack_api, HEAD)
    found = buttons(task)
    assert "handover.holder" in found and "handover.step" in found

    slack_api.clear()
    click(slack, found["handover.step"], user_id=MANAGER, channel="D0STAFF001")
    (hook,) = slack_api.wait_for("response_url")
    assert "異動した本人は記録できません" in text_of(hook)

    slack_api.clear()
    click(slack, found["handover.holder"], user_id=HEAD)
    (opened,) = slack_api.wait_for("views.open")
    assert opened.json_param("view")["callback_id"] == "action_prompt"
    answer = submit_view(slack, opened, {"holder": {"holder": {"value": "suzuki"}}}, user_id=HEAD)
    assert answer.status == 200
    with committed_factory() as s:
        handover = s.get(Handover, handover_id)
        assert handover.new_holder.handle == "suzuki"
        step = s.scalar(sa.select(AuditEvent).where(AuditEvent.action == "handover.step_done"))
        assert step.actor == "yamada" and step.data["step"] == "holder"

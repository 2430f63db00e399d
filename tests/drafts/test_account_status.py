"""Drafts on accounts that are not in operation: nothing is approved or published.

A draft written while its account was confirmed must not be approved or published after
the account was suspended (休止) or closed (閉鎖) through the account registry; the
refusal says which, in the registry's own words (bot.directory.models.ACCOUNT_STATUS_LABELS).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.accounts import service as accounts
from bot.directory.models import Account
from bot.drafts import service as drafts
from bot.drafts.models import Decision
from bot.errors import ValidationFailed
from tests.drafts.test_drafts import count, submit
from tests.people import who


def _suspend(session, clock):
    accounts.suspend_account(
        session,
        actor=who(session, "yamada"),
        code="kanko-x",
        reason="運用体制の見直し",
        clock=clock,
    )


def _close(session, clock):
    accounts.close_account(
        session, actor=who(session, "yamada"), code="kanko-x", reason="事業終了", clock=clock
    )


def test_a_draft_is_not_approved_while_its_account_is_suspended(session, demo, clock):
    draft = submit(session, demo, clock).draft
    _suspend(session, clock)
    with pytest.raises(ValidationFailed) as err:
        drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)
    assert (
        "休止中" in err.value.message
        and f"下書き #{draft.id} を承認できません" in err.value.message
    )
    assert "/account resume kanko-x" in err.value.message
    session.refresh(draft)
    assert draft.state == "pending_approval" and count(session, Decision) == 0

    accounts.resume_account(session, actor=who(session, "yamada"), code="kanko-x", clock=clock)
    drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)
    session.refresh(draft)
    assert draft.state == "approved"


def test_an_approved_draft_is_not_published_on_a_closed_account(session, demo, clock):
    draft = submit(session, demo, clock).draft
    drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="approve", clock=clock)
    _close(session, clock)
    with pytest.raises(ValidationFailed) as err:
        drafts.mark_published(
            session,
            actor=demo.sato,
            draft_id=draft.id,
            url="https://x.com/midori_kanko_demo/status/1",
            clock=clock,
        )
    assert err.value.message.startswith("このアカウントは閉鎖されています")
    assert "掲載済みとして登録できません" in err.value.message
    session.refresh(draft)
    assert draft.state == "approved" and draft.published_url is None


@pytest.mark.parametrize("change", [_suspend, _close])
def test_an_exempt_draft_is_not_published_or_reported_as_published(session, demo, clock, change):
    draft = submit(session, demo, clock, exemption="イ").draft
    change(session, clock)
    with pytest.raises(ValidationFailed):
        drafts.mark_published(
            session,
            actor=demo.sato,
            draft_id=draft.id,
            url="https://x.com/midori_kanko_demo/status/2",
            clock=clock,
        )
    with pytest.raises(ValidationFailed) as err:
        drafts.file_report(
            session,
            actor=demo.sato,
            draft_id=draft.id,
            url="https://x.com/midori_kanko_demo/status/2",
            clock=clock,
        )
    assert "事後報告" in err.value.message
    session.refresh(draft)
    assert draft.state == "exempt" and draft.published_url is None


def test_a_post_published_before_the_suspension_still_gets_its_report(session, demo, clock):
    draft = submit(session, demo, clock, exemption="イ").draft
    drafts.mark_published(
        session,
        actor=demo.sato,
        draft_id=draft.id,
        url="https://x.com/midori_kanko_demo/status/3",
        clock=clock,
    )
    _suspend(session, clock)
    drafts.file_report(session, actor=demo.sato, draft_id=draft.id, note="掲載済み", clock=clock)
    session.refresh(draft)
    assert draft.state == "reported"


@pytest.mark.parametrize(
    ("status", "words", "not_words"),
    [
        (
            "registered",
            "広報課長の確認（4(2)）を受けていないため（現在: 登録済み（開設届未提出））",
            "休止",
        ),
        ("submitted", "（現在: 開設届提出中（広報課長の確認待ち））", "閉鎖"),
        ("returned", "（現在: 差し戻し）", "休止"),
        (
            "suspended",
            "公式アカウント「みどり市観光課（公式）」は休止中のため、下書きを登録できません",
            "4(2)",
        ),
        ("closed", "このアカウントは閉鎖されています", "4(2)"),
    ],
)
def test_submit_refusal_names_the_status(session, demo, clock, status, words, not_words):
    session.execute(sa.update(Account).where(Account.code == "kanko-x").values(status=status))
    session.expire_all()
    with pytest.raises(ValidationFailed) as err:
        submit(session, demo, clock)
    assert words in err.value.message
    assert not_words not in err.value.message

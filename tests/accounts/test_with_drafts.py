"""The registry as the draft workflow sees it: only confirmed accounts take drafts, and the
exempt path (4(3) ただし書) opens only where a rule was registered through the registry."""

from __future__ import annotations

import pytest

from bot.accounts import service
from bot.directory.models import Person
from bot.drafts import service as drafts
from bot.errors import ValidationFailed
from tests.accounts.helpers import form
from tests.people import who

TEXT = "本日の夏祭りは予定どおり開催しました。ご来場ありがとうございました。"


def _author(session):
    from sqlalchemy import select

    return session.scalar(select(Person).where(Person.handle == "sato"))


def _submit(session, clock, **kw):
    return drafts.submit(
        session, author=_author(session), account_code="kankou-x", text=TEXT, clock=clock, **kw
    )


@pytest.fixture
def confirmed(session, org, clock):
    account = service.register_account(
        session, actor=who(session, "sato"), values=form(), clock=clock
    )
    service.submit_registration(session, actor=who(session, "sato"), code="kankou-x", clock=clock)
    service.confirm_registration(
        session, actor=who(session, "hirose"), code="kankou-x", clock=clock
    )
    return account


def test_drafts_wait_for_the_pr_head(session, org, clock):
    service.register_account(session, actor=who(session, "sato"), values=form(), clock=clock)
    with pytest.raises(ValidationFailed, match="広報課長の確認（4\\(2\\)）を受けていない"):
        _submit(session, clock)
    service.submit_registration(session, actor=who(session, "sato"), code="kankou-x", clock=clock)
    with pytest.raises(ValidationFailed, match="開設届提出中（広報課長の確認待ち）"):
        _submit(session, clock)
    service.confirm_registration(
        session, actor=who(session, "hirose"), code="kankou-x", clock=clock
    )
    assert _submit(session, clock).draft.id


@pytest.mark.parametrize(
    ("verb", "words"),
    [("close", "このアカウントは閉鎖されています"), ("suspend", "休止中のため")],
)
def test_closed_or_suspended_account_refuses_drafts_clearly(session, confirmed, clock, verb, words):
    getattr(service, f"{verb}_account")(
        session, actor=who(session, "sato"), code="kankou-x", reason="事業終了", clock=clock
    )
    with pytest.raises(ValidationFailed) as exc:
        _submit(session, clock)
    assert "公式アカウント「松本市観光課」" in exc.value.message
    assert words in exc.value.message
    assert "4(2)" not in exc.value.message  # it was confirmed; that is not the reason
    assert "下書きを登録できません" in exc.value.message


def test_exempt_path_follows_the_registered_rules(session, confirmed, clock):
    with pytest.raises(
        ValidationFailed, match="4\\(3\\)イ の掲載ルールが事前に取り決められていない"
    ):
        _submit(session, clock, exemption="イ")
    service.register_rule(
        session,
        actor=who(session, "yamada"),
        code="kankou-x",
        category="イ",
        rule_text="大会結果は速報可",
        clock=clock,
    )
    result = _submit(session, clock, exemption="イ")
    assert result.draft.exemption == "イ"
    service.revoke_rule(
        session, actor=who(session, "yamada"), code="kankou-x", category="イ", clock=clock
    )
    with pytest.raises(ValidationFailed, match="掲載ルールが事前に取り決められていない"):
        _submit(session, clock, exemption="イ")

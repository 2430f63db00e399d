"""The /draft and /edit grammar (bot.drafts.commands), shared by the console and Teams."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import JST
from bot.drafts.commands import parse_draft, parse_edit
from bot.errors import ValidationFailed


def test_draft_options_then_the_body_exactly_as_written():
    draft = parse_draft(
        "account=kanko-x planned=2026-12-01T10:00 photo=identifiable consent=yes "
        "菊まつり　を開催します。\n  二行目 "
    )
    assert draft.account == "kanko-x"
    assert draft.planned_at == datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    assert (draft.photo_people, draft.photo_consent) == ("identifiable", True)
    assert draft.text == "菊まつり　を開催します。\n  二行目 "


def test_draft_without_account_leaves_the_choice_to_the_core():
    assert parse_draft("本文だけ").account is None


def test_a_mistyped_option_is_refused_in_japanese():
    with pytest.raises(ValidationFailed, match="「acount=」という指定はありません"):
        parse_draft("acount=kanko-x 本文")


@pytest.mark.parametrize(
    "args",
    ["12 exempt=イ 修正後の本文", "#12\nexempt=イ 修正後の本文", "  １２ exempt=イ 修正後の本文"],
)
def test_edit_takes_the_number_then_only_the_options_given(args):
    revision = parse_edit(args)
    assert revision.draft_id == 12
    assert dict(revision.changes) == {"exemption": "イ"}
    assert revision.text == "修正後の本文"


def test_edit_refuses_account_because_a_draft_keeps_its_account():
    with pytest.raises(ValidationFailed):
        parse_edit("12 account=other 本文")

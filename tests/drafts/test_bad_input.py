"""Bad input gets a clear Japanese message and stores nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.audit.models import AuditEvent
from bot.directory import service as directory
from bot.drafts import service as drafts
from bot.drafts.checking import MAX_TEXT_CHARS
from bot.drafts.models import Draft
from bot.errors import NotFound, ValidationFailed
from bot.notify.models import OutboxMessage


def _nothing_stored(session, audit_before):
    assert session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == audit_before


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "本文が空です"),
        ("   \n\t　", "本文が空です"),
        ("\u200b\u200b", "本文が空です"),
        ("あ" * (MAX_TEXT_CHARS + 1), "20,000文字以内"),
        ("お知らせ\u200bです", "5文字目に見えない文字（ゼロ幅スペース U+200B）"),
        ("お知らせ\u202eです", "書字方向の制御文字 U+202E"),
        ("お知らせ\u200fです", "右から左への書字方向マーク"),
        ("お知らせ\x07です", "制御文字 U+0007"),
    ],
)
def test_refused_text(session, demo, clock, text, words):
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    with pytest.raises(ValidationFailed) as err:
        drafts.submit(session, author=demo.sato, account_code="kanko-x", text=text, clock=clock)
    assert words in err.value.message
    _nothing_stored(session, before)


@pytest.mark.parametrize(
    "text",
    [
        "桜まつり開催🌸🎉 家族連れ👨\u200d👩\u200d👧 も歓迎です",
        "ｻｸﾗﾏﾂﾘ ｶｲｻｲ ｼﾏｽ",
        "あ" * MAX_TEXT_CHARS,
        "改行\nを含む\r\n本文\tです",
    ],
)
def test_accepted_odd_but_legitimate_text(session, demo, clock, text):
    result = drafts.submit(
        session, author=demo.sato, account_code="kanko-x", text=text, clock=clock
    )
    assert result.version.text == text  # stored exactly as written: offsets stay valid


def test_unknown_draft_and_person(session, demo, clock):
    with pytest.raises(NotFound) as err:
        drafts.decide(session, decider=demo.yamada, draft_id=999, kind="approve", clock=clock)
    assert "#999" in err.value.message
    with pytest.raises(NotFound) as err:
        directory.get_person(session, handle="ghost")
    assert "名簿に登録されていません" in err.value.message


def test_bad_decision_kind_and_overlong_reason(session, demo, clock):
    draft = drafts.submit(
        session, author=demo.sato, account_code="kanko-x", text="お知らせ", clock=clock
    ).draft
    with pytest.raises(ValidationFailed):
        drafts.decide(session, decider=demo.yamada, draft_id=draft.id, kind="maybe", clock=clock)
    with pytest.raises(ValidationFailed) as err:
        drafts.decide(
            session,
            decider=demo.yamada,
            draft_id=draft.id,
            kind="reject",
            reason="x" * 5000,
            clock=clock,
        )
    assert "2,000文字以内" in err.value.message

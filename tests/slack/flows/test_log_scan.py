"""No draft text, finding excerpt, person's name, token or secret in any log line.

Whole scenarios run over HTTP against the real app on the real core with every logger at
DEBUG (Bolt's and slack_sdk's included) and the scrubber installed as the entry points
install it (``bot.logsafe``, autouse in tests/conftest.py). Afterwards every captured line,
formatted as a handler writes it (with any exception text), is searched for the marker
placed in the draft texts, the finding excerpts, the directory's names and the secrets.
"""

from __future__ import annotations

import logging
import time

import pytest
import sqlalchemy as sa
from slack_bolt import Ack, App

from bot.directory.models import Person
from tests.slack import hostile, signing
from tests.slack.conftest import BOT_TOKEN
from tests.slack.flows.conftest import SLACK_IDS, buttons, click, draft_values, submit_view
from tests.slack.flows.test_hostile_requests import drain, send
from tests.slack.harness import SlackSimulator
from tests.slack.mock_web_api_server import MockSlackWebApi

MARKER = "秘匿マーカーQX7Z"
PHONE = "090-8765-4321"
DRAFT = f"{MARKER}：本日の窓口は担当 佐藤（携帯 {PHONE}）までお問い合わせください。"
CLEAN = f"{MARKER}：本日から市民課の窓口時間を19時まで延長します。"
AUTHOR, HEAD = SLACK_IDS["sato"], SLACK_IDS["yamada"]


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every captured record as a handler writes it (message and any exception text)."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(record) for record in caplog.records]


def leaks(caplog: pytest.LogCaptureFixture, forbidden: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in lines(caplog):
        for word in forbidden:
            if word in line:
                found[word] = found.get(word, 0) + 1
    return found


@pytest.fixture
def names(committed_factory, city) -> list[str]:
    """The directory's names (family and given names of the demo city's people)."""
    with committed_factory() as session:
        people = session.scalars(sa.select(Person)).all()
        found = {p.name for p in people}
    parts = {part for n in found for part in n.split() if len(part) >= 2}
    return sorted(found | parts)


def test_whole_scenarios_log_no_draft_text_names_or_secrets(
    bolt_app: App,
    slack: SlackSimulator,
    slack_api: MockSlackWebApi,
    core,
    signing_secret: str,
    names: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for noisy in ("slack_sdk", "slack_bolt", "handlers.slack.bolt", "urllib3", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.DEBUG)

    # 1. A draft with a finding (the form shows 7(1)エ and keeps the text) and a clean draft
    #    that goes to approval, is approved, and notifies the author.
    assert slack.command("/draft", DRAFT, user_id=AUTHOR).status == 200
    opened = slack_api.wait_for("views.open")[-1]
    blocked = submit_view(slack, opened, draft_values(DRAFT), user_id=AUTHOR)
    assert blocked.status == 200 and PHONE in blocked.text  # the user sees the finding
    submit_view(slack, opened, draft_values(CLEAN), user_id=AUTHOR)
    request = None
    deadline = time.monotonic() + 10
    while request is None:
        assert time.monotonic() < deadline, "no approval request"
        for call in slack_api.calls_to("chat.postMessage"):
            if call.params.get("channel") == HEAD and buttons(call):
                request = call
        time.sleep(0.02)
    click(slack, buttons(request)["draft.approve"], user_id=HEAD)
    slack_api.wait_for("chat.update", 2)
    core.courier.wait_idle()

    # 2. The same submission arriving late (stale), and signed with a rotated-out secret.
    stale = signing.view_submission_payload("draft_submit", draft_values(DRAFT))
    body = signing.interaction_body(stale)
    assert slack.post(body, signing.FORM, timestamp=int(time.time()) - 600).status == 401
    old = signing.Signer(hostile.OTHER_SECRET).headers(body, signing.FORM)
    assert send(slack, hostile.Hostile("rotated", body.encode(), old)).status == 401

    # 3. A listener that fails with the draft text in its exception message.
    @bolt_app.command("/boom")
    def boom(ack: Ack, command: dict) -> None:
        raise ValueError(f"cannot handle {command['text']} for {BOT_TOKEN}")

    assert slack.command("/boom", DRAFT, user_id=AUTHOR).status == 200

    # 4. The fuzz corpus, with the marker and a name inside every body, signed and unsigned.
    for name, raw, content_type, _user in hostile.malformed_bodies(slack_api.response_url("f")):
        marked = raw.replace(b"draft:1:v1", f"{MARKER}佐藤".encode()).replace(
            "確認".encode(), MARKER.encode()
        )
        send(slack, hostile.signed(marked, content_type, signing_secret))
        send(slack, hostile.Hostile(name, marked, {"Content-Type": content_type or "x/y"}))
    drain(bolt_app)
    core.courier.wait_idle()

    # 5. Bolt's own signature-failure line (it quotes the raw body at INFO) and an own
    #    logger.exception whose exception quotes the text.
    logging.getLogger("handlers.slack.bolt").info(
        f"Invalid request signature detected (signature: v0=abc, timestamp: 1, body: {body})"
    )
    try:
        raise RuntimeError(f"could not store {DRAFT}")
    except RuntimeError:
        logging.getLogger("bot.notify.service").exception("outbox delivery %s failed", 7)

    forbidden = [MARKER, PHONE, BOT_TOKEN, signing_secret, *names]
    assert len(lines(caplog)) > 200  # the scenarios did log (at DEBUG), and were scanned
    assert leaks(caplog, forbidden) == {}
    assert all("Traceback" not in line for line in lines(caplog))


def test_the_scrubber_keeps_what_an_operator_needs() -> None:
    from bot import logsafe

    def record(name: str, msg: str, *args: object, exc: BaseException | None = None):
        exc_info = (type(exc), exc, exc.__traceback__) if exc else None
        made = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, exc_info)
        return logsafe.scrub(made).getMessage()

    assert record("slack_bolt.App", f"Unhandled request ({{'text': '{MARKER}'}})") == (
        "Unhandled request […]"
    )
    assert record("handlers.slack.http", "refused reason=%s id=%s", "x", "Ev1\nFAKE") == (
        "refused reason=x id=Ev1\\nFAKE"
    )
    try:
        raise ValueError(MARKER)
    except ValueError as error:
        line = record("bot.x", "failed %s", 3, exc=error)
    assert line.startswith("failed 3 exc=ValueError at=test_log_scan.py:") and MARKER not in line
    assert record("bot.x", "token %s", BOT_TOKEN) == "token [redacted]"
    assert "pw" not in record("bot.x", "db %s", "postgresql://app:pw1234@db/x")
    assert "abcdef" not in record("bot.x", "%s", "https://hooks.slack.com/actions/T1/2/abcdef")

"""Deduper and the keys it is fed."""

from __future__ import annotations

import threading

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from handlers.slack.dedupe import (
    Deduper,
    InMemoryDeduper,
    event_key,
    retry_num,
    view_submission_key,
)
from tests.slack.harness import drain
from tests.slack.mock_web_api_server import MockSlackWebApi
from tests.slack.signing import event_envelope, view_submission_payload


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_in_memory_deduper_is_a_deduper() -> None:
    assert isinstance(InMemoryDeduper(), Deduper)


def test_claim_once_then_refuse_until_released() -> None:
    d = InMemoryDeduper()
    assert d.claim("k") is True
    assert d.claim("k") is False
    d.release("k")
    assert d.claim("k") is True
    d.release("never-claimed")  # harmless


def test_keys_expire_after_ttl() -> None:
    clock = Clock()
    d = InMemoryDeduper(ttl_seconds=60, clock=clock)
    assert d.claim("a")
    clock.now += 59
    assert not d.claim("a")
    clock.now += 2
    assert d.claim("a")


def test_size_bound_evicts_oldest() -> None:
    d = InMemoryDeduper(max_keys=3)
    for key in "abcd":
        assert d.claim(key)
    assert len(d) == 3
    assert d.claim("a")  # the oldest was evicted


def test_concurrent_claims_have_exactly_one_winner() -> None:
    d = InMemoryDeduper()
    barrier = threading.Barrier(16)
    wins: list[bool] = []

    def worker() -> None:
        barrier.wait()
        wins.append(d.claim("same"))

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1


def test_event_key_only_for_event_callbacks() -> None:
    envelope = event_envelope({"type": "app_mention"}, event_id="Ev123")
    assert event_key(envelope) == "event:T0CITY0001:Ev123"
    assert event_key({"type": "url_verification"}) is None
    assert event_key({"command": "/check"}) is None
    assert event_key({"type": "event_callback"}) is None


def test_view_submission_key_tracks_id_hash_and_values() -> None:
    base = view_submission_payload("draft_submit", {"text": {"text": {"value": "A"}}})
    same = view_submission_payload("draft_submit", {"text": {"text": {"value": "A"}}})
    edited = view_submission_payload("draft_submit", {"text": {"text": {"value": "B"}}})
    other_hash = view_submission_payload(
        "draft_submit", {"text": {"text": {"value": "A"}}}, hash="1700000001.ffff"
    )
    key = view_submission_key(base)
    assert key.startswith("view:V0DRAFT001:1700000000.a1b2c3d4:")
    assert view_submission_key(same) == key
    assert view_submission_key(edited) != key
    assert view_submission_key(other_hash) != key


def test_retry_num_header() -> None:
    assert retry_num(BoltRequest(body="", headers={"x-slack-retry-num": "2"})) == 2
    assert retry_num(BoltRequest(body="")) == 0
    assert retry_num(BoltRequest(body="", headers={"x-slack-retry-num": "x"})) == 0


def test_socket_mode_retries_are_deduplicated_too(make_app, slack_api: MockSlackWebApi) -> None:
    """Socket Mode carries the retry number in the envelope; Bolt maps it to the same header."""
    app: App = make_app()

    @app.event("app_mention")
    def echo(event: dict, client: WebClient) -> None:
        client.chat_postMessage(channel=event["channel"], text="ok")

    envelope = event_envelope(
        {
            "type": "app_mention",
            "user": "U0STAFF001",
            "text": "hi",
            "channel": "C1",
            "ts": "1.1",
            "event_ts": "1.1",
        },
        event_id="Ev0SOCKET001",
    )
    first = app.dispatch(BoltRequest(mode="socket_mode", body=envelope))
    retry = app.dispatch(
        BoltRequest(mode="socket_mode", body=envelope, headers={"x-slack-retry-num": "1"})
    )
    assert first.status == 200 and retry.status == 200
    drain(app)
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_shared_deduper_spans_app_instances(make_app, slack_api: MockSlackWebApi) -> None:
    """Two processes sharing one (DB-backed) deduper: a retry landing on the other is dropped."""
    shared = InMemoryDeduper()
    apps = [make_app(deduper=shared), make_app(deduper=shared)]
    for app in apps:

        @app.event("app_mention")
        def echo(event: dict, client: WebClient) -> None:
            client.chat_postMessage(channel=event["channel"], text="ok")

    envelope = event_envelope(
        {
            "type": "app_mention",
            "user": "U0STAFF001",
            "text": "hi",
            "channel": "C1",
            "ts": "1.1",
            "event_ts": "1.1",
        },
        event_id="Ev0SHARED001",
    )
    apps[0].dispatch(BoltRequest(mode="socket_mode", body=envelope))
    apps[1].dispatch(
        BoltRequest(mode="socket_mode", body=envelope, headers={"x-slack-retry-num": "1"})
    )
    for app in apps:
        drain(app)
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_claimed_releases_on_exception() -> None:
    import pytest

    from handlers.slack.dedupe import claimed

    d = InMemoryDeduper()
    with pytest.raises(RuntimeError), claimed(d, "k") as first:
        assert first
        raise RuntimeError("db down")
    with claimed(d, "k") as first:
        assert first  # the failed attempt did not consume the key
    with claimed(d, "k") as first:
        assert not first


def test_a_long_or_odd_event_id_still_gives_a_key_the_database_accepts() -> None:
    from bot.dedupe import KEY_MAX
    from handlers.slack.dedupe import event_key

    for event_id in ("E" * 250, "Ev1\nforged", "Ev 1"):
        key = event_key({"type": "event_callback", "team_id": "T1", "event_id": event_id})
        assert key is not None and len(key) <= KEY_MAX and "\n" not in key
    plain = event_key({"type": "event_callback", "team_id": "T1", "event_id": "Ev123"})
    assert plain == "event:T1:Ev123"  # ordinary ids stay readable

"""The app manifest stays consistent with the code and within Slack's manifest limits."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import handlers.slack
from handlers.slack.render import COMMAND_GUIDE

MANIFEST = Path(handlers.slack.__file__).parent / "manifest.yaml"


def load() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_commands_match_the_home_tab_guide() -> None:
    commands = [c["command"] for c in load()["features"]["slash_commands"]]
    assert commands == [command for command, _ in COMMAND_GUIDE]
    assert commands == ["/draft", "/check", "/incident", "/account", "/custody"]


def test_manifest_limits() -> None:
    manifest = load()
    info = manifest["display_information"]
    assert len(info["name"]) <= 35
    assert len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"[a-z0-9._-]{1,80}", manifest["features"]["bot_user"]["display_name"])
    for command in manifest["features"]["slash_commands"]:
        assert len(command["description"]) <= 2000
        assert len(command["usage_hint"]) <= 1000
        assert re.search(r"[ぁ-んァ-ン一-龥]", command["description"])  # written for staff


def test_scopes_are_the_minimum_documented_set() -> None:
    scopes = set(load()["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "users:read.email",
        "channels:read",
        "groups:read",
    }


def test_socket_mode_default_with_interactivity_and_home() -> None:
    manifest = load()
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_http_mode_edit_produces_a_complete_manifest() -> None:
    """Following the header comment (uncomment the URLs) yields the HTTP-mode manifest."""
    text = MANIFEST.read_text(encoding="utf-8")
    text = re.sub(r"# (request_url|url): ", r"\1: ", text)
    text = text.replace("socket_mode_enabled: true", "socket_mode_enabled: false")
    manifest = yaml.safe_load(text)
    url = "https://slack-bot.example.lg.jp/slack/events"
    assert all(c["url"] == url for c in manifest["features"]["slash_commands"])
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url

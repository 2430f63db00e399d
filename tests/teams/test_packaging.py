"""The app package: three files, ids and domains from the environment, schema rules."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from handlers.teams.packaging import (
    PACKAGE_DIR,
    ManifestError,
    build_manifest,
    build_package,
    png_size,
)
from handlers.teams.settings import TeamsSettings
from tests.wording import RECORDER

BOT_ID = "11111111-2222-3333-4444-555555555555"
APP_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ROOT = Path(__file__).resolve().parents[2]


def _settings(**env: str) -> TeamsSettings:
    return TeamsSettings(**{"CLIENT_ID": BOT_ID, **env})


def test_zip_has_manifest_and_icons_with_the_bot_id(tmp_path: Path) -> None:
    out = build_package(_settings(TEAMS_VALID_DOMAINS="bot.city.example.jp"), tmp_path / "a.zip")

    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert png_size(archive.read("color.png")) == (192, 192)
        assert png_size(archive.read("outline.png")) == (32, 32)
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert manifest["id"] == BOT_ID  # TEAMS_APP_ID defaults to the bot id
    assert manifest["validDomains"] == ["bot.city.example.jp"]


def test_app_id_version_domains_and_command_suggestions() -> None:
    manifest = build_manifest(
        _settings(
            TEAMS_APP_ID=APP_ID, TEAMS_APP_VERSION="1.4.2", BOT_DOMAIN="a.example.jp b.example.jp"
        )
    )

    assert manifest["id"] == APP_ID and manifest["version"] == "1.4.2"
    assert manifest["validDomains"] == ["a.example.jp", "b.example.jp"]
    lists = manifest["bots"][0]["commandLists"]
    assert [cl["scopes"] for cl in lists] == [["personal"], ["team", "groupChat"]]
    titles = [c["title"] for c in lists[0]["commands"]]
    assert titles == [
        "/draft",
        "/check",
        "/incident",
        "/account",
        "/custody",
        "/drafts",
        "/inbox",
        "/edit",
        "help",
    ]
    assert manifest["manifestVersion"] == "1.22"


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"CLIENT_ID": ""}, "botId は GUID にしてください"),
        ({"CLIENT_ID": "not-a-guid"}, "botId は GUID にしてください"),
        ({"TEAMS_APP_VERSION": "1.0"}, "version は n.n.n の形にしてください"),
        ({"TEAMS_VALID_DOMAINS": "https://bot.example.jp/api"}, "ホスト名だけを書いてください"),
    ],
)
def test_invalid_settings_are_refused(env: dict[str, str], problem: str) -> None:
    with pytest.raises(ManifestError) as caught:
        build_manifest(_settings(**env))

    assert any(problem in p for p in caught.value.problems)


def test_committed_icons_have_the_sizes_teams_requires() -> None:
    assert png_size((PACKAGE_DIR / "color.png").read_bytes()) == (192, 192)
    outline = (PACKAGE_DIR / "outline.png").read_bytes()
    assert png_size(outline) == (32, 32)


def test_package_command_line(tmp_path: Path) -> None:
    out = tmp_path / "build" / "teams-app.zip"
    env = {"CLIENT_ID": BOT_ID, "TEAMS_VALID_DOMAINS": "bot.city.example.jp", "PATH": ""}

    done = subprocess.run(
        [sys.executable, "-m", "handlers.teams", "package", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert out.exists()
    bad = subprocess.run(
        [sys.executable, "-m", "handlers.teams", "package", "--out", str(out)],
        cwd=ROOT,
        env={"PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    RECORDER.saw_cli(bad.stdout, bad.stderr)  # what the administrator reads, checked too
    assert bad.returncode == 1 and "botId は GUID にしてください" in bad.stderr

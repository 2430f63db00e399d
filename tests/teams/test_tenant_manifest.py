"""One Teams app manifest per tenant (issue 15): the tenant's guideline words, its own ids.

``python -m handlers.teams manifest --tenant T`` (and ``package --tenant T``) builds the
manifest of tenant T: names, descriptions, developer name and command descriptions from
T's guideline in force, bot id, app id, version, domains and URLs from T's entry in
``TEAMS_APPS_FILE``; validated against the fields the manifest schema requires.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot import cli
from bot.config import get_settings
from bot.guideline import terms as guideline_terms
from bot.guideline.loader import DATA_DIR, DEFAULT_FILE, load_file
from handlers.teams import __main__ as teams_main
from handlers.teams.packaging import ManifestError, build_manifest, validate_manifest
from handlers.teams.settings import TeamsSettings

ROOT = Path(__file__).resolve().parents[2]
TOWN_FILE = DATA_DIR / "sakura-town-2.1.yaml"
BOT_ID = "11111111-2222-3333-4444-555555555555"
TOWN_BOT = "22222222-3333-4444-5555-666666666666"
TOWN_APP = "bbbbbbbb-cccc-dddd-eeee-ffffffffffff"
CITY_APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

SEED_WORDS = ("所属長", "情報政策課", "4(3)", "5(10)", "松本市", "ガイドライン（Ver1.00）")
TOWN_WORDS = ("所管課長", "総務課情報係", "3(2)", "3(5)", "さくら町", "運用指針")


def _apps(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "teams-apps.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _town_apps(tmp_path: Path) -> Path:
    return _apps(
        tmp_path,
        f"""\
minami-town:
  app_id: {TOWN_APP}
  bot_id: {TOWN_BOT}
  version: 2.0.1
  valid_domains: [bot.town.example.jp]
  website_url: https://www.town.example.jp/
  privacy_url: https://www.town.example.jp/privacy/
  terms_of_use_url: https://www.town.example.jp/terms/
default:
  app_id: {CITY_APP}
""",
    )


@pytest.mark.parametrize("file", [DEFAULT_FILE, TOWN_FILE], ids=["seed", "town"])
def test_the_manifest_speaks_the_tenants_guideline(file: Path) -> None:
    manifest = build_manifest(
        TeamsSettings(CLIENT_ID=BOT_ID), terms=guideline_terms.of(load_file(file))
    )
    text = json.dumps(manifest, ensure_ascii=False)

    town = file == TOWN_FILE
    own, foreign = (TOWN_WORDS, SEED_WORDS) if town else (SEED_WORDS, TOWN_WORDS)
    assert [w for w in own if w not in text] == []
    assert [w for w in foreign if w in text] == []
    assert manifest["developer"]["name"] == (
        "さくら町総務課情報係" if town else "松本市総務部情報政策課"
    )
    assert manifest["name"] == (
        {"short": "SNS運用指針Bot", "full": "さくら町ソーシャルメディア運用指針 支援ボット"}
        if town
        else {
            "short": "SNSガイドラインBot",
            "full": "松本市ソーシャルメディアの利用に関するガイドライン 支援ボット",
        }
    )
    approver = "所管課長" if town else "所属長"
    assert manifest["description"]["short"] == (
        f"SNS投稿前の内容チェック、{approver}の決裁、炎上・なりすまし・訂正の対応を支援します。"
    )
    commands = {
        c["title"]: c["description"] for c in manifest["bots"][0]["commandLists"][0]["commands"]
    }
    assert commands["/draft"] == f"投稿案を作成して決裁へ（{'3(2)' if town else '4(3)'}）"
    assert commands["/check"] == f"投稿前の内容チェック（{'5' if town else '7'}）"
    assert (
        commands["/custody"] == f"認証情報の管理状況と異動の引継ぎ（{'3(5)' if town else '5(10)'}）"
    )
    assert re.findall(r"\{+[A-Za-z_+]+\}+", text) == []  # every template word filled


def test_each_tenant_has_its_own_ids_from_the_apps_file(tmp_path: Path) -> None:
    settings = TeamsSettings(
        CLIENT_ID=BOT_ID, TEAMS_APPS_FILE=str(_town_apps(tmp_path)), BOT_DOMAIN="bot.example.jp"
    )

    town = build_manifest(
        settings, terms=guideline_terms.of(load_file(TOWN_FILE)), tenant="minami-town"
    )
    city = build_manifest(settings)

    assert (town["id"], town["bots"][0]["botId"], town["version"]) == (TOWN_APP, TOWN_BOT, "2.0.1")
    assert town["validDomains"] == ["bot.town.example.jp"]
    assert town["developer"]["websiteUrl"] == "https://www.town.example.jp/"
    assert town["developer"]["name"] == "さくら町総務課情報係"
    # the default tenant's entry: its app id, the deployment's bot id, version and domains
    assert (city["id"], city["bots"][0]["botId"], city["version"]) == (CITY_APP, BOT_ID, "1.0.0")
    assert city["validDomains"] == ["bot.example.jp"]
    assert city["developer"]["websiteUrl"] == "https://www.city.example.jp/"


@pytest.mark.parametrize(
    ("apps", "tenant", "problem"),
    [
        (None, "minami-town", "テナント「minami-town」の Teams アプリの設定がありません"),
        ("other-town:\n  app_id: " + TOWN_APP + "\n", "minami-town", "の設定がありません"),
        (
            f"minami-town:\n  app_id: {TOWN_APP}\nother-town:\n  app_id: {TOWN_APP.upper()}\n",
            "minami-town",
            "other-town.app_id: テナント「minami-town」と同じ Teams アプリの id です",
        ),
        (f"minami-town:\n  app_id: {BOT_ID}\n", "minami-town", "既定のテナントのアプリ"),
        ("minami-town:\n  app_id: not-a-guid\n", "minami-town", "id は GUID にしてください"),
        (
            f"minami-town:\n  bot_id: {TOWN_BOT}\n",
            "minami-town",
            "minami-town.app_id: 指定してください",
        ),
        (
            f"minami-town:\n  app_id: {TOWN_APP}\n  botid: x\n",
            "minami-town",
            "botid: 使えない項目です",
        ),
        ("minami-town: [", "minami-town", "YAML として読めません"),
    ],
)
def test_a_tenant_without_its_own_valid_app_is_refused(
    tmp_path: Path, apps: str | None, tenant: str, problem: str
) -> None:
    env = {"CLIENT_ID": BOT_ID}
    if apps is not None:
        env["TEAMS_APPS_FILE"] = str(_apps(tmp_path, apps))

    with pytest.raises(ManifestError) as caught:
        build_manifest(TeamsSettings(**env), tenant=tenant)

    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_the_fields_the_schema_requires_are_checked() -> None:
    manifest = build_manifest(TeamsSettings(CLIENT_ID=BOT_ID))
    del manifest["developer"]["privacyUrl"]
    del manifest["description"]["full"]
    del manifest["bots"][0]["scopes"]
    del manifest["accentColor"]

    with pytest.raises(ManifestError) as caught:
        validate_manifest(manifest)

    missing = [p for p in caught.value.problems if p.startswith("必須の項目")]
    assert missing == [
        "必須の項目 accentColor がありません",
        "必須の項目 developer.privacyUrl がありません",
        "必須の項目 description.full がありません",
        "必須の項目 bots[0].scopes がありません",
    ]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run in this process (the wording recorder checks what it prints)."""
    code = teams_main.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _manifest(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    out = tmp_path / f"manifest-{len(list(tmp_path.iterdir()))}.json"
    code, printed, err = _run(["manifest", *argv, "-o", str(out)], capsys)
    assert code == 0, err
    assert printed.strip() == str(out)
    return json.loads(out.read_text(encoding="utf-8"))


def test_manifest_and_package_commands_per_tenant(
    committed_factory, db_url, monkeypatch, capsys, tmp_path
):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CLIENT_ID", BOT_ID)
    monkeypatch.setenv("TEAMS_APPS_FILE", str(_town_apps(tmp_path)))
    get_settings.cache_clear()
    try:
        assert cli.main(["tenant", "add", "minami-town", "南町"]) == 0
        assert cli.main(["guideline", "load", str(TOWN_FILE), "--tenant", "minami-town"]) == 0
        capsys.readouterr()

        town = _manifest(["--tenant", "minami-town"], tmp_path, capsys)
        city = _manifest([], tmp_path, capsys)
        zipped = tmp_path / "town.zip"
        code, _, _ = _run(["package", "--tenant", "minami-town", "--out", str(zipped)], capsys)
        assert code == 0
        unknown = _run(["manifest", "--tenant", "nowhere"], capsys)
    finally:
        get_settings.cache_clear()

    assert town["id"] == TOWN_APP and "所管課長" in town["description"]["short"]
    assert city["id"] == CITY_APP and "所属長" in city["description"]["short"]
    with zipfile.ZipFile(zipped) as archive:
        assert json.loads(archive.read("manifest.json")) == town
    code, _, err = unknown
    assert code == 1
    assert "テナント「nowhere」は登録されていません" in err


def test_a_named_tenant_needs_a_readable_database(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "none.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    monkeypatch.setenv("CLIENT_ID", BOT_ID)
    get_settings.cache_clear()
    try:
        named = _run(["manifest", "--tenant", "minami-town"], capsys)
        default = _manifest([], tmp_path, capsys)
    finally:
        get_settings.cache_clear()

    assert named[0] == 1 and "データベース（DATABASE_URL）を読めないため" in named[2]
    assert "所属長" in default["description"]["short"]
    assert not missing.exists()


def test_manifest_goes_to_stdout_without_output(tmp_path: Path) -> None:
    env = {"PATH": "", "CLIENT_ID": BOT_ID, "DATABASE_URL": f"sqlite:///{tmp_path / 'no.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "handlers.teams", "manifest"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["bots"][0]["botId"] == BOT_ID

"""Build the Teams app package of one tenant: manifest.json + color.png + outline.png, zipped.

``python -m handlers.teams manifest --tenant T`` writes the manifest of tenant ``T`` and
``python -m handlers.teams package --tenant T --out build/teams-app-T.zip`` its zip. Each
tenant (municipality) uploads its own app to its own organisation, so the manifest is
generated per tenant:

- the names, descriptions, developer name and command descriptions come from the tenant's
  guideline in force (``bot.guideline.terms``: its name and version, issuer, approver,
  approval clause, incident types…); the template's texts are ``{word}`` templates;
- the bot id, app id, version, valid domains and developer URLs come from the tenant's
  entry in the file ``TEAMS_APPS_FILE`` names (:class:`TenantApp`); without an entry, the
  default tenant uses ``CLIENT_ID``, ``TEAMS_APP_ID`` (defaulting to the bot id),
  ``TEAMS_VALID_DOMAINS``/``BOT_DOMAIN`` and ``TEAMS_APP_VERSION``, and any other tenant is
  refused (it would otherwise share the default tenant's app id).

The result is checked against the fields the Teams manifest schema (1.22) requires and the
rules Teams enforces on upload (``validate_manifest``).
"""

from __future__ import annotations

import itertools
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline
from bot.tenancy import DEFAULT_TENANT

from .commands import COMMANDS as TEXT_COMMANDS
from .settings import TeamsSettings

PACKAGE_DIR = Path(__file__).parent / "appPackage"
TEMPLATE = PACKAGE_DIR / "manifest.template.json"
ICONS = {"color.png": 192, "outline.png": 32}

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_DOMAIN = re.compile(r"^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

# What the Teams manifest schema 1.22 marks ``required`` (the parts this app uses), by the
# object's path ("" is the manifest itself; ``[]`` each item of a list).
REQUIRED: dict[str, tuple[str, ...]] = {
    "": (
        "manifestVersion",
        "version",
        "id",
        "developer",
        "name",
        "icons",
        "description",
        "accentColor",
    ),
    "developer": ("name", "websiteUrl", "privacyUrl", "termsOfUseUrl"),
    "name": ("short",),
    "description": ("short", "full"),
    "icons": ("outline", "color"),
    "bots[]": ("botId", "scopes"),
    "bots[].commandLists[]": ("scopes", "commands"),
    "bots[].commandLists[].commands[]": ("title", "description"),
}


def commands(terms: guideline_terms.Terms) -> tuple[tuple[str, str], ...]:
    """(title the user picks, description) in the words of ``terms``' guideline. Titles are
    inserted as text, so they are what the command parser accepts; the list is the one
    ``help`` shows."""
    return tuple((title, terms.fill(desc)) for title, desc, _ in TEXT_COMMANDS)


class TenantApp(BaseModel):
    """One tenant's entry in ``TEAMS_APPS_FILE``: its Teams app's ids and URLs."""

    model_config = ConfigDict(extra="forbid")

    app_id: str  # the manifest's "id": the tenant's own Teams app
    bot_id: str | None = None  # the Entra app of the bot; default CLIENT_ID
    version: str | None = None  # default TEAMS_APP_VERSION
    valid_domains: list[str] | None = None  # default TEAMS_VALID_DOMAINS / BOT_DOMAIN
    developer_name: str | None = None  # default the guideline's issuer (issued_by)
    website_url: str | None = None  # default the template's developer URLs
    privacy_url: str | None = None
    terms_of_use_url: str | None = None


class ManifestError(ValueError):
    """The manifest would be refused by Teams; ``problems`` lists why."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


_WHY = {
    "missing": "指定してください",
    "extra_forbidden": "使えない項目です（app_id, bot_id, version, valid_domains, "
    "developer_name, website_url, privacy_url, terms_of_use_url）",
}


def load_apps(path: Path) -> dict[str, TenantApp]:
    """The tenants' Teams apps from ``TEAMS_APPS_FILE`` (YAML: tenant id → entry), checked:
    every entry well formed and no two tenants with the same app id."""
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ManifestError(
            [f"{where} を読めません（{exc.strerror or type(exc).__name__}）"]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ManifestError([f"{where}{line}: YAML として読めません"]) from None
    if not isinstance(data, dict):
        raise ManifestError(
            [f"{where}: テナントIDごとの設定（tenant: {{app_id: …}}）を書いてください"]
        )
    problems: list[str] = []
    apps: dict[str, TenantApp] = {}
    for tenant, entry in data.items():
        try:
            apps[str(tenant)] = TenantApp.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(x) for x in err["loc"])
                why = _WHY.get(err["type"], "値が正しくありません")
                problems.append(f"{where}: {tenant}{'.' + loc if loc else ''}: {why}")
    seen: dict[str, str] = {}
    for tenant, app in apps.items():
        key = app.app_id.lower()
        if key in seen:
            problems.append(
                f"{where}: {tenant}.app_id: テナント「{seen[key]}」と同じ Teams アプリの id です"
                "（テナントごとに別のアプリを登録してください）"
            )
        seen.setdefault(key, tenant)
    if problems:
        raise ManifestError(problems)
    return apps


def tenant_app(settings: TeamsSettings, tenant: str = DEFAULT_TENANT) -> TenantApp:
    """The ids, version, domains and URLs of ``tenant``'s app, from its ``TEAMS_APPS_FILE``
    entry or, for the default tenant without one, from the environment."""
    apps = load_apps(settings.teams_apps_file) if settings.teams_apps_file else {}
    found = apps.get(tenant)
    if found is None:
        if tenant != DEFAULT_TENANT:
            raise ManifestError(
                [
                    f"テナント「{tenant}」の Teams アプリの設定がありません。TEAMS_APPS_FILE の"
                    f"ファイルに {tenant}: の項目（app_id と、必要なら bot_id など）を書いてください"
                ]
            )
        found = TenantApp(app_id=settings.teams_app_id or settings.client_id or "")
    elif tenant != DEFAULT_TENANT and DEFAULT_TENANT not in apps:
        default_id = (settings.teams_app_id or settings.client_id or "").lower()
        if default_id and found.app_id.lower() == default_id:
            raise ManifestError(
                [
                    f"{settings.teams_apps_file}: {tenant}.app_id: 既定のテナントのアプリ"
                    "（TEAMS_APP_ID、省略時は CLIENT_ID）と同じ id です"
                ]
            )
    return found.model_copy(
        update={
            "bot_id": found.bot_id or settings.client_id or "",
            "version": found.version or settings.app_version,
            "valid_domains": found.valid_domains
            if found.valid_domains is not None
            else settings.valid_domains,
        }
    )


def build_manifest(
    settings: TeamsSettings,
    *,
    terms: guideline_terms.Terms | None = None,
    tenant: str = DEFAULT_TENANT,
) -> dict[str, Any]:
    """The manifest of ``tenant``'s app in the words of ``terms`` (default: the shipped
    default guideline file), validated."""
    terms = terms or guideline_terms.of(default_guideline())
    app = tenant_app(settings, tenant)
    text = (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("{{BOT_ID}}", app.bot_id or "")
        .replace("{{TEAMS_APP_ID}}", app.app_id)
        .replace("{{APP_VERSION}}", app.version or "")
    )
    manifest: dict[str, Any] = json.loads(text)
    for part in ("developer", "name", "description"):
        manifest[part] = {
            key: terms.fill(value) if isinstance(value, str) else value
            for key, value in manifest[part].items()
        }
    developer = manifest["developer"]
    for key, value in (
        ("name", app.developer_name),
        ("websiteUrl", app.website_url),
        ("privacyUrl", app.privacy_url),
        ("termsOfUseUrl", app.terms_of_use_url),
    ):
        if value is not None:
            developer[key] = value
    listed = [{"title": title, "description": desc} for title, desc in commands(terms)]
    for bot in manifest["bots"]:
        bot["commandLists"] = [
            {"scopes": ["personal"], "commands": listed},
            {"scopes": ["team", "groupChat"], "commands": listed},
        ]
    manifest["validDomains"] = list(dict.fromkeys(app.valid_domains or ()))
    validate_manifest(manifest)
    return manifest


def _missing(manifest: dict[str, Any]) -> list[str]:
    """The required fields (``REQUIRED``) the manifest lacks, by path."""
    out: list[str] = []

    def objects(path: str) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = [("", manifest)]
        for step in [p for p in path.split(".") if p]:
            key, many = step.removesuffix("[]"), step.endswith("[]")
            nxt: list[tuple[str, Any]] = []
            for where, obj in found:
                value = obj.get(key) if isinstance(obj, dict) else None
                name = f"{where}.{key}" if where else key
                if many and isinstance(value, list):
                    nxt += [(f"{name}[{i}]", item) for i, item in enumerate(value)]
                elif not many and value is not None:
                    nxt.append((name, value))
            found = nxt
        return found

    for path, keys in REQUIRED.items():
        for where, obj in objects(path):
            for key in keys:
                if not isinstance(obj, dict) or obj.get(key) in (None, ""):
                    out.append(f"{where}.{key}" if where else key)
    return out


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Check what Teams checks on upload (schema 1.22 shape); raise :class:`ManifestError`."""
    problems: list[str] = [f"必須の項目 {path} がありません" for path in _missing(manifest)]

    def need(condition: bool, problem: str) -> None:
        if not condition:
            problems.append(problem)

    need(manifest.get("manifestVersion") == "1.22", "manifestVersion は 1.22 にしてください")
    need(
        bool(_VERSION.match(str(manifest.get("version", "")))),
        "version は n.n.n の形にしてください（TEAMS_APP_VERSION、例: 1.0.0）",
    )
    need(
        bool(_GUID.match(str(manifest.get("id", "")))), "id は GUID にしてください（TEAMS_APP_ID）"
    )
    developer = manifest.get("developer", {})
    need(bool(developer.get("name")), "developer.name を指定してください")
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        need(
            str(developer.get(key, "")).startswith("https://"),
            f"developer.{key} は https:// で始まる URL にしてください",
        )
    name = manifest.get("name", {})
    need(0 < len(name.get("short", "")) <= 30, "name.short は1〜30文字にしてください")
    need(len(name.get("full", "")) <= 100, "name.full は100文字以内にしてください")
    description = manifest.get("description", {})
    need(0 < len(description.get("short", "")) <= 80, "description.short は1〜80文字にしてください")
    need(
        0 < len(description.get("full", "")) <= 4000, "description.full は1〜4000文字にしてください"
    )
    need(
        manifest.get("icons") == {"color": "color.png", "outline": "outline.png"},
        "icons は color.png と outline.png にしてください",
    )
    need(
        bool(_COLOR.match(str(manifest.get("accentColor", "")))),
        "accentColor は #RRGGBB の形にしてください",
    )
    bots = manifest.get("bots", [])
    need(len(bots) == 1, "bots にはボットを1つだけ指定してください")
    for bot in bots:
        need(
            bool(_GUID.match(str(bot.get("botId", "")))),
            "botId は GUID にしてください（CLIENT_ID）",
        )
        for command_list in bot.get("commandLists", []):
            commands = command_list.get("commands", [])
            need(0 < len(commands) <= 10, "コマンドの一覧には1〜10個のコマンドを入れてください")
            for command in commands:
                need(
                    0 < len(command.get("title", "")) <= 32,
                    f"コマンド名が長すぎます（32文字まで）: {command.get('title', '')}",
                )
                need(
                    0 < len(command.get("description", "")) <= 128,
                    "コマンドの説明が長すぎます（128文字まで）",
                )
    for domain in manifest.get("validDomains", []):
        need(
            bool(_DOMAIN.match(domain)),
            f"validDomains にはホスト名だけを書いてください（https:// やパスを付けない）: {domain}",
        )
    if problems:
        raise ManifestError(problems)


def build_package(
    settings: TeamsSettings,
    out: Path,
    *,
    terms: guideline_terms.Terms | None = None,
    tenant: str = DEFAULT_TENANT,
) -> Path:
    """Write the zip (manifest.json, color.png, outline.png at its root) and return its path."""
    manifest = build_manifest(settings, terms=terms, tenant=tenant)
    for name, size in ICONS.items():
        if not (PACKAGE_DIR / name).exists():
            write_icons(PACKAGE_DIR)
        if png_size((PACKAGE_DIR / name).read_bytes()) != (size, size):
            raise ManifestError([f"{name} は {size}×{size} ピクセルにしてください"])
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name in ICONS:
            archive.write(PACKAGE_DIR / name, arcname=name)
    return out


# --- icons (stdlib only) ---------------------------------------------------------------

RGBA = tuple[int, int, int, int]


def _png(size: int, pixel: Callable[[float, float], RGBA]) -> bytes:
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter: none
        for x in range(size):
            rows.extend(pixel((x + 0.5) / size, (y + 0.5) / size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _near_check(x: float, y: float, width: float) -> bool:
    """Is (x, y) on a check mark drawn in the unit square?"""
    points = ((0.24, 0.52), (0.43, 0.70), (0.77, 0.32))
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        if (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2 <= width * width:
            return True
    return False


def _color_pixel(x: float, y: float) -> RGBA:
    if _near_check(x, y, 0.075):
        return (255, 255, 255, 255)
    return (0x1F, 0x6F, 0xB2, 255)


def _outline_pixel(x: float, y: float) -> RGBA:
    # Teams wants the outline icon white on a transparent background.
    return (255, 255, 255, 255) if _near_check(x, y, 0.09) else (255, 255, 255, 0)


def write_icons(directory: Path) -> None:
    """(Re)generate color.png (192x192) and outline.png (32x32)."""
    (directory / "color.png").write_bytes(_png(192, _color_pixel))
    (directory / "outline.png").write_bytes(_png(32, _outline_pixel))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height

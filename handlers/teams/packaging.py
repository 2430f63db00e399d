"""Build the Teams app package: manifest.json + color.png + outline.png, zipped.

``python -m handlers.teams package --out build/teams-app.zip`` fills the bot id
(``CLIENT_ID``), the app id (``TEAMS_APP_ID``, defaulting to the bot id), the valid domains
(``TEAMS_VALID_DOMAINS`` or ``BOT_DOMAIN``) and the version (``TEAMS_APP_VERSION``), lists
the text commands as ``commandLists`` suggestions, and checks the result against the
rules of the manifest schema that Teams enforces on upload.
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

from bot.guideline import terms as guideline_terms
from bot.guideline.loader import default_guideline

from .commands import COMMANDS as TEXT_COMMANDS
from .settings import TeamsSettings

PACKAGE_DIR = Path(__file__).parent / "appPackage"
TEMPLATE = PACKAGE_DIR / "manifest.template.json"
ICONS = {"color.png": 192, "outline.png": 32}

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_DOMAIN = re.compile(r"^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

# (title the user picks, description). Titles are inserted as text, so they are what
# the command parser accepts; the list is the one ``help`` shows.
# One manifest serves every tenant of the app: it names the shipped default guideline's
# clauses (the help each tenant reads, ``help_text``, names its own).
COMMANDS: tuple[tuple[str, str], ...] = tuple(
    (title, guideline_terms.of(default_guideline()).fill(desc)) for title, desc, _ in TEXT_COMMANDS
)


class ManifestError(ValueError):
    """The manifest would be refused by Teams; ``problems`` lists why."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def build_manifest(settings: TeamsSettings) -> dict[str, Any]:
    """The manifest for these settings, validated."""
    bot_id = settings.client_id or ""
    text = (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("{{BOT_ID}}", bot_id)
        .replace("{{TEAMS_APP_ID}}", settings.teams_app_id or bot_id)
        .replace("{{APP_VERSION}}", settings.app_version)
    )
    manifest: dict[str, Any] = json.loads(text)
    commands = [{"title": title, "description": desc} for title, desc in COMMANDS]
    for bot in manifest["bots"]:
        bot["commandLists"] = [
            {"scopes": ["personal"], "commands": commands},
            {"scopes": ["team", "groupChat"], "commands": commands},
        ]
    manifest["validDomains"] = list(dict.fromkeys(settings.valid_domains))
    validate_manifest(manifest)
    return manifest


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Check what Teams checks on upload (schema 1.22 shape); raise :class:`ManifestError`."""
    problems: list[str] = []

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
                    0 < len(command["title"]) <= 32,
                    f"コマンド名が長すぎます（32文字まで）: {command['title']}",
                )
                need(
                    0 < len(command["description"]) <= 128,
                    "コマンドの説明が長すぎます（128文字まで）",
                )
    for domain in manifest.get("validDomains", []):
        need(
            bool(_DOMAIN.match(domain)),
            f"validDomains にはホスト名だけを書いてください（https:// やパスを付けない）: {domain}",
        )
    if problems:
        raise ManifestError(problems)


def build_package(settings: TeamsSettings, out: Path) -> Path:
    """Write the zip (manifest.json, color.png, outline.png at its root) and return its path."""
    manifest = build_manifest(settings)
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

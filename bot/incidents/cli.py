"""``python -m bot incident export ID --format md|json``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.db import configured_sessionmaker
from bot.errors import BotError
from bot.incidents import service
from bot.incidents.export import FORMATS, export


def _cmd_export(args: argparse.Namespace) -> int:
    factory = configured_sessionmaker()
    with factory() as session:
        try:
            incident = service.get(session, incident_id=args.id)
        except BotError as exc:
            print(exc.message, file=sys.stderr)
            return 1
        out = export(incident, args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(out)
    else:
        sys.stdout.write(out)
    return 0


def add_commands(subparsers: Any) -> None:
    """Register ``incident export``."""
    incident = subparsers.add_parser(
        "incident",
        help="事案（炎上・なりすまし・訂正、ガイドライン6）",
        description="事案（ガイドライン6）",
    ).add_subparsers(dest="incident_command", required=True, metavar="操作")
    exp = incident.add_parser("export", help="事案1件の記録と経過を書き出す")
    exp.add_argument("id", type=int, metavar="番号", help="事案の番号")
    exp.add_argument("--format", choices=FORMATS, default="md", help="形式（既定: md）")
    exp.add_argument("-o", "--output", metavar="ファイル", help="書き出し先（省くと標準出力）")
    exp.set_defaults(handler=_cmd_export)

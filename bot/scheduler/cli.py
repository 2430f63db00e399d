"""``python -m bot worker``: the reminder scheduler process (Procfile ``worker:``)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from datetime import datetime

from bot.app import Adapters, reminder_sources, worker_jobs
from bot.clock import Clock, FakeClock, SystemClock
from bot.config import get_settings
from bot.db import make_engine, make_sessionmaker, upgrade
from bot.scheduler.notifiers import NotifierUnavailable, make_notifier
from bot.scheduler.service import build_plan
from bot.scheduler.settings import SettingsError, load_settings
from bot.scheduler.worker import Worker, build_scheduler, worker_id

log = logging.getLogger(__name__)


def _parse_at(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日時は ISO 8601（例 2026-11-25T10:00+09:00）で指定してください: {value!r}"
        ) from None
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError(f"タイムゾーン付きで指定してください: {value!r}")
    return when


def _cmd_worker(args: argparse.Namespace) -> int:
    # Refuse to start on bad configuration before touching the database.
    try:
        reminder_settings = load_settings()
    except SettingsError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    settings = get_settings()
    try:
        adapters: Adapters = args.adapters
        notifier = make_notifier(settings.platform, settings, adapters.notifiers)
    except NotifierUnavailable as exc:
        print(f"ワーカーを起動できません: {exc.message}", file=sys.stderr)
        return 2
    from bot.audit import keys
    from bot.audit.settings import load_audit_settings
    from bot.errors import BotError

    try:
        audit_settings = load_audit_settings()
        signer = keys.current_signer()
        keys.current_keyring()
    except BotError as exc:
        print(f"ワーカーを起動できません: {exc.message}", file=sys.stderr)
        return 2
    if signer is None:
        print(f"注意: {keys.UNSIGNED_NOTICE}", file=sys.stderr)
    if args.at is not None and not args.once:
        print("--at は --once と一緒にだけ使えます。", file=sys.stderr)
        return 2

    upgrade(settings.database_url)
    factory = make_sessionmaker(make_engine(settings.database_url))
    clock: Clock = FakeClock(args.at) if args.at is not None else SystemClock()
    worker = Worker(
        factory=factory,
        # Built from the factory of sources, so each tenant's sweep follows its guideline.
        plan=build_plan(reminder_settings, reminder_sources),
        notifier=notifier,
        clock=clock,
        name=args.name or worker_id(),
        audit=audit_settings,
    )
    if args.once:
        stats, delivery = worker.run_once(digest=args.digest)
        held = f"・保留 {delivery.held}件（アプリ未導入のテナント）" if delivery.held else ""
        print(
            f"リマインダー: 予定 {stats.scheduled}件・送信 {stats.sent}件・取消 {stats.cancelled}件"
            f"／通知の配信 {delivery.sent}件{held}（ワーカー {worker.name}）"
        )
        return 0
    scheduler = build_scheduler(worker, worker_jobs(worker))
    log.info(
        "worker %s started (platform %s, audit key %s)",
        worker.name,
        notifier.platform,
        signer.key_id if signer else "none",
    )
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
    return 0


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``worker``."""
    worker = subparsers.add_parser(
        "worker",
        help="リマインダー・日次のまとめ・通知の配信を行う常駐処理（Procfile の worker）",
        description="リマインダー・日次のまとめ・通知の配信を行う常駐処理",
    )
    worker.add_argument("--once", action="store_true", help="確認と配信を1回だけ行って終了する")
    worker.add_argument("--digest", action="store_true", help="--once と一緒に: 今日のまとめも送る")
    worker.add_argument(
        "--at",
        type=_parse_at,
        metavar="日時",
        help="--once と一緒に: この日時として動く（再現・試験用、例: 2026-11-25T10:00+09:00）",
    )
    worker.add_argument(
        "--name",
        metavar="名前",
        help="処理の割り当てに記録するワーカー名（既定: ホスト名:プロセス番号）",
    )
    worker.set_defaults(handler=_cmd_worker, upgrade_first=False)

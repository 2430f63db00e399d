"""``python -m bot console`` (the default command): run the local console session.

``bot/__main__.py`` passes ``run`` to the command line as ``bot.app.Adapters.console``;
``bot/`` itself never imports this package.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session, sessionmaker

from bot.audit import keys
from bot.cliutil import os_error
from bot.clock import Clock, FakeClock, SystemClock
from bot.errors import BotError
from handlers.console.app import ConsoleApp, printer, seed_demo_if_empty


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    """The console for the parsed ``console`` arguments (``--script``, ``--user``, ``--now``)."""
    clock: Clock = FakeClock(args.now) if args.now else SystemClock()
    out = sys.stdout
    seeded = seed_demo_if_empty(factory, clock=clock)
    try:
        app = ConsoleApp(factory, clock=clock, user=args.user, on_output=printer(out))
        if args.user:
            app.switch_user(args.user)
    except BotError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    if args.script:
        try:
            with open(args.script, encoding="utf-8") as fh:
                app.run_lines(fh, echo=out)
        except OSError as exc:
            print(f"スクリプトを読めません: {args.script}（{os_error(exc)}）", file=sys.stderr)
            return 1
        return 0
    out.write("SNS ガイドライン運用ボット（ローカルコンソール）\n")
    if seeded:
        out.write("データベースが空だったため、デモ用の名簿（みどり市役所）を読み込みました。\n")
    if keys.current_signer() is None:
        # No key is made up for the demo: one stored beside the database would protect the
        # log from nobody who can read the database file (docs/security.md).
        out.write(
            "注意: 監査ログの署名鍵がないため、記録とチェックポイントは署名されません"
            "（末尾の削除やチェーンの再計算は検出できません）。"
            "python -m bot audit keygen で作成できます。\n"
        )
    out.write(
        f"{app.current_name()}として操作します。/as ハンドル で利用者を切り替え、/help でコマンドの一覧、"
        "/quit で終了します。\n\n"
    )
    app.repl()
    return 0

"""/account: the official-account registry (W5; 4(1), 4(2), 4(3) ただし書, 5(4), 5(5)).

Thin: the grammar and the replies live in ``bot.accounts.commands`` so that every chat
adapter shares them. ``/account new`` alone shows the form and collects it line by line.
"""

from __future__ import annotations

from bot.accounts import commands
from bot.commands import run_command
from handlers.console.router import Context, NeedsBody, Registry


def handle(ctx: Context, args: str) -> None:
    if args.strip() in ("new", "登録") and "\n" not in args:
        # The guided form: show the items, then collect "項目: 値" lines until ".".
        ctx.reply(commands.form_template(ctx.terms()))
        raise NeedsBody()
    ctx.answer(
        run_command(ctx.factory, actor=ctx.actor, command="account", text=args, clock=ctx.clock)
    )


def register(registry: Registry) -> None:
    registry.command(
        "account",
        handle,
        summary="公式アカウントの登録・{form}・掲載ルール・一覧（{policy+confirmation+approval+account_contact+publication}）",
        usage=commands.USAGE,
        aliases=("アカウント",),
    )
    registry.action("account.confirm", "/account confirm {account}")
    registry.action("account.return", "/account return {account}")

"""/as: act as another person of the directory (the console simulates every user)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.directory.models import Person
from bot.interaction import info
from handlers.console.router import Context, Registry


def handle(ctx: Context, args: str) -> None:
    handle_ = args.strip().lstrip("@")
    if not handle_:
        with ctx.factory() as session:
            people = session.scalars(
                sa.select(Person).where(Person.active.is_(True)).order_by(Person.handle)
            ).all()
            listing = "\n".join(f"  {p.name}（{p.handle}）" for p in people)
            me = next((p for p in people if p.handle == ctx.user), None)
        current = f"{me.name}（{me.handle}）" if me else ctx.user
        ctx.reply(
            info(
                f"現在の利用者: {current}",
                "切り替えるには /as ハンドル（例: /as yamada）と入力します。登録されている利用者:\n"
                + listing,
            )
        )
        return
    ctx.switch_user(handle_)
    with ctx.factory() as session:
        person = session.scalar(sa.select(Person).where(Person.handle == handle_))
        name = person.name if person else handle_
    ctx.reply(info(f"{name}（{handle_}）として操作します"))


def register(registry: Registry) -> None:
    registry.command(
        "as",
        handle,
        summary="操作する利用者を切り替える（ハンドルを省くと現在の利用者と一覧を表示）",
        usage="/as ハンドル（例: /as yamada）",
        aliases=("whoami",),
    )

"""/draft: write a post for an official account; it is checked and routed (W1, 4(3))."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.directory import service as directory
from bot.drafts import api
from bot.errors import ValidationFailed
from handlers.console.commands._args import split_options, when, yes_no
from handlers.console.router import Context, NeedsBody, Registry

OPTIONS = {"account", "planned", "exempt", "evidence", "photo", "consent", "fp"}
USAGE = (
    "/draft [account=アカウント] [planned=2026-12-01T10:00] [exempt=ア|イ|ウ|エ] "
    "[evidence=根拠URL] [photo=none|identifiable] [consent=yes|no] [fp=誤検知の理由] 本文\n"
    "　本文を省くと、続く行を本文として受け付けます（「.」だけの行で送信）。\n"
    "　例: /draft account=kanko-x planned=2026-12-01T10:00 桜まつりを開催します。"
)


def parse_photo(options: dict[str, str]) -> tuple[str, bool]:
    """photo=none|identifiable and consent=yes|no (photo=consented means both)."""
    photo = options.get("photo", "none").strip().lower()
    consent = yes_no(options["consent"], what="consent") if "consent" in options else False
    if photo in ("consented", "了解済み"):
        return "identifiable", True
    if photo in ("none", "なし", "no"):
        return "none", False
    if photo in ("identifiable", "あり", "yes"):
        return "identifiable", consent
    raise ValidationFailed(
        "photo は none（人物が特定できる写真・映像なし）か identifiable（あり）で指定してください。"
    )


def default_account(factory_session: Session, handle: str) -> str:
    """The account to use when none is given: the only one the person operates."""
    person = directory.get_person(factory_session, handle=handle)
    accounts = [
        a
        for a in directory.accounts_operated_by(factory_session, person=person)
        if a.status == "confirmed"
    ]
    if len(accounts) == 1:
        return accounts[0].code
    if not accounts:
        raise ValidationFailed(
            "あなたが担当する公式アカウントがありません（名簿の operators を確認してください）。"
        )
    codes = "、".join(a.code for a in accounts)
    raise ValidationFailed(f"どのアカウントの投稿か account= で指定してください（担当: {codes}）。")


def handle(ctx: Context, args: str) -> None:
    options, body = split_options(args, OPTIONS)
    if not body.strip() and "\n" not in args:
        raise NeedsBody()
    account = options.get("account")
    if not account:
        with ctx.factory() as session:
            account = default_account(session, ctx.user)
    photo, consent = parse_photo(options)
    reply = api.submit_draft(
        ctx.factory,
        actor=ctx.actor,
        account=account,
        text=body,
        planned_at=when(options["planned"], what="掲載予定") if options.get("planned") else None,
        exemption=options.get("exempt"),
        evidence=options.get("evidence"),
        photo_people=photo,
        photo_consent=consent,
        false_positive_reason=options.get("fp"),
        clock=ctx.clock,
    )
    ctx.answer(reply)


def register(registry: Registry) -> None:
    registry.command(
        "draft",
        handle,
        summary="公式アカウントの投稿を作成し、チェックして決裁へ回す（4(3)）",
        usage=USAGE,
        aliases=("下書き",),
    )

"""Views and messages of the Slack adapter, built from `blocks` (no Slack client here)."""

from __future__ import annotations

from handlers.slack import blocks as bk

COMMAND_GUIDE = (
    ("/draft", "公式アカウントの投稿案を作成し、内容チェックのうえ所属長の決裁に回します。"),
    ("/check", "投稿前の文章をチェックします（本人にだけ表示され、記録は残りません）。"),
    ("/incident", "炎上・なりすまし・訂正が必要な事案を報告し、対応スレッドを開きます。"),
    ("/account", "公式アカウントの登録・開設届の提出を行います。"),
)


def home_view() -> dict:
    """The App Home tab: what the bot is for and its commands.

    Lists of the user's drafts, pending decisions and overdue reports come with the core.
    """
    blocks = [
        bk.header("SNSガイドライン確認ボット"),
        bk.section(
            "市のソーシャルメディア運用ガイドラインに沿って、投稿前のチェック、"
            "所属長の決裁、事後報告、炎上時の対応を支援します。"
        ),
        bk.divider(),
        *(bk.section(f"*{command}*\n{description}") for command, description in COMMAND_GUIDE),
    ]
    return {"type": "home", "blocks": bk.limit_blocks(blocks, bk.MODAL_BLOCKS_MAX)}

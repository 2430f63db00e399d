"""Scenarios as city staff meet them, each replayed like ``python -m bot console --script``.

Every test is one short script a clerk or a 所属長 would type, and checks the transcript
they would read.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from bot.accounts.publish import published_accounts, render_csv
from bot.directory.models import Account
from handlers.console.testing import run_script


def draft_no(out: str) -> int:
    """The number of the draft the transcript registered (sequences differ by database)."""
    match = re.search(r"■ 下書き #(\d+)（第1版）を登録しました", out)
    assert match is not None, out
    return int(match.group(1))


def incident_no(out: str) -> int:
    match = re.search(r"■ 事案#(\d+)（", out)
    assert match is not None, out
    return int(match.group(1))


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture
def script(factory, clock):
    def run(text: str, *, user: str | None = None) -> str:
        return run_script(factory, text, clock=clock, user=user)

    return run


def test_an_account_without_its_policy_cannot_be_confirmed_nor_listed(script, session):
    # kanko-insta was loaded as "submitted" with no 運用ポリシー and no URL.
    out = script(
        """
        /as takahashi
        /account confirm kanko-insta
        """
    )
    assert "開設届を確認できません（4(2)）" in out
    assert "4(1)ア 管理主体" in out and "4(1)カ 登録URL" in out
    assert "/account return kanko-insta" in out  # what to do instead
    assert "開設届を確認しました" not in out
    csv_text = render_csv(published_accounts(session))
    assert "Instagram" not in csv_text
    assert "https://x.com/midori_kanko_demo" in csv_text


def test_the_published_list_never_shows_an_account_without_its_url(script, session):
    script("/help")  # the demo directory
    account = session.scalar(sa.select(Account).where(Account.code == "kanko-x"))
    account.url = None
    session.flush()
    assert published_accounts(session) == []


def test_the_pr_head_finds_every_waiting_registration_in_the_inbox(script):
    out = script(
        """
        /as suzuki
        /account new
        code: kanko-fb
        所管課: kanko
        管理主体: みどり市 観光課
        利用目的: 観光イベントの告知
        発信する情報: イベント・観光施設の情報
        受信した情報への対応: コメントには個別に返信しません
        メディア: Facebook
        アカウント名: みどり市観光課 Facebook
        URL: https://www.facebook.com/midori.kanko.demo
        運用開始日: 2026-12-01
        管理者: suzuki
        .
        /account submit kanko-fb
        /as takahashi
        /inbox
        """
    )
    inbox = out.split("takahashi> /inbox", 1)[1]
    assert "あなたの決裁や確認を待っているものはありません" not in inbox
    assert "開設届の確認待ち（2件、4(2)）" in inbox
    assert "みどり市観光課 Facebook（Facebook・観光課）" in inbox
    assert "提出者: 鈴木 翔（suzuki）" in inbox
    assert "確認: /account confirm kanko-fb" in inbox
    assert "確認: /account confirm kanko-insta" in inbox  # loaded as submitted

    # Someone who is not a 広報課長 owes no 開設届.
    assert "開設届" not in script("/as yamada\n/inbox").split("yamada> /inbox", 1)[1]


def test_a_multi_line_draft_can_be_cancelled(script, session):
    from bot.drafts.models import Draft

    out = script(
        """
        /draft account=kanko-x
        菊まつりのお知らせ
        /quit
        /draft account=kanko-x
        紅葉のお知らせ
        ／cancel
        /drafts
        """
    )
    assert "取りやめるときは「/cancel」と入力してください" in out  # the prompt says how
    assert out.count("■ 入力を取りやめました") == 2
    assert "何も送信・保存していません" in out
    assert "yamada が受信" not in out  # nothing went to the 所属長
    assert "sato> /drafts" in out  # /quit ended the entry, not the console
    assert "下書きはまだありません" in out
    assert session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


def test_quit_ends_a_script_and_help_lists_it_with_the_japanese_aliases(script):
    out = script(
        """
        /help
        /quit
        /drafts
        """
    )
    assert "/quit       コンソールを終了する" in out and "（別名: /exit、/終了）" in out
    assert "/draft      公式アカウントの投稿を作成し" in out and "（別名: /下書き）" in out
    assert "/inbox" in out and "（別名: /受信箱、/決裁待ち）" in out
    assert "■ コンソールを終了します" in out
    assert "sato> /drafts" not in out


def test_cancel_is_a_command_of_its_own_and_help_names_what_it_does_not_know(script):
    out = script(
        """
        /help
        /cancel
        /取消
        /help cancel
        /help nosuch
        /help draft
        /as
        """
    )
    assert "（「.」だけの行で送信、/cancel で取りやめ）" in out  # /draft's usage says how
    assert "/cancel     複数行の入力を取りやめる" in out
    assert "（別名: /取消、/取り消し、/やめる）" in out
    # Typed with no entry open: told there is nothing to abandon, not 「コマンドはありません」.
    assert out.count("■ 取りやめる入力はありません") == 2
    assert "「/cancel」というコマンドはありません" not in out
    assert "■ /cancel: 複数行の入力を取りやめる" in out
    assert "■ 「/nosuch」というコマンドはありません。コマンドの一覧" in out
    # The acting person and everyone else, named one way.
    assert "■ 現在の利用者: 佐藤 美咲（sato）" in out
    assert "切り替えるには /as ハンドル（例: /as yamada）" in out
    assert "  山田 花子（yamada）" in out and "yamada: " not in out


def test_ctrl_c_during_a_multi_line_entry_abandons_the_entry_not_the_console(factory, clock):
    from handlers.console.app import ConsoleApp, seed_demo_if_empty

    class Keyboard:
        """A terminal: lines, with Ctrl-C pressed where the script says "^C"."""

        def __init__(self, lines: list[str]) -> None:
            self.lines = lines

        def readline(self) -> str:
            if not self.lines:
                return ""
            line = self.lines.pop(0)
            if line == "^C":
                raise KeyboardInterrupt
            return line + "\n"

    seed_demo_if_empty(factory, clock=clock)
    shown: list[str] = []
    app = ConsoleApp(factory, clock=clock, on_output=lambda r: shown.append(r.message.title))
    app.repl(stdin=Keyboard(["/draft account=kanko-x", "菊まつり", "^C", "/drafts"]))  # type: ignore[arg-type]
    assert "入力を取りやめました" in shown
    assert shown[-1] == "あなたの下書き（0件）"  # the console went on after Ctrl-C


def test_an_impersonation_report_keeps_its_sentence_whole(script):
    out = script(
        """
        /incident なりすまし kanko-x https://x.com/midori_kanko_fake が当課の公式アカウントを名乗って投稿しています。
        """
    )
    assert (
        "概要: https://x.com/midori_kanko_fake が当課の公式アカウントを名乗って投稿しています。"
        in out
    )
    assert "URL: https://x.com/midori_kanko_fake\n" in out  # stored beside it, without 「が」
    assert "概要: が" not in out


def test_an_unpublished_exempt_post_is_not_late_and_its_reminders_count_from_one(
    script, factory, clock
):

    from bot.drafts.reminders import DraftSource
    from bot.scheduler.service import build_plan, sweep
    from bot.scheduler.settings import ReminderSettings

    settings = ReminderSettings(_env_file=None)  # type: ignore[call-arg]
    plan = build_plan(settings, [DraftSource(settings)])
    out = script(
        """
        /draft account=kanko-x exempt=エ 大雨のため、本日の観光案内所は臨時休業します。
        /drafts
        """
    )
    n = draft_no(out)
    assert "決裁不要（掲載可・掲載後に事後報告）" in out
    assert "事後報告が遅れている投稿" not in out  # not published, no planned time: not late
    assert "掲載予定 未定" not in out

    # Ten hours pass before the worker runs: the first reminder is the first, not the 10th.
    clock.advance(hours=10)
    sweep(factory, plan=plan, worker="w", clock=clock)
    first = script("/drafts")
    assert f"【事後報告のお願い】下書き #{n}（第1版）" in first
    assert "・1回目・" in first
    assert "掲載予定: 登録されていません" in first
    assert "掲載の登録と事後報告を待っています" in first
    clock.advance(hours=1, minutes=1)
    sweep(factory, plan=plan, worker="w", clock=clock)
    assert "・2回目・" in script("/drafts")

    # Published: now the report is late, counted from the publication.
    script(f"/published {n} https://x.com/midori_kanko_demo/status/9")
    clock.advance(minutes=5)
    out = script("/drafts")
    assert "事後報告が遅れている投稿" in out
    assert f"#{n} みどり市観光課（公式）（掲載 " in out


def test_account_show_says_what_happens_to_an_emergency_post_without_its_rule(script):
    out = script(
        """
        /as yamada
        /account revoke kanko-x エ 見直しのため
        /account show kanko-x
        /as sato
        /draft account=kanko-x exempt=エ 大雨のため、本日の観光案内所は臨時休業します。
        """
    )
    shown = out.split("yamada> /account show kanko-x", 1)[1]
    assert "掲載ルール 4(3)エ: 未登録（緊急情報は決裁なしですぐ掲載でき" in shown
    assert "掲載ルール 4(3)ウ: 未登録（この区分の投稿も所属長の決裁が必要）" in shown
    assert "4(3)エの投稿も所属長の決裁が必要" not in out
    # ... and that is what happens: published at once, the 所属長 told the rule is missing.
    assert "緊急情報（4(3)エ）のため、すぐに掲載できます" in out
    assert "※ この区分の掲載ルールは事前に取り決められていません" in out


ZWSP = "\u200b"


def test_invisible_text_is_refused_in_every_required_field(script, session):
    from bot.incidents.models import Incident

    i = incident_no(script("/incident 炎上 kanko-x 開催日の誤りに批判が集まっています"))
    n = draft_no(script("/draft account=kanko-x 秋の観光ガイドを配布します。"))
    out = script(
        f"""
        /as watanabe
        /incident close {i} {ZWSP}{ZWSP}
        /incident update {i} {ZWSP}
        /as yamada
        /reject {n} {ZWSP}
        /account rule kanko-x ウ {ZWSP}
        /as sato
        /draft account=kanko-x {ZWSP}　{ZWSP}
        """
    )
    assert "■ 終了時のまとめ（経緯と対応結果）を入力してください。" in out
    incident = session.scalar(sa.select(Incident))
    assert incident.status != "closed" and not incident.close_summary
    assert "状況報告の本文を入力してください" in out
    assert "■ 却下の理由を入力してください。" in out
    assert "掲載に関するルールの本文を入力してください" in out
    assert "本文が空です" in out


def test_the_published_url_must_be_https_on_the_accounts_own_page(script):
    n = draft_no(script("/draft account=kanko-x exempt=イ 菊まつりの来場者は3万2千人でした。"))
    out = script(
        f"""
        /report {n} url=http://x.com/midori_kanko_demo/status/1 掲載しました
        /published {n} https://evil.example.com/x
        /published {n} https://x.com/someone_else/status/1
        /published {n} https://t.co/abc123
        /published {n} https://twitter.com/midori_kanko_demo/status/12
        """
    )
    assert "掲載先のURLは https:// で始まるURLにしてください" in out
    assert (
        "このアカウントのメディア（X）のURLではありません（XのURLは x.com、twitter.com です）"
        in out
    )
    assert (
        "このアカウント（https://x.com/midori_kanko_demo）の投稿のURLではありません。"
        "https://x.com/midori_kanko_demo/ で始まる" in out
    )
    assert "t.co はXの短縮URLのため掲載先として記録できません" in out and "（5(9)）" in out
    assert f"■ 下書き #{n}（第1版）を掲載済みにしました" in out  # twitter.com is x.com
    assert out.count("を掲載済みにしました") == 1


def test_a_line_short_link_is_refused_for_why_it_is_short_not_as_foreign(script):
    out = script(
        """
        /account new
        code: kanko-line
        所管課: kanko
        管理主体: みどり市 観光課
        利用目的: 観光イベントの告知
        発信する情報: イベント情報
        受信した情報への対応: 個別に返信しません
        メディア: LINE
        アカウント名: みどり市観光課 LINE
        URL: https://lin.ee/abcdEFG
        運用開始日: 2026-12-01
        管理者: sato
        .
        """
    )
    assert "LINEのURLではありません" not in out
    assert "lin.ee はLINEの短縮URLのため登録できません" in out
    assert "本来のリンク先が分からず、利用者に不安を与えるおそれがあるため" in out
    assert "（5(9)）" in out and "line.me で始まる本来のURLを入力してください" in out


def test_commands_typed_with_the_ime_on_are_understood(script):
    first = script("／help\n/draft　account=kanko-x　紅葉まつりを開催します。")
    n = draft_no(first)
    wide = str(n).translate(FULL_WIDTH)
    out = first + script(
        f"""
        /as　yamada
        /approve　＃{wide}　ｖ１　内容を確認しました
        ／inbox
        """
    )
    assert "コマンドは / で始めてください" not in out
    assert "というコマンドはありません" not in out
    assert "■ コマンドの一覧" in out
    assert f"【決裁依頼】下書き #{n}（第1版）" in out
    assert "山田 花子（yamada）として操作します" in out
    assert "承認しました" in out
    assert "あなたの決裁や確認を待っているものはありません" in out


def test_the_one_command_line_split_reads_ime_input():
    from bot.interaction.args import draft_id, first_word, split_command, version_token, when

    assert split_command("／ＡＰＰＲＯＶＥ　８") == ("approve", "８")
    assert split_command("/draft\n本文") == ("draft", "\n本文")
    assert split_command("承認 8") is None
    assert first_word("８　ｖ２ 理由") == ("８", "ｖ２ 理由")
    assert draft_id("＃１２") == 12 and version_token("ｖ２") == 2
    assert when("２０２６／１２／０１　１０：００").isoformat() == "2026-12-01T10:00:00+09:00"


def test_an_emergency_post_with_a_blocked_number_gets_one_verdict(script):
    out = script("/draft account=kanko-x exempt=エ 大雨のため休業します。問合せ 090-1234-5678")
    n = draft_no(out)
    receipt = out.split("── yamada が受信 ──", 1)[0]
    assert "すぐに掲載できます" not in receipt
    assert "掲載可" not in receipt  # the state line agrees with the verdict
    assert "状態: 決裁不要（指摘の箇所を直してから掲載・掲載後に事後報告）" in receipt
    assert receipt.count("掲載できない内容が見つかりました") == 1
    assert "チェック結果: 掲載できない内容が含まれています" not in receipt
    assert "指摘の箇所を［修正する］から直してから掲載してください" in receipt
    assert f"修正する: /edit {n}" in receipt
    assert receipt.count(f"下書き #{n}（第1版）を登録しました") == 1  # the title, said once
    head = out.split("── yamada が受信 ──", 1)[1].split("── kato", 1)[0]
    assert "決裁を待たずに掲載できます" not in head
    assert "チェックで掲載できない内容が見つかりました" in head


def test_a_deputys_decision_says_so_and_each_decision_reads_right(script):
    n = draft_no(script("/draft account=kanko-x 紅葉ライトアップは11月30日まで。"))
    out = script(f"/as kato\n/changes {n} 終了時刻も書いてください")
    assert "差し戻ししました" not in out
    assert f"下書き #{n}（第1版）を差し戻しました" in out
    assert "加藤 健（kato）が代理として" in out and "に差し戻しました。" in out
    assert "理由: 終了時刻も書いてください" in out
    m = draft_no(script("/as sato\n/draft account=kanko-x 菊まつりを開催します。"))
    out = script(f"/as yamada\n/approve {m} 内容を確認しました")
    assert "コメント: 内容を確認しました" in out and "理由: 内容を確認しました" not in out
    assert "山田 花子（yamada）が" in out and "代理として" not in out


def test_a_response_draft_names_its_incident_with_a_link_to_the_thread(script):
    i = incident_no(script("/incident 炎上 kanko-x 開催日の誤りに批判が集まっています"))
    out = script(f"/incident respond {i} 訂正 菊まつりの開催日は12月1日が正しい日付です。")
    request = out.split("── yamada が受信 ──", 1)[1].split("\n\n", 1)[0]
    assert "【決裁依頼】" in request
    assert f"事案#{i}（炎上）への対応投稿（訂正）です（6(1)）" in request
    assert f"事案#{i}のスレッドを開く: /incident show {i}" in request

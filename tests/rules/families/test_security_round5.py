"""The city's systems left open, and credentials a few words after their label (7(1)オ),
blind round 5: a logged-in terminal left alone, a connection needing no password, security
software or a firewall stopped or not updated, marked or personal data carried home or sent
outside, a password value after 「全員」 or the bare word パス, a Wi-Fi key after が, an account
name beside an admin entry point, a staff portal's login URL, a code spelt one digit at a time.

Own wording; VALID rows are the advice and notices a city does publish about the same things.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("security.password", "security.weakness", "security.admin-url")

INVALID = [
    (
        "窓口の端末、休憩中もログインしたまま離席してることが多い。",
        "ログインしたまま離席",
        "security.weakness",
    ),
    (
        "庁舎の監視カメラ、先月から録画が止まってるみたい。",
        "監視カメラ、先月から録画が止ま",
        "security.weakness",
    ),
    (
        "財務システムのサーバ、OSの更新がずっとされてないんだよね。",
        "OSの更新がずっとされてない",
        "security.weakness",
    ),
    (
        "会議室のWi-Fi、認証なしで誰でもつながる設定のまま。",
        "認証なしで誰でもつながる",
        "security.weakness",
    ),
    (
        "住民情報の一覧をUSBメモリに入れて家に持ち帰った。",
        "USBメモリに入れて家に持ち帰",
        "security.weakness",
    ),
    (
        "取扱注意の名簿、私用のアドレスに転送しておいた。",
        "私用のアドレスに転送",
        "security.weakness",
    ),
    ("共有PCのパスワードは係で共通の Minato77 だよ。", "Minato77", "security.password"),
    ("印刷機のパスは kikaku2026 です", "kikaku2026", "security.password"),
    (
        "ゲスト用じゃない方、SSIDがkoho-inner でキーが sora2026net",
        "sora2026net",
        "security.password",
    ),
    ("CMS https://cms.example.jp/ ログインIDは webmaster です", "webmaster", "security.password"),
    (
        "更新はこちら https://portal.example.lg.jp/shokuin/menu から",
        "https://portal.example.lg.jp/shokuin/menu",
        "security.admin-url",
    ),
    ("書庫の暗証番号は 3 9 1 7 です", "3 9 1 7", "security.password"),
]

VALID = [
    "離席するときは、ログインしたまま席を外さないようにしましょう。",
    "パスワードなしで接続できる公衆Wi-Fiは危険です。個人情報の入力は避けてください。",
    "ウイルス対策ソフトの定義ファイルは、毎日自動で更新されます。",
    "個人情報をUSBメモリで持ち出すことは禁止されています。",
    "申請書は郵送でも受け付けています。外部の窓口に送っていただいても構いません。",
    "パスワードは英数字8文字以上で設定してください（例：Sakura2026 のような推測しやすいものは避けてください）。",
    "市民ポータル https://portal.example.lg.jp/kurashi/ から申請できます。",
    "電話番号は 0 1 2 0 で始まるフリーダイヤルです。",
]


@pytest.mark.parametrize(("text", "excerpt", "rule"), INVALID)
def test_invalid(text: str, excerpt: str, rule: str) -> None:
    assert_invalid(text, rule, "7(1)オ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

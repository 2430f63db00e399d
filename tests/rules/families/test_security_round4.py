"""Credentials given beside a marker (7(1)オ), blind round 4: the value after a sharing
scheme, a password composed of a word plus something known, a shared or maintenance
account, a user/password pair after both labels, a staff-only network's name, a door
code in the sentence after the word, a longer aside before the arrow.

Own wording; VALID rows are what a city does publish about accounts and passwords.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("security.password",)

INVALID = [
    ("会議室PCの仮パスワードは課内共通で Tsuki88go です。", "Tsuki88go"),
    ("予約システムのパスは「kaigi」＋内線番号で入れます。", "「kaigi」＋内線番号"),
    ("申請管理のぱすわーどは「shinsei」+年度です。", "「shinsei」+年度"),
    ("サーバの作業用アカウントは ops_night です。", "ops_night"),
    ("CMSの共通ID は editor-7／パス Fuyu#1203 です。", "Fuyu#1203"),
    ("ログインの IDとパスワードは（kouhou/Kh2026go）にしてあります。", "kouhou/Kh2026go"),
    ("2階には業務用のSSID「soumu-net-2G」もあります。", "soumu-net-2G"),
    ("倉庫の解錠番号を変えました。新しい番号は 5820# です。", "5820#"),
    ("パスワード、急ぎで決めたのでメモしておいて → Ame7tokyo", "Ame7tokyo"),
    ("ログイン画面の ユーザー名はsoumu02 です。", "soumu02"),
]

VALID = [
    "公式Instagramのアカウントは matsumoto_city です。フォローをお願いします。",
    "パスワードは「名前」＋「誕生日」のような推測されやすい組み合わせを避けてください。",
    "パスワードは全員共通にせず、一人ひとり別のものを設定してください。",
    "Wi-Fiの SSID「City_Free_Wi-Fi」は、どなたでも無料でご利用いただけます。",
    "暗証番号の変更は窓口で受け付けています。受付時間は9時から17時です。",
    "申込み先は https://www.city.example.lg.jp/kurashi/form/2026 です。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "security.password", "7(1)オ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""Security weaknesses and credentials described rather than written (7(1)オ), blind round 3.

Own wording; VALID rows are the security-awareness posts a city does publish.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("security.password", "security.weakness", "security.internal-host")

INVALID = [
    (
        "新人さんへ：初期パスワードは職員番号と同じです。",
        "security.password",
        "パスワードは職員番号",
    ),
    ("共有フォルダのパスワードも初期設定のままです。", "security.password", "初期設定のまま"),
    ("管理画面のログイン：webadmin / Kanri2026", "security.password", "webadmin / Kanri2026"),
    ("CMSにログインするIDは課内共通の kohoka です。", "security.password", "kohoka"),
    ("面倒なのでパスワードをここに書きます：Zx#4417", "security.password", "Zx#4417"),
    ("電算室の鍵は、係長の机の引き出しに入っています。", "security.weakness", "電算室の鍵は"),
    ("通用口のテンキー、番号はサンゴーナナイチです。", "security.weakness", "サンゴーナナイチ"),
    ("土日の庁舎は警備員一人だけなので手薄です。", "security.weakness", "警備員一人だけ"),
    (
        "窓口の端末にはセキュリティ更新が適用されていません。",
        "security.weakness",
        "適用されていません",
    ),
    ("ファイルサーバは 10 . 0 . 3 . 21 にあります。", "security.internal-host", "10 . 0 . 3 . 21"),
]

VALID = [
    "パスワードは生年月日や電話番号など、推測されやすいものを避けてください。",
    "パスワードは他のサービスと同じにしないようにしましょう。",
    "庁舎の鍵の貸し出しは守衛室で行っています。",
    "イベント当日は警備員を10名配置します。",
    "Windows の更新プログラムを適用して、安全にお使いください。",
    "市役所の代表番号は 0263 . 34 . 3000 ではなく 0263-34-3000 です。",
]


@pytest.mark.parametrize(("text", "rule", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, excerpt: str) -> None:
    assert_invalid(text, rule, "7(1)オ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

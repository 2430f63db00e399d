"""People identified by school/age/illness/account (rules/personal/people), defamation and
threats (rules/illegal), credentials by shape (rules/security)."""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    (
        "書道展の金賞は、旭町小学校3年の田中翔太さんでした。",
        "pii.named-person",
        "7(1)エ",
        "田中翔太さん",
    ),
    (
        "迷子の男の子を保護しました。お名前は「さとう ゆうま」くん、5さい。",
        "pii.named-person",
        "7(1)エ",
        "「さとう ゆうま」",
    ),
    (
        "企画課の佐々木係長はうつ病で休職中です。",
        "pii.named-person",
        "7(1)エ",
        "佐々木係長はうつ病",
    ),
    ("返金先：普通 4567890（名義 ヤマダ タロウ）", "pii.named-person", "7(1)エ", "普通 4567890"),
    ("あの議員は嘘ばかりの最低の人間だ。", "illegal.defamation", "7(1)ア", "嘘ばかり"),
    # round 3: a named adult with a bracketed age; a name with an address, income or health data;
    # the span reaches the school as well as the name
    (
        "火事で、住人の高木正雄さん（76）が搬送されました。",
        "pii.named-person",
        "7(1)エ",
        "高木正雄さん（76）",
    ),
    ("転入の例：森本健さん（北町2丁目4番1号）の場合", "pii.named-person", "7(1)エ", "森本健さん"),
    ("申告に来た藤井さんの所得が多くて驚いた。", "pii.named-person", "7(1)エ", "藤井さんの所得"),
    (
        "市民相談センター 担当 山崎さん宅 0263-55-1212",
        "pii.landline-phone",
        "7(1)エ",
        "0263-55-1212",
    ),
    ("健診の受付の石川さん（60代）の血圧が高すぎた。", "pii.named-person", "7(1)エ", "石川さん"),
    ("市立南中学校2年の村井あおいさんが入賞。", "pii.named-person", "7(1)エ", "南中学校2年"),
    ("窓口でまた怒鳴ったら殴ってやる。", "illegal.content", "7(1)ア", "殴ってやる"),
    (
        "あの業者、次に来たら表を歩けないようにしてやる。",
        "illegal.defamation",
        "7(1)ア",
        "歩けないようにしてやる",
    ),
    ("田中課長には痛い目にあわせてやる。", "illegal.defamation", "7(1)ア", "痛い目にあわせてやる"),
    ("週末は賭けゴルフで小遣い稼ぎ。", "illegal.content", "7(1)ウ", "賭けゴルフ"),
    ("投稿した人、特定しました→ @someone_123", "illegal.defamation", "7(1)エ", "@someone_123"),
    ("共有フォルダの設定は root/root のままです。", "security.password", "7(1)オ", "root/root"),
    ("ワンタイムのコードは 739201 です。", "security.password", "7(1)オ", "739201"),
    ("ぱすわーどは Sakura-2024 です", "security.password", "7(1)オ", "Sakura-2024"),
    # round 3: a space as the only separator; a Wi-Fi key named after the network
    ("管理画面 ID: kouhou01 パスワード Kita!2031", "security.password", "7(1)オ", "Kita!2031"),
    (
        "来客用WiFi（SSID: GUEST-NET）のキーは midori7788 です",
        "security.password",
        "7(1)オ",
        "midori7788",
    ),
]
VALID = [
    ("小学生のみなさん（6歳〜12歳）が参加できます。", ("pii.named-person",)),
    ("作曲家の山田耕筰さん（1886年生まれ）の記念展です。", ("pii.named-person",)),
    (
        "高齢者をだます悪質な業者にご注意ください。消費生活センターへご相談を。",
        ("illegal.defamation",),
    ),
    ("寄附金の振込先：普通 1234567 松本市会計管理者", ("pii.named-person",)),
    ("受付番号は 4821 です。", ("security.password",)),
    ("健診では血圧と血糖値を測ります。お気軽にどうぞ。", ("pii.named-person",)),
    (
        "北部支所 〒390-1234 松本市北町3丁目2番1号 TEL 0263-99-1234 FAX 0263-99-1299",
        ("pii.landline-phone",),
    ),
    ("【観光案内所】\nTEL 0263-98-7654（年中無休）", ("pii.landline-phone",)),
    ("講演は作家の村上さん（代表作『海辺』）です。", ("pii.named-person",)),
    ("パスワード reset の手順は、こちらのマニュアルをご覧ください。", ("security.password",)),
    ("館内のWi-Fiのキーは受付でお伝えします。", ("security.password",)),
    ("賭け事にのめり込む前に、ギャンブル依存の相談窓口へ。", ("illegal.content",)),
]


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

"""7(1)ア/ウ constructions added from blind round 6 (own wording, not the corpus).

Campaigning: support or a vote asked for a person the tokens name (an honorific or a title,
then へ/に/を and 支援・支持・投票・再選); a vote said to go to the name that follows (投票は〜さんで);
a candidate picked for a voter (〜さんにしときな); money or vouchers for a vote and the writer's
part in handing them out; a ballot name and the request passed on, in a post already asking for
a vote; a request spelt in katakana. Proselytising: more invitations (いらしてください, ご検討
ください, 大歓迎) and what joining is said to bring. Misconduct: a betting pool by its shape, a
strike by staff (also 7(1)ウ when others are called to join). Defamation: a citizen introduced
as 「〜って男」 called a criminal, even with 「気をつけて」. Administration, a rule, staff help
(応援職員) and a lawful gathering stay quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = (
    "illegal.campaigning",
    "illegal.proselytising",
    "illegal.misconduct",
    "illegal.defamation",
)

INVALID = [
    (
        "県議選が近づいてきました。地元のため、高田様への変わらぬご支持をお願い申し上げます。",
        "illegal.campaigning",
        "高田様への変わらぬご支持をお願い",
    ),
    (
        "今度の町長選、私は前田先生を心から応援しております。",
        "illegal.campaigning",
        "前田先生を心から応援しております",
    ),
    (
        "市議選の告示日を迎えました。職員OB会として、吉村現議員の再選を強く願っております。",
        "illegal.campaigning",
        "吉村現議員の再選を強く願っております",
    ),
    ("知事選ね、一票入れるなら迷わず松井さんだよ。", "illegal.campaigning", "松井さん"),
    (
        "選挙の立会人やってたら知り合いが来たので、小野さんにしときなって耳打ちした。",
        "illegal.campaigning",
        "小野さんにしときな",
    ),
    (
        "市長選で〇〇候補に投票してくれた家には5千円配るって話、地区の役員から聞いた。届ける役を引き受けちゃった",
        "illegal.campaigning",
        "届ける役を引き受け",
    ),
    (
        "市議選では岡田さんへの一票をお願いします。同僚の皆さんにもご家族へのお声がけをお願いします。",
        "illegal.campaigning",
        "お声がけをお願い",
    ),
    (
        "市議選では岡田さんへの一票をお願いします。投票用紙には「おかだ」と書いてくださいね。",
        "illegal.campaigning",
        "投票用紙には「おかだ」と書いて",
    ),
    ("ｼｷﾞｾﾝﾃﾞﾊ ﾀﾅｶｻﾝﾆ ﾄｳﾋｮｳｦ", "illegal.campaigning", "ｼｷﾞｾﾝﾃﾞﾊ"),
    (
        "毎月第一土曜は私たちの会の集まりです。窓口でお話しした方も大歓迎です、お祈りの会で一緒に祈りましょう。",
        "illegal.proselytising",
        "大歓迎",
    ),
    (
        "健診にいらした方にお渡ししているのは、私が所属している教会の冊子です。次の日曜礼拝にもぜひいらしてください。",
        "illegal.proselytising",
        "いらしてください",
    ),
    (
        "当会の教えを学ぶ勉強会を開きます。入信をご検討ください。",
        "illegal.proselytising",
        "ご検討ください",
    ),
    (
        "布教のパンフ、窓口で困ってる人に渡してる。信じれば人生楽になるからね、入信したら救われるよって。",
        "illegal.proselytising",
        "したら救われる",
    ),
    (
        "今年も課でワールドカップの優勝国予想やるよ。一口千円、優勝国を当てたら山分け。",
        "illegal.misconduct",
        "一口千円、優勝国を当てたら山分け",
    ),
    (
        "残業代カットへの抗議で、課のみんなで揃って有休を取って窓口を閉めよう。",
        "illegal.misconduct",
        "みんなで揃って有休を取って窓口を閉め",
    ),
    (
        "さっき受付で怒鳴ってた〇〇地区の田島という客、前科者らしいから皆さん気をつけてね。",
        "illegal.defamation",
        "前科者",
    ),
]

# The same call to join, also reported as promoting the act.
PROMOTING = [
    (
        "残業代カットへの抗議で、課のみんなで揃って有休を取って窓口を閉めよう。",
        "illegal.misconduct",
        "有休を取って窓口を閉め",
    ),
    (
        "今年も課でワールドカップの優勝国予想やるよ。一口千円、優勝国を当てたら山分け。参加したい人は係長まで。",
        "illegal.misconduct",
        "一口千円",
    ),
]

VALID = [
    "市長選挙の投票所では、受付の案内を山本さんにお願いしています。",
    "選挙事務の開票作業には、各課から応援職員を出していただきます。佐々木さんに応援をお願いしました。",
    "職員は特定の候補者への投票をお願いしてはいけません。公職選挙法で禁止されています。",
    "選挙管理委員会です。投票用紙には候補者の氏名を書いてください。",
    "市議選の結果、田村さんが当選しました。",
    "選挙で投票した人にお金を配るのは買収で、犯罪です。",
    "公民館の囲碁クラブは初心者も大歓迎です。お気軽にお越しください。",
    "お寺の建築を見学するツアーを開催します。ぜひご参加ください。",
    "〇〇神社の秋祭りでは、子ども神輿の参加者を募集しています。",
    "市民マラソンの参加費は一口千円の寄付も受け付けています。",
    "年末年始は窓口を閉めます。職員は交代で休暇を取ります。",
    "窓口で怒鳴る方がいても、職員は冷静に対応してください。",
    "高校野球の市代表校を、みんなで応援しましょう。",
]


@pytest.mark.parametrize(("text", "rule", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, excerpt: str) -> None:
    assert_invalid(text, rule, "7(1)ア", excerpt)


@pytest.mark.parametrize(("text", "rule", "excerpt"), PROMOTING)
def test_promoting(text: str, rule: str, excerpt: str) -> None:
    assert_invalid(text, rule, "7(1)ウ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

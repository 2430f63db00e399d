"""7(1)ア and 7(1)ウ constructions added from blind round 4 (own wording, not the corpus).

7(1)ア: campaigning (reported under ア: 地方公務員法・公職選挙法, see rules/inappropriate),
betting pools, false figures, private spending booked as public, the ballot's secrecy.
7(1)ウ: being let off, no one able to check, no penalty heard of, an act that is itself the
breach then a reassurance, a deception said to get something. Each VALID row uses the same
words in their ordinary sense.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    # campaigning: 7(1)ア, not 7(1)ケ
    (
        "県議選が近いので、現職の森山候補への一票をよろしくお願いします。",
        "illegal.campaigning",
        "候補への一票",
    ),
    (
        "市議選に出る先輩のために、課のみんなで後援会に入会してあげてください。",
        "illegal.campaigning",
        "後援会に入会してあげて",
    ),
    # a betting pool with stakes
    (
        "駅伝大会の順位当て、一口五百円で賭けを受け付けます。",
        "illegal.misconduct",
        "一口五百円で賭け",
    ),
    # false figures reported
    (
        "補助金の実績報告は、実際の参加人数より多く報告しておきました。",
        "illegal.misconduct",
        "実際の参加人数より多く報告",
    ),
    ("工事の出来高を水増しして請求しています。", "illegal.misconduct", "水増しして請求"),
    # private spending on the public purse
    (
        "送別会の二次会代は、出張費で精算しておくね。",
        "illegal.misconduct",
        "送別会の二次会代は、出張費で精算",
    ),
    # the secrecy of the ballot
    (
        "開票の準備中に投票箱を開けて中を見たら、新人に入れた票が多そうでした。",
        "illegal.misconduct",
        "投票箱を開けて",
    ),
]

INVALID_U = [
    ("車庫証明なしで置いてる車、警察にはずっと見逃されてるから平気だよ。", "見逃されてる"),
    ("申請書の世帯欄は、役所では確認のしようがないので適当で大丈夫です。", "確認のしようがない"),
    ("路上の屋台、保健所に指導されたって話は聞いたことないので気にしないで。", "聞いたことない"),
    ("古い車検でも、点検のときにまず引っかからないですよ。", "まず引っかからない"),
    (
        "山道の検問は、この季節は夜は来ないので、少しくらい飲んでも平気。",
        "検問は、この季節は夜は来ない",
    ),
    ("分別しないごみを、夜中に林道の脇に捨てておけばいいんです。", "林道の脇に捨てておけば"),
    ("ライブの券は額面の2倍で引き取るって人がいるので、余ったら教えて。", "額面の2倍で引き取"),
    ("料金を払わずにゲートを出ても、今のところ大丈夫みたい。", "料金を払わずに"),
    ("17歳の子も参加するけど、缶チューハイ一本くらいなら気にせずどうぞ。", "17歳の子"),
    ("国保料を滞納してても、春までは放っておいても大丈夫です。", "放っておいても大丈夫"),
    ("保育園の書類は、勤務先の欄を適当に書いておけば通りますよ。", "適当に書いて"),
    ("学生証の写真を加工すれば、子ども料金で買えます。", "学生証の写真を加工"),
    ("親戚の名義で申し込めば、二口目も受けられます。", "親戚の名義で"),
    ("窓口では言えない裏ワザですが、書類は後出しでも平気です。", "窓口では言えない裏ワザ"),
]

VALID = [
    ("市長選挙の期日前投票は、市役所1階で行っています。", ("illegal.campaigning",)),
    ("高校野球部の後援会では、新しい会員を募集しています。", ("illegal.campaigning",)),
    ("賭けごとの誘いには乗らないでください。違法な賭博は犯罪です。", ("illegal.misconduct",)),
    ("所得を少なく申告すると、加算税が課されることがあります。", ("illegal.misconduct",)),
    ("歓迎会の会費は、各自で負担してください。", ("illegal.misconduct",)),
    ("投票箱は、投票の前に空であることを確認してから閉じます。", ("illegal.misconduct",)),
    ("詐欺に引っかからないよう、不審な電話はすぐ切ってください。", ("illegal.encouragement",)),
    ("パトロールは毎晩、地域の皆さんと行っています。", ("illegal.encouragement",)),
    ("名義変更の手続きをすれば、引き続きご利用いただけます。", ("illegal.encouragement",)),
    ("写真を加工して、オリジナルの年賀状を作りましょう。", ("illegal.encouragement",)),
    (
        "料金を払わずに出庫することはできません。精算機をご利用ください。",
        ("illegal.encouragement",),
    ),
    ("掃除の裏ワザ：重曹を使えば、油汚れも簡単に落とせます。", ("illegal.encouragement",)),
    ("資源物は収集日の朝8時までに集積所へ出してください。", ("illegal.encouragement",)),
    ("定価の2倍を超える転売は、法律で禁止されています。", ("illegal.encouragement",)),
    (
        "規制区間内にお住まいの方は、通行証をお見せいただければ大丈夫です。",
        ("illegal.encouragement",),
    ),
    ("未成年の方も、保護者の同意があれば参加OKです。", ("illegal.encouragement",)),
    ("12歳の子でも、保護者と一緒なら大丈夫です。", ("illegal.encouragement",)),
    ("滞納している方も、分割納付のご相談ができますので大丈夫です。", ("illegal.encouragement",)),
    ("ペットボトルは、キャップを外さずに出しても大丈夫です。", ("illegal.encouragement",)),
]


@pytest.mark.parametrize(("text", "rule", "excerpt"), INVALID)
def test_invalid_a(text: str, rule: str, excerpt: str) -> None:
    assert_invalid(text, rule, "7(1)ア", excerpt)


@pytest.mark.parametrize(("text", "excerpt"), INVALID_U)
def test_invalid_u(text: str, excerpt: str) -> None:
    assert_invalid(text, "illegal.encouragement", "7(1)ウ", excerpt)


@pytest.mark.parametrize(("text", "rules"), VALID)
def test_valid(text: str, rules: tuple[str, ...]) -> None:
    assert_valid(text, rules)

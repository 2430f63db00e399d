"""7(1)カ constructions added from blind round 5 (own wording, not the corpus).

An informal source as "information" (…の奥さん情報, 確度高め), a person + さん as the source
(…さんから聞いた, …さんによれば), an expert-looking person explaining, what the internet is said
to say, claims "everyone knows" or the office takes as common knowledge, the neighbourhood
talking of nothing else, speculation said as known, half-endorsing it (たぶん本当, だから間違いない),
a folk remedy said to cure or prevent a serious disease. Quiet: a message quoted as an example
in a fraud warning, a company named as the source, local knowledge of a good spot, health advice.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("rumour.hearsay",)

INVALID = [
    ("来週から給食が止まるって。校長の親戚情報だから確かだよ。", "校長の親戚情報"),
    ("配達の山田さんから聞いたけど、駅前のスーパーが閉店するんだって。", "山田さんから聞い"),
    ("隣の家の佐藤さんによれば、川の堤防にひびが入っているそうです。", "佐藤さんによれば"),
    (
        "医者っぽい人が動画で、この薬は危ないって解説してた。",
        "医者っぽい人が動画で、この薬は危ないって解説し",
    ),
    (
        "ネットでは来週また大地震が来るって言われてるよ。",
        "ネットでは来週また大地震が来るって言われて",
    ),
    ("あの店の肉は輸入の安物だって、町内ではみんな知ってるよ。", "みんな知って"),
    ("市長が辞めるのは庁内じゃ常識らしい。", "庁内じゃ常識"),
    ("工場から変なガスが出てるんじゃないかって、学校で持ちきり。", "学校で持ちきり"),
    ("裏山でクマを見たって聞いた。たぶん本当だと思う。", "たぶん本当"),
    ("梅干しを毎日食べていればインフルにかからないよ。", "インフルにかからない"),
    ("このお札を身につけるだけでがんが消えるそうです。", "がんが消える"),
    (
        "ネットで有名なお医者さんが、水道水は飲まない方がいいって言ってた。",
        "ネットで有名なお医者さんが、水道水は飲まない方がいいって言って",
    ),
    ("〇〇小の先生が逮捕されたって、保護者の間で話題になってる。", "保護者の間で話題"),
]

VALID = [
    "「市の職員を名乗る人から聞いた」という電話による詐欺にご注意ください。",
    "ガス会社によると、明日の午前中に点検のため一時的にガスが止まるとのことです。",
    "地元の人はみんな知っている桜の名所を紹介します。",
    "手洗いとうがいで、かぜやインフルエンザを防げます。",
    "野菜をしっかり食べて、高血圧を防ぎましょう。",
    "受診の目安は、保健センターの医師に相談してください。",
    "SNSで見た情報をうのみにせず、市の公式発表をご確認ください。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "rumour.hearsay", "7(1)カ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""Rights, sexual services, evasive spellings and ordinary senses (7(1)ク, キ, コ, エ,
7(2)キ(ウ)), blind round 4.

Works copied by hand or re-recorded and shown, a licence not applied for, the person not yet
told; a sexual service described without the trade's words; a masked ソ〇プ or a word behind
⚫; a word spelt one kana at a time between 「・」 and a two-kanji line split off its word.
The VALID rows are the ordinary senses that must stay quiet: a customer centre's number, a
phone number with its hours, farmland converted without permission, a patrol against
lewd touting, volume adjusted district by district.

Own wording throughout.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

INVALID = [
    # rights
    (
        "市のマスコットは、人気ゲームのキャラクターをトレースして描きました。",
        "rights.reprint",
        "7(1)ク",
        "キャラクターをトレース",
    ),
    (
        "話題のドラマ「雪の町」を録画しておいたので、庁舎ロビーのモニターで流します。",
        "rights.reprint",
        "7(1)ク",
        "録画しておいた",
    ),
    (
        "PR動画のBGMは有名な歌手の曲ですが、作曲者に許諾の申請はしていません。",
        "rights.reprint",
        "7(1)ク",
        "作曲者に許諾の申請はしていません",
    ),
    (
        "写真集の一枚を勝手にお借りして、ポスターに使いました。",
        "rights.reprint",
        "7(1)ク",
        "勝手にお借り",
    ),
    ("新聞の記事をむだん転載してしまいました。", "rights.reprint", "7(1)ク", "むだん転載"),
    (
        "表彰式の写真を載せます。受賞者の方には公開のことをまだご連絡していません。",
        "rights.no-consent",
        "7(1)ク",
        "まだご連絡していません",
    ),
    # sexual services without the trade's words
    (
        "温泉街の裏通りには、女性が添い寝してくれるお店もあります。",
        "obscene.term",
        "7(1)キ",
        "女性が添い寝してくれるお店",
    ),
    # masks
    ("出張の夜はソ＊プに寄る人もいるとか。", "obscene.term", "7(1)キ", "ソ＊プ"),
    ("おっ★いが見える写真は使えません。", "obscene.term", "7(1)キ", "おっ★い"),
    # evasive spellings
    (
        "今回の工事、さ・い・て・い・せ・い・げ・ん・か・か・くは3,200万円だそうです。",
        "confidential.non-public",
        "7(1)コ",
        "さ・い・て・い",
    ),
    ("部外\n秘の資料を添付します。", "confidential.marking", "7(1)サ", "部外\n秘"),
]

VALID = [
    "【お客さまセンター】水道のお申込みは、お客さまセンター（0263-12-7000）へどうぞ。",
    "夜間は市民病院へ：0263-33-1234（24時間）",
    "農地の無断転用が見つかった場合は、原状回復をお願いすることになります。",
    "年末は警察と合同でパトロールを行い、わいせつな客引きには厳しく対応します。",
    "防災無線の音量は、地区ごとに調整しています。",
    "本会議の様子は、インターネットで生中継・録画配信しています。",
    "石けんは、ボディソープやハンドソープをお使いください。",
    "ア・イ・ウ・エの4つの班に分かれて活動します。",
]

RULES = (
    "rights.reprint",
    "rights.no-consent",
    "obscene.term",
    "pii.landline-phone",
    "pii.my-number",
    "undecided.policy",
    "confidential.marking",
)


@pytest.mark.parametrize(("text", "rule", "clause", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, clause: str, excerpt: str) -> None:
    assert_invalid(text, rule, clause, excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""7(1)ア constructions added from blind round 8a (own wording, not the corpus).

Defamation: contempt for a person pointed at (老害, 恥を知れ, 早く消えろ), a person addressed as
あなた/お前 in the sentence before the insult, someone pointed at with あの + a katakana noun, a
business likened to a fraud (詐欺まがいの業者), a threat of harm said as an intention
(〜してやろうかな); the insult reported up to its last part. Victims of a disaster or an
accident mocked or blamed (自業自得, 天罰, 〜ほうが悪い). A plea against such talk, a warning,
and ordinary uses of the words stay quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("illegal.defamation",)

INVALID = [
    ("さっき電話してきた北川って婆さん、ほんと老害だわ。", "老害"),
    ("毎週怒鳴り込んでくる方へ。あなたのせいで窓口の職員が休職しました。恥を知れ。", "恥を知れ"),
    ("あのモンスターペアレント、今度学校に来たら後をつけてやろうかな。", "後をつけてやろう"),
    ("商店街の『ふじや電器』は修理代を水増しする詐欺まがいの業者です。", "詐欺まがいの業者"),
    ("あの店主、客をだます泥棒みたいな商売してる。", "泥棒みたいな商売"),
    ("大雨で浸水した低地の住宅、あそこに家を買うほうが悪いよ。", "買うほうが悪い"),
    ("雪山で遭難した登山者のニュース、正直ざまあと思った。", "ざまあ"),
    ("地震で家が壊れた人たち、日頃の行いが悪いから天罰だね。", "天罰"),
]

VALID = [
    "台風で被災された方を「自業自得」と言うのはやめましょう。",
    "事故に遭われた方への心ない書き込みは、誹謗中傷に当たります。",
    "登山は自己責任が原則です。装備を整え、登山計画書を提出してください。",
    "高齢ドライバーの方へ。免許の自主返納について相談窓口があります。",
    "あのキャラクターの着ぐるみが、今年も夏祭りにやってきます。",
    "水増し請求などの詐欺まがいの手口にご注意ください。消費生活センターにご相談を。",
    "地震に備えて、家具の固定をしておきましょう。後悔しないために今日から。",
    "窓口に来られた方へ。お待たせして申し訳ありませんでした。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "illegal.defamation", "7(1)ア", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""7(1)イ constructions added from blind round 5 (own wording, not the corpus).

Education background, older drivers, "that country's group", welfare recipients and disability
as groups; slowing others down, arrears, noise, work "anyone can do" as traits; segregated
facilities (also when the exclusion opens the next sentence), licences taken away, a group left
out in advance, sent to another school, kept from one's children, treated coldly at the counter,
steered away from (…から…やめたほうがいい); a task given by sex as a matter of ability; agreeing
with the remark (ごもっとも). A counter consultation near a group (相談に来た人) is no support.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("discrimination.generalisation", "discrimination.term")

INVALID = [
    ("中卒だからやっぱり覚えが悪いんだよね。", "中卒だからやっぱり覚えが悪い"),
    ("高齢ドライバーは全員、免許を取り上げるべきだ。", "免許を取り上げ"),
    ("ゴミを散らかすのは決まってよその国の連中。", "散らかすのは決まってよその国の連中"),
    ("生活保護受けてる人って、朝からお酒飲んでるイメージしかない。", "イメージしかない"),
    (
        "障がいのある生徒が同じクラスにいると授業が遅れるので困る。",
        "障がいのある生徒が同じクラスにいると授業が遅れる",
    ),
    ("母子家庭は家賃の滞納が多いから審査で落としてる。", "滞納"),
    ("保育の仕事なんて誰でもできるでしょ。", "誰でもでき"),
    ("同性カップルが同じ更衣室を使うのは嫌だ。別の部屋を作って分ければいい。", "分ければいい"),
    ("外国籍の人は最初から名簿から外しておけばいい。", "外しておけば"),
    ("障害のある子は別の学校に行ってもらうのがいい。", "別の学校に行ってもら"),
    ("団地の子とは、うちの子を遊ばせたくない。", "遊ばせたくない"),
    ("ホームレスの人には窓口で冷たくしとけばそのうち来なくなる。", "冷たくしとけば"),
    (
        "北側は外国人が多いから、家を買うならやめた方がいいよ。",
        "外国人が多いから、家を買うならやめた方がいい",
    ),
    ("重要な契約の説明は男性職員が対応いたします。", "重要な契約の説明は男性職員が対応"),
    ("あの地区の生まれだと、今でも結婚には反対されるらしい。", "生まれだと、今でも結婚には反対"),
    ("外国人は市の体育館に入れないでほしい。", "入れないでほしい"),
    (
        "「ホームレスの人は公園から追い出せ」という意見がありました。ごもっともです。",
        "ごもっとも",
    ),
    ("騒いでるのはいつもあの国のグループ。来年から出禁にすればいい。", "出禁にすれば"),
    ("LGBTの人たちには学校で話してほしくない。", "話してほしくない"),
    ("沖縄の人は時間にルーズだから、会議の時間を早めに伝えておいて。", "沖縄の人は時間にルーズ"),
    ("派遣さんに大事な書類は触らせない方がいい。", "触らせない方がいい"),
    ("ベトナム人の実習生はすぐ逃げるから、パスポートは会社で預かってる。", "すぐ逃げ"),
    ("女は結婚したら辞めるから、管理職にはしない方がいい。", "結婚したら辞め"),
]

VALID = [
    "障がいのある方も参加できるよう、手話通訳を用意します。",
    "高齢ドライバーの方は、免許の自主返納の相談窓口をご利用ください。",
    "外国籍の方も市営住宅に申し込めます。",
    "介護の仕事に関心のある方は、誰でも参加できる説明会にお越しください。",
    "女性の夜の一人歩きは避けるよう、警察が呼びかけています。",
    "団地にお住まいの方の相談に、窓口で丁寧に対応しています。",
    "ひとり親の世帯は、保育料の減免を受けられます。",
    "高卒の方も応募できます。",
    "外国人観光客が多いので、案内板を4か国語にしました。",
    "中学生以下は保護者と一緒に入場してください。",
    "沖縄の人は温かく迎えてくれました。",
    "ベトナム人の実習生と地域の交流会を開きました。",
    "女性管理職の割合が30％になりました。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "discrimination.generalisation", "7(1)イ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

"""7(1)ウ constructions added from blind round 5 (own wording, not the corpus).

The one who would stop it away or lax, given as the reason it is fine; a required ticket or
filing waved away; dumping into a river or a hill said to be free; a way through a fenced-off
prohibition; a cheaper fare one is not entitled to; pretending a fact on a form; pirated films;
a public employees' strike. A quoted excuse rejected (「…」は通用しません) stays quiet.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("illegal.encouragement",)

INVALID = [
    ("この交差点、夜は警官もいないから信号無視でも平気だよ。", "警官もいないから"),
    ("港の堤防は、見回りの人が昼しか来ないから夕方なら釣り放題。", "見回りの人が昼しか来"),
    (
        "ゲートの係員じゃなくて警備員も6時には帰っちゃうから、その後は入り放題。",
        "警備員も6時には帰っちゃうから",
    ),
    ("あの倉庫、もう誰も使ってないから中の資材は持っていっちゃっていいよ。", "誰も使ってないから"),
    ("このジム、会員証の確認がゆるいから友だちのカードで入れる。", "確認がゆるい"),
    ("役所もいちいち確認されないので、書類は適当で通ります。", "いちいち確認されない"),
    ("駐輪場のおじさんも見て見ぬふりしてくれるよ。", "見て見ぬふり"),
    ("裏口から入っても誰にも注意されないです。", "誰にも注意されない"),
    ("入漁料なんて払わなくて大丈夫、誰も来ないし。", "入漁料なんて払わなくて大丈夫"),
    ("転出届？そんなもん出さなくても困らないって。", "そんなもん出さなくても困らない"),
    ("使わなくなった塗料は用水路に流しちゃえば楽だよ。", "用水路に流しちゃえば楽"),
    (
        "工事中で通行止めの橋、横のフェンスの隙間から中に入れば近道になる。",
        "通行止めの橋、横のフェンスの隙間から中に入れば",
    ),
    ("うちの子は高校生でも中学生料金で乗れちゃうから助かる。", "高校生でも中学生料金で乗れ"),
    ("単身なのに世帯が別にいることにして申請すれば補助がもらえるよ。", "いることにして"),
    (
        "公開中のアニメ映画もタダで観られるサイト見つけた。",
        "公開中のアニメ映画もタダで観られるサイト",
    ),
    (
        "来週は職員みんなで一斉に休暇をとって、庁舎を閉めよう。",
        "一斉に休暇をとって、庁舎を閉めよう",
    ),
    ("空き地で刈った草、燃やしちゃえば楽。消防も来ないし。", "燃やしちゃえば楽"),
    (
        "ごみの分別なんていちいちしなくていいよ、収集の人も見てないから。",
        "分別なんていちいちしなくていい",
    ),
    ("路上で販売しても、この辺は警察来ないから大丈夫。", "警察来ないから"),
]

VALID = [
    "「誰も見ていないから大丈夫」は通用しません。不法投棄は犯罪です。",
    "夜間は職員がいないので、お問い合わせは翌開庁日にお願いします。",
    "空き家は誰も住んでいないので傷みやすく、定期的な点検が大切です。",
    "遊漁券は、漁協の事務所と市内の釣具店で買えます。",
    "年金収入だけの方は、確定申告をしなくてよい場合があります。",
    "家庭の油は用水路に流さず、新聞紙に吸わせて燃やすごみへ出してください。",
    "立入禁止の区域には入らないでください。",
    "中学生以下は子ども料金で入館できます。",
    "公開中の映画の上映時間は、映画館のサイトでご確認ください。",
    "確認がゆるいという指摘を受け、受付で本人確認書類の提示をお願いしています。",
    "河川敷での花火は禁止です。見回りを強化しています。",
    "ごみの分別について、収集の職員が説明会を開きます。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "illegal.encouragement", "7(1)ウ", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

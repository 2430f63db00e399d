"""7(1)ア constructions added from blind round 5 (own wording, not the corpus).

Campaigning: support asked for an official by title, a vote asked with よろしくお願いします,
colleagues asked to vote or repost, a rally promoted, campaign flyers slipped in, a campaign
hashtag, a political petition, a support group's forms handed out (the request in the next
sentence), a candidate's name (a person-name token) + をどうぞよろしく. Proselytising: a
religious teaching or gathering and an invitation to it. Misconduct: a contractor's gift or
hospitality accepted, bookings under several names, another's ballot card used; a business tied
to organised crime. Election administration, a warning against proselytising, a gift declined,
and a plain delivery from a contractor stay quiet.
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
        "知事選も近いので、引き続き知事へのご支持をよろしくお願いします。",
        "illegal.campaigning",
        "知事へのご支持",
    ),
    (
        "今度の市議選、うちの課のみんなも応援よろしくお願いします。",
        "illegal.campaigning",
        "応援よろしくお願いします",
    ),
    ("市議選では、たなかに清き一票を！", "illegal.campaigning", "たなかに清き一票"),
    (
        "〇〇党の演説会が土曜に公民館であります。皆さんお誘い合わせのうえお越しください。",
        "illegal.campaigning",
        "〇〇党の演説会",
    ),
    (
        "選挙中なので、候補者のビラを職場の掲示板にこっそり貼っておいた。",
        "illegal.campaigning",
        "候補者のビラを職場の掲示板にこっそり貼っ",
    ),
    ("#佐藤を県議に 投票日まであと3日。", "illegal.campaigning", "#佐藤を県議に"),
    (
        "原発再稼働に反対する署名へのご協力をお願いします。",
        "illegal.campaigning",
        "反対する署名へのご協力",
    ),
    (
        "叔父の後援会のパンフレットがまだあります。必要な方は総務課の私までどうぞ。",
        "illegal.campaigning",
        "後援会",
    ),
    (
        "来月の市議選に出馬します。東地区のみなさん、佐藤一郎をよろしくお願いします。",
        "illegal.campaigning",
        "佐藤一郎をよろしくお願い",
    ),
    (
        "うちの会では毎月、先生のお話を聞く集まりを開いています。窓口で知り合った方もぜひ来てください。",
        "illegal.proselytising",
        "来てください",
    ),
    (
        "当会の教えを学べば家族の悩みも消えます。一度体験してみませんか。",
        "illegal.proselytising",
        "みませんか",
    ),
    (
        "工事を請け負ってる業者の部長に焼肉をご馳走になりました。",
        "illegal.misconduct",
        "ご馳走にな",
    ),
    (
        "納入業者さんから商品券を3万円分いただいちゃった。",
        "illegal.misconduct",
        "商品券を3万円分いただ",
    ),
    (
        "人気の体育館の枠、複数の名義で先に予約しておきました。",
        "illegal.misconduct",
        "複数の名義で先に予約",
    ),
    (
        "入場券はおばあちゃんの分もまとめて持って行って代わりに投票してきた。",
        "illegal.misconduct",
        "代わりに投票",
    ),
    (
        "駅前の〇〇興業って会社、暴力団とつながってるから頼まない方がいいよ。",
        "illegal.defamation",
        "暴力団とつながって",
    ),
    (
        "来週の県議選、山本さんの事務所で電話かけのボランティアしてます。",
        "illegal.campaigning",
        "事務所で電話かけ",
    ),
    (
        "窓口で来た人に、うちの教会の礼拝のチラシを渡してる。",
        "illegal.proselytising",
        "チラシを渡し",
    ),
    (
        "納品業者さんに夕飯をおごってもらっちゃった。",
        "illegal.misconduct",
        "おごって",
    ),
    (
        "うちの宗教の集まりに、福祉課で担当している方を誘ってみた。",
        "illegal.proselytising",
        "誘ってみた",
    ),
    (
        "業者さんから高級ワインをいただきました。入札の件、うまくいくといいな。",
        "illegal.misconduct",
        "高級ワインをいただ",
    ),
    ("公用車でスーパーに寄って、自分の買い物してから帰った。", "illegal.misconduct", "公用車で"),
    (
        "市の備品のプリンターで、町内会のチラシを500枚印刷しておきました。",
        "illegal.misconduct",
        "市の備品のプリンターで、町内会のチラシを500枚印刷",
    ),
]

VALID = [
    "明日は市長選挙の投票日です。投票所は午前7時から午後8時まで開いています。",
    "期日前投票は市役所1階で受け付けています。入場券をお持ちください。",
    "職員が宗教の勧誘をすることは禁止されています。勧誘を受けたらご相談ください。",
    "市民の皆様のご健康をお祈りしております。",
    "図書館で聖書の古い写本の展示を行います。",
    "委託業者から資材が届いたので、午後から設置作業を行います。",
    "業者からのお歳暮やお中元は、すべてお断りしています。",
    "自治会への入会をお願いします。",
    "ふるさと納税のお礼の品が届きました。",
    "後援会名簿の提出を求められても、職員は応じないでください。",
    "選挙管理委員会から、投票のお願いです。皆さんの一票が市政をつくります。",
    "地域の教会のクリスマスコンサートの案内を、公民館に置きました。",
    "写経体験を開催します。心が落ち着くと好評です。お気軽にお越しください。",
    "〇〇寺の花まつりで、甘茶の振る舞いがあります。ぜひお越しください。",
    "業者の方へ：入札参加資格の申請は来月末までです。",
    "公用車の私的利用は禁止されています。",
]


@pytest.mark.parametrize(("text", "rule", "excerpt"), INVALID)
def test_invalid(text: str, rule: str, excerpt: str) -> None:
    assert_invalid(text, rule, "7(1)ア", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

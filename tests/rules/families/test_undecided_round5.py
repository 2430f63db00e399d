"""7(2)キ(ウ) constructions added from blind round 5 (own wording, not the corpus).

A draft agreed but not adopted, a plan spoken of as where it is heading (…ことになりそう,
…方向ってこと), a colloquial 検討してる, a guess at the outcome, council still to debate; a
measure announced as settled next to a "not decided yet" remark; a marked document's candidate
sites. Quiet: っぽい about a person, a decided venue, weather guesses, a settled start date.
"""

from __future__ import annotations

import pytest

from .table import assert_invalid, assert_valid

RULES = ("undecided.policy",)

INVALID = [
    ("保育料、月千円の引き上げで担当課の中ではまとまりつつあるみたい。", "まとまりつつ"),
    ("空き家条例、罰則つきで原案ができた段階です。", "原案ができた段階"),
    ("市民プールは来年から民間に任せる方向だって。", "方向"),
    ("図書館の移転先、駅前ビルの3階にすることになりそう。", "ことになりそう"),
    ("公用車の削減、いま財政課で検討してるところ。", "検討してるところ"),
    ("新しい体育館、たぶん北小の跡地に建てると思う。", "たぶん北小の跡地に建てると思う"),
    (
        "子どもの医療費の無料化、高校生まで来年度からスタートします！（議会での議決はこれからです）",
        "からスタートします",
    ),
    ("下水道使用料は来年度から1割上がります。正式な決定はまだです。", "上がります"),
    (
        "マル秘の資料によると、新しい給食センターの候補地は東区と南区の2か所。",
        "新しい給食センターの候補地は",
    ),
    ("新しいごみ処理場、西区で決まりそうって聞いた。", "決まりそう"),
    ("来年から市民税が少し上がるかも。財政課の人が言ってた。", "上がるかも"),
]

VALID = [
    "成人式は1月12日、総合体育館で行います。",
    "あの講師さん、話し方が先生っぽい人でした。",
    "週末はたぶん雨になると思うので、傘をお持ちください。",
    "第2子の保育料の無償化は、4月から始まります。",
    "新しい体育館は、北小の跡地に建設します（市議会で議決済み）。",
    "講師は現在調整中ですが、日時と会場は決まっています。",
    "ごみ処理場の建設地は西区に決定しました。",
    "市民税の税率は来年度も変わりません。",
]


@pytest.mark.parametrize(("text", "excerpt"), INVALID)
def test_invalid(text: str, excerpt: str) -> None:
    assert_invalid(text, "undecided.policy", "7(2)キ(ウ)", excerpt)


@pytest.mark.parametrize("text", VALID)
def test_valid(text: str) -> None:
    assert_valid(text, RULES)

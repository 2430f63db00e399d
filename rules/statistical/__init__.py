"""Statistical tier — a small per-sentence classifier for the semantic clauses.

7(1)ア / イ / ウ / カ / ク / コ and 7(2)キ(ウ): the clauses where rules catch the words they
were given but not the mistakes new writers make. One logistic-regression model per clause
(one-vs-rest) over character n-grams of each sentence (:mod:`rules.statistical.features`),
trained on the project's labelled posts by ``python -m rules.statistical.train`` and shipped
as ``weights.json`` beside this module (loaded offline; no model is downloaded, nothing
beyond the standard library runs at check time). Inference is a sparse dot product.

A finding names its clause and its sentence (offsets into the original text), has severity
``review`` and says in Japanese that it is a statistical judgement. A sentence that a rule
already reported under the same clause row gets no second, statistical finding. The tier is
off unless ``Config.statistical`` is set (``$GUIDELINE_RULES_STATISTICAL=1``, ``--statistical``
on the CLI): docs/rules.md, "Statistical tier", gives the measured figures behind that choice.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..family import Family, RuleDoc
from .features import PostGrams, sentence_bounds, sentence_features, span_bounds

if TYPE_CHECKING:
    from ..context import Context
    from ..model import Finding

WEIGHTS = Path(__file__).with_name("weights.json")

#: Clause -> (rule id, the guideline's wording of the clause).
CLAUSES: dict[str, tuple[str, str]] = {
    "7(1)ア": ("stat.illegal", "法令及び公序良俗に反する内容"),
    "7(1)イ": ("stat.discrimination", "差別又は差別を助長する内容"),
    "7(1)ウ": ("stat.encouragement", "違法行為又は違法行為を助長する内容"),
    "7(1)カ": ("stat.rumour", "信頼性のない情報又は噂や風評等を助長させる内容"),
    "7(1)ク": ("stat.rights", "肖像権・プライバシー権・著作権等を侵害する内容"),
    "7(1)コ": ("stat.non-public", "情報公開条例の「非公開情報」"),
    "7(2)キ(ウ)": ("stat.undecided", "本市施策の意思形成過程の未確定情報"),
}

#: A rule finding of one of these clauses already answers the tier's clause (same row of
#: SPEC's clause table, as in rules.evaluate.ANSWERS).
SAME_ROW: dict[str, frozenset[str]] = {
    "7(1)ア": frozenset({"7(1)ア", "7(1)ウ"}),
    "7(1)ウ": frozenset({"7(1)ア", "7(1)ウ"}),
    "7(1)コ": frozenset({"7(1)エ", "7(1)サ", "7(1)コ"}),
}


#: One sentence per clause of the kind the tier reports (written for the docs; none of them
#: is in a training corpus).
_EXAMPLES = {
    "7(1)ア": "駅前の店の店主は、人として最低です。（学習した例が少なく、この条項の検出は弱い）",
    "7(1)イ": "あの団地の子たちと遊ばせると言葉づかいが悪くなるので、関わらせたくないです。",
    "7(1)ウ": "ふるさと納税の返礼品は、転売すればけっこう儲かりますよ。",
    "7(1)カ": "来月、大きな地震が来ると知り合いの占い師が言っていたので、水を多めに買っておいてください。",
    "7(1)ク": "隣の家のお子さんの写真、かわいかったので勝手にアップしちゃいました。",
    "7(1)コ": "入札の最低価格は、担当から聞いた話だと三千万円くらいのようです。",
    "7(2)キ(ウ)": "来年度から、ごみ袋の値段が上がることになりそうです。",
}


def _doc(clause: str) -> RuleDoc:
    rule, wording = CLAUSES[clause]
    return RuleDoc(
        id=rule,
        clause=clause,
        severity="review",
        title=f"統計的な判定：{wording}",
        what=(
            "過去の投稿（正解付きのコーパス）から学習した分類器が、文ごとに"
            f"{clause}（{wording}）に当たる確からしさを計算し、しきい値を超えた文を示します。"
            "語句の規則では見つからない言い回しを拾うための補助の判定です（既定では無効）。"
        ),
        why="規則にない言い回しでも、同じ種類の内容は掲載できません。",
        example=_EXAMPLES[clause],
        use_instead="示された文を読み、該当するなら書き直してください。該当しなければそのまま決裁に回せます。",
        message=(
            "「{excerpt}」は、統計的な判定（過去の投稿から学習した分類器）で"
            "ガイドライン{clause}（" + wording + "）に当たるおそれがあります（確からしさ{score}）。"
            "規則による判定ではないため、内容を確認してください。"
        ),
    )


RULES: tuple[RuleDoc, ...] = tuple(_doc(c) for c in CLAUSES)
_BY_CLAUSE = {r.clause: r for r in RULES}


#: Weights are stored to 4 decimals, so each is a whole number of 1/10,000ths. The weights of
#: one n-gram for all clauses are packed into one integer, a signed 40-bit field per clause
#: (``w_k * 10000 << 40k``): the sum of the packed integers of a sentence's n-grams is then
#: one C-level ``sum`` and holds every clause's sum exactly (a field holds ±2^39, far more
#: than 14,000 n-grams of weight ≤ 100).
_SCALE = 10_000
_BITS = 40
_FULL = 1 << _BITS
_HALF = 1 << (_BITS - 1)
_MAX_WEIGHT = 100.0


@dataclass(frozen=True)
class Weights:
    """A trained model: per clause a bias and a threshold; per n-gram a weight per clause."""

    clauses: tuple[str, ...]
    bias: tuple[float, ...]
    thresholds: tuple[float, ...]  # on the margin (log-odds), per clause
    packed: dict[str, int]  # n-gram -> its weights for all clauses, packed (see _SCALE)
    keys: frozenset[str]
    digest: str  # sha256 of the file

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Weights:
        """Read a weights file written by ``python -m rules.statistical.train``."""
        raw = path.read_bytes()
        return cls.parse(json.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest())

    @classmethod
    def parse(cls, obj: dict[str, Any], digest: str = "") -> Weights:
        """From the weights file's JSON object (sparse ``[[clause index, weight], ...]``)."""
        clauses = tuple(str(c) for c in obj["clauses"])
        for c in clauses:
            if c not in CLAUSES:
                raise ValueError(f"unknown clause {c!r}")
        n = len(clauses)
        bias = tuple(float(b) for b in obj["bias"])
        thresholds = tuple(float(t) for t in obj["thresholds"])
        if len(bias) != n or len(thresholds) != n:
            raise ValueError("bias and thresholds need one value per clause")
        packed: dict[str, int] = {}
        for g, kw in obj["features"].items():
            value = 0
            for k, w in kw:
                k, w = int(k), float(w)
                if not 0 <= k < n or abs(w) > _MAX_WEIGHT:
                    raise ValueError(f"bad weight {w!r} of clause {k!r} for {g!r}")
                value += round(w * _SCALE) << (_BITS * k)
            packed[str(g)] = value
        return cls(clauses, bias, thresholds, packed, frozenset(packed), digest)

    def margins(self, features: set[str]) -> list[float]:
        """Log-odds per clause of a sentence with these features (a sparse dot product)."""
        total = sum(map(self.packed.__getitem__, self.keys.intersection(features)))
        out = []
        for b in self.bias:
            field = total & (_FULL - 1)
            if field >= _HALF:
                field -= _FULL
            total = (total - field) >> _BITS
            out.append(b + field / _SCALE)
        return out

    def hits(self, features: set[str]) -> Iterator[tuple[str, float]]:
        """(clause, margin) for every clause whose margin reaches its threshold."""
        for clause, m, t in zip(self.clauses, self.margins(features), self.thresholds, strict=True):
            if m >= t:
                yield clause, m


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    """The bundled model (read once per process)."""
    return Weights.load()


def probability(margin: float) -> float:
    """The model's probability for a margin (log-odds)."""
    return 1.0 / (1.0 + math.exp(-margin))


def sentence_hits(weights: Weights, sentence: str) -> list[tuple[str, float]]:
    """(clause, margin) of one sentence on its own, for the clauses that reach threshold."""
    return list(weights.hits(sentence_features(sentence)))


def findings(
    ctx: Context, found: Iterable[Finding], weights: Weights | None = None
) -> list[Finding]:
    """The tier's findings for one post, given what the rules already found."""
    w = weights if weights is not None else shipped_weights()
    text = ctx.norm.text
    post = PostGrams(text)
    held = [(f.start, f.end, f.clause) for f in found if f.severity != "info"]
    out: list[Finding] = []
    for a, b in ctx.sentences():
        bounds = sentence_bounds(text, a, b)
        if bounds is None:
            continue
        hits = list(w.hits(post.sentence(*bounds)))
        if not hits:
            continue
        a, b = span_bounds(text, *bounds)
        start, end = ctx.norm.span(a, b)
        for clause, margin in hits:
            row = SAME_ROW.get(clause, frozenset({clause}))
            if any(c in row and s < end and start < e for s, e, c in held):
                continue
            doc = _BY_CLAUSE[clause]
            out.append(
                ctx.finding(
                    ctx.norm,
                    a,
                    b,
                    rule=doc.id,
                    clause=clause,
                    severity="review",
                    # A learnt guess is never certain: shown at most as 0.99, not 1.00.
                    message=doc.format(
                        ctx.display(ctx.norm, a, b),
                        clause,
                        score=f"{min(probability(margin), 0.99):.2f}",
                    ),
                )
            )
    return out


FAMILY = Family(
    name="statistical",
    clause="7(1)ア / 7(1)イ / 7(1)ウ / 7(1)カ / 7(1)ク / 7(1)コ / 7(2)キ(ウ)",
    doc=__doc__ or "",
    rules=RULES,
)

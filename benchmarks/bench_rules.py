"""Benchmark of the content check (prints numbers; not a test).

    python benchmarks/bench_rules.py [--rounds N] [--statistical]

For posts of 140, 280, 1,000 and 10,000 characters (built from realistic official-post
sentences, a few with violations), prints p50/p99 latency of ``check`` and of bare fugashi
tokenization (``Tagger.parseToNodeList``) of the same texts, their ratio, and throughput.
Check and tokenization are timed alternately, text by text, so machine noise hits both.
``--statistical`` times the check with the statistical tier switched on (rules.statistical).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rules import Checker, Config, default_checker
from rules.tokens import get_tagger

SENTENCES = [
    "【お知らせ】11月3日（日）に松本城公園で秋の市民まつりを開催します。",
    "皆さまのご来場をお待ちしています。",
    "詳しくは https://www.city.matsumoto.nagano.jp/ をご覧ください。",
    "今週末は気温が下がる見込みです。体調管理にお気をつけください。",
    "松本市美術館で企画展「信州の山岳写真」が始まりました。",
    "燃やせるごみの収集日が年末年始は変更になります。",
    "お問い合わせは市役所（0263-34-3000）まで。",
    "参加を検討中の方は、お気軽にお問い合わせください。",
    "噂の絶景スポット、美ヶ原高原をご紹介します！",
    "市営住宅の入居者募集を行います。申込期間は5月1日から5月15日までです。",
    "住民税の納付期限は10月31日です。口座振替の手続きもご利用ください。",
    "熱中症警戒アラートが発表されました。こまめな水分補給をお願いします🎉",
    "クマの出没情報：本日午前、四賀地区でツキノワグマが目撃されました。",
    "地域包括支援センターでは高齢者の介護に関する相談を受け付けています。",
    # occasional violations, so that the slower paths (tokens, names) are exercised
    "担当の山田の携帯090-1234-5678までご連絡ください。",
    "山田太郎さんから生活保護の申請がありました。",
    "申込はこちら https://bit.ly/3xYzAbC",
    "駅前のデパートが閉店するらしいです。",
]


CLEAN = SENTENCES[:14]


def make_texts(
    length: int, count: int, rnd: random.Random, pool: list[str] = SENTENCES
) -> list[str]:
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(map(len, parts)) < length:
            parts.append(rnd.choice(pool))
        texts.append("".join(parts)[:length])
    return texts


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=1, help="repeat each text N times")
    parser.add_argument(
        "--statistical", action="store_true", help="with the statistical tier switched on"
    )
    args = parser.parse_args()
    rnd = random.Random(7)
    checker = (
        Checker(Config.load().extend(statistical=True)) if args.statistical else default_checker()
    )
    tagger = get_tagger()
    checker.check("ウォームアップ 090-1234-5678 山田さんの相談")
    print(
        f"{'posts':>5} {'chars':>6} {'texts':>6} {'check p50':>10} {'check p99':>10} "
        f"{'tok p50':>9} {'tok p99':>9} {'ratio':>6} {'texts/s':>9}"
    )
    cases = [
        ("mixed", 140, 2000, SENTENCES),
        ("mixed", 280, 2000, SENTENCES),
        ("mixed", 1000, 600, SENTENCES),
        ("mixed", 10_000, 80, SENTENCES),
        ("clean", 280, 2000, CLEAN),
    ]
    for label, length, count, pool in cases:
        texts = make_texts(length, count, rnd, pool)
        for t in texts[:20]:
            checker.check(t)
            tagger.parseToNodeList(t)
        check_times: list[float] = []
        tok_times: list[float] = []
        for _ in range(args.rounds):
            for t in texts:
                a = time.perf_counter()
                checker.check(t)
                b = time.perf_counter()
                tagger.parseToNodeList(t)
                c = time.perf_counter()
                check_times.append(b - a)
                tok_times.append(c - b)
        total_check, total_tok = sum(check_times), sum(tok_times)
        print(
            f"{label:>5} {length:>6} {len(check_times):>6} "
            f"{pct(check_times, 0.5) * 1e3:>8.3f}ms {pct(check_times, 0.99) * 1e3:>8.3f}ms "
            f"{pct(tok_times, 0.5) * 1e3:>7.3f}ms {pct(tok_times, 0.99) * 1e3:>7.3f}ms "
            f"{total_check / total_tok:>6.2f} {len(check_times) / total_check:>9,.0f}"
        )
    print(
        "ratio = total check time / total bare fugashi tokenization (parseToNodeList) time "
        "of the same texts; 'mixed' posts mostly contain one violation, 'clean' none; "
        f"python {sys.version.split()[0]}; statistical tier {'on' if args.statistical else 'off'}"
    )


if __name__ == "__main__":
    main()

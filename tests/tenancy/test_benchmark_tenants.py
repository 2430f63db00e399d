"""benchmarks/tenants.py end to end at a tiny size, on SQLite: what it did, not how fast.

Three cities with the same handles (their own Slack ids and workspace each) and ten open
items each; two workers built as ``python -m bot worker`` builds them sweep and deliver at
once;
then the many-workspace Slack app takes signed /check commands and 承認 clicks from the
three workspaces. Every city's items must be reminded, in that city, to its own people,
over its own token; every click must decide the clicking city's own draft.
"""

from __future__ import annotations

from benchmarks import tenants as bench


def test_the_benchmark_reaches_every_citys_items_and_never_another_citys_people():
    lines: list[str] = []
    report = bench.run(
        "sqlite",
        tenants=3,
        items=10,
        departments=2,
        clients=[3],
        requests=12,
        workers=2,
        out=lines.append,
    )
    cities = {f"city-00{i}" for i in (1, 2, 3)}

    check = report.sweep_check
    # Each city: 5 drafts waiting for 決裁, 3 exempt posts without 事後報告, 1 report not
    # acknowledged, 1 炎上; every one of them reminded, in its own tenant.
    assert check.open_items == {city: 10 for city in cities}
    assert check.reminded_items == {city: 10 for city in cities}
    assert check.unreached == {}
    assert check.foreign == []
    # The 所属長 of both departments and their deputies (escalated), the authors, the
    # 情報政策課 channel: 15 reminders per city, all sent in the first sweep, none later.
    assert check.reminders == {city: 15 for city in cities}
    assert report.first.stats.sent == 45 and report.first.stats.cancelled == 0
    assert report.second.stats.scheduled == 0 and report.second.stats.sent == 0
    assert set(report.first.per_tenant) == cities | {"default"}

    # Delivered once, over each city's own token to its own Slack ids: the 45 reminders
    # and the 決裁依頼 / receipts queued while the items were made.
    assert report.delivery.sent == report.delivered > 45
    assert report.misdelivered == []

    http = report.http
    assert http is not None
    (load,) = http.loads
    assert load.statuses == {200: 12}
    assert load.by_kind == {"check": 6, "click": 6}
    assert http.decided_own == 6 and http.decided_foreign == []
    assert http.check_answers == 6
    assert any("ack clients   3" in line for line in lines)

"""The published account list (4(2), 5(5)): confirmed accounts only, HTML and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from html.parser import HTMLParser

from bot.accounts import service
from bot.accounts.publish import published_accounts, render_csv, render_html
from bot.directory.models import Account
from tests.accounts.helpers import form
from tests.people import who


def _seed(session, org, clock):
    service.register_account(
        session,
        actor=who(session, "sato"),
        values=form(name='松本市観光課 <公式> & "旅"'),
        clock=clock,
    )
    service.submit_registration(session, actor=who(session, "sato"), code="kankou-x", clock=clock)
    service.confirm_registration(
        session, actor=who(session, "hirose"), code="kankou-x", clock=clock
    )
    # Registered but not confirmed: not published.
    service.register_account(
        session,
        actor=who(session, "sato"),
        values=form(code="kankou-ig", media="Instagram", url="https://instagram.com/mk"),
        clock=clock,
    )
    # Loaded from the directory file: confirmed, no start date known.
    session.add(
        Account(
            code="kouhou-fb",
            name='=HYPERLINK("x")',
            media="Facebook",
            url="https://facebook.com/matsumoto",
            department=org.kouhou,
        )
    )
    # Suspended: not published.
    session.add(
        Account(
            code="old", name="旧アカウント", media="X", department=org.kouhou, status="suspended"
        )
    )
    session.flush()


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_html_table_is_accessible_and_escaped(session, org, clock):
    _seed(session, org, clock)
    out = render_html(published_accounts(session), as_of=date(2026, 11, 25))
    parser = _Cells()
    parser.feed(out)
    assert parser.rows[0] == ["アカウント名", "メディア", "URL", "所管課", "運用開始日"]
    assert parser.rows[1:] == [
        [
            '松本市観光課 <公式> & "旅"',
            "X",
            "https://x.com/matsumoto_kankou",
            "観光課",
            "2026年4月1日",
        ],
        ['=HYPERLINK("x")', "Facebook", "https://facebook.com/matsumoto", "広報課", ""],
    ]
    assert "<公式>" not in out  # escaped
    assert (
        "<caption>公式ソーシャルメディアアカウント一覧（2026年11月25日現在、2件）</caption>" in out
    )
    ths = [a for t, a in parser.tags if t == "th"]
    assert [a["scope"] for a in ths] == ["col"] * 5 + ["row"] * 2
    assert ("a", {"href": "https://x.com/matsumoto_kankou"}) in parser.tags
    page = render_html(published_accounts(session), as_of=date(2026, 11, 25), full_page=True)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ja">' in page


def test_csv_has_bom_headers_and_no_formulas(session, org, clock):
    _seed(session, org, clock)
    out = render_csv(published_accounts(session))
    assert out.startswith("\ufeffアカウント名,メディア,URL,所管課,運用開始日\r\n")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[1] == [
        '松本市観光課 <公式> & "旅"',
        "X",
        "https://x.com/matsumoto_kankou",
        "観光課",
        "2026-04-01",
    ]
    assert rows[2][0] == '\'=HYPERLINK("x")'
    assert len(rows) == 3


def test_empty_list(session, org):
    out = render_html([], as_of=date(2026, 11, 25))
    assert "掲載する公式アカウントはありません。" in out


def test_cli_writes_the_file(tmp_path, monkeypatch):
    from bot.cli import main
    from bot.config import get_settings

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "list.csv"
        assert main(["accounts", "publish", "--format", "csv", "-o", str(out)]) == 0
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        html_out = tmp_path / "list.html"
        assert (
            main(["accounts", "publish", "--format", "html", "--fragment", "-o", str(html_out)])
            == 0
        )
        assert html_out.read_text(encoding="utf-8").startswith('<table class="sns-accounts">')
    finally:
        get_settings.cache_clear()

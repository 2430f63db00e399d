"""The list of confirmed official accounts the city publishes on its website (4(2), 5(5)).

Two renderings of the same rows: an accessible HTML table (a fragment to paste into the
CMS, or a whole page) and CSV in UTF-8 with a BOM so that Excel opens it correctly.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.accounts.messaging import format_date
from bot.accounts.models import AccountPolicy
from bot.directory.models import CONFIRMED, Account, Department

HEADERS = ("アカウント名", "メディア", "URL", "所管課", "運用開始日")
CAPTION = "公式ソーシャルメディアアカウント一覧"


@dataclass(frozen=True)
class PublishedAccount:
    name: str
    media: str
    url: str
    department: str
    start_date: date | None


def published_accounts(session: Session) -> list[PublishedAccount]:
    """Confirmed accounts with their URL only (4(2): 確認を受けた公式アカウント; 5(5): the
    list links every account), by department and name."""
    rows = session.execute(
        sa.select(Account, Department.name, AccountPolicy.start_date)
        .join(Department, Account.department_id == Department.id)
        .outerjoin(AccountPolicy, AccountPolicy.account_id == Account.id)
        .where(Account.status == CONFIRMED, Account.url.is_not(None), Account.url != "")
        .order_by(Department.code, Account.name, Account.code)
    ).all()
    return [
        PublishedAccount(
            name=account.name,
            media=account.media,
            url=account.url or "",
            department=dept_name,
            start_date=start,
        )
        for account, dept_name, start in rows
    ]


def _link(url: str) -> str:
    # Only https links become anchors; anything else (a bad seed value) stays plain text.
    if url.startswith("https://"):
        safe = html.escape(url, quote=True)
        return f'<a href="{safe}">{safe}</a>'
    return html.escape(url)


def render_html(rows: list[PublishedAccount], *, as_of: date, full_page: bool = False) -> str:
    """An accessible table: caption, column headers with scope, row headers, escaped text."""
    caption = f"{CAPTION}（{format_date(as_of)}現在、{len(rows)}件）"
    out = ['<table class="sns-accounts">', f"  <caption>{html.escape(caption)}</caption>"]
    out.append("  <thead>")
    out.append("    <tr>" + "".join(f'<th scope="col">{h}</th>' for h in HEADERS) + "</tr>")
    out.append("  </thead>")
    out.append("  <tbody>")
    for r in rows:
        out.append(
            "    <tr>"
            f'<th scope="row">{html.escape(r.name)}</th>'
            f"<td>{html.escape(r.media)}</td>"
            f"<td>{_link(r.url)}</td>"
            f"<td>{html.escape(r.department)}</td>"
            f"<td>{_date_cell(r.start_date)}</td>"
            "</tr>"
        )
    if not rows:
        out.append(
            f'    <tr><td colspan="{len(HEADERS)}">掲載する公式アカウントはありません。</td></tr>'
        )
    out.append("  </tbody>")
    out.append("</table>")
    table = "\n".join(out) + "\n"
    if not full_page:
        return table
    return (
        "<!DOCTYPE html>\n"
        '<html lang="ja">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{html.escape(CAPTION)}</title>\n"
        "</head>\n"
        "<body>\n"
        f"<h1>{html.escape(CAPTION)}</h1>\n"
        f"{table}"
        "</body>\n"
        "</html>\n"
    )


def _date_cell(day: date | None) -> str:
    if day is None:
        return ""
    return f'<time datetime="{day.isoformat()}">{format_date(day)}</time>'


def render_csv(rows: list[PublishedAccount]) -> str:
    """CSV with a header row and a BOM (Excel reads UTF-8 correctly only with one)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for r in rows:
        writer.writerow(
            [
                _no_formula(r.name),
                _no_formula(r.media),
                _no_formula(r.url),
                _no_formula(r.department),
                r.start_date.isoformat() if r.start_date else "",
            ]
        )
    return buf.getvalue()


def _no_formula(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in Excel (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value

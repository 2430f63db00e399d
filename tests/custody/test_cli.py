"""``python -m bot directory transfer`` (--dry-run) and ``python -m bot accounts custody``."""

from __future__ import annotations

import sqlalchemy as sa

from bot.cli import main
from bot.config import get_settings
from bot.directory.loader import DEMO_FILE

APRIL = """職員,異動元,異動先,発令日,役職
yamada,kanko,kouhou,2027-04-01,
ito,johoseisaku,kanko,2027-04-01,所属長
"""


def _transfers(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM transfers")).scalar_one()
    engine.dispose()
    return n


def test_dry_run_prints_changes_and_stores_nothing_then_load(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        assert main(["directory", "load", str(DEMO_FILE)]) == 0
        path = tmp_path / "april.csv"
        path.write_text("\ufeff" + APRIL, encoding="utf-8")
        capsys.readouterr()
        assert main(["directory", "transfer", str(path), "--dry-run"]) == 0
        out = capsys.readouterr().out
        assert "確認のみ・何も登録していません" in out
        assert "2027年4月1日 山田 花子（yamada）: 観光課 → 広報課" in out
        assert "2027年4月1日 伊藤 由紀（ito）: 情報政策課 → 観光課（所属長）" in out
        assert "引継ぎ: kanko-x" not in out  # yamada neither manages nor operates kanko-x
        assert _transfers(url) == 0

        bad = tmp_path / "bad.csv"
        bad.write_text(APRIL + "nobody,kanko,kouhou,2027-04-01,\n", encoding="utf-8")
        assert main(["directory", "transfer", str(bad)]) == 1
        assert "bad.csv: 4行目: 職員「nobody」は名簿にいません" in capsys.readouterr().err
        assert _transfers(url) == 0

        assert main(["directory", "transfer", str(path)]) == 0
        assert "2件の異動を登録しました" in capsys.readouterr().out
        assert _transfers(url) == 2

        out_csv = tmp_path / "custody.csv"
        assert main(["accounts", "custody", "--format", "csv", "-o", str(out_csv)]) == 0
        data = out_csv.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
        assert "kanko-x,みどり市観光課（公式）,観光課" in data.decode("utf-8-sig")
    finally:
        get_settings.cache_clear()

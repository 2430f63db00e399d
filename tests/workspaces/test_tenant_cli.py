"""``python -m bot tenant …``: the operator links workspaces to tenants and issues install links."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from bot import cli
from bot.config import get_settings
from bot.workspaces import link_key, verify_install_link

SECRET = "client-secret-for-tests-only"


def test_tenant_commands(committed_factory, db_url, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("BOT_PUBLIC_URL", raising=False)
    monkeypatch.delenv("SLACK_CLIENT_SECRET", raising=False)
    get_settings.cache_clear()
    try:
        assert cli.main(["tenant", "add", "minami-town", "南町"]) == 0
        capsys.readouterr()

        assert cli.main(["tenant", "link-slack", "minami-town", "T0MINAMI01"]) == 0
        assert "T0MINAMI01 をテナント minami-town に接続しました" in capsys.readouterr().out
        # The same workspace for another tenant: refused unless moved explicitly.
        assert cli.main(["tenant", "link-slack", "default", "T0MINAMI01"]) == 1
        assert "既にテナント minami-town に接続されています" in capsys.readouterr().err
        assert cli.main(["tenant", "link-slack", "nowhere", "T0OTHER001"]) == 2
        assert "「nowhere」は登録されていません" in capsys.readouterr().err
        # One Slack workspace per tenant.
        assert cli.main(["tenant", "link-slack", "minami-town", "T0SECOND01"]) == 1
        assert "既に別のワークスペース" in capsys.readouterr().err
        assert cli.main(["tenant", "link-slack", "default", "T0MINAMI01", "--move"]) == 0
        capsys.readouterr()
        guid = "7F3C2A10-1111-4222-8333-944445555666"
        assert cli.main(["tenant", "link-teams", "minami-town", guid]) == 0
        capsys.readouterr()

        assert cli.main(["tenant", "links"]) == 0
        out = capsys.readouterr().out.splitlines()
        default = next(line for line in out if line.startswith("default\t"))
        minami = next(line for line in out if line.startswith("minami-town\t"))
        assert "Slack T0MINAMI01" in default
        assert "Teams " + guid.lower() in minami and "Slack" not in minami

        # install-url needs the public URL and the client secret.
        assert cli.main(["tenant", "install-url", "minami-town"]) == 1
        assert "BOT_PUBLIC_URL" in capsys.readouterr().err
        monkeypatch.setenv("BOT_PUBLIC_URL", "https://bot.example.lg.jp/")
        monkeypatch.setenv("SLACK_CLIENT_SECRET", SECRET)
        get_settings.cache_clear()
        assert cli.main(["tenant", "install-url", "minami-town", "--days", "1"]) == 0
        captured = capsys.readouterr()
        url = urlsplit(captured.out.strip())
        assert (url.scheme, url.netloc, url.path) == (
            "https",
            "bot.example.lg.jp",
            "/slack/install",
        )
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert SECRET not in captured.out + captured.err
        key = link_key(SECRET)
        now = time.time()
        assert (
            verify_install_link(key, tenant_id=q["tenant"], expires=q["exp"], sig=q["sig"], now=now)
            == "minami-town"
        )
        assert 86000 < int(q["exp"]) - now <= 86400
        assert (
            verify_install_link(key, tenant_id="default", expires=q["exp"], sig=q["sig"], now=now)
            is None
        )
        assert cli.main(["tenant", "install-url", "nowhere"]) == 2
    finally:
        get_settings.cache_clear()

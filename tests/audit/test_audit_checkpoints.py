"""Checkpoints are written by the worker and every export; the head leaves the database."""

from __future__ import annotations

import json
import os
import stat

import pytest
import sqlalchemy as sa

from bot import cli
from bot.audit import Head, keys, record, verify
from bot.audit.checkpoints import current_head
from bot.audit.models import AuditCheckpoint, AuditEvent
from bot.audit.service import _chain_hash
from bot.config import get_settings
from bot.notify.messages import OutMessage
from bot.notify.models import OutboxMessage
from bot.scheduler.notifiers import PrintNotifier
from bot.scheduler.service import build_plan
from bot.scheduler.settings import ReminderSettings
from bot.scheduler.worker import Worker


@pytest.fixture
def signer():
    key = keys.Signer.generate()
    keys.use(key)
    yield key
    keys.reset()


def _events(session, clock, n):
    for i in range(n):
        record(session, actor="sato", action="t", subject_type="draft", subject_id=i, clock=clock)
        clock.advance(minutes=1)


def _worker(factory, clock):
    plan = build_plan(ReminderSettings(), sources=[])
    return Worker(factory=factory, plan=plan, notifier=PrintNotifier(), clock=clock, name="t")


def test_worker_checkpoints_and_publishes_the_head_once_a_day(factory, session, clock, signer):
    _events(session, clock, 4)
    worker = _worker(factory, clock)
    assert worker.checkpoint()
    cp = session.scalars(sa.select(AuditCheckpoint)).one()
    assert (cp.seq, cp.key_id, cp.reason) == (4, signer.key_id, "hourly")
    assert worker.publish_head()
    assert not worker.publish_head()  # the same day: one message
    row = session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("audit.head:%"))
    ).one()
    message = OutMessage.from_dict(row.message)
    assert row.recipient_key == "info_policy"
    fields = {f.label: f.value for f in message.fields}
    head = current_head(session)
    assert fields["ヘッド"] == f"{head.seq}:{head.hash}" and fields["件数"] == "4件"
    assert fields["署名鍵"] == signer.key_id and fields["署名"]
    assert "削除しないでください" in message.text and "--expect-head" in message.text
    # The copy is a usable anchor: the log verifies against it.
    assert (
        verify(
            session, keyring=keys.KeyRing.of([signer.public]), expect=[Head.parse(fields["ヘッド"])]
        )
        == []
    )


def test_worker_refuses_to_sign_a_forged_tail_and_alerts(factory, session, clock, backend, signer):
    _events(session, clock, 3)
    worker = _worker(factory, clock)
    assert worker.checkpoint()
    if backend == "postgresql":
        session.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"))
    last = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    forged = AuditEvent(
        tenant_id="default",
        seq=4,
        occurred_at=clock.now(),
        actor="mallory",
        action="draft.approved",
        subject_type="draft",
        subject_id="1",
        text_hash=None,
        data={},
        prev_hash=last.hash,
    )
    forged.hash = _chain_hash(forged.prev_hash, forged)
    session.execute(
        sa.insert(AuditEvent.__table__),
        [{c.key: getattr(forged, c.key) for c in AuditEvent.__table__.columns}],
    )
    assert not worker.checkpoint()
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 1
    alert = session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("audit.alert:%"))
    ).one()
    text = OutMessage.from_dict(alert.message).text
    assert "連番 4" in text and "署名を止めています" in text


def test_without_a_key_the_worker_signs_nothing_and_the_daily_copy_says_so(factory, session, clock):
    keys.use(None)
    try:
        _events(session, clock, 2)
        worker = _worker(factory, clock)
        assert not worker.checkpoint()
        assert worker.publish_head()
    finally:
        keys.reset()
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == 0
    row = session.scalars(sa.select(OutboxMessage)).one()
    message = OutMessage.from_dict(row.message)
    assert "署名されず" in message.text and message.context == "署名なし"


@pytest.fixture
def cli_env(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    for name in (keys.KEY_ENV, keys.KEY_FILE_ENV, keys.TRUSTED_ENV, keys.TRUSTED_FILE_ENV):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    keys.reset()
    yield tmp_path
    get_settings.cache_clear()
    keys.reset()


def test_cli_keygen_export_and_verify_with_a_published_head(
    committed_factory, cli_env, clock, capsys, monkeypatch
):
    key_file = cli_env / "audit.pem"
    assert cli.main(["audit", "keygen", str(key_file)]) == 0
    out = capsys.readouterr().out
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert "鍵 ID:" in out and "公開鍵:" in out
    assert cli.main(["audit", "keygen", str(key_file)]) == 1  # never overwritten
    assert "上書きはしません" in capsys.readouterr().err
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(key_file))
    keys.reset()
    with committed_factory() as s, s.begin():
        _events(s, clock, 5)

    export = cli_env / "log.json"
    assert cli.main(["audit", "export", "--format", "json", "-o", str(export)]) == 0
    doc = json.loads(export.read_text(encoding="utf-8"))
    head = doc["head"]
    assert head["seq"] == 5 and head["signature"] and len(doc["events"]) == 5
    assert head["key_id"] == keys.current_signer().key_id
    with committed_factory() as s:
        cp = s.scalars(sa.select(AuditCheckpoint)).one()
        assert (cp.seq, cp.reason, cp.head_hash) == (5, "export", head["hash"])
    csv_file = cli_env / "log.csv"
    assert cli.main(["audit", "export", "-o", str(csv_file)]) == 0
    last_line = csv_file.read_text(encoding="utf-8").rstrip("\r\n").splitlines()[-1]
    assert ",audit.head," in last_line and head["hash"] in last_line
    capsys.readouterr()

    assert cli.main(["audit", "verify", "--expect-head", head["head"]]) == 0
    assert "公開されたヘッドを検証しました" in capsys.readouterr().out
    # Someone cuts the last two rows and the checkpoints: the published head still knows.
    with committed_factory() as s, s.begin():
        if s.get_bind().dialect.name == "postgresql":
            for t in ("audit_events", "audit_checkpoints"):
                s.execute(sa.text(f"ALTER TABLE {t} DISABLE TRIGGER {t}_no_update"))
        else:
            for t in ("audit_events", "audit_checkpoints"):
                s.execute(sa.text(f"DROP TRIGGER {t}_no_delete"))
        s.execute(sa.text("DELETE FROM audit_checkpoints"))
        s.execute(sa.text("DELETE FROM audit_events WHERE seq > 3"))
    try:
        assert cli.main(["audit", "verify"]) == 0  # nothing left in the database to compare
        assert cli.main(["audit", "verify", "--expect-head", head["head"]]) == 1
        out = capsys.readouterr().out
        assert "連番 4〜5: 削除: 連番 4〜5 の行がありません" in out
    finally:
        with committed_factory() as s, s.begin():
            if s.get_bind().dialect.name == "postgresql":
                for t in ("audit_events", "audit_checkpoints"):
                    s.execute(sa.text(f"ALTER TABLE {t} ENABLE TRIGGER {t}_no_update"))
            else:
                for t in ("audit_events", "audit_checkpoints"):
                    s.execute(
                        sa.text(
                            f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} "
                            f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"
                        )
                    )


def test_cli_without_a_key_says_nothing_is_signed(committed_factory, cli_env, clock, capsys):
    with committed_factory() as s, s.begin():
        _events(s, clock, 2)
    assert cli.main(["audit", "verify"]) == 0
    captured = capsys.readouterr()
    assert "ハッシュチェーンを検証しました" in captured.out
    assert "注意: 監査ログの署名鍵が設定されていません" in captured.err
    assert "検出できません" in captured.err
    assert cli.main(["audit", "checkpoint"]) == 2
    assert "署名鍵が設定されていません" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:  # argparse refuses, with the reason
        cli.main(["audit", "verify", "--expect-head", "2:xyz"])
    assert exit_.value.code == 2
    assert "件数:ハッシュ" in capsys.readouterr().err


@pytest.mark.parametrize(
    "env,words",
    [
        ({keys.KEY_ENV: "abc", keys.KEY_FILE_ENV: "/x"}, "両方が設定されています"),
        ({keys.KEY_ENV: "not base64!"}, "base64 ではありません"),
        ({keys.KEY_ENV: "AAAA"}, "32 バイト"),
        ({keys.KEY_FILE_ENV: "/nonexistent/key.pem"}, "を読めません"),
    ],
)
def test_bad_key_configuration_is_refused_in_japanese(env, words):
    with pytest.raises(keys.AuditKeyError) as err:
        keys.load_signer(env)
    assert words in err.value.message


def test_key_from_the_environment_and_trusted_keys(tmp_path):
    import base64

    from cryptography.hazmat.primitives import serialization

    signer = keys.Signer.generate()
    raw = signer.private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    old = keys.Signer.generate()
    trusted = tmp_path / "trusted.txt"
    trusted.write_text(f"# retired 2026-04\n{keys.public_text(old.public)}\n", encoding="ascii")
    env = {keys.KEY_ENV: base64.b64encode(raw).decode(), keys.TRUSTED_FILE_ENV: str(trusted)}
    loaded = keys.load_signer(env)
    assert loaded is not None and loaded.key_id == signer.key_id
    ring = keys.load_keyring(env, signer=loaded)
    assert set(ring.keys) == {signer.key_id, old.key_id}

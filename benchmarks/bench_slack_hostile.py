"""Hostile requests against a real ``python -m handlers.slack`` process (issue 17, 1–3).

Starts the HTTP-mode entry point as a child process (waitress, the production logging set-up,
INFO, or DEBUG with ``--debug``) on SQLite or ``--database-url``, with Slack's Web API played
by the local stand-in and a second listener standing for any URL an attacker would name
as ``response_url``. Then sends the corpora of ``tests/slack/hostile.py``: forged, stale and
malformed-timestamp requests; malformed bodies unsigned and signed; a genuine draft
submission that arrives 10 minutes late and one signed with a rotated-out secret — every
body carrying a unique marker in its text. Prints:

- unsigned / forged / stale requests answered 401 (target: all)
- signed malformed requests answered 5xx (target: 0)
- calls that reached the attacker's listener (target: 0), and Web API calls that were not
  the Japanese notice to the user a signed body names (target: 0)
- log lines of the process with the marker, the bot token or the signing secret, and
  traceback lines (target: 0)

    python -m benchmarks.bench_slack_hostile [--debug] [--postgres ADMIN_URL]

``--postgres`` creates a private database on that server for the run and drops it after
(never point the bot at a database that holds anything else: it migrates it).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.slack import hostile, signing
from tests.slack.harness import http_request
from tests.slack.mock_web_api_server import MockSlackWebApi

# BENCH_ROOT: run another checkout's entry point (e.g. the code before a fix) under the same corpora.
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[1])
SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench-hostile-0000000000"
MARKER = "秘匿マーカーBENCH7Q"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _send(base: str, request: hostile.Hostile) -> int:
    headers: dict = {
        k: v.encode() if any(ord(c) > 255 for c in v) else v for k, v in request.headers.items()
    }
    return http_request("POST", base + "/slack/events", request.body, headers).status


def _mark(body: bytes) -> bytes:
    return body.replace(b"draft:1:v1", MARKER.encode()).replace("確認".encode(), MARKER.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", metavar="ADMIN_URL", help="run on a private database on this server"
    )
    parser.add_argument("--debug", action="store_true", help="run the process at DEBUG")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = f"sqlite:///{Path(tmp.name) / 'hostile.sqlite3'}"
    admin = None
    if args.postgres:
        import uuid

        import sqlalchemy as sa

        admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"bench_hostile_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(args.postgres).set(database=name).render_as_string(False)
    try:
        run(url, Path(tmp.name) / "process.log", debug=args.debug)
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str, log_path: Path, *, debug: bool) -> None:
    """Start the process on ``url``, send the corpora, print the counts."""

    with MockSlackWebApi() as api, MockSlackWebApi() as attacker:
        port = _free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api.api_url,
            "DATABASE_URL": url,
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        code = "import logging,sys,runpy; " + (
            "logging.basicConfig(level=logging.DEBUG); " if debug else ""
        )
        code += (
            "sys.argv=['handlers.slack']; runpy.run_module('handlers.slack', run_name='__main__')"
        )
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=log, stderr=log
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    http_request("GET", base + "/healthz")
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(log_path.read_text()) from None
                    time.sleep(0.1)
            api.clear()
            ssrf = attacker.response_url("ssrf")

            unsigned = [
                hostile.Hostile(r.name, _mark(r.body), r.headers)
                for r in hostile.forged_requests(SECRET, ssrf)
            ]
            corpus = hostile.malformed_bodies(ssrf)
            for name, body, content_type, _user in corpus:
                headers = {"Content-Type": content_type} if content_type else {}
                headers["X-Slack-Request-Timestamp"] = str(int(time.time()))
                headers["X-Slack-Signature"] = "v0=" + "0" * 64
                unsigned.append(hostile.Hostile(name, _mark(body), headers))
            late = signing.interaction_body(
                signing.view_submission_payload(
                    "draft_submit",
                    {"text": {"text": {"type": "plain_text_input", "value": MARKER}}},
                )
            )
            stale = signing.Signer(SECRET).headers(
                late, signing.FORM, timestamp=int(time.time()) - 600
            )
            rotated = signing.Signer(hostile.OTHER_SECRET).headers(late, signing.FORM)
            unsigned += [
                hostile.Hostile("stale-draft", late.encode(), stale),
                hostile.Hostile("rotated-secret-draft", late.encode(), rotated),
            ]
            refused = sum(_send(base, r) == 401 for r in unsigned)
            calls_after_unsigned = len(api.calls)

            signed_5xx = 0
            for _name, body, content_type, _user in corpus:
                status = _send(base, hostile.signed(_mark(body), content_type, SECRET))
                signed_5xx += status >= 500
            time.sleep(1.0)  # let any background work finish before counting calls
            notices = [c for c in api.calls if "読み取れなかった" in str(c.params.get("text"))]
            other_calls = [c.method for c in api.calls if c not in notices]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        with_marker = [line for line in lines if MARKER in line]
        with_secret = [line for line in lines if TOKEN in line or SECRET in line]
        tracebacks = [line for line in lines if line.startswith("Traceback")]

        print(
            f"process log level: {'DEBUG' if debug else 'INFO (production)'}; db: {url.split(':')[0]}"
        )
        print(f"unsigned/forged/stale requests answered 401: {refused} of {len(unsigned)}")
        print(f"Web API calls caused by them: {calls_after_unsigned}")
        print(f"signed malformed requests answered 5xx: {signed_5xx} of {len(corpus)}")
        print(f"Japanese notices to the user a signed malformed body names: {len(notices)}")
        print(f"other Web API calls: {len(other_calls)} {sorted(set(other_calls))}")
        print(f"calls that reached the attacker's response_url listener: {len(attacker.calls)}")
        print(
            f"log lines: {len(lines)}; with the marker: {len(with_marker)}; "
            f"with the token or secret: {len(with_secret)}; tracebacks: {len(tracebacks)}"
        )


if __name__ == "__main__":
    main()

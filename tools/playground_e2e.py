"""Drive the Microsoft 365 Agents Playground's web UI against ``serve --demo`` (optional).

Not part of the test suite (it needs Node.js, npx, Chromium and Playwright for Python):

    apt-get install -y chromium fonts-noto-cjk     # the fonts, or Japanese shows as boxes
    pip install -e '.[playground]'                  # playwright; no browser download needed
    python tools/playground_e2e.py --shots /tmp/playground

What it does, as two people in two Playground instances (one per user, each with its own
``.m365agentsplayground.yml``): Alex Wilber becomes the clerk ``sato`` and Megan Bowen the
観光課 所属長 ``yamada`` (``/as``). Alex drafts with a phone number (refused, 7(1)エ) and
cleanly (Megan gets the approval card); Megan approves from the card; Alex drafts again
and Megan sends it back, first with the reason left empty (the card's own check), then
blank (the bot refuses), then with a reason; Alex opens the form (修正する) and sends a
second version; Megan approves it by typing ``/approve　番号`` (ideographic space); Alex
asks ``／help`` (full-width slash) and Megan ``/inbox``; Alex reports ``/incident 炎上 …``
(the summary is kept in the form), picks the account and submits; the channel is named in
the directory and Alex opens the team's General channel: the incident root is posted
there exactly once; a very long ``/check``. Every step waits for the text the person
should read and saves a screenshot. At the end the bot's log is checked for tracebacks
and server errors.

A recording proxy sits between the Playground and the bot (and between the bot and each
Playground's connector) and writes every request and response body to
``traffic.jsonl`` in the work directory: the activity shapes ``tests/teams/payloads/
playground/`` were taken from. It holds the test texts typed here, nothing else.

Exit status 0 when every step saw what it expected, 1 otherwise (the failing step named).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND = "@microsoft/m365agentsplayground"
TENANT = "00000000-0000-0000-0000-0000000000001"
BOT = ("00000000-0000-0000-0000-00000000000011", "Test Bot")
# The Playground's default users (its built-in configuration); the schema wants five more
# besides the current one.
USERS = [
    ("user-id-0", "Alex Wilber", "alexw", "20"),
    ("user-id-1", "Megan Bowen", "meganb", "21"),
    ("user-id-2", "Adele Vance", "adelev", "22"),
    ("user-id-3", "Isaiah Langer", "isaiahl", "23"),
    ("user-id-4", "Patti Fernandez", "pattif", "24"),
    ("user-id-5", "Lynne Robbins", "lynner", "25"),
]
BOT_PORT, PROXY_PORT = 3978, 3977
PORTS = {"alex": 56151, "megan": 56152}
CONNECTOR_PROXY = {"alex": 46151, "megan": 46152}


def config_yaml(current: int, chat: str) -> str:
    """A ``.m365agentsplayground.yml`` with user ``current`` as the one signed in."""

    def user(index: int, indent: str) -> str:
        uid, name, mail, aad = USERS[index]
        given, surname = name.split()
        return (
            f"id: {uid}\n{indent}name: {name}\n{indent}userPrincipleName: {mail}@example.com\n"
            f"{indent}aadObjectId: 00000000-0000-0000-0000-00000000000{aad}\n"
            f"{indent}givenName: {given}\n{indent}surname: {surname}\n"
            f"{indent}email: {mail}@example.com\n"
        )

    others = "".join("  - " + user(i, "    ") for i in range(len(USERS)) if i != current)
    return (
        f'version: "0.1.1"\ntenantId: {TENANT}\nbot:\n  id: {BOT[0]}\n  name: {BOT[1]}\n'
        f"currentUser:\n  {user(current, '  ')}users:\n{others}"
        f"personalChat:\n  id: {chat}\n"
        "groupChat:\n  id: group-chat-id\n  name: Group Chat\n"
        "team:\n  id: team-id\n  name: My Team\n"
        "  aadGroupId: 00000000-0000-0000-0000-000000000031\n"
        "  channels:\n    - id: channel-announcements-id\n      name: Announcements\n"
    )


class Recorder:
    """Reverse proxies on local ports, each request and response body to a JSONL file."""

    def __init__(self, out: Path, routes: dict[int, str]) -> None:
        self.out, self.routes = out, routes
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self.loop).result(10)

    async def _serve(self) -> None:
        from aiohttp import ClientSession, web

        log = self.out.open("a", encoding="utf-8", buffering=1)

        def body(raw: bytes) -> Any:
            try:
                return json.loads(raw) if raw else None
            except ValueError:
                return raw[:500].decode(errors="replace")

        for port, target in self.routes.items():

            async def handle(
                request: web.Request, port: int = port, target: str = target
            ) -> web.Response:
                raw = await request.read()
                headers = {
                    k: v
                    for k, v in request.headers.items()
                    if k.lower() not in ("host", "content-length")
                }
                async with (
                    ClientSession() as client,
                    client.request(
                        request.method, target + request.path_qs, data=raw, headers=headers
                    ) as answer,
                ):
                    answered = await answer.read()
                    entry = {
                        "t": time.time(),
                        "port": port,
                        "method": request.method,
                        "path": request.path_qs,
                        "req": body(raw),
                        "status": answer.status,
                        "resp": body(answered),
                    }
                    log.write(json.dumps(entry, ensure_ascii=False) + "\n")
                    kept = {k: v for k, v in answer.headers.items() if k.lower() == "content-type"}
                    return web.Response(body=answered, status=answer.status, headers=kept)

            app = web.Application(client_max_size=50 * 1024 * 1024)
            app.router.add_route("*", "/{tail:.*}", handle)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()


def port_taken(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port} after {timeout:.0f} s")


@contextmanager
def processes(work: Path, version: str) -> Iterator[Path]:
    """The bot (``serve --demo``, a fresh SQLite file) and one Playground per user."""
    started: list[subprocess.Popen[bytes]] = []
    bot_log = work / "bot.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'demo.db'}",
        "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "true",
        "PORT": str(BOT_PORT),
    }
    for name in ("CLIENT_ID", "CLIENT_SECRET", "TENANT_ID", "SERVICE_URL"):
        env.pop(name, None)
    try:
        with bot_log.open("wb") as out:
            started.append(
                subprocess.Popen(
                    [sys.executable, "-m", "handlers.teams", "serve", "--demo"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for index, who in enumerate(("alex", "megan")):
            home = work / who
            home.mkdir(exist_ok=True)
            (home / ".m365agentsplayground.yml").write_text(
                config_yaml(index, f"personal-chat-{who}"), encoding="utf-8"
            )
            with (work / f"playground-{who}.log").open("wb") as out:
                started.append(
                    subprocess.Popen(
                        [
                            "npx",
                            "-y",
                            f"{PLAYGROUND}@{version}",
                            "-e",
                            f"http://127.0.0.1:{PROXY_PORT}/api/messages",
                            "-c",
                            "msteams",
                            "-p",
                            str(PORTS[who]),
                            "--su",
                            f"http://127.0.0.1:{CONNECTOR_PROXY[who]}/_connector",
                            "--disable-telemetry",
                        ],
                        cwd=home,
                        env={**os.environ, "TEAMSAPPTESTER_BROWSER": "none"},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # npx's node child is in this group too
                    )
                )
        for port in (BOT_PORT, *PORTS.values()):
            wait_for_port(port)
        yield bot_log
    finally:
        # Each was started in its own session: end its whole process group (npx leaves
        # the Playground's node process running when only npx itself is terminated).
        for process in reversed(started):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)


class Session:
    """Two Playground pages and the checks a person would make reading them."""

    def __init__(self, pages: dict[str, Any], shots: Path) -> None:
        self.pages, self.shots = pages, shots
        self.step = 0

    def shot(self, who: str, name: str) -> None:
        self.step += 1
        path = self.shots / f"{self.step:02d}-{who}-{name}.png"
        self.pages[who].screenshot(path=str(path))
        print(f"  screenshot {path}")

    def say(self, who: str, text: str) -> None:
        page = self.pages[who]
        box = page.locator('[data-lexical-editor="true"]')
        box.click()
        page.keyboard.insert_text(text)
        page.keyboard.press("Enter")

    def cards(self, who: str) -> list[str]:
        texts: list[str] = self.pages[who].locator(".ac-adaptiveCard").all_inner_texts()
        return texts

    def expect(self, who: str, needle: str, *, timeout: float = 20, count: int = 1) -> str:
        """Wait until ``count`` cards of ``who`` show ``needle``; returns the last one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [t for t in self.cards(who) if needle in t]
            if len(found) >= count:
                return found[-1]
            if time.monotonic() > deadline:
                raise Failed(f"{who} does not see {needle!r}")
            time.sleep(0.3)

    def press(self, who: str, title: str) -> None:
        """Press the last button ``title`` in ``who``'s chat (on the newest card)."""
        self.pages[who].get_by_role("button", name=title, exact=True).last.click()


class Failed(Exception):
    pass


def run_steps(s: Session, work: Path, bot_log: Path) -> list[str]:
    """The browser session; returns what was verified, one line each."""
    done: list[str] = []

    def step(what: str, body: Callable[[], None]) -> None:
        print(f"- {what}")
        body()
        done.append(what)

    def open_chats() -> None:
        for who in ("alex", "megan"):
            welcome = s.expect(who, "ようこそ")
            assert "/as sato" in welcome, welcome  # a newcomer is told how to go on
        s.shot("alex", "welcome")
        s.say("alex", "/as sato")
        s.say("megan", "/as yamada")
        s.expect("alex", "佐藤 美咲（sato）として操作します")
        s.expect("megan", "山田 花子（yamada）として操作します")
        s.shot("megan", "as-yamada")

    def phone_refused() -> None:
        s.say(
            "alex", "/draft account=kanko-x 臨時窓口を開設します。問い合わせは090-1234-5678まで。"
        )
        card = s.expect("alex", "7(1)エ")
        assert "下書きを登録しませんでした" in card, card
        s.shot("alex", "draft-phone-refused")

    numbers: dict[str, int] = {}

    def drafted(key: str, text: str) -> None:
        s.say("alex", f"/draft account=kanko-x {text}")
        card = s.expect("alex", "を登録しました", count=len(numbers) + 1)
        match = re.search(r"下書き #(\d+)（第1版）を登録しました", card)
        assert match, card
        numbers[key] = int(match.group(1))
        s.expect("megan", f"【決裁依頼】下書き #{numbers[key]}（第1版）")

    def approve_from_card() -> None:
        drafted("first", "本日10時から市役所前広場で防災訓練を行います。ご協力をお願いします。")
        s.shot("megan", "approval-request")
        before = len(s.cards("megan"))
        s.press("megan", "承認")
        s.expect("megan", f"【承認済み】下書き #{numbers['first']}")
        s.expect("alex", f"下書き #{numbers['first']}（第1版）は承認されました")
        # The request card changed in place: no new card in Megan's chat.
        time.sleep(1)
        assert len(s.cards("megan")) == before, (before, len(s.cards("megan")))
        assert not any("【決裁依頼】" in t for t in s.cards("megan"))
        s.shot("megan", "approved-in-place")
        s.shot("alex", "told-approved")

    def send_back_with_reason() -> None:
        drafted("second", "週末は紅葉まつりを開催します。皆さまのお越しをお待ちしています。")
        s.press("megan", "差し戻し")
        s.press("megan", "差し戻す")  # nothing typed: the card itself asks for it
        s.pages["megan"].get_by_text("修正してほしい点を入力してください。").last.wait_for()
        s.shot("megan", "send-back-empty")
        s.pages["megan"].locator("textarea").last.fill("　 ")
        s.press("megan", "差し戻す")
        s.pages["megan"].get_by_text("修正してほしい点を入力してください。").last.wait_for()
        assert any("【決裁依頼】" in t for t in s.cards("megan"))  # the card stays
        s.shot("megan", "send-back-blank-refused")
        s.press("megan", "差し戻し")
        s.pages["megan"].locator("textarea").last.fill("開催日時と会場を明記してください。")
        s.press("megan", "差し戻す")
        s.expect("megan", f"【差し戻し済み】下書き #{numbers['second']}")
        card = s.expect("alex", "差し戻されました")
        assert "理由: 開催日時と会場を明記してください。" in card, card
        s.shot("alex", "sent-back")

    def edit_and_approve_by_text() -> None:
        s.press("alex", "修正する")
        s.expect("alex", f"下書き #{numbers['second']} の修正")
        s.pages["alex"].locator("textarea").nth(-2).fill(
            "11月23日（土）10時から中央公園で紅葉まつりを開催します。"
        )
        s.shot("alex", "edit-form")
        s.press("alex", "チェックして送信")
        s.expect("alex", f"下書き #{numbers['second']}（第2版）を修正しました")
        s.expect("megan", f"【決裁依頼】下書き #{numbers['second']}（第2版）")
        s.say("megan", f"/approve\u3000{numbers['second']}")
        s.expect("megan", f"【承認済み】下書き #{numbers['second']}（第2版）")
        s.expect("alex", f"下書き #{numbers['second']}（第2版）は承認されました")
        s.shot("megan", "approved-by-text")

    def help_and_inbox() -> None:
        s.say("alex", "／help")
        card = s.expect("alex", "使えるコマンド")
        assert "投稿案を作成して決裁へ（4(3)）：/draft" in card, card
        assert "/incident 炎上|なりすまし|訂正 アカウント 概要" in card, card
        s.shot("alex", "help")
        s.say("megan", "/inbox")
        s.expect("megan", "あなたの対応待ち")
        s.shot("megan", "inbox")

    def incident() -> None:
        summary = "観光課の投稿に批判的なコメントが多数寄せられています"
        s.say("alex", f"/incident 炎上 {summary}")
        s.expect("alex", "事案の報告（炎上・なりすまし・訂正）")
        page = s.pages["alex"]
        assert page.locator("textarea").last.input_value() == summary
        page.get_by_role("combobox").last.click()
        page.get_by_role("option", name="みどり市観光課（公式）（kanko-x）").click()
        s.shot("alex", "incident-form")
        s.press("alex", "報告する")
        s.expect("alex", "を記録しました")
        s.expect("alex", "対応スレッドの作成を依頼しました")

    def channel_root_once() -> None:
        # The demo directory gives 情報政策課's channel no Teams id: name the Playground's.
        with sqlite3.connect(work / "demo.db") as db:
            db.execute("UPDATE channels SET teams_channel_id = 'team-id' WHERE key = 'info_policy'")
        s.pages["alex"].get_by_text("General").first.click()
        page = s.pages["alex"]
        page.get_by_text("ガイドライン6(3)による対応チェックリスト").first.wait_for(timeout=20000)
        time.sleep(3)  # a duplicate would follow within a second
        roots = page.get_by_text("ガイドライン6(3)による対応チェックリスト").count()
        assert roots == 1, f"the incident root is shown {roots} times"
        s.shot("alex", "channel-root")
        page.get_by_text("Personal Chat").first.click()
        s.expect("alex", "対応スレッドを作成しました")

    def channel_buttons() -> None:
        # One Playground instance is one copy of the team: the root lives in the instance
        # whose connector the bot last learned the channel from (Alex's here).
        page = s.pages["alex"]
        page.get_by_text("General").first.click()
        page.get_by_text("ガイドライン6(3)による対応チェックリスト").first.wait_for(timeout=20000)
        s.press("alex", "☐ 1 を完了")
        page.get_by_role("button", name="☑ 1 を取消", exact=True).first.wait_for(timeout=20000)
        s.press("alex", "収束にする")
        deadline = time.monotonic() + 20
        while not any("収束" in t and "状態" in t for t in s.cards("alex")):
            if time.monotonic() > deadline:
                raise Failed("the root does not show 収束")
            time.sleep(0.3)
        time.sleep(2)
        roots = page.get_by_text("ガイドライン6(3)による対応チェックリスト").count()
        assert roots == 1, f"the incident root is shown {roots} times after the clicks"
        root = next(t for t in s.cards("alex") if "対応チェックリスト" in t)
        assert "☑ 職員個人の判断" in root and "宛先:" in root, root  # the list shows no "1."
        s.shot("alex", "channel-root-after-clicks")
        page.get_by_text("Personal Chat").first.click()

    def long_check() -> None:
        s.say("alex", "/check " + "本日は市役所前広場で防災訓練を行います。" * 300)
        card = s.expect("alex", "文字数", timeout=30)
        assert "6,000" in card, card
        s.shot("alex", "long-check")

    step("two users open their chats and act as sato / yamada", open_chats)
    step("a draft with a phone number is refused citing 7(1)エ", phone_refused)
    step("a clean draft: the 所属長 approves from the card, in place", approve_from_card)
    step("send back: empty / blank reason refused, then with a reason", send_back_with_reason)
    step("修正する → form → 第2版; approved by typing /approve　番号", edit_and_approve_by_text)
    step("／help (full-width) and /inbox", help_and_inbox)
    step("/incident 炎上 <summary>: summary kept, form submitted", incident)
    step("the incident root appears once in the team's channel", channel_root_once)
    step("root buttons (☐ 1 を完了, 収束にする): the root changes in place", channel_buttons)
    step("a 6,000-character /check", long_check)

    log = bot_log.read_text(encoding="utf-8", errors="replace")
    problems = [
        line
        for line in log.splitlines()
        if "Traceback" in line or "Logging error" in line or '" 500' in line
    ]
    if problems:
        raise Failed("the bot's log has errors: " + " | ".join(problems[:5]))
    done.append("no traceback, logging error or HTTP 500 in the bot's log")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shots", type=Path, default=Path("playground-shots"))
    parser.add_argument("--work", type=Path, help="work directory (default: a new temp dir)")
    parser.add_argument("--playground-version", default="0.2.28")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--headed", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = args.work or Path(tempfile.mkdtemp(prefix="playground-e2e-"))
    work.mkdir(parents=True, exist_ok=True)
    args.shots.mkdir(parents=True, exist_ok=True)
    # The Playground silently takes a random port when its own is in use: refuse instead.
    taken = [
        p
        for p in (BOT_PORT, PROXY_PORT, *PORTS.values(), *CONNECTOR_PROXY.values())
        if port_taken(p)
    ]
    if taken:
        print(f"ports already in use: {taken} (another bot or Playground?)", file=sys.stderr)
        return 2
    routes = {PROXY_PORT: f"http://127.0.0.1:{BOT_PORT}"}
    routes.update({CONNECTOR_PROXY[w]: f"http://127.0.0.1:{PORTS[w]}" for w in PORTS})
    Recorder(work / "traffic.jsonl", routes).start()
    print(f"work directory {work}")
    with processes(work, args.playground_version) as bot_log, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=args.chromium, headless=not args.headed, args=["--no-sandbox"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="ja-JP")
        pages = {}
        for who, port in PORTS.items():
            pages[who] = context.new_page()
            pages[who].goto(f"http://127.0.0.1:{port}")
        try:
            done = run_steps(Session(pages, args.shots), work, bot_log)
        except (Failed, AssertionError) as exc:
            print(f"FAILED: {exc}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    print("verified:")
    for line in done:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

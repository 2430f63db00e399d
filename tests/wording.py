"""What staff read must be Japanese: the one allow-list of ASCII words it may contain.

A message may name commands (``/approve``, ``--from``), identifiers (handles, account and
department codes, option keys such as ``account=``), URLs, clauses and the names of the
media themselves; every other ASCII-letter word is English that slipped through.
``english_words(text)`` returns those words.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from typing import Any

from bot.notify.messages import OutMessage

# Identifiers of the demo directory and of the test directories, media and formats.
ALLOWED: frozenset[str] = frozenset(
    {
        # handles of the demo and test directories
        *[
            "yamada",
            "kato",
            "sato",
            "suzuki",
            "takahashi",
            "ito",
            "watanabe",
            "tanaka",
            "hirose",
            "system",
            "guest",
            "pr2",
            "kobayashi",
            # benchmarks/tenants.py's city directories (tests/tenancy/test_benchmark_tenants.py)
            *["pr", "info", "info2"],
            *[f"{role}{d}" for role in ("head", "deputy", "dept", "acct") for d in range(3)],
            *[f"staff{d}{k}" for d in range(3) for k in "ab"],
            *[f"acct{d}-x" for d in range(3)],
        ],
        # account, department and channel codes
        *[
            "kanko",
            "kanko-x",
            "kanko-insta",
            "kanko-fb",
            "kanko-x2",
            "kouhou",
            "kankou",
            "johoseisaku",
            # the test directories' account codes
            *[
                "kankou-x",
                "kankou-line",
                "kanko-line",
                "kouhou-x",
                "kanko-sns",
                "kanko_x",
                "kanko-yt",
            ],
        ],
        "info_policy",
        # the media (4(1)オ) and what they are called
        *["X", "Facebook", "Instagram", "LINE", "YouTube", "TikTok", "note", "Threads", "Bluesky"],
        # formats, protocols, placeholders of identifiers
        *[
            "URL",
            "URLs",
            "https",
            "http",
            "csv",
            "json",
            "html",
            "md",
            "CSV",
            "JSON",
            "HTML",
            "YAML",
            "Excel",
            "CMS",
        ],
        "YYYY-MM-DD",
        "Slack",
        "Teams",
        "Microsoft",
        "SNS",
        "ID",
        "IME",
        # yes/no values, option keys and sub-commands staff type
        *["yes", "no", "none", "identifiable", "consented"],
        *["account", "planned", "exempt", "evidence", "photo", "consent", "fp", "url", "deadline"],
        *[
            "new",
            "edit",
            "submit",
            "confirm",
            "return",
            "show",
            "list",
            "rule",
            "revoke",
            "check",
            "help",
            "suspend",
        ],
        *["resume", "close", "manager", "operators", "history", "rules", "form"],
        # python -m bot rules / guideline sub-commands and their option values
        *["guideline", "feedback", "allowances", "allow", "show", "diff", "load"],
        # python -m bot tenant sub-commands (docs/slack.md, "Many workspaces")
        *["tenant", "add", "list", "links", "link-slack", "link-teams", "install-url", "org-wide"],
        *["move", "enterprise"],
        *["allow_phrase", "public_number", "trusted_domain", "disable_rule"],
        "Ctrl-C",
        "h",
        "v",
        "o",
        "db",
        "upgrade",
        "audit",
        "verify",
        "export",
        "directory",
        "load",
        "console",
        "accounts",
        "publish",
        "incident",
        "worker",
        "tenant",
        "guideline",
        "rules",
        "feedback",
        "serve",
        "package",
        "manifest",
        "demo",
        "script",
        "user",
        "now",
        "from",
        "to",
        "format",
        "fragment",
        "output",
        "actor",
        "verbose",
        "once",
        "digest",
        "at",
        "name",
        "out",
        "id",
        "file",
        # the keys of the guideline file that its diff and show name (docs/guideline.md)
        *["flaming", "impersonation", "correction", "review", "SHA-256"],
        "AI",  # 生成AI
        # tenant ids and workspace ids of tests/workspaces, who linked them, the platforms
        *["default", "minami-town", "nowhere", "T0MINAMI01", "cli", "operator"],
        *["slack", "teams"],
        # decisions as an export's JSON values give them; cron (REMINDER_DIGEST_CRON)
        *["approve", "reject", "cron"],
        # the Teams app manifest's keys (handlers/teams/packaging.py), as its refusals name them
        *["bots", "icons", "version", "developer", "RRGGBB"],
        # python -m bot sub-commands and the columns of the transfer list (docs/custody.md)
        *["checkpoint", "transfer", "custody", "person", "effective", "role", "GUID"],
        "handlers.teams",
        "build",
        "teams-app.zip",
        "zip",
        "docs",
        "directory.md",
        "table",
        "Procfile",
        "pr_head",
        # python -m rules: its sub-commands, placeholders and the keys of a corpus line
        *["eval", "FILE", "PATH", "JSONL", "UTF-8", "text", "expect", "must_cover", "kind"],
        "all",
        # /custody: its sub-commands, its keys and values (what staff type)
        *["set", "medium", "retire", "handovers", "handover", "holder", "label", "kind"],
        *["storage", "recovery_email", "recovery_phone", "twofa", "twofa_method"],
        *["password_changed", "ic_card", "security_key", "recovery_codes", "other"],
        *["password", "media", "policy", "IC", "SMS", "keygen"],
        # /incident sub-commands
        *["update", "status", "tick", "untick", "toggle", "respond", "comment"],
        # /account form keys (4(1)ア〜キ)
        *["code", "department", "organisation", "purpose", "information", "response"],
        "start_date",
        # abbreviations that are ordinary Japanese (市HP, 観光PR)
        *["HP", "PR"],
        "admin",
        "xoxb",
    }
)

_PROGRAM = re.compile(r"python -m [\w.]+")
_PATH = re.compile(r"\b(?:docs|build|handlers|bot|rules)/[\w./-]+")
_FILE = re.compile(r"(?<![\w/])/(?:[\w.@+-]+/)+[\w.@+-]*")  # an absolute path: /tmp/x/audit.pem
_URL = re.compile(
    r"https?://\S+|www\.[\w.-]+"
    r"|\b[\w.-]+\.(?:example|jp|com|me|net|app|co|ee|ly|gl|be|io|gd|to|org|tv|cc|us)\b\S*"
)
_COMMAND = re.compile(r"(?<![A-Za-z0-9])[/／][A-Za-z][\w-]*")
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_QUOTED = re.compile(r"'[^'\n]*'|「[^」\n]*」|\"[^\"\n]*\"")  # what the person typed
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2})?)?")
_KEY = re.compile(r"\b[a-z_]+(?==)")
_HANDLE = re.compile(r"@[\w.-]+")
# 「v2」, and a guideline's own version as the city writes it (「Ver1.00」, from the guideline file)
_VERSION = re.compile(r"\b(?:v|Ver\.?\s?)\d+(?:\.\d+)*\b")
# draft.approve (an action id echoed), pii.mobile-phone (a rule id)
_ACTION_ID = re.compile(r"\b[a-z]+(?:\.[a-z_-]+)+\b")
# approval_after_hours: a key of the guideline file, as its diff names it
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_CAMEL = re.compile(r"\b[a-z]+(?:[A-Z][a-z0-9]*)+\b")  # manifestVersion: a key of a file
_FILENAME = re.compile(r"\b[\w-]+\.(?:png|zip|json|yaml|csv|html|pem|txt|jsonl|md)\b")
_TIMEZONE = re.compile(r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b")  # Asia/Tokyo
_CHECKBOX = re.compile(r"\[[ x]\]")  # a Markdown task list item of an export
_ENV = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # AUDIT_SIGNING_KEY, a setting's name
_CODEPOINT = re.compile(r"\bU\+[0-9A-F]{4,6}\b")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")  # a signature
# What a platform answered when a delivery failed, shown as recorded to the administrator.
_RECORDED = re.compile(r"原因の記録: [^）\n]*")
# An error reference shown to the administrator: 「エラーID: E-13883514」
_ERROR_ID = re.compile(r"\bE-[0-9A-F]{8}\b")
_HASH = re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{8,64}\b")  # a text hash, an audit digest
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]")


def english_words(text: str) -> list[str]:
    """The ASCII-letter words of ``text`` that are neither commands, identifiers nor URLs."""
    for pattern in (
        _PROGRAM,
        _PATH,
        _BASE64,  # before _FILE: a key or a signature may contain "/"
        _FILE,
        _QUOTED,
        _DATETIME,
        _URL,
        _COMMAND,
        _OPTION,
        _KEY,
        _HANDLE,
        _VERSION,
        _ERROR_ID,
        _HASH,
        _ACTION_ID,
        _SNAKE,
        _CAMEL,
        _FILENAME,
        _TIMEZONE,
        _CHECKBOX,
        _ENV,
        _CODEPOINT,
        _RECORDED,
    ):
        text = pattern.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in ALLOWED]


def message_words(message: OutMessage) -> list[str]:
    """The English words in what staff read of ``message``.

    The quote (the draft as its author wrote it) and the findings' excerpts are the
    person's own words and are not checked; everything the bot wrote is.
    """
    parts = [message.title, message.text, message.context or ""]
    parts += [f"{f.label}: {f.value}" for f in message.fields]
    parts += [a.label for a in message.actions]
    parts += [f.message for f in message.findings]
    return [w for part in parts if part for w in english_words(part)]


# Keys of a Block Kit payload or an Adaptive Card whose strings staff read. Everything else
# is an id, a value sent back, a style or the person's own input (``initial_value``, ``value``).
READ_KEYS = frozenset(
    {"text", "title", "label", "placeholder", "fallbackText", "errorMessage", "altText"}
)
_SLACK_QUOTE = re.compile(r"^\s*(?:&gt;|>) .*$", re.MULTILINE)  # the draft as written
_SLACK_MARKUP = re.compile(r"<[@#!][^>]*>|:[a-z0-9_+-]+:")  # a mention, an emoji code
_SLACK_LINK = re.compile(r"<(\S+?)\|([^>]*)>")
_CONSOLE_QUOTE = re.compile(r"^  │ .*$", re.MULTILINE)  # the draft as written
# A button shown as the command that does the same (「    承認: /approve 8」): typed as is.
_CONSOLE_BUTTON = re.compile(r"^(    [^\n]*?): /[^\n]*$", re.MULTILINE)


def payload_texts(payload: Any) -> list[str]:
    """The strings staff read in a Block Kit payload or an Adaptive Card (as a dict).

    A Teams card's quote (an ``emphasis`` container: the draft as written) is left out.
    """
    found: list[str] = []

    def walk(node: Any, key: str | None) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Container" and node.get("style") == "emphasis":
                return
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in READ_KEYS:
            found.append(node)

    walk(payload, None)
    return found


def slack_words(payload: Any) -> list[str]:
    """The English words in a Block Kit payload (the draft's quoted lines left out)."""
    words: list[str] = []
    for text in payload_texts(payload):
        text = _SLACK_QUOTE.sub(" ", text)
        text = _SLACK_LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
        text = _SLACK_MARKUP.sub(" ", text)
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        words += english_words(text)
    return words


def form_error_words(errors: dict[str, str]) -> list[str]:
    """The English words of a modal's ``response_action: errors`` (block id → message)."""
    return [w for message in errors.values() for w in english_words(message)]


def teams_words(card: Any) -> list[str]:
    """The English words of an Adaptive Card (a ``microsoft_teams.cards`` model)."""
    payload = card.model_dump(by_alias=True, exclude_none=True)
    return [w for text in payload_texts(payload) for w in english_words(text)]


def console_words(text: str) -> list[str]:
    """The English words of a console rendering (the draft's quoted lines left out)."""
    return english_words(_CONSOLE_BUTTON.sub(r"\1", _CONSOLE_QUOTE.sub(" ", text)))


def cli_words(text: str) -> list[str]:
    """The English words of a command line's output; of a JSON document, in its values only
    (its keys are the format's, as a CSV export's would be if it had English headers)."""
    try:
        document = json.loads(text)
    except ValueError:
        return english_words(text)
    values: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            values.append(node)

    walk(document)
    return [w for v in values for w in english_words(v)]


# What the counts are called in the summary line, in the order shown.
SURFACES = {
    "message": "core messages",
    "console": "console",
    "slack.blocks": "Slack Block Kit messages",
    "slack.view": "Slack views",
    "teams": "Teams cards",
    "cli": "command-line outputs",
}


def _from_a_test(depth: int) -> bool:
    """Whether the caller ``depth`` frames up is a test module (its input is the test's)."""
    name = sys._getframe(depth + 1).f_globals.get("__name__", "")
    return bool(name.startswith("tests."))


class _Tee:
    """A stream that records what is written to it and passes everything on."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return int(self.inner.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Recorder:
    """Every message staff read while the tests run, with the test that rendered it.

    A reply, a notification or a console line is an ``OutMessage`` first; each surface then
    renders it with words of its own (a Slack modal's labels, a Teams card's headings, a
    command line's ``--help``). The recorder wraps each of those renderers (:meth:`install`)
    and checks what they produced.
    """

    def __init__(self) -> None:
        self.test = "(outside a test)"
        self.counts: dict[str, int] = dict.fromkeys(SURFACES, 0)
        self.offenders: list[tuple[str, list[str], str]] = []  # (test, words, message)
        self._restore: list[tuple[Any, str, Any]] = []
        self._depth = 0  # inside a wrapped renderer: what it calls is part of its output
        # (kind, title) of the messages tests wrote: their renderings are the test's too,
        # also after a trip through the outbox (``from_dict``).
        self._tests_messages: set[tuple[str, str]] = set()

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        return ", ".join(f"{SURFACES[s]} {n}" for s, n in self.counts.items())

    # --- wrapping the renderers ------------------------------------------------------

    def _replace(self, owner: Any, name: str, new: Any) -> None:
        self._restore.append((owner, name, getattr(owner, name)))
        setattr(owner, name, new)

    def _renders_a_tests_message(self, args: tuple[Any, ...]) -> bool:
        return any(
            isinstance(a, OutMessage) and (a.kind, a.title) in self._tests_messages for a in args
        )

    def _replace_everywhere(self, name: str, original: Any, new: Any) -> None:
        """Replace ``original`` in every module that holds it as ``name``."""
        for module in list(sys.modules.values()):
            try:
                held = getattr(module, name, None)
            except Exception:  # a lazy module that cannot be inspected
                continue
            if held is original:
                self._replace(module, name, new)

    def _wrap(self, module: Any, name: str, surface: str, words: Any) -> None:
        """Wrap ``module.name`` (and every module that imported it by name) so that what it
        returns is checked with ``words`` as one rendering on ``surface``."""
        original = getattr(module, name)
        recorder = self

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if recorder._depth or _from_a_test(1) or recorder._renders_a_tests_message(args):
                return original(*args, **kwargs)
            recorder._depth += 1
            try:
                result = original(*args, **kwargs)
            finally:
                recorder._depth -= 1
            recorder.saw_rendering(surface, words(result), result)
            return result

        self._replace_everywhere(name, original, wrapper)

    def _wrap_main(self, module: Any, name: str = "main") -> None:
        """Wrap a command line's ``main``: what it writes to stdout and stderr is checked."""
        original = getattr(module, name)
        recorder = self

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if recorder._depth:
                return original(*args, **kwargs)
            out, err = _Tee(sys.stdout), _Tee(sys.stderr)
            sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
            recorder._depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                recorder._depth -= 1
                sys.stdout, sys.stderr = out.inner, err.inner
                recorder.saw_cli("".join(out.parts), "".join(err.parts))

        self._replace_everywhere(name, original, wrapper)

    def install(self) -> None:
        import argparse

        import bot.cli
        import handlers.console.render
        import handlers.slack.blocks
        import handlers.slack.render
        import handlers.teams.__main__
        import handlers.teams.forms
        import handlers.teams.render
        import rules.cli

        original = OutMessage.__init__
        recorder = self

        @functools.wraps(original)
        def init(message: OutMessage, *args: Any, **kwargs: Any) -> None:
            original(message, *args, **kwargs)
            # Messages a test writes itself are not the product's; one read back from the
            # outbox (``from_dict``) was recorded when the product built it.
            caller = sys._getframe(1)
            if caller.f_globals.get("__name__", "").startswith("tests."):
                recorder._tests_messages.add((message.kind, message.title))
                return
            if caller.f_code.co_name == "from_dict":
                return
            recorder.saw(message)

        self._replace(OutMessage, "__init__", init)
        self._wrap(handlers.console.render, "render", "console", console_words)
        slack, teams = handlers.slack.render, handlers.teams
        self._wrap(slack, "message_blocks", "slack.blocks", slack_words)
        self._wrap(slack, "home_view", "slack.view", slack_words)
        self._wrap(slack, "form_errors", "slack.view", form_error_words)
        self._wrap(handlers.slack.blocks, "modal", "slack.view", slack_words)
        self._wrap(teams.render, "render_card", "teams", teams_words)
        for card in ("form_card", "account_card", "incident_card", "custody_card", "link_card"):
            self._wrap(teams.forms, card, "teams", teams_words)
        for main in (bot.cli, rules.cli, handlers.teams.__main__):
            self._wrap_main(main)

        # argparse's own output (help, usage, errors) wherever a parser is used in-process.
        print_message = argparse.ArgumentParser._print_message

        def print_and_record(parser: Any, message: str, file: Any = None) -> None:
            print_message(parser, message, file)
            if message and not recorder._depth:
                recorder.saw_cli(message)

        self._replace(argparse.ArgumentParser, "_print_message", print_and_record)

    def uninstall(self) -> None:
        while self._restore:
            owner, name, original = self._restore.pop()
            setattr(owner, name, original)

    # --- checking --------------------------------------------------------------------

    def saw(self, message: OutMessage) -> None:
        self.counts["message"] += 1
        words = message_words(message)
        if words:
            self.offenders.append((self.test, words, message.plain_text()))

    def saw_rendering(self, surface: str, words: list[str], shown: Any) -> None:
        self.counts[surface] += 1
        if words:
            self.offenders.append((self.test, words, f"({SURFACES[surface]}) {shown!r}"[:3000]))

    def saw_cli(self, *outputs: str) -> None:
        """A command line's output (stdout, stderr): run in this process or as a child."""
        text = "\n".join(o for o in outputs if o)
        if not text:
            return
        self.saw_rendering("cli", cli_words(text), text)


RECORDER = Recorder()

"""What staff read must be Japanese: the one allow-list of ASCII words it may contain.

A message may name commands (``/approve``, ``--from``), identifiers (handles, account and
department codes, option keys such as ``account=``), URLs, clauses and the names of the
media themselves; every other ASCII-letter word is English that slipped through.
``english_words(text)`` returns those words.
"""

from __future__ import annotations

import functools
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
_ACTION_ID = re.compile(r"\b[a-z]+(?:\.[a-z_]+)+\b")  # draft.approve, an action id echoed
_ENV = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # AUDIT_SIGNING_KEY, a setting's name
_CODEPOINT = re.compile(r"\bU\+[0-9A-F]{4,6}\b")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")  # a signature
# What a platform answered when a delivery failed, shown as recorded to the administrator.
_RECORDED = re.compile(r"原因の記録: [^）\n]*")
_HASH = re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{8,64}\b")  # a text hash, an audit digest
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]")


def english_words(text: str) -> list[str]:
    """The ASCII-letter words of ``text`` that are neither commands, identifiers nor URLs."""
    for pattern in (
        _PROGRAM,
        _PATH,
        _QUOTED,
        _DATETIME,
        _URL,
        _COMMAND,
        _OPTION,
        _KEY,
        _HANDLE,
        _VERSION,
        _HASH,
        _ACTION_ID,
        _ENV,
        _CODEPOINT,
        _BASE64,
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


class Recorder:
    """Every ``OutMessage`` built while the tests run, with the test that built it.

    Every message staff read — a reply, a notification, a console line, a Slack or Teams
    card — is an ``OutMessage`` first, so recording its construction sees all of them.
    """

    def __init__(self) -> None:
        self.test = "(outside a test)"
        self.count = 0
        self.offenders: list[tuple[str, list[str], str]] = []  # (test, words, message)
        self._original: Any = None

    def install(self) -> None:
        original = self._original = OutMessage.__init__
        recorder = self

        @functools.wraps(original)
        def init(message: OutMessage, *args: Any, **kwargs: Any) -> None:
            original(message, *args, **kwargs)
            # Messages a test writes itself are not the product's; one read back from the
            # outbox (``from_dict``) was recorded when the product built it.
            caller = sys._getframe(1)
            if caller.f_code.co_name == "from_dict" or caller.f_globals.get(
                "__name__", ""
            ).startswith("tests."):
                return
            recorder.saw(message)

        OutMessage.__init__ = init  # type: ignore[method-assign]

    def uninstall(self) -> None:
        if self._original is not None:
            OutMessage.__init__ = self._original  # type: ignore[method-assign]
            self._original = None

    def saw(self, message: OutMessage) -> None:
        self.count += 1
        words = message_words(message)
        if words:
            self.offenders.append((self.test, words, message.plain_text()))

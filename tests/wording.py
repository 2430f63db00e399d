"""What staff read must be Japanese: the one allow-list of ASCII words it may contain.

A message may name commands (``/approve``, ``--from``), identifiers (handles, account and
department codes, option keys such as ``account=``), URLs, clauses and the names of the
media themselves; every other ASCII-letter word is English that slipped through.
``english_words(text)`` returns those words.
"""

from __future__ import annotations

import re

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
        "admin",
        "xoxb",
    }
)

_PROGRAM = re.compile(r"python -m [\w.]+")
_PATH = re.compile(r"\b(?:docs|build|handlers|bot|rules)/[\w./-]+")
_URL = re.compile(r"https?://\S+|www\.[\w.-]+|\b[\w.-]+\.(?:example|jp|com|me|net|app)\b\S*")
_COMMAND = re.compile(r"(?<![A-Za-z0-9])[/／][A-Za-z][\w-]*")
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_QUOTED = re.compile(r"'[^'\n]*'|「[^」\n]*」|\"[^\"\n]*\"")  # what the person typed
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2})?)?")
_KEY = re.compile(r"\b[a-z_]+(?==)")
_HANDLE = re.compile(r"@[\w.-]+")
_VERSION = re.compile(r"\bv\d+\b")
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
    ):
        text = pattern.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in ALLOWED]

"""Log lines that never carry draft text, finding excerpts, names, tokens or secrets.

Draft texts hold personal information and the guideline's findings quote it; both reach
code that logs (frameworks log request bodies, exception messages quote their input). Our
own log calls pass ids only, but that alone is not a guarantee, so every log record is
scrubbed when it is created, whichever handler later writes it:

* **Exceptions** — ``exc_info`` and ``stack_info`` are replaced by the exception type and
  where it was raised (``file:line:function``, innermost first); the exception message and
  the traceback text are never written (they quote the data they failed on).
* **Other libraries' records** (Bolt, slack_sdk, waitress, APScheduler, the Teams SDK…,
  and Bolt's logger ``handlers.slack.bolt``) keep only the words before the first data
  delimiter (``(``, ``{``, ``[``, a quote, ``=``, ``": "``, a line break), at most
  120 characters: "Invalid request signature detected (… body: …)" becomes
  "Invalid request signature detected […]". Bolt logs failed signature checks with the raw
  request body at INFO, and slack_sdk logs every Web API call with its arguments at DEBUG.
* **Our records** (``bot``, ``handlers``, ``rules``) keep their template; each string
  argument has control characters escaped (one record, one line: a request cannot forge log
  lines) and is cut at 200 characters.
* **uvicorn's access log** (``uvicorn.access``, the Teams web process) keeps its five
  arguments, because uvicorn's own formatter unpacks them (with none it fails on every
  request and prints a traceback instead of the line): client address, method, the path
  without its query string, HTTP version and status, each cut and escaped as ours are.
* **Secrets**, everywhere: the values of environment variables whose names say TOKEN,
  SECRET, PASSWORD or KEY, Slack tokens (``xox?-``, ``xapp-``), bearer tokens, JWTs, request
  signatures, response_url paths and database URL passwords become ``[redacted]``.

``install()`` is called by every entry point (``python -m bot``, ``python -m handlers.slack``,
``python -m handlers.teams``); tests call it through a fixture.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
from collections.abc import Callable
from typing import Any

OWN_PREFIXES = ("bot", "handlers", "rules")
# Loggers under our names that carry a framework's own messages.
FOREIGN_UNDER_OWN = ("handlers.slack.bolt",)
FOREIGN_MAX = 120
ARG_MAX = 200
REDACTED = "[redacted]"
WITHHELD = " […]"

_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL", re.IGNORECASE)
_SECRET_PATTERNS = [
    re.compile(r"xox[a-z]-[A-Za-z0-9-]+"),
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
    re.compile(r"v0=[0-9a-fA-F]{16,}"),
    re.compile(r"(?<=hooks\.slack\.com)/[^\s'\"),]+"),
    re.compile(r"(?<=hooks\.slack-gov\.com)/[^\s'\"),]+"),
    re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"),  # user:password@ in URLs
]
_FOREIGN_CUT = re.compile(r"[(\[{'\"=\n\r\t]|: ")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_MARK = "_guideline_scrubbed"
ACCESS_LOGGER = "uvicorn.access"
ACCESS_TEMPLATE = '%s - "%s %s HTTP/%s" %d'  # uvicorn's (protocols/http/*_impl.py)


def _own(name: str) -> bool:
    if any(name == p or name.startswith(p + ".") for p in FOREIGN_UNDER_OWN):
        return False
    return any(name == p or name.startswith(p + ".") for p in OWN_PREFIXES)


def _env_secrets() -> list[str]:
    return sorted(
        (v for k, v in os.environ.items() if _SECRET_NAME.search(k) and len(v) >= 8),
        key=len,
        reverse=True,
    )


def redact(text: str, secrets: list[str] | None = None) -> str:
    """``text`` with every known secret value and token-shaped string replaced."""
    for value in _env_secrets() if secrets is None else secrets:
        text = text.replace(value, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")


def _clean_arg(value: Any) -> Any:
    if isinstance(value, str):
        cut = value[:ARG_MAX] + ("…" if len(value) > ARG_MAX else "")
        return _CONTROL.sub(_escape, cut)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return _clean_arg(str(value))  # dicts, lists, objects: their text, cut and escaped


def where(error: BaseException) -> str:
    """``file:line:function`` of the last frames of ``error``, innermost first."""
    frames = traceback.extract_tb(error.__traceback__)[-5:]
    return " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in reversed(frames)
    )


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a bad format string: the template alone
        return str(record.msg)


def _access_args(args: Any) -> tuple[Any, ...] | None:
    """uvicorn's access-log arguments, the path without its query; None if not that shape."""
    if not isinstance(args, tuple) or len(args) != 5:
        return None
    client, method, path, version, status = args
    return (
        _clean_arg(redact(str(client))),
        _clean_arg(str(method)),
        _clean_arg(redact(str(path).split("?", 1)[0])),
        _clean_arg(str(version)),
        status if isinstance(status, int) else _clean_arg(str(status)),
    )


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite ``record`` in place as described in the module docstring; returns it."""
    if getattr(record, _MARK, False):
        return record
    setattr(record, _MARK, True)
    if record.name == ACCESS_LOGGER and record.msg == ACCESS_TEMPLATE and not record.exc_info:
        access = _access_args(record.args)
        if access is not None:
            record.args = access
            record.stack_info = None
            return record
    if _own(record.name):
        if isinstance(record.args, tuple):
            record.args = tuple(_clean_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean_arg(v) for k, v in record.args.items()}
        text = _message(record)
    else:
        full = _message(record)
        cut = _FOREIGN_CUT.search(full)
        text = full[: cut.start()] if cut else full
        text = text[:FOREIGN_MAX].rstrip()
        if len(text) < len(full):
            text += WITHHELD
    if record.exc_info:
        error = record.exc_info[1]
        if error is not None:
            text += f" exc={type(error).__qualname__} at={where(error) or '-'}"
        record.exc_info = None
    record.exc_text = None
    record.stack_info = None
    record.msg = redact(text)
    record.args = None
    return record


class LogScrubber(logging.Filter):
    """A logging filter that scrubs every record it sees (it never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


_previous_factory: Callable[..., logging.LogRecord] | None = None


def install() -> None:
    """Scrub every log record at creation, whichever logger and handler (idempotent)."""
    global _previous_factory
    if _previous_factory is not None:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub(previous(*args, **kwargs))

    _previous_factory = previous
    logging.setLogRecordFactory(factory)


def uninstall() -> None:
    """Restore the record factory ``install`` replaced (tests)."""
    global _previous_factory
    if _previous_factory is not None:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None

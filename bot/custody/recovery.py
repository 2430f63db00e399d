"""Is a recovery address a role mailbox / department phone, or a person's own? (5(10))

A recovery e-mail or phone that belongs to one person leaves with that person (人事異動)
and lets them reset the account from outside. The heuristic, in order:

E-mail — personal when
  1. the domain is a free-mail service (the content check's ``freemail_domains`` list);
  2. it is the address of a person in the directory (``people.email``): an individual's
     work address, not a shared one;
  3. its local part is neither a role mailbox name (the content check's
     ``role_mailboxes`` list: info, contact, …) nor names a department of the directory
     (``kanko@…``, ``kanko-sns@…``, ``sns.kanko@…``) nor starts with a common shared
     prefix (sns, koho, kouhou, office, group, team, account).
  Otherwise it is treated as a role mailbox.

Phone — personal when it is a mobile number (070 / 080 / 090) that is not one of the
city's published numbers (the content check's ``public_numbers`` list, also its
prefixes). Landlines and 050 IP phones are taken as department phones.

The flag is a prompt, not a verdict: the manager fixes the address, and the reminder
stops when the record points at a shared address.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rules import Config, default_checker

_SHARED_PREFIXES = ("sns", "koho", "kouhou", "office", "group", "team", "account", "official")
_MOBILE = re.compile(r"^0[789]0[0-9]{8}$")


def _config() -> Config:
    return default_checker().config


def _mail_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(free-mail domains, role-mailbox names) as the content check's personal family loaded
    them (``Checker.data("personal")``, city-editable data files)."""
    data = default_checker().data("personal")
    freemail = frozenset(getattr(data, "freemail_domains", frozenset()))
    roles = frozenset(getattr(data, "role_mailboxes", frozenset()))
    return freemail, roles


def phone_digits(value: str) -> str:
    """The digits of a phone number (full-width digits and separators allowed)."""
    text = unicodedata.normalize("NFKC", value)
    digits = "".join(c for c in text if c.isdigit())
    if text.strip().startswith("+81") and digits.startswith("81"):
        digits = "0" + digits[2:]
    return digits


def personal_email(
    address: str, *, people_emails: Iterable[str], department_codes: Iterable[str]
) -> bool:
    """Whether a recovery e-mail looks like one person's (see the module docstring)."""
    local, _, domain = address.strip().lower().rpartition("@")
    freemail, role_mailboxes = _mail_lists()
    if domain in freemail or any(domain.endswith("." + d) for d in freemail):
        return True
    if address.strip().lower() in {e.strip().lower() for e in people_emails if e}:
        return True
    parts = [p for p in re.split(r"[.\-_+]", local) if p]
    if local in role_mailboxes or any(p in role_mailboxes for p in parts):
        return False
    codes = {c.lower() for c in department_codes}
    if any(p in codes for p in parts) or local in codes:
        return False
    return not local.startswith(_SHARED_PREFIXES)


def personal_phone(number: str) -> bool:
    """Whether a recovery phone looks like a personal mobile (see the module docstring)."""
    digits = phone_digits(number)
    if not _MOBILE.match(digits):
        return False
    cfg = _config()
    return not (
        digits in cfg.public_numbers or any(digits.startswith(p) for p in cfg.public_prefixes)
    )

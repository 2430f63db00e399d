"""Refuse any custody input that looks like a secret (5(10)): it must never be stored.

Two layers, both pure:

1. The content check's security rules (``rules``, public API): every finding of rule
   ``security.password`` (「パスワード: …」, 「暗証番号は1234」, API keys, private keys).
2. Shapes that a secret typed *without* a label has, which the post check does not look
   for because a post never consists of a bare token: a one-time code (6–8 digits alone),
   recovery-code groups (「abcd-1234 efgh-5678」), and a password-like token (8+ visible
   ASCII characters with no spaces mixing at least three of lower case, upper case,
   digits and symbols). Phone numbers written with hyphens, e-mail addresses, URLs and
   dates are taken out before these shape checks.

The refusal message never repeats the input: the person sees which field was refused and
why, and the value goes nowhere (not the database, the audit log, a log line or the reply).
"""

from __future__ import annotations

import re
import unicodedata

from bot.errors import ValidationFailed
from rules import check

SECURITY_RULES = frozenset({"security.password"})

_OTP = re.compile(r"(?<![0-9])[0-9]{6,8}(?![0-9])")
_CODE_GROUP = r"[A-Za-z0-9]{4,5}"
_RECOVERY = re.compile(rf"(?<![A-Za-z0-9]){_CODE_GROUP}(?:[ \-]{_CODE_GROUP}){{1,}}(?![A-Za-z0-9])")
_TOKEN = re.compile(r"[!-~]{8,}")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9()\-]{10,16}$")
_URL = re.compile(r"^https?://", re.IGNORECASE)
# Not secrets, whatever their shape: phone numbers, e-mail addresses, URLs, dates.
_HARMLESS = re.compile(
    r"\+?\(?0[0-9]{1,4}\)?-[0-9]{1,4}-[0-9]{3,4}(?![0-9])"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
    r"|https?://\S+"
    r"|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])",
    re.IGNORECASE,
)


def _classes(token: str) -> int:
    return sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            any(c.isdigit() for c in token),
            any(not c.isalnum() for c in token),
        )
    )


def _recovery_like(match: str) -> bool:
    # Groups of letters only are words (「tele work」); a code sheet mixes digits in.
    groups = re.split(r"[ \-]", match)
    return sum(any(c.isdigit() for c in g) for g in groups) >= 2


def looks_secret(value: str, *, shapes: bool = True) -> bool:
    """Whether ``value`` contains something that looks like a password, code or key.

    ``shapes=False`` runs only the content check's rules (for a whole command line, whose
    ``key=value`` words are not values).
    """
    if not value or not value.strip():
        return False
    text = unicodedata.normalize("NFKC", value)
    if any(f.rule in SECURITY_RULES for f in check(value).findings):
        return True
    if not shapes:
        return False
    text = _HARMLESS.sub(" ", text)
    if _OTP.search(text):
        return True
    if any(_recovery_like(m.group(0)) for m in _RECOVERY.finditer(text)):
        return True
    for m in _TOKEN.finditer(text):
        token = m.group(0).strip("()[]「」.,。、")
        if _EMAIL.match(token) or _URL.match(token) or _PHONE.match(token):
            continue
        if len(token) >= 8 and _classes(token) >= 3:
            return True
    return False


def refusal(label: str, *, clause: str) -> str:
    """The Japanese refusal for one field (never quoting what was typed); ``clause`` is the
    guideline's clause on credentials (``Terms.ref("credentials")``, the seed's 5(10))."""
    return (
        f"「{label}」に、パスワード・認証コード・リカバリーキーなどの認証情報と思われる文字列が"
        f"含まれているため、受け付けませんでした。認証情報そのものは記録しません（{clause}）。"
        "保管場所や担当者など、認証情報を含まない内容だけを入力してください。"
        "入力された内容は保存していません。"
    )


def refuse_secrets(values: dict[str, str | None], labels: dict[str, str], *, clause: str) -> None:
    """Raise ValidationFailed naming every field whose value looks like a secret."""
    fields = {
        name: refusal(labels.get(name, name), clause=clause)
        for name, value in values.items()
        if value is not None and looks_secret(value)
    }
    if fields:
        names = "・".join(f"「{labels.get(n, n)}」" for n in fields)
        raise ValidationFailed(
            f"{names}に認証情報と思われる文字列が含まれているため、何も保存していません。"
            f"パスワード・認証コード・リカバリーキーは記録できません（{clause}）。",
            fields=fields,
        )

"""The audit log's signing key (Ed25519), which never lives in the database.

Every process that writes audit events signs each row's hash with the current key, and the
worker signs checkpoints of the chain head with it (bot.audit.checkpoints). Someone with
write access to the database but not to the processes' environment can then neither
append a row nor rewrite the chain without it showing in ``python -m bot audit verify``.

Configuration (environment, never logged):

- ``AUDIT_SIGNING_KEY``: the private key, base64 of its 32 raw bytes; or
- ``AUDIT_SIGNING_KEY_FILE``: a PEM (PKCS#8) file, as ``python -m bot audit keygen`` writes;
- ``AUDIT_TRUSTED_KEYS``: public keys of earlier (rotated) keys, base64 of 32 raw bytes,
  separated by commas or whitespace; ``AUDIT_TRUSTED_KEYS_FILE``: the same, one a line.
  Rows and checkpoints signed by them keep verifying after a rotation.

A key is named by its id: the first 16 hex digits of SHA-256 over the raw public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bot.cliutil import os_error
from bot.errors import BotError

KEY_ENV = "AUDIT_SIGNING_KEY"
KEY_FILE_ENV = "AUDIT_SIGNING_KEY_FILE"
TRUSTED_ENV = "AUDIT_TRUSTED_KEYS"
TRUSTED_FILE_ENV = "AUDIT_TRUSTED_KEYS_FILE"


class AuditKeyError(BotError):
    """The key configuration cannot be used; ``message`` says which variable and why."""

    code = "audit_key"


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The id a key is named by in rows and checkpoints."""
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def public_text(key: Ed25519PublicKey) -> str:
    """The public key as base64 of its raw bytes (what AUDIT_TRUSTED_KEYS takes)."""
    return base64.b64encode(_raw_public(key)).decode("ascii")


@dataclass(frozen=True)
class Signer:
    """The current private key and its id."""

    private: Ed25519PrivateKey
    key_id: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_id", key_id(self.private.public_key()))

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())


@dataclass(frozen=True)
class KeyRing:
    """The public keys verification trusts, by id (the current one and rotated ones)."""

    keys: Mapping[str, Ed25519PublicKey] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def check(self, kid: str | None, signature: str | None, message: bytes) -> str | None:
        """None if ``signature`` is a valid signature of ``message`` by key ``kid``; else why not."""
        if not signature or not kid:
            return "署名がありません"
        key = self.keys.get(kid)
        if key is None:
            return f"信頼する鍵に含まれない鍵（{kid}）で署名されています"
        try:
            key.verify(base64.b64decode(signature, validate=True), message)
        except (InvalidSignature, binascii.Error, ValueError):
            return "署名が一致しません"
        return None

    @classmethod
    def of(cls, keys: Iterable[Ed25519PublicKey]) -> KeyRing:
        return cls({key_id(k): k for k in keys})


def _private_from_text(text: str, source: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError) as exc:
            raise AuditKeyError(f"{source} の鍵を読めません（PEM 形式の誤り: {exc}）。") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise AuditKeyError(f"{source} の鍵は Ed25519 ではありません。")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise AuditKeyError(f"{source} は base64 ではありません。") from None
    if len(raw) != 32:
        raise AuditKeyError(f"{source} は 32 バイトの Ed25519 秘密鍵（base64）にしてください。")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _public_from_text(text: str, source: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise AuditKeyError(f"{source} の公開鍵 {text[:12]}… は base64 ではありません。") from None
    if len(raw) != 32:
        raise AuditKeyError(f"{source} の公開鍵は 32 バイト（base64）にしてください。")
    return Ed25519PublicKey.from_public_bytes(raw)


def _read(path: str, variable: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii")
    except OSError as exc:
        raise AuditKeyError(
            f"{variable} のファイル {path} を読めません（{os_error(exc)}）。"
        ) from None
    except UnicodeDecodeError:
        raise AuditKeyError(
            f"{variable} のファイル {path} は鍵のファイルではありません。"
        ) from None


def load_signer(env: Mapping[str, str] | None = None) -> Signer | None:
    """The configured signing key, or None when none is configured."""
    env = os.environ if env is None else env
    inline, path = env.get(KEY_ENV, "").strip(), env.get(KEY_FILE_ENV, "").strip()
    if inline and path:
        raise AuditKeyError(
            f"{KEY_ENV} と {KEY_FILE_ENV} の両方が設定されています。一方だけにしてください。"
        )
    if inline:
        return Signer(_private_from_text(inline, KEY_ENV))
    if path:
        return Signer(_private_from_text(_read(path, KEY_FILE_ENV), f"{KEY_FILE_ENV}（{path}）"))
    return None


def load_keyring(env: Mapping[str, str] | None = None, signer: Signer | None = None) -> KeyRing:
    """The current key's public half and every trusted (rotated) public key."""
    env = os.environ if env is None else env
    keys: list[Ed25519PublicKey] = [signer.public] if signer else []
    texts: list[tuple[str, str]] = [
        (t, TRUSTED_ENV) for t in re.split(r"[\s,]+", env.get(TRUSTED_ENV, "")) if t
    ]
    if path := env.get(TRUSTED_FILE_ENV, "").strip():
        for line in _read(path, TRUSTED_FILE_ENV).splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                texts.append((line, f"{TRUSTED_FILE_ENV}（{path}）"))
    keys.extend(_public_from_text(t, source) for t, source in texts)
    return KeyRing.of(keys)


# The process's key, read from the environment on first use. The composition root (or a
# test) may install another with ``use``.
_UNSET = object()
_current: object = _UNSET


def current_signer() -> Signer | None:
    """The signing key of this process (None: audit rows and checkpoints go unsigned)."""
    global _current
    if _current is _UNSET:
        _current = load_signer()
    return _current  # type: ignore[return-value]


def current_keyring() -> KeyRing:
    """The keys this process trusts when verifying."""
    return load_keyring(signer=current_signer())


def use(signer: Signer | None) -> None:
    """Install ``signer`` as this process's key (tests, the composition root)."""
    global _current
    _current = signer


def reset() -> None:
    """Forget the installed key: the next use reads the environment again."""
    global _current
    _current = _UNSET


def write_key_file(path: Path, signer: Signer) -> None:
    """Write ``signer`` as a PEM file readable by its owner only; refuses to overwrite."""
    pem = signer.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


UNSIGNED_NOTICE = (
    "監査ログの署名鍵が設定されていません（AUDIT_SIGNING_KEY または AUDIT_SIGNING_KEY_FILE）。"
    "行とチェックポイントは署名されず、データベースに書き込める人が末尾の行を消したり、"
    "チェーン全体を計算し直して書き換えたりしても検出できません（検出できるのは"
    "チェーンを計算し直さない編集・削除だけです）。"
    "python -m bot audit keygen で鍵を作成し、docs/security.md の手順で設定してください。"
)


# What is signed. Each statement names its kind, so that a row's signature can never be
# presented as a checkpoint's.
def event_message(row_hash: str) -> bytes:
    """The bytes signed for one audit row: its chain hash (which covers the whole row)."""
    return f"sns-guideline-bot/audit-event/v1\n{row_hash}".encode("ascii")


def checkpoint_message(seq: int, head_hash: str, created_at_utc: str, kid: str) -> bytes:
    """The bytes signed for a checkpoint: chain length, head hash, time (UTC ISO), key id."""
    return (
        f"sns-guideline-bot/audit-checkpoint/v1\n{int(seq)}\n{head_hash}\n{created_at_utc}\n{kid}"
    ).encode("ascii")

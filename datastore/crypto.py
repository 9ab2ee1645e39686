"""Personal identifiers encrypted at rest: AES-256-GCM column type with key ids, for ID and mobile numbers.

A stored value is ``enc1:<key id>:<base64url(12-byte nonce | ciphertext | tag)>``; the column name is
the associated data, so a ciphertext moved into another column does not decrypt. ``EncryptedString``
encrypts on bind and decrypts on read, so repositories and their callers see plain values; bulk loads
that bypass SQLAlchemy's types (the sample loader's executemany) call ``encrypt`` themselves. A value
without the prefix (a database from before encryption) is returned as stored until
``wealthdesk pii rotate-key`` re-encrypts it.

Keys: ``WEALTHDESK_PII_KEY`` = ``kid:base64key[,kid:base64key…]`` (32-byte keys; the first encrypts,
all decrypt), e.g. ``2026a:q83v…=``. Entry points call ``configure(spec)`` from Settings; code that
runs without an entry point (a test fixture, a script) reads the same environment variable, because
this type runs deep inside SQLAlchemy where no settings object can be passed. Unset, a public
development key (id ``dev``) is used with a warning. Rotation: README, "Encryption at rest".
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy.types import String, TypeDecorator

from core.errors import ConfigurationError

PREFIX = "enc1:"
DEV_KID = "dev"
log = logging.getLogger("wealthdesk.crypto")


@dataclass(frozen=True)
class Keyring:
    current: str  # key id used to encrypt
    keys: dict[str, bytes]  # key id -> 32-byte key


def parse_keys(spec: str) -> Keyring:
    """``"kid:base64key,kid2:base64key"`` → Keyring (first key current). Raises ConfigurationError."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        kid, sep, b64 = part.partition(":")
        if not sep or not kid or ":" in kid:
            raise ConfigurationError("WEALTHDESK_PII_KEY entries must look like kid:base64key", field="WEALTHDESK_PII_KEY",
                                     hint="generate one with `wealthdesk pii new-key`")
        try:
            std = b64.replace("-", "+").replace("_", "/")  # accept standard and URL-safe base64
            key = base64.b64decode(std + "=" * (-len(std) % 4), validate=True)
        except ValueError:
            raise ConfigurationError(f"WEALTHDESK_PII_KEY key {kid!r} is not base64", field="WEALTHDESK_PII_KEY",
                                     hint="generate one with `wealthdesk pii new-key`") from None
        if len(key) != 32:
            raise ConfigurationError(f"WEALTHDESK_PII_KEY key {kid!r} has {len(key)} bytes, AES-256 needs 32",
                                     field="WEALTHDESK_PII_KEY", hint="generate one with `wealthdesk pii new-key`")
        keys[kid] = key
        order.append(kid)
    if not order:
        raise ConfigurationError("WEALTHDESK_PII_KEY is empty", field="WEALTHDESK_PII_KEY",
                                 hint="generate one with `wealthdesk pii new-key`")
    return Keyring(current=order[0], keys=keys)


def dev_keyring() -> Keyring:
    return Keyring(current=DEV_KID, keys={DEV_KID: hashlib.sha256(b"wealthdesk-development-pii-key").digest()})


def new_key_spec(kid: str | None = None) -> str:
    """A fresh ``kid:base64key`` entry (random 32-byte key)."""
    import datetime as dt

    kid = kid or dt.date.today().strftime("k%Y%m%d")
    return f"{kid}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


_ring: Keyring | None = None
_lock = threading.Lock()


def configure(spec: str | None) -> None:
    """Set the process keyring from the settings value (None = the development key)."""
    global _ring
    ring = parse_keys(spec) if spec else None
    with _lock:
        _ring = ring or _dev_with_warning()


def _dev_with_warning() -> Keyring:
    log.warning("WEALTHDESK_PII_KEY is not set: ID and mobile numbers are encrypted with the public development key")
    return dev_keyring()


def keyring() -> Keyring:
    global _ring
    with _lock:
        if _ring is None:
            spec = os.environ.get("WEALTHDESK_PII_KEY")
            _ring = parse_keys(spec) if spec else _dev_with_warning()
        return _ring


def encrypt(value: str | None, purpose: str) -> str | None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if value is None or value == "" or str(value).startswith(PREFIX):
        return value
    ring = keyring()
    nonce = secrets.token_bytes(12)
    ct = AESGCM(ring.keys[ring.current]).encrypt(nonce, str(value).encode("utf-8"), purpose.encode())
    return f"{PREFIX}{ring.current}:{base64.urlsafe_b64encode(nonce + ct).decode().rstrip('=')}"


def key_id(stored: str | None) -> str | None:
    """The key id of a stored value (None for plain, legacy values)."""
    if not stored or not stored.startswith(PREFIX):
        return None
    return stored[len(PREFIX):].split(":", 1)[0]


def decrypt(stored: str | None, purpose: str) -> str | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if stored is None or not stored.startswith(PREFIX):
        return stored
    kid, _, blob = stored[len(PREFIX):].partition(":")
    key = keyring().keys.get(kid)
    if key is None:
        raise ConfigurationError(f"personal data is encrypted with key {kid!r}, which WEALTHDESK_PII_KEY does not hold",
                                 field="WEALTHDESK_PII_KEY", hint=f"add the {kid}:… entry back (after the current key)")
    raw = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], purpose.encode()).decode("utf-8")
    except InvalidTag:
        raise ConfigurationError(f"a {purpose} value does not decrypt with key {kid!r} (wrong key or tampered data)",
                                 field="WEALTHDESK_PII_KEY", hint="check the key for that id") from None


class EncryptedString(TypeDecorator[str]):
    """A string column stored encrypted (see the module docstring); ``purpose`` is the associated data."""

    impl = String
    cache_ok = True

    def __init__(self, length: int = 128, *, purpose: str) -> None:
        super().__init__(length)
        self.purpose = purpose

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return encrypt(value, self.purpose)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return decrypt(value, self.purpose)

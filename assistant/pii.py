"""Mask personal data before text leaves for a non-loopback LLM endpoint, and restore it in the answer.

What counts:
- client (and RM) names — from a ``NameDirectory`` that re-reads the database when clients change, so a
  client imported after start is masked too;
- resident ID numbers: 18 characters whose birth-date part is a plausible date, **whatever the check
  digit** (a mistyped ID number is still personal data), also written in groups (``110105 19491231 002X``);
- mobile numbers (1[3-9] + 9 digits, optional +86), also spaced or dashed (``138 1234 5678``, ``138-1234-5678``);
- bank-card numbers (16–19 digits, Luhn valid), also in groups of four (``6222 0212 3456 7890``).
Fund codes, amounts and dates are left alone (they are shorter, or fail the checks).

Related persons: the ``clients`` table has no family members or contacts, so only the clients' own
names (and RMs') are masked; add related names to ``NameDirectory`` when the schema gains them.

>>> m = Masker(names=["张伟"])
>>> m.mask("张伟 138 1234 5678")
'«NAME_1» «PHONE_1»'
>>> m.restore("«NAME_1»的组合")
'张伟的组合'
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlparse

from core.identifiers import is_valid_id_number as id_card_valid
from core.identifiers import is_valid_luhn as luhn_valid

__all__ = ["Masker", "NameDirectory", "id_card_valid", "is_loopback_url", "luhn_valid"]

_SEP = r"[ \-\u00a0]?"  # one optional space, dash or no-break space between digit groups
# ID: 6-digit area, birth date YYYYMMDD (19xx/20xx), 3-digit sequence, check character; groups may be
# separated (6-8-4 is how people write them).
_ID_RE = re.compile(
    rf"(?<![0-9A-Za-z])\d{{6}}{_SEP}(?:19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]){_SEP}\d{{3}}[0-9Xx]"
    r"(?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{16,19}|\d{4}(?:[ \-]\d{4}){3}(?:[ \-]\d{1,3})?)(?![0-9A-Za-z])")
_PHONE_RE = re.compile(
    rf"(?<![0-9A-Za-z])(?:\+?86{_SEP})?1[3-9]\d(?:\d{{8}}|{_SEP}\d{{4}}{_SEP}\d{{4}})(?![0-9A-Za-z])")
_TOKEN_RE = re.compile(r"«(NAME|ID|PHONE|CARD)_(\d+)»")


def is_loopback_url(url: str | None) -> bool:
    """True when the URL's host is ``localhost`` or a loopback IP address (127.0.0.0/8, ::1).

    The host is parsed as an IP address, not matched as text: ``http://127.evil.example/v1`` is a
    remote name that merely starts with "127." and gets masked data."""
    if not url:
        return True
    try:
        host = (urlparse(url).hostname or "").lower().rstrip(".")
    except ValueError:  # malformed URL (e.g. bad IPv6 brackets): not loopback
        return False
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class Masker:
    """Replaces personal data with stable tokens («NAME_1», «ID_1», …) and maps them back.

    One instance per conversation turn, so the same value always gets the same token in every message.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        # Longest first so "欧阳娜娜" is masked before a shorter name that is a substring of it.
        self._names = sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True)
        self._forward: dict[str, str] = {}
        self._back: dict[str, str] = {}

    def _token(self, kind: str, value: str) -> str:
        key = f"{kind}:{value}"
        if key not in self._forward:
            n = sum(1 for k in self._forward if k.startswith(kind + ":")) + 1
            token = f"«{kind}_{n}»"
            self._forward[key] = token
            self._back[token] = value
        return self._forward[key]

    def mask(self, text: str) -> str:
        if not text:
            return text
        text = _ID_RE.sub(lambda m: self._token("ID", m.group()), text)
        text = _CARD_RE.sub(lambda m: self._token("CARD", m.group()) if luhn_valid(_digits(m.group())) else m.group(),
                            text)
        text = _PHONE_RE.sub(lambda m: self._token("PHONE", m.group()), text)
        for name in self._names:
            if name in text:
                text = text.replace(name, self._token("NAME", name))
        return text

    def restore(self, text: str) -> str:
        if not text or "«" not in text:
            return text
        return _TOKEN_RE.sub(lambda m: self._back.get(m.group(), m.group()), text)

    def restore_obj(self, obj: object) -> object:
        """Restore tokens inside nested dicts/lists (tool-call arguments)."""
        if isinstance(obj, str):
            return self.restore(obj)
        if isinstance(obj, dict):
            return {k: self.restore_obj(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.restore_obj(v) for v in obj]
        return obj

    @property
    def masked_count(self) -> int:
        return len(self._forward)


class NameDirectory:
    """Personal names to mask, re-read from the database when it changes (not a start-time snapshot).

    ``load`` returns the names; ``fingerprint`` is a cheap query (row counts) checked at most every
    ``check_s`` seconds, and a full reload also happens every ``max_age_s`` (renames keep the count).
    """

    def __init__(self, load: Callable[[], Iterable[str]], fingerprint: Callable[[], object] | None = None, *,
                 check_s: float = 2.0, max_age_s: float = 60.0) -> None:
        self._load, self._fingerprint = load, fingerprint
        self.check_s, self.max_age_s = check_s, max_age_s
        self._names: tuple[str, ...] = ()
        self._fp: object = None
        self._loaded_at = self._checked_at = -1e9
        self._lock = threading.Lock()
        self._busy = threading.local()  # a log line written while we query must not recurse into us

    def names(self) -> tuple[str, ...]:
        if getattr(self._busy, "on", False):
            return self._names
        now = time.monotonic()
        if now - self._checked_at < self.check_s and now - self._loaded_at < self.max_age_s:
            return self._names
        with self._lock:
            self._busy.on = True
            try:
                self._checked_at = now
                fp = self._fingerprint() if self._fingerprint is not None else None
                if fp != self._fp or fp is None or now - self._loaded_at >= self.max_age_s:
                    self._names = tuple(sorted({n for n in self._load() if n and len(n) >= 2}))
                    self._fp, self._loaded_at = fp, now
            except Exception:  # noqa: BLE001 - database briefly unavailable: keep the last names
                pass
            finally:
                self._busy.on = False
        return self._names


_directories: dict[int, NameDirectory] = {}
_dir_lock = threading.Lock()


def name_directory(engine: object) -> NameDirectory:
    """The process's ``NameDirectory`` of client and RM names for ``engine`` (one per engine)."""
    from datastore.repositories.lexicon import names_fingerprint
    from datastore.repositories.users import person_names

    with _dir_lock:
        d = _directories.get(id(engine))
        if d is None:
            d = _directories[id(engine)] = NameDirectory(lambda: person_names(engine),  # type: ignore[arg-type]
                                                         lambda: names_fingerprint(engine))  # type: ignore[arg-type]
        return d

"""Mask personal data before text leaves for a non-loopback LLM endpoint, and restore it in the answer.

What counts: client names (from the caller's book), resident ID numbers (GB 11643, check digit must be
valid), mobile numbers (1[3-9] + 9 digits, optional +86), bank-card numbers (16–19 digits, Luhn valid).
Only identifiers that pass their check digit are masked, so fund codes, amounts and dates are left alone.

>>> m = Masker(names=["张伟"])
>>> m.mask("张伟 13812345678")
'«NAME_1» «PHONE_1»'
>>> m.restore("«NAME_1»的组合")
'张伟的组合'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlparse

from core.identifiers import is_valid_id_number as id_card_valid
from core.identifiers import is_valid_luhn as luhn_valid

_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")
_TOKEN_RE = re.compile(r"«(NAME|ID|PHONE|CARD)_(\d+)»")


def is_loopback_url(url: str | None) -> bool:
    """True for http://127.x, ::1 and localhost endpoints (personal data may go there unmasked)."""
    if not url:
        return True
    host = (urlparse(url).hostname or "").lower()
    return host == "localhost" or host.startswith("127.") or host == "::1"


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
        text = _ID_RE.sub(lambda m: self._token("ID", m.group()) if id_card_valid(m.group()) else m.group(), text)
        text = _PHONE_RE.sub(lambda m: self._token("PHONE", m.group()), text)
        text = _CARD_RE.sub(lambda m: self._token("CARD", m.group()) if luhn_valid(m.group()) else m.group(), text)
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

"""Number-grounding verifier: every figure in a generated text must come from a tool result.

``verify(text, facts)`` returns the figures in ``text`` that no number in ``facts`` supports (an empty
list means the text is grounded). ``facts`` is any JSON-like structure of tool results: dicts, lists,
tuples, pydantic models, numbers, numeric strings such as ``"12.35万"`` or ``"12.34%"``, numpy scalars,
pandas objects.

What counts as a figure
-----------------------
A run of digits (``1,234,567.89``, full-width digits too) with an optional sign and an optional unit:
``%`` ``％`` ``‰`` ``个百分点``/``pp`` (percent points), ``bp``/``个基点``, ``万`` ``亿`` ``万亿`` ``千``
``百万`` ``千万`` (each optionally followed by ``元``), ``元``, ``倍``/``x``/``×``, ``thousand``/``k``,
``million``/``mn``, ``billion``/``bn``.

Not figures (never reported, never need a fact):

* dates and times: ``2025-06-30``, ``14:05``, ``2025/6/30``, ``2025年6月30日``, ``2025年``, ``6月30日``, ``6月``, ``June 30,
  2025``, bare four-digit years 1900–2100 without a unit;
* identifiers: digits touching an ASCII letter or ``_`` (``C0001``, ``RM001``, ``R3``, ``FY2024``,
  ``600519.SH``, ``T+1``), standard numbers (``GB 32100-2015``), bare digit strings of six or more digits without separators, decimals or unit
  (fund codes ``000001``, id numbers), bracketed citation marks ``[3]``;
* ordinals and ranks: ``第3``, ``前20大``/``前20名``, ``Top 20``;
* time windows: ``近3年``, ``过去12个月``, ``最近6个月``, ``未来12个月``, ``3个月``, ``12-month``;
* small counts and list markers: bare integers 0–10 without a unit or decimals (``3只基金``, ``1.``).

Matching
--------
A figure is grounded when some fact value ``f`` rounds to the displayed value at the displayed number
of decimals: ``|f·s − x| ≤ ½·10^−d`` for one of the scales ``s`` its unit allows:

* ``%``: ``s = 100`` (fraction facts, ``0.1234`` ↔ ``12.34%``) or ``s = 1`` (facts already in percent);
  ``‰``: 1000 or 1; ``bp``: 10000 or 1; percent points like ``%``.
* ``万``: ``s = 1e-4`` (yuan facts, ``123456`` ↔ ``12.35万``) or ``s = 1`` (facts already in 万);
  ``亿`` 1e-8 or 1, ``千`` 1e-3, ``百万``/``million`` 1e-6, ``千万`` 1e-7, ``万亿``/``billion`` 1e-12/1e-9.
* ``元``, ``倍``, no unit: ``s = 1``.

Sign convention: Chinese (and much English) states direction in words — 亏损 5.6%, 下降, 回撤, "a loss
of", "down" — so a figure written **without** a sign matches a fact of either sign by absolute value
(``亏损5.6%`` ↔ ``-0.056``). A figure written **with** an explicit sign (``-5.6%``, ``+3.2%``) must agree
with the fact's sign. The verifier does not read the words around a number: it cannot tell "上涨5.6%"
from "下跌5.6%"; that is the narrative template's job. Numbers spelled in words (三成, 百分之十) are not
detected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from core.errors import GroundingError

# unit text → (canonical unit, scales a fact may be multiplied by to be compared with the display)
_PCT = (100.0, 1.0)
_UNITS: dict[str, tuple[str, tuple[float, ...]]] = {
    "%": ("%", _PCT),
    "个百分点": ("pp", _PCT),
    "百分点": ("pp", _PCT),
    "pp": ("pp", _PCT),
    "‰": ("‰", (1000.0, 1.0)),
    "个基点": ("bp", (10000.0, 1.0)),
    "基点": ("bp", (10000.0, 1.0)),
    "bps": ("bp", (10000.0, 1.0)),
    "bp": ("bp", (10000.0, 1.0)),
    "万亿": ("万亿", (1e-12, 1.0)),
    "千万": ("千万", (1e-7, 1.0)),
    "百万": ("百万", (1e-6, 1.0)),
    "亿": ("亿", (1e-8, 1.0)),
    "万": ("万", (1e-4, 1.0)),
    "千": ("千", (1e-3, 1.0)),
    "元": ("元", (1.0,)),
    "倍": ("倍", (1.0,)),
    "×": ("倍", (1.0,)),
    "x": ("倍", (1.0,)),
    "thousand": ("千", (1e-3, 1.0)),
    "k": ("千", (1e-3, 1.0)),
    "million": ("百万", (1e-6, 1.0)),
    "mn": ("百万", (1e-6, 1.0)),
    "billion": ("十亿", (1e-9, 1.0)),
    "bn": ("十亿", (1e-9, 1.0)),
}
# Value of one displayed unit in base units, to turn numeric strings inside facts into base values.
_BASE = {
    "%": 0.01,
    "pp": 0.01,
    "‰": 0.001,
    "bp": 0.0001,
    "万亿": 1e12,
    "千万": 1e7,
    "百万": 1e6,
    "亿": 1e8,
    "万": 1e4,
    "千": 1e3,
    "十亿": 1e9,
}

_unit_alt = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
# sign, digits (with thousands separators), decimals, then an optional unit (+ optional 元 after a scale word)
_NUMBER = re.compile(
    r"(?P<sign>[-+])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<sp>\s?)(?P<unit>(?:" + _unit_alt + r")(?![A-Za-z]))?(?P<yuan>元)?",
)
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_EXCLUDED_SPANS = [
    re.compile(r"(?:19|20)\d{2}\s*[-/]\s*\d{1,2}(?:\s*[-/]\s*\d{1,2})?(?!\d)"),  # 2025-06-30, 2025/6
    re.compile(r"(?:19|20)\d{2}\.\d{1,2}\.\d{1,2}(?!\d)"),  # 2025.06.30 (two parts would be a decimal)
    re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?(?:末|初|底|度)?"),
    re.compile(r"\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?(?:末|初|底)?"),
    re.compile(_MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}", re.IGNORECASE),
    re.compile(r"\d{1,2}\s+" + _MONTHS + r"\s+\d{4}", re.IGNORECASE),
    re.compile(r"(?:近|过去|最近|未来|前|后)\s*\d+\s*(?:个交易日|个月|年|月|日|天|周|季度?)"),
    re.compile(r"\d+\s*(?:个月|个交易日|年期|周)"),
    re.compile(
        r"(?:past|last|next|over)\s+\d+\s+(?:trading\s+)?(?:years?|months?|weeks?|days?|quarters?)",
        re.IGNORECASE,
    ),
    re.compile(r"\d+\s*-\s*(?:year|month|week|day)s?\b", re.IGNORECASE),  # 12-month, 3-year
    re.compile(r"第\s*\d+"),
    re.compile(r"前\s*\d+\s*(?:大|名|位)"),
    re.compile(r"top\s*\d+", re.IGNORECASE),
    re.compile(r"\[\d+\]"),
    re.compile(r"\b(?:GB|GB/T|JR/T|ISO)\s*\d+(?:[-.:]\d+)*"),  # standards: GB 32100-2015, GB/T 11714
    re.compile(r"(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?![\d.])"),  # clock times 9:30, 14:05:00
]


@dataclass(frozen=True)
class Mention:
    """One figure found in a text. ``value`` is as displayed (sign applied), ``unit`` canonical or ''."""

    text: str
    value: float
    decimals: int
    unit: str
    signed: bool
    start: int

    @property
    def scales(self) -> tuple[float, ...]:
        return _UNITS[_unit_key(self.unit)][1] if self.unit else (1.0,)

    def base_value(self) -> float:
        """The value in base units (fraction for %, yuan for 万/亿) — used for numeric strings in facts."""
        return self.value * _BASE.get(self.unit, 1.0)


def _unit_key(canonical: str) -> str:
    for key, (canon, _scales) in _UNITS.items():
        if canon == canonical:
            return key
    raise KeyError(canonical)


def normalize(text: str) -> str:
    """Full-width digits/percent/comma → ASCII; the various minus signs → '-'. Keeps offsets 1:1."""
    out = []
    for ch in text:
        if ch in "−－–—":  # minus sign, full-width hyphen, en/em dash used as minus
            out.append("-")
        elif ch in "，、":
            out.append(ch)  # Chinese comma is punctuation, never a thousands separator
        else:
            n = unicodedata.normalize("NFKC", ch)
            out.append(n if len(n) == 1 else ch)
    return "".join(out)


def _excluded_mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    for pattern in _EXCLUDED_SPANS:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                mask[i] = True
    return mask


def _is_identifier(text: str, start: int, end: int) -> bool:
    """Digits glued to letters/underscore (C0001, 600519.SH, T+1, FY2024) belong to an identifier."""
    before = text[start - 1] if start > 0 else ""
    if before in "+-" and start > 1:
        before = text[start - 2]
    if (before.isascii() and (before.isalpha() or before == "_")) or before == ".":
        return True
    if end == start:  # caller checks only the left side (the number carries a unit)
        return False
    after = text[end] if end < len(text) else ""
    if after.isascii() and (after.isalpha() or after == "_"):
        return True
    # 600519.SH: digits, a dot, then letters
    return after == "." and end + 1 < len(text) and text[end + 1].isascii() and text[end + 1].isalpha()


def _glues(ch: str) -> bool:
    """A character that makes a following '-' a dash (5-10%, A-1) rather than a minus sign."""
    return (ch.isascii() and ch.isalnum()) or ch in ".%"


def extract_numbers(text: str) -> list[Mention]:
    """Every figure in ``text`` under the rules in the module docstring, in order of appearance."""
    norm = normalize(text)
    mask = _excluded_mask(norm)
    found: list[Mention] = []
    for m in _NUMBER.finditer(norm):
        num_start, num_end = m.start("num"), m.end("num")
        if any(mask[num_start:num_end]):
            continue
        raw_unit = m.group("unit") or ""
        unit_end = m.end("unit") if raw_unit else num_end
        # a unit made of letters (bp, k, x) is allowed to touch the digits; anything else is an id
        if _is_identifier(norm, num_start, num_start if raw_unit else num_end):
            continue
        digits = m.group("num")
        plain = digits.replace(",", "")
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        value = float(plain)
        unit = _UNITS[raw_unit][0] if raw_unit else ""
        if not unit and m.group("yuan"):
            unit = "元"
        sign = m.group("sign")
        # a '-' right after a digit or letter is a range dash or a hyphen, not a sign (5-10%, A-1)
        if sign and m.start() > 0 and _glues(norm[m.start() - 1]):
            sign = None
        if sign == "-":
            value = -value
        bare_int = not unit and decimals == 0 and "," not in digits
        if bare_int and (len(plain) >= 6 or abs(value) <= 10 or (1900 <= value <= 2100 and len(plain) == 4)):
            continue  # codes / ids, small counts and list markers, bare years
        end = m.end("yuan") if m.group("yuan") else unit_end
        start = m.start("sign") if sign else num_start
        found.append(Mention(norm[start:end].strip(), value, decimals, unit, sign is not None, start))
    return found


def _walk(obj: Any) -> Iterator[float]:
    """Every number inside a JSON-like structure (numeric strings converted to base units)."""
    if obj is None or isinstance(obj, bool | date | datetime):
        return
    if isinstance(obj, int | float):
        if math.isfinite(float(obj)):
            yield float(obj)
        return
    if isinstance(obj, str):
        for mention in extract_numbers(obj):
            yield mention.base_value()
            if mention.unit:
                yield mention.value  # "12.34%" may be meant as the number 12.34 too
        return
    if hasattr(obj, "model_dump"):
        yield from _walk(obj.model_dump(mode="python"))
        return
    if hasattr(obj, "to_dict") and not isinstance(obj, Mapping):  # pandas Series / DataFrame
        yield from _walk(obj.to_dict())
        return
    if hasattr(obj, "item") and hasattr(obj, "dtype"):  # numpy scalar
        yield from _walk(obj.item())
        return
    if isinstance(obj, np.ndarray):
        yield from _walk(obj.tolist())
        return
    if isinstance(obj, Mapping):
        for value in obj.values():
            yield from _walk(value)
        return
    if isinstance(obj, Iterable):
        for value in obj:
            yield from _walk(value)


def fact_values(facts: Any) -> np.ndarray:
    """All numbers in ``facts`` as a float array (unique)."""
    return np.unique(np.fromiter(_walk(facts), dtype=float))


def is_grounded(mention: Mention, values: np.ndarray) -> bool:
    """True when some value rounds to the mention at its displayed precision under an allowed scale."""
    if values.size == 0:
        return False
    half = 0.5 * 10.0 ** (-mention.decimals)
    target = abs(mention.value)
    for scale in mention.scales:
        scaled = values * scale
        tol = half * (1 + 1e-9) + 1e-9 * target
        ok = np.abs(np.abs(scaled) - target) <= tol
        if mention.signed and mention.value != 0:
            # an explicit sign must agree with the fact (a fact of 0 has no sign to disagree with)
            ok &= (np.sign(scaled) == np.sign(mention.value)) | (scaled == 0)
        if ok.any():
            return True
    return False


def verify(text: str, facts: Any) -> list[str]:
    """Figures in ``text`` not supported by any number in ``facts``; ``[]`` means grounded.

    >>> verify("收益率12.34%，市值12.35万元，亏损5.6%", {"r": 0.1234, "mv": 123456.0, "pnl": -0.056})
    []
    >>> verify("最大回撤为8.8%", {"max_drawdown": -0.0712})
    ['8.8%']
    """
    values = fact_values(facts)
    missing: list[str] = []
    for mention in extract_numbers(text):
        if not is_grounded(mention, values) and mention.text not in missing:
            missing.append(mention.text)
    return missing


def require_grounded(text: str, facts: Any, *, what: str = "generated text") -> None:
    """Raise ``GroundingError`` listing the ungrounded figures of ``text`` (the document is blocked)."""
    missing = verify(text, facts)
    if missing:
        raise GroundingError(f"{what} contains numbers that no tool computed", missing)

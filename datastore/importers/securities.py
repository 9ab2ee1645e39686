"""Security identifiers: vendor codes → the canonical ``securities.id`` (``600519.SH``, ``01801.HK``).

Vendors write the same stock as ``600519``, ``600519.SH``, ``SH600519`` or (Hong Kong) ``1801.HK`` /
``01801``; everything is mapped here, once, so a holding and the Shenwan list meet on one id.
"""

from __future__ import annotations

import re

_A_SHARE = re.compile(r"^\d{6}$")
_PREFIXED = re.compile(r"^(SH|SZ|BJ)(\d{6})$", re.IGNORECASE)
_SUFFIXED = re.compile(r"^([0-9A-Z]+)\.([A-Z]{1,3})$", re.IGNORECASE)
_FOREIGN_MARKET = {"O": "US", "N": "US", "A": "US", "US": "US", "L": "UK", "T": "JP", "TO": "CA", "AX": "AU",
                   "SG": "SG", "SI": "SG", "DF": "DE"}


def a_share_market(code: str) -> str | None:
    """Exchange of a 6-digit mainland code: 60/68/90 → SH, 00/30/20 → SZ, 4/8/92 → BJ."""
    if code[:2] in ("60", "68", "90"):
        return "SH"
    if code[:2] in ("00", "30", "20"):
        return "SZ"
    if code[0] in "48" or code[:2] == "92":
        return "BJ"
    return None


def stock_id(code: str) -> tuple[str, str] | None:
    """(id, market) of a stock code as vendors write it, or None when it cannot be told.

    >>> stock_id("600519"), stock_id("1801.HK"), stock_id("01801"), stock_id("sz300502")
    (('600519.SH', 'SH'), ('01801.HK', 'HK'), ('01801.HK', 'HK'), ('300502.SZ', 'SZ'))
    """
    c = (code or "").strip().upper()
    if _A_SHARE.match(c):
        m = a_share_market(c)
        return (f"{c}.{m}", m) if m else None
    if p := _PREFIXED.match(c):
        return f"{p.group(2)}.{p.group(1)}", p.group(1)
    if re.fullmatch(r"\d{4,5}", c):  # eastmoney writes Hong Kong stocks as 5 digits without a suffix
        return f"{c.zfill(5)}.HK", "HK"
    if s := _SUFFIXED.match(c):
        base, suffix = s.group(1), s.group(2)
        if suffix in ("SH", "SZ", "BJ"):
            return (f"{base}.{suffix}", suffix) if _A_SHARE.match(base) else None
        if suffix == "HK":
            return (f"{base.zfill(5)}.HK", "HK") if base.isdigit() else None
        return f"{base}.{suffix}", _FOREIGN_MARKET.get(suffix, suffix)
    return None


def bond_id(code: str) -> tuple[str, str] | None:
    """(id, market) of a bond code: a suffixed code is kept (``019547.SH``, ``240011.IB``); eastmoney gives
    the bare code without its venue, which is kept bare with market ``NA`` (not guessed)."""
    c = (code or "").strip().upper()
    if s := _SUFFIXED.match(c):
        return c, s.group(2)
    if re.fullmatch(r"[0-9A-Z]{4,12}", c):
        return c, "NA"
    return None


def bond_type(name: str) -> str:
    """Bond type from its name (国债 → government, 国开/农发/进出/政策 → policy_bank, 转债 → convertible)."""
    n = name or ""
    if "转债" in n or "可转" in n or "可交换" in n:
        return "convertible"
    if "国债" in n or "地方政府" in n or "政府债" in n:
        return "government"
    if any(k in n for k in ("国开", "农发", "进出", "政策性")):
        return "policy_bank"
    return "credit"

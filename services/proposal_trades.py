"""What each proposed trade costs and does (调仓方案 details) and the terms of what is bought (product cards).

Split from ``services.proposal``: the rebalancing lines come from ``analytics.rebalance``; here each line
gets its fee (the fund's subscription/redemption fee; 理财 and deposits carry none in the product table),
the gain or loss a sale realises (against the position's remaining cost from ``analytics.pnl``) and the
settlement time (``products.liquidity_days``). Numbers stay in base units (yuan, fractions, days).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analytics.rebalance import ProposalLine, RebalanceProposal


def _num(value: Any) -> float | None:
    v = pd.to_numeric(value, errors="coerce")
    return None if v is None or pd.isna(v) else float(v)


def _rows(frame: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    if frame is None or frame.empty:
        return {}
    return {str(r[key]): r for r in frame.to_dict("records")}


def trade_details(
    reb: RebalanceProposal,
    products: pd.DataFrame,
    funds: pd.DataFrame,
    positions: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """One dict per rebalancing line (same order as ``reb.lines``): fee_rate, fee, realised (sales only:
    proceeds − the sold part of the remaining cost − fee), settle_days (-1 = held to maturity)."""
    prod, fund = _rows(products, "code"), _rows(funds, "code")
    out: list[dict[str, Any]] = []
    for ln in reb.lines:
        p = prod.get(ln.product_code, {})
        f = fund.get(str(p.get("fund_code") or ""), {})
        rate = _num(f.get("redemption_fee" if ln.action == "sell" else "subscription_fee")) or 0.0
        fee = ln.amount * rate
        realised = None
        if ln.action == "sell":
            pos = positions.get(ln.product_code, {})
            mv, cost = _num(pos.get("market_value")), _num(pos.get("cost"))
            if mv and cost is not None:
                realised = ln.amount - cost * ln.amount / mv - fee
        out.append(
            {
                "product_code": ln.product_code,
                "action": ln.action,
                "amount": ln.amount,
                "fee_rate": rate,
                "fee": fee,
                "realised": realised,
                "settle_days": _num(p.get("liquidity_days")),
                "name_en": p.get("name_en") or None,
            }
        )
    return out


def product_cards(lines: list[ProposalLine], products: pd.DataFrame, funds: pd.DataFrame) -> list[dict[str, Any]]:
    """The terms of every product proposed for purchase, one card per product (first appearance order)."""
    prod, fund = _rows(products, "code"), _rows(funds, "code")
    cards: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ln in lines:
        if ln.action != "buy" or ln.product_code in seen:
            continue
        seen.add(ln.product_code)
        p = prod.get(ln.product_code, {})
        f = fund.get(str(p.get("fund_code") or ""), {})
        cards.append(
            {
                "product_code": ln.product_code,
                "name": ln.name,
                "name_en": p.get("name_en") or None,
                "kind": str(p.get("kind", "")),
                "asset_class": ln.asset_class,
                "risk_level": ln.risk_level,
                "issuer": str(p.get("issuer") or ""),
                "amount": sum(x.amount for x in lines if x.action == "buy" and x.product_code == ln.product_code),
                "term_days": _num(p.get("term_days")),
                "maturity_date": p.get("maturity_date") if pd.notna(p.get("maturity_date")) else None,
                "liquidity_days": _num(p.get("liquidity_days")),
                "min_amount": _num(p.get("min_amount")),
                "expected_yield": _num(p.get("expected_yield")),
                "benchmark": str(f.get("benchmark") or "") or None,
                "subscription_fee": _num(f.get("subscription_fee")),
                "redemption_fee": _num(f.get("redemption_fee")),
                "management_fee": _num(f.get("management_fee")),
                "custody_fee": _num(f.get("custody_fee")),
            }
        )
    return cards

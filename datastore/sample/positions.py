"""Derive positions from transactions (pure pandas; used by the sample loader and the bank importer).

Conventions (see docs/importers.md):
- ``shares`` on a transaction are in the units valid on its date. A fund's 份额折算 (split ratio k in
  ``fund_nav.split_ratio``) multiplies the units held before the split date by k, rounded to 0.01 unit
  as registrars book them; no transaction row is written for a split.
- Average-cost method: a buy adds ``amount`` (cash paid incl. fee) to cost; a sell removes cost in
  proportion to the units sold; cash dividends and fees leave cost and units unchanged.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

POSITION_COLUMNS = ["client_id", "product_code", "shares", "cost", "first_buy", "as_of"]


def derive_positions(transactions: pd.DataFrame, splits: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Positions at ``as_of`` from transactions.

    transactions: client_id, product_code, date, type, shares, amount (as in the table; any order).
    splits: product_code, date, split_ratio — split events of the products (fund code = product code).
    Returns one row per (client, product) with shares > 0:
        client_id product_code    shares      cost   first_buy       as_of
        C0001     001101        10000.00  15150.00  2023-03-01  2026-11-20
    """
    tx = transactions[pd.to_datetime(transactions["date"]) <= pd.Timestamp(as_of)]
    tx = tx.assign(tdate=pd.to_datetime(tx["date"]).dt.date).sort_values(["client_id", "product_code", "tdate"], kind="stable")
    split_map: dict[str, list[tuple[date, float]]] = {}
    for row in splits.itertuples(index=False):
        split_map.setdefault(str(row.product_code), []).append((pd.Timestamp(row.date).date(), float(row.split_ratio)))
    for v in split_map.values():
        v.sort()
    rows = []
    for (client, product), grp in tx.groupby(["client_id", "product_code"], sort=True):
        events = [e for e in split_map.get(str(product), []) if e[0] <= as_of]
        shares = cost = 0.0
        first_buy: date | None = None
        ei = 0
        for t in grp.itertuples(index=False):
            while ei < len(events) and events[ei][0] <= t.tdate:  # split effective before that day's trades
                shares = round(shares * events[ei][1], 2)  # registrars book split units to 0.01
                ei += 1
            if t.type == "buy":
                shares += float(t.shares)
                cost += float(t.amount)
                first_buy = first_buy or t.tdate
            elif t.type == "sell":
                sold = min(float(t.shares), shares)
                cost -= cost * (sold / shares) if shares > 0 else 0.0
                shares -= sold
                if shares < 0.005:  # fully redeemed (units are booked to 0.01)
                    shares, cost, first_buy = 0.0, 0.0, None
        while ei < len(events):
            shares = round(shares * events[ei][1], 2)
            ei += 1
        if shares >= 0.005 and first_buy is not None:
            rows.append({"client_id": client, "product_code": product, "shares": round(shares, 2),
                         "cost": round(cost, 2), "first_buy": first_buy, "as_of": as_of})
    return pd.DataFrame(rows, columns=POSITION_COLUMNS)

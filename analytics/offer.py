"""Which products a rebalancing may buy for one client, and how an amount is spread over them (pure; used by
``analytics.rebalance``).

``Offer`` ranks the shelf once per proposal: only what ``analytics.availability`` says can be bought today,
never insurance, R ≤ the client's level, and for an elderly client without 双录 nothing of the elderly
product level or above. Within an asset class the order is: money that comes back within the holding
horizon first (not ``locked_beyond_horizon``, not ``matures_before_horizon``), then the stated expected
yield (none stated ranks last), then the lower risk level, then the code. ``spread`` fills an amount down
that list without taking any product above the single-product concentration limit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analytics.availability import availability
from analytics.errors import InvalidInput
from analytics.suitability import client_level, product_level
from core.policy import Policy

__all__ = ["EPS", "TRADEABLE", "Offer", "spread"]

TRADEABLE = ("cash", "fixed_income", "equity", "alternative")  # never protection
EPS = 1e-6  # yuan: below this an amount is rounding noise


class Offer:
    """The products one client could be offered, ranked, with the reason an asset class has none."""

    def __init__(self, client: pd.Series, shelf: pd.DataFrame, as_of: date, policy: Policy,
                 held: pd.DataFrame, horizon_days: int, dual_recording_confirmed: bool) -> None:
        for col in ("asset_class", "risk_level", "name"):
            if col not in shelf.columns:
                raise InvalidInput(f"shelf lacks column {col!r}", field=f"shelf.{col}",
                                   hint="pass rows of the products table (ClientBook.products)")
        av = availability(shelf, as_of, policy.products, horizon_days=horizon_days,
                          held_codes=held["product_code"].astype(str))
        av = av[(av["kind"] != "insurance") & (av["asset_class"] != "protection")].copy()
        av["lvl"] = av["risk_level"].map(product_level)
        mins = av["min_amount"] if "min_amount" in av.columns else pd.Series(0.0, index=av.index)
        av["min_amt"] = pd.to_numeric(mins, errors="coerce").fillna(0.0)
        yld = av["expected_yield"] if "expected_yield" in av.columns else pd.Series(float("nan"), index=av.index)
        av["yld"] = pd.to_numeric(yld, errors="coerce").fillna(-1.0)  # no stated yield ranks last
        # money that can come back within the horizon first, then the stated yield, then the lower risk
        self.ranked = av.sort_values(
            ["locked_beyond_horizon", "matures_before_horizon", "yld", "lvl", "code"],
            ascending=[True, True, False, True, True], kind="stable")
        self.level = client_level(str(client["risk_level"]))
        rules = policy.suitability
        age = client.get("age")
        self.elderly = (not dual_recording_confirmed and age is not None and pd.notna(age)
                        and int(age) >= rules.elderly_age)
        self.elderly_level = rules.elderly_min_product_level
        self._eligible = {cls: self._eligible_for(cls) for cls in TRADEABLE}

    def _eligible_for(self, cls: str) -> tuple[pd.DataFrame, str | None]:
        """The ranked products of ``cls`` this client may buy whatever the amount, or why there are none."""
        c = self.ranked[self.ranked["asset_class"] == cls]
        if c.empty:
            return c, "none_on_shelf"
        c = c[c["buyable"]]
        if c.empty:
            return c, "not_available"
        c = c[c["lvl"] <= self.level]
        if c.empty:
            return c, "above_client_level"
        if self.elderly:
            c = c[c["lvl"] < self.elderly_level]
            if c.empty:
                return c, "elderly"
        return c, None

    def buyable(self, cls: str) -> str | None:
        """None when the client can buy some product of ``cls``, else the reason."""
        return self._eligible[cls][1]

    def candidates(self, cls: str, amount: float) -> tuple[pd.DataFrame, str | None]:
        """Ranked buyable products of ``cls`` for ``amount``, or an empty frame and why."""
        c, why = self._eligible[cls]
        if why is not None:
            return c, why
        c = c[c["min_amt"] <= amount + EPS]
        return (c, None) if len(c) else (c, "below_minimum_amount")


def spread(cands: pd.DataFrame, amount: float, cap: float, held: pd.Series) -> tuple[list[tuple[Any, float]], float]:
    """Spread ``amount`` over the ranked candidates so that no product's holding exceeds ``cap``; returns
    (row, amount) pairs and what had to go over the cap (added to the first pick)."""
    out: list[tuple[Any, float]] = []
    left = amount
    for _, row in cands.iterrows():
        room = cap - float(held.get(str(row["code"]), 0.0))
        take = min(left, room)
        if take < max(float(row["min_amt"]), EPS):
            continue
        out.append((row, take))
        left -= take
        if left <= EPS:
            return out, 0.0
    if not out:  # every candidate is at the cap already: the best one takes it all, over the cap
        return [(cands.iloc[0], amount)], amount
    out[0] = (out[0][0], out[0][1] + left)
    return out, left

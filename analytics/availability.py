"""Can a product on the shelf actually be bought today? (pure: frames in, frame out)

Suitability (``analytics.suitability``) asks whether *this client* may buy a product; availability asks
whether *anyone* can buy it now, and whether it fits a holding horizon. A product is not buyable when:

=========================  ===========================================================================
``unavailable_reason``     why
=========================  ===========================================================================
``off_shelf``              ``status`` is not ``on_shelf`` (products clients still hold but the bank no
                           longer sells)
``own_maturing_holding``   the client holds it (``held_codes``) and it matures within
                           ``rules.min_remaining_term_days``: a maturing product is never offered as its
                           own reinvestment
``matured``                its ``maturity_date`` is on or before ``as_of``
``subscription_closed``    a closed-end 理财 (kind ``wmp`` with ``liquidity_days == -1`` or a
                           ``maturity_date``) whose ``issue_date`` is before ``as_of``: it was issued
                           already, so its subscription window is over (e.g. a 2025 issue maturing in
                           18 days)
``subscription_unknown``   a closed-end 理财 without an ``issue_date``: the window cannot be checked, so
                           it is not offered
``matures_too_soon``       fewer than ``rules.min_remaining_term_days`` days to its ``maturity_date``
=========================  ===========================================================================

The first matching reason (in that order) is reported. With a ``horizon_days`` two more flags, which do
not make a product unbuyable, describe how it fits the client's horizon: ``matures_before_horizon``
(its term ends — ``maturity_date``, or ``as_of + term_days`` for a term product bought today such as a
time deposit — before ``as_of + horizon_days``) and ``locked_beyond_horizon`` (money cannot come back
within the horizon: ``liquidity_days`` above it, or a held-to-maturity product, ``liquidity_days == -1``,
whose term ends after it or is unknown, e.g. an insurance policy or a three-year holding-period FOF).

Example (as_of 2026-11-20, min_remaining_term_days 90)::

    code       kind  liquidity_days issue_date  maturity_date status   → buyable unavailable_reason
    WM2024006  wmp   -1             2025-06-10  2026-12-08    on_shelf → False   subscription_closed
    WMOPEN02   wmp    1             2021-08-02  None          on_shelf → True    None
    001114     fund   4             None        None          off_shelf→ False   off_shelf
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from core.errors import InvalidInput
from core.policy import ProductRules

__all__ = ["UNAVAILABLE_REASONS", "availability"]

UNAVAILABLE_REASONS = (
    "off_shelf",
    "own_maturing_holding",
    "matured",
    "subscription_closed",
    "subscription_unknown",
    "matures_too_soon",
)
_REQUIRED = ("code", "kind", "status")


def _column(products: pd.DataFrame, name: str) -> pd.Series:
    """An optional column, or all-missing when the frame does not carry it."""
    if name in products.columns:
        return products[name]
    return pd.Series([None] * len(products), index=products.index, dtype=object)


def _days_from(as_of: pd.Timestamp, values: pd.Series) -> pd.Series:
    """Whole days from ``as_of`` to each date (NaN where there is none)."""
    ts = pd.to_datetime(values, errors="coerce")
    return ((ts - as_of).dt.days).astype(float)


def availability(
    products: pd.DataFrame,
    as_of: date,
    rules: ProductRules,
    *,
    horizon_days: int | None = None,
    held_codes: Iterable[str] = (),
) -> pd.DataFrame:
    """``products`` (rows of the products table) plus ``buyable`` (bool), ``unavailable_reason`` (a code of
    ``UNAVAILABLE_REASONS`` or None), ``days_to_maturity`` (float, NaN without a maturity date),
    ``matures_before_horizon`` and ``locked_beyond_horizon`` (bool; both False without ``horizon_days``).
    Rows and index are kept; nothing is dropped."""
    missing = [c for c in _REQUIRED if c not in products.columns]
    if missing:
        raise InvalidInput(
            f"products frame lacks column {missing[0]!r}", field=f"products.{missing[0]}",
            hint="pass rows of the products table (datastore.repositories.clients.products)",
        )
    if horizon_days is not None and horizon_days < 1:
        raise InvalidInput("horizon must be at least one day", field="horizon_days")
    out = products.copy()
    day = pd.Timestamp(as_of)
    held = {str(c) for c in held_codes}
    liquidity = pd.to_numeric(_column(out, "liquidity_days"), errors="coerce")
    to_maturity = _days_from(day, _column(out, "maturity_date"))
    issued = pd.to_datetime(_column(out, "issue_date"), errors="coerce")
    kind = out["kind"].astype(str)
    closed_end = (kind == "wmp") & ((liquidity == -1) | to_maturity.notna())
    soon = to_maturity < rules.min_remaining_term_days  # NaN (no maturity) compares False

    conditions = [
        out["status"].astype(str) != "on_shelf",
        out["code"].astype(str).isin(held) & soon,
        to_maturity <= 0,
        closed_end & (issued < day),  # NaT compares False: handled by the next rule
        closed_end & issued.isna(),
        soon,
    ]
    reason = np.select([c.fillna(False).to_numpy(dtype=bool) for c in conditions],
                       list(UNAVAILABLE_REASONS), default="")
    out["buyable"] = reason == ""
    # object dtype keeps None (a plain list of None and str becomes NaN under pandas 3)
    out["unavailable_reason"] = pd.Series([r or None for r in reason], index=out.index, dtype=object)
    out["days_to_maturity"] = to_maturity

    if horizon_days is None:
        out["matures_before_horizon"] = False
        out["locked_beyond_horizon"] = False
        return out
    # the day the term ends: a dated maturity, else a term product bought today (time deposit) runs term_days
    term = pd.to_numeric(_column(out, "term_days"), errors="coerce")
    term_end = to_maturity.where(to_maturity.notna(), term)
    out["matures_before_horizon"] = (term_end < horizon_days).fillna(False).astype(bool)
    held_to_term = liquidity == -1
    locked = np.where(held_to_term, ~(term_end <= horizon_days), liquidity > horizon_days)
    out["locked_beyond_horizon"] = pd.Series(locked, index=out.index).fillna(False).astype(bool)
    return out

"""Backtest of model portfolios: constant-mix returns from asset-class return series, and the current vs
proposed comparison (annual return, volatility, max drawdown). Re-exported by ``analytics.allocation``."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.errors import InvalidInput
from analytics.performance import annual_return, annual_volatility, max_drawdown
from core.policy import MarketAssumptions


def backtest_mix(class_returns: pd.DataFrame, weights: pd.Series | dict[str, float]) -> pd.Series:
    """Daily returns of a constant-mix portfolio (rebalanced daily to ``weights``): r_t = Σ_c w_c·r_c,t.

    ``class_returns``: date × asset class simple returns (e.g. cash = deposit rate/252, fixed_income = bond
    index, equity = CSI 300). Weights are normalised to sum 1; a class without a return column raises."""
    w = pd.Series(weights, dtype=float)
    w = w[w != 0]
    missing = [c for c in w.index if c not in class_returns.columns]
    if missing:
        raise InvalidInput(f"no return series for class {missing[0]!r}", field="class_returns")
    if w.sum() <= 0:
        raise InvalidInput("weights must sum to a positive number", field="weights")
    w = w / w.sum()
    r = class_returns[w.index]
    if r.isna().any().any():
        raise InvalidInput("class returns contain gaps", field="class_returns")
    return (r * w).sum(axis=1).rename("returns")


def compare_backtest(
    class_returns: pd.DataFrame,
    current: pd.Series | dict[str, float],
    proposed: pd.Series | dict[str, float],
) -> dict[str, dict[str, float]]:
    """{"current": {...}, "proposed": {...}} with annual_return, annual_volatility, max_drawdown."""
    out = {}
    for name, w in (("current", current), ("proposed", proposed)):
        r = backtest_mix(class_returns, w)
        out[name] = {
            "annual_return": annual_return(r),
            "annual_volatility": annual_volatility(r),
            "max_drawdown": max_drawdown(r),
        }
    return out


def class_returns_from_indices(
    levels: pd.DataFrame, start: date, *, assumptions: MarketAssumptions
) -> pd.DataFrame:
    """Daily returns by asset class from index levels (a modelling choice, so it lives here, not in data).

    ``levels``: date × index code levels (at least ``assumptions.equity_index`` and ``bond_index``), dates
    ascending. Returns one row per index date on or after ``start`` (the first return uses the level
    before ``start``): equity = the equity index, fixed_income = the bond index, cash and protection =
    ``deposit_rate``/252 (a policy's cash value grows about like a deposit), alternative =
    ``alternative_equity_share`` of equity + the rest bonds (no alternatives index in the data)."""
    eq, bd = assumptions.equity_index, assumptions.bond_index
    missing = [c for c in (eq, bd) if c not in levels.columns]
    if missing:
        raise InvalidInput(f"no levels for index {missing[0]!r}", field="levels")
    wide = levels.sort_index().ffill()
    wide.index = pd.to_datetime(wide.index)
    r = wide.pct_change().iloc[1:]
    r = r[r.index >= pd.Timestamp(start)]
    cash = assumptions.deposit_rate / 252
    a = assumptions.alternative_equity_share
    return pd.DataFrame(
        {
            "cash": cash,
            "fixed_income": r[bd],
            "equity": r[eq],
            "alternative": a * r[eq] + (1 - a) * r[bd],
            "protection": cash,
        },
        index=r.index,
    )

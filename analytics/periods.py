"""Period views of a return series: 近1月/近3月/近6月/近1年/今年以来/成立以来 returns to an as-of date, named
period starts, calendar aggregation and rolling windows. Re-exported by ``analytics.performance``."""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from analytics.constants import DAILY, PERIOD_LABELS, PERIOD_MONTHS
from analytics.errors import InvalidInput
from analytics.validation import _check_ppy, _check_series


def aggregate_returns(returns: pd.Series, freq: Literal["M", "Q", "Y"] = "M") -> pd.Series:
    """Compound daily returns into calendar months/quarters/years (index = period end date)."""
    r = _check_series(returns, "returns")
    if not isinstance(r.index, pd.DatetimeIndex):
        r.index = pd.DatetimeIndex(r.index)
    rule = {"M": "ME", "Q": "QE", "Y": "YE"}[freq]
    return (1.0 + r).resample(rule).prod().sub(1.0)


def period_returns(
    returns: pd.Series, as_of: date, *, start_date: date | None = None
) -> dict[str, float | None]:
    """Cumulative returns over 近1月/近3月/近6月/近1年/今年以来/成立以来 ending at ``as_of``.

    ``returns`` has a date index; ``start_date`` is the date of wealth 1 (the first NAV, one day before the
    first return; defaults to the first return date, i.e. that day's return is excluded). A period whose
    start is before the available history is None (not computable), except 成立以来. Keys are the labels of
    ``constants.PERIOD_LABELS`` (``"1m"``, …, ``"since_inception"``).
    """
    r = _check_series(returns, "returns")
    idx = pd.DatetimeIndex(r.index)
    asof = pd.Timestamp(as_of)
    if asof < idx[0]:
        raise InvalidInput(f"as-of date {as_of} is before the first return {idx[0].date()}", field="as_of")
    first = pd.Timestamp(start_date) if start_date else idx[0]
    w_idx = idx.insert(0, first) if start_date else idx
    wealth_vals = np.cumprod(1.0 + r.to_numpy())
    wealth = np.concatenate([[1.0], wealth_vals]) if start_date else wealth_vals / wealth_vals[0]
    wealth_s = pd.Series(wealth, index=w_idx)

    def at(ts: pd.Timestamp) -> float | None:
        if ts < w_idx[0]:
            return None
        return float(wealth_s.loc[:ts].iloc[-1])

    end = at(asof)
    assert end is not None
    out: dict[str, float | None] = {}
    for key, months in PERIOD_MONTHS.items():
        base = at(asof - pd.DateOffset(months=months))
        out[key] = None if base is None else end / base - 1.0
    ytd_base = at(pd.Timestamp(year=asof.year - 1, month=12, day=31))
    out["ytd"] = None if ytd_base is None else end / ytd_base - 1.0
    out["since_inception"] = end / float(wealth_s.iloc[0]) - 1.0
    assert set(out) == set(PERIOD_LABELS)
    return out


RollingMetric = Literal["annual_return", "annual_volatility", "sharpe_ratio", "max_drawdown"]


def rolling(
    returns: pd.Series,
    window: int,
    metric: RollingMetric = "annual_volatility",
    *,
    periods_per_year: float = DAILY,
) -> pd.Series:
    """The metric over each trailing ``window`` of observations (the first window−1 dates are dropped)."""
    r = _check_series(returns, "returns")
    if window < 2 or window > len(r):
        raise InvalidInput(f"must be between 2 and {len(r)}", field="window")
    ppy = _check_ppy(periods_per_year)
    x = np.lib.stride_tricks.sliding_window_view(r.to_numpy(), window)
    if metric == "annual_return":
        vals = np.prod(1.0 + x, axis=1) ** (ppy / window) - 1.0
    elif metric == "annual_volatility":
        vals = np.std(x, axis=1, ddof=1) * np.sqrt(ppy)
    elif metric == "sharpe_ratio":
        sd = np.std(x, axis=1, ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            vals = np.where(sd > 0, np.mean(x, axis=1) / sd * np.sqrt(ppy), np.nan)
    elif metric == "max_drawdown":
        w = np.cumprod(1.0 + x, axis=1)
        w = np.concatenate([np.ones((len(w), 1)), w], axis=1)
        vals = np.min(w / np.maximum.accumulate(w, axis=1) - 1.0, axis=1)
    else:
        raise InvalidInput(
            f"unknown metric {metric!r}",
            field="metric",
            hint="annual_return, annual_volatility, sharpe_ratio or max_drawdown",
        )
    return pd.Series(vals, index=r.index[window - 1 :], name=metric)


_ZH_PERIODS = {v: k for k, v in PERIOD_LABELS.items()} | {
    "近一月": "1m",
    "近三月": "3m",
    "近六月": "6m",
    "近一年": "1y",
}


def period_start(period: str, as_of: date) -> date | None:
    """Start date of a named period ending ``as_of``; None means since inception / first purchase.

    Accepts ``1m 3m 6m 1y ytd since_inception`` (and ``all``), their Chinese labels (近1月 … 成立以来,
    今年以来), ``Ny`` / ``Nm`` (e.g. ``3y``), or an ISO date ``2025-01-01``::

        period_start("ytd", date(2026, 11, 20))  # date(2025, 12, 31)
    """
    p = (period or "").strip()
    key = _ZH_PERIODS.get(p, p.lower())
    asof = pd.Timestamp(as_of)
    if key in ("since_inception", "all", "inception"):
        return None
    if key == "ytd":
        return date(asof.year - 1, 12, 31)
    if key in PERIOD_MONTHS:
        return (asof - pd.DateOffset(months=PERIOD_MONTHS[key])).date()
    if len(key) >= 2 and key[:-1].isdigit() and key[-1] in "ym":
        n = int(key[:-1])
        return (asof - pd.DateOffset(months=n * (12 if key[-1] == "y" else 1))).date()
    try:
        start = date.fromisoformat(p)
    except ValueError:
        raise InvalidInput(
            f"unknown period {period!r}",
            field="period",
            hint="1m, 3m, 6m, 1y, ytd, since_inception, 3y, or a date like 2025-01-01",
        ) from None
    if start >= as_of:
        raise InvalidInput("the period must start before the as-of date", field="period")
    return start

"""Performance and risk statistics on simple-return series.

Conventions (DESIGN.md "Analytics conventions", same as empyrical-reloaded where they overlap, tested to
1e-8 against it): 252 periods a year; volatility uses ddof=1; annual return is geometric over the n
observations; Sharpe = mean(excess)/std(excess)·√252; max drawdown counts the start (wealth 1 before the
first return) as a peak; Sortino's downside deviation divides by all n observations.

Input shape: a ``pd.Series`` of simple returns (fractions) indexed by date, sorted, no NaN::

    2024-01-02    0.0031
    2024-01-03   -0.0120
    2024-01-04    0.0007
    dtype: float64

Bad input raises ``InvalidInput`` naming the argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics.constants import DAILY
from analytics.errors import InvalidInput
from analytics.periods import aggregate_returns, period_returns, period_start, rolling
from analytics.validation import _aligned, _check_ppy, _check_series, _risk_free

__all__ = [
    "returns_from_nav",
    "cum_returns",
    "aggregate_returns",
    "annual_return",
    "annual_volatility",
    "max_drawdown",
    "Drawdown",
    "drawdown_details",
    "sharpe_ratio",
    "downside_risk",
    "sortino_ratio",
    "calmar_ratio",
    "alpha_beta",
    "tracking_error",
    "information_ratio",
    "value_at_risk",
    "conditional_value_at_risk",
    "xirr",
    "period_returns",
    "period_start",
    "rolling",
    "metrics_summary",
]

# ---------------------------------------------------------------------------------------------- returns


def returns_from_nav(
    nav: pd.Series, dividends: pd.Series | None = None, split_ratios: pd.Series | None = None
) -> pd.Series:
    """Daily simple returns from unit NAV, adjusted for cash dividends and share splits (份额折算).

    r_t = (NAV_t·k_t + D_t) / NAV_{t-1} − 1, with k_t = 1 and D_t = 0 except on event days. This is the rule
    eastmoney's 日增长率 follows. ``dividends`` (cash per unit on the ex-date) and ``split_ratios`` (k new
    shares per old share) are Series indexed by date; missing dates mean no event. The result has one row
    fewer than ``nav`` (it starts at the second date)::

        nav = pd.Series([1.0, 1.1, 1.0], index=pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]))
        returns_from_nav(nav, dividends=pd.Series([0.1], index=pd.to_datetime(["2024-01-04"])))
        # 2024-01-03 0.1 ; 2024-01-04 0.0
    """
    v = _check_series(nav, "nav", min_len=2)
    if (v <= 0).any():
        raise InvalidInput(
            f"must be positive, found {v.min()!r} at {v.idxmin()!r}",
            field="nav",
            hint="unit NAV is a price per share and is always > 0",
        )
    d = pd.Series(0.0, index=v.index)
    k = pd.Series(1.0, index=v.index)
    if dividends is not None and len(dividends):
        dv = pd.to_numeric(dividends, errors="coerce").fillna(0.0)
        if (dv < 0).any():
            raise InvalidInput("cash dividends cannot be negative", field="dividends")
        extra = dv.index.difference(v.index)
        if len(extra) and (dv.loc[extra] != 0).any():
            raise InvalidInput(f"dividend on a date with no NAV: {extra[0]!r}", field="dividends")
        d = d.add(dv.reindex(v.index).fillna(0.0), fill_value=0.0)
    if split_ratios is not None and len(split_ratios):
        kv = pd.to_numeric(split_ratios, errors="coerce").reindex(v.index)
        kv = kv.where(kv.notna(), 1.0)
        if (kv <= 0).any():
            raise InvalidInput(
                "split ratios must be positive", field="split_ratios", hint="k shares per share"
            )
        k = kv.astype(float)
    arr = v.to_numpy()
    out = (arr[1:] * k.to_numpy()[1:] + d.to_numpy()[1:]) / arr[:-1] - 1.0
    return pd.Series(out, index=v.index[1:], name="returns")


def cum_returns(returns: pd.Series) -> pd.Series:
    """Cumulative simple return at each date (wealth − 1), starting from wealth 1 before the first return."""
    r = _check_series(returns, "returns")
    return (1.0 + r).cumprod() - 1.0


# ---------------------------------------------------------------------------------------------- statistics


def annual_return(returns: pd.Series, *, periods_per_year: float = DAILY) -> float:
    """Geometric annual return (CAGR): (Π(1+r))^(ppy/n) − 1."""
    r = _check_series(returns, "returns")
    ppy = _check_ppy(periods_per_year)
    ending = float(np.prod(1.0 + r.to_numpy()))
    return ending ** (ppy / len(r)) - 1.0


def annual_volatility(returns: pd.Series, *, periods_per_year: float = DAILY) -> float:
    """Sample standard deviation (ddof=1) scaled by √ppy."""
    r = _check_series(returns, "returns", min_len=2)
    return float(np.std(r.to_numpy(), ddof=1) * np.sqrt(_check_ppy(periods_per_year)))


def max_drawdown(returns: pd.Series) -> float:
    """Largest peak-to-trough fall of wealth, as a negative fraction (−0.25 = a 25% drawdown); 0 if none."""
    r = _check_series(returns, "returns")
    wealth = np.concatenate([[1.0], np.cumprod(1.0 + r.to_numpy())])
    peaks = np.maximum.accumulate(wealth)
    return float(np.min(wealth / peaks - 1.0))


class Drawdown(BaseModel):
    """The maximum drawdown and its dates. ``peak_date`` is None when the peak is the start (before the first
    return); ``recovery_date`` is None when wealth has not regained the peak by the last date."""

    max_drawdown: float
    peak_date: date | None
    trough_date: date | None
    recovery_date: date | None
    duration_days: int | None  # calendar days peak → recovery (or → last date when not recovered)


def drawdown_details(returns: pd.Series) -> Drawdown:
    """``max_drawdown`` with peak, trough and recovery dates (needs a date index)."""
    r = _check_series(returns, "returns")
    idx = pd.DatetimeIndex(r.index)
    wealth = np.concatenate([[1.0], np.cumprod(1.0 + r.to_numpy())])
    peaks = np.maximum.accumulate(wealth)
    dd = wealth / peaks - 1.0
    t = int(np.argmin(dd))
    if dd[t] >= 0:
        return Drawdown(
            max_drawdown=0.0, peak_date=None, trough_date=None, recovery_date=None, duration_days=0
        )
    p = int(np.argmax(wealth[: t + 1]))  # first time the running peak was reached
    after = np.nonzero(wealth[t:] >= wealth[p])[0]
    rec = t + int(after[0]) if len(after) else None

    def day(i: int | None) -> date | None:
        return None if i is None or i == 0 else idx[i - 1].date()  # wealth[i] is after return i-1

    peak_d, rec_d = day(p), day(rec)
    end = rec_d or idx[-1].date()
    start = peak_d or (idx[0].date())
    return Drawdown(
        max_drawdown=float(dd[t]),
        peak_date=peak_d,
        trough_date=day(t),
        recovery_date=rec_d,
        duration_days=(end - start).days,
    )


def sharpe_ratio(
    returns: pd.Series, *, risk_free: float | pd.Series = 0.0, periods_per_year: float = DAILY
) -> float:
    """mean(r − rf)/std(r − rf, ddof=1)·√ppy; ``risk_free`` is per period (not annual). NaN if std is 0."""
    r = _check_series(returns, "returns", min_len=2)
    ex = r.to_numpy() - _risk_free(risk_free, r)
    sd = np.std(ex, ddof=1)
    if sd == 0:
        return float("nan")
    return float(np.mean(ex) / sd * np.sqrt(_check_ppy(periods_per_year)))


def downside_risk(
    returns: pd.Series, *, required_return: float = 0.0, periods_per_year: float = DAILY
) -> float:
    """Annualised downside deviation: √(mean(min(r − MAR, 0)²))·√ppy over all n observations."""
    r = _check_series(returns, "returns")
    down = np.minimum(r.to_numpy() - required_return, 0.0)
    return float(np.sqrt(np.mean(down**2)) * np.sqrt(_check_ppy(periods_per_year)))


def sortino_ratio(
    returns: pd.Series, *, required_return: float = 0.0, periods_per_year: float = DAILY
) -> float:
    """mean(r − MAR)·ppy / downside_risk. NaN when there is no downside."""
    r = _check_series(returns, "returns", min_len=2)
    ppy = _check_ppy(periods_per_year)
    dr = downside_risk(r, required_return=required_return, periods_per_year=ppy)
    if dr == 0:
        return float("nan")
    return float(np.mean(r.to_numpy() - required_return) * ppy / dr)


def calmar_ratio(returns: pd.Series, *, periods_per_year: float = DAILY) -> float:
    """annual_return / |max_drawdown|; NaN when there was no drawdown."""
    mdd = max_drawdown(returns)
    if mdd >= 0:
        return float("nan")
    return annual_return(returns, periods_per_year=periods_per_year) / abs(mdd)


def alpha_beta(
    returns: pd.Series,
    benchmark: pd.Series,
    *,
    risk_free: float = 0.0,
    periods_per_year: float = DAILY,
) -> tuple[float, float]:
    """(annualised alpha, beta) against ``benchmark`` on the common dates, as empyrical computes them:
    beta = cov(r−rf, b−rf)/var(b−rf) (population moments), alpha = (1 + mean(r−rf − β(b−rf)))^ppy − 1."""
    r, b = _aligned(returns, benchmark, "benchmark")
    ra, ba = r - risk_free, b - risk_free
    bc = ba - ba.mean()
    var = np.mean(bc**2)
    if var < 1e-30:
        raise InvalidInput("has no variance; beta is undefined", field="benchmark")
    beta = float(np.mean(bc * ra) / var)
    alpha = float((1.0 + np.mean(ra - beta * ba)) ** _check_ppy(periods_per_year) - 1.0)
    return alpha, beta


def tracking_error(returns: pd.Series, benchmark: pd.Series, *, periods_per_year: float = DAILY) -> float:
    """std(r − b, ddof=1)·√ppy on the common dates."""
    r, b = _aligned(returns, benchmark, "benchmark")
    return float(np.std(r - b, ddof=1) * np.sqrt(_check_ppy(periods_per_year)))


def information_ratio(returns: pd.Series, benchmark: pd.Series, *, periods_per_year: float = DAILY) -> float:
    """mean(r − b)·ppy / tracking_error (= empyrical's excess_sharpe·√ppy). NaN if TE is 0."""
    r, b = _aligned(returns, benchmark, "benchmark")
    ppy = _check_ppy(periods_per_year)
    sd = np.std(r - b, ddof=1)
    if sd == 0:
        return float("nan")
    return float(np.mean(r - b) / sd * np.sqrt(ppy))


def value_at_risk(returns: pd.Series, *, cutoff: float = 0.05) -> float:
    """Historical VaR: the ``cutoff`` percentile of returns (a negative number is a loss)."""
    r = _check_series(returns, "returns")
    if not 0 < cutoff < 1:
        raise InvalidInput("must be between 0 and 1", field="cutoff", hint="0.05 for 95% VaR")
    return float(np.percentile(r.to_numpy(), 100 * cutoff))


def conditional_value_at_risk(returns: pd.Series, *, cutoff: float = 0.05) -> float:
    """Historical CVaR (expected shortfall): mean of the worst ⌊(n−1)·cutoff⌋+1 returns (empyrical's rule)."""
    r = _check_series(returns, "returns")
    if not 0 < cutoff < 1:
        raise InvalidInput("must be between 0 and 1", field="cutoff", hint="0.05 for 95% CVaR")
    k = int((len(r) - 1) * cutoff)
    return float(np.mean(np.partition(r.to_numpy(), k)[: k + 1]))


def xirr(cashflows: pd.Series | Mapping[date, float] | Iterable[tuple[date, float]]) -> float:
    """Money-weighted annual return (XIRR, actual/365) of dated cash flows: negative = paid in, positive =
    received (include the ending market value as a final positive flow). Uses pyxirr."""
    import pyxirr

    if isinstance(cashflows, pd.Series):
        items = list(zip(cashflows.index, cashflows.to_numpy(), strict=True))
    elif isinstance(cashflows, Mapping):
        items = list(cashflows.items())
    else:
        items = list(cashflows)
    if len(items) < 2:
        raise InvalidInput("needs at least two dated cash flows", field="cashflows")
    dates = [pd.Timestamp(d).date() for d, _ in items]
    amounts = [float(a) for _, a in items]
    if any(np.isnan(amounts)):
        raise InvalidInput("contains a missing amount", field="cashflows")
    if not (min(amounts) < 0 < max(amounts)):
        raise InvalidInput(
            "needs at least one outflow (negative) and one inflow (positive)",
            field="cashflows",
            hint="add the current market value as a positive final flow",
        )
    value = pyxirr.xirr(dates, amounts)
    if value is None:
        raise InvalidInput("XIRR did not converge for these cash flows", field="cashflows")
    return float(value)


def metrics_summary(
    returns: pd.Series,
    *,
    benchmark: pd.Series | None = None,
    risk_free: float = 0.0,
    periods_per_year: float = DAILY,
) -> dict[str, float | None]:
    """All headline statistics keyed by function name (the ``wealthdesk metrics --json`` payload core).

    ``risk_free`` is per period. Benchmark-relative keys (alpha, beta, tracking_error, information_ratio)
    are present only with a benchmark. NaN becomes None so the result is JSON-safe.
    """
    ppy = periods_per_year
    out: dict[str, float | None] = {
        "annual_return": annual_return(returns, periods_per_year=ppy),
        "cumulative_return": float(cum_returns(returns).iloc[-1]),
        "annual_volatility": annual_volatility(returns, periods_per_year=ppy),
        "max_drawdown": max_drawdown(returns),
        "sharpe_ratio": sharpe_ratio(returns, risk_free=risk_free, periods_per_year=ppy),
        "sortino_ratio": sortino_ratio(returns, required_return=risk_free, periods_per_year=ppy),
        "calmar_ratio": calmar_ratio(returns, periods_per_year=ppy),
        "value_at_risk": value_at_risk(returns),
        "conditional_value_at_risk": conditional_value_at_risk(returns),
    }
    if benchmark is not None:
        a, b = alpha_beta(returns, benchmark, risk_free=risk_free, periods_per_year=ppy)
        out |= {
            "alpha": a,
            "beta": b,
            "tracking_error": tracking_error(returns, benchmark, periods_per_year=ppy),
            "information_ratio": information_ratio(returns, benchmark, periods_per_year=ppy),
        }
    return {k: (None if v is None or not np.isfinite(v) else float(v)) for k, v in out.items()}

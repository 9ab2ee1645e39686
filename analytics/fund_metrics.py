"""Fund metrics over one period, as an RM asks for them ("最近一年最大回撤", "成立以来收益").

``period_metrics(nav, start, end, ...)`` takes a fund's NAV rows (date index; unit_nav, dividend,
split_ratio) and returns the return over (start, end] — wealth 1 on the last NAV date on or before
``start`` — annualised return, max drawdown with its peak/trough/recovery dates, volatility and Sharpe.
Money-market funds report the 7-day annualised yield and 万份收益 (income per 10,000 units) instead of a
Sharpe ratio (their volatility is ~0, so a Sharpe is meaningless: 101 for a money fund).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics import performance
from core.errors import DataUnavailable


class PeriodMetrics(BaseModel):
    start: date  # the NAV date that is wealth 1
    end: date
    observations: int
    total_return: float
    annual_return: float | None  # None when the period is under 3 months (annualising would mislead)
    max_drawdown: float
    drawdown_peak: date | None
    drawdown_trough: date | None
    drawdown_recovery: date | None
    annual_volatility: float | None
    sharpe_ratio: float | None  # None for money funds
    seven_day_yield: float | None = None  # money funds: annualised yield of the last 7 days
    income_per_10k: float | None = None  # money funds: 万份收益 of the last day, yuan per 10,000 units


def period_metrics(
    nav: pd.DataFrame, start: date | None, end: date, *, money_fund: bool = False, risk_free: float = 0.0
) -> PeriodMetrics:
    """Metrics of one fund over (start, end]; ``start=None`` = from the first stored NAV."""
    df = nav.copy()
    df.index = pd.to_datetime(df.index)
    df = df[df.index <= pd.Timestamp(end)].sort_index()
    if start is not None:
        before = df[df.index <= pd.Timestamp(start)]
        if before.empty:
            raise DataUnavailable(
                f"no NAV on or before {start} (stored history starts {df.index[0].date()})", field="period"
            )
        df = df[df.index >= before.index[-1]]
    if len(df) < 2:
        raise DataUnavailable("fewer than two NAV dates in the period", field="period")
    r = performance.returns_from_nav(df["unit_nav"], df.get("dividend"), df.get("split_ratio")).dropna()
    total = float(np.prod(1.0 + r.to_numpy()) - 1.0)
    dd = performance.drawdown_details(r)
    days = (df.index[-1] - df.index[0]).days
    annual = float((1.0 + total) ** (365.0 / days) - 1.0) if days >= 90 else None
    vol = performance.annual_volatility(r) if len(r) > 2 else None
    out = PeriodMetrics(
        start=df.index[0].date(), end=df.index[-1].date(), observations=len(r), total_return=total,
        annual_return=annual, max_drawdown=performance.max_drawdown(r),
        drawdown_peak=dd.peak_date, drawdown_trough=dd.trough_date, drawdown_recovery=dd.recovery_date,
        annual_volatility=vol,
        sharpe_ratio=None if money_fund or not vol else performance.sharpe_ratio(r, risk_free=risk_free),
    )
    if money_fund:
        # 7日年化: growth over the last 7 calendar days, annualised (NAV dates are trading days)
        wealth = pd.Series(np.cumprod(1.0 + r.to_numpy()), index=r.index)
        base = wealth[wealth.index <= wealth.index[-1] - pd.Timedelta(days=7)]
        if len(base):
            out.seven_day_yield = float((wealth.iloc[-1] / base.iloc[-1]) ** (365.0 / 7) - 1.0)
        out.income_per_10k = float(r.iloc[-1] * 10_000)
    return out

"""Fund use cases: resolve a fund, its profile, metrics for a period, two funds compared, holdings overlap.

Public fund data (no client data), so any caller may use them, the client channel included.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel

from analytics import overlap, performance
from analytics.fund_metrics import PeriodMetrics, period_metrics
from core.errors import InvalidInput, NotFound
from datastore.repositories import clients as crepo
from datastore.repositories import market as mrepo
from datastore.repositories.lexicon import fund_names
from services import loading
from services.deps import Deps
from services.periods import resolve_period
from services.resolve import best_match

_PROFILE_KEYS = ("code", "name", "name_en", "type", "is_etf", "target_fund_code", "risk_level", "manager_name",
                 "company_name", "benchmark", "size", "management_fee", "custody_fee", "subscription_fee",
                 "redemption_fee", "inception_date")
_METRICS = ("annual_return", "annual_volatility", "max_drawdown", "sharpe_ratio", "sortino_ratio", "calmar_ratio")


def resolve_fund(deps: Deps, text: str) -> str:
    """A fund code from a code or a (possibly misspelled) name; ``NotFound`` / ``InvalidInput`` otherwise."""
    funds = fund_names(deps.engine)
    value = (text or "").strip()
    if value.isdigit() and len(value) == 6:
        if any(c == value for c, _, _ in funds):
            return value
        raise NotFound(f"no fund with code {value!r}", field="fund")
    key, options = best_match(value, [(c, n) for c, n, _ in funds], kind="fund")
    if key is None and not options:
        key, options = best_match(value, [(c, e) for c, _, e in funds if e], kind="fund")
    if key:
        return key
    if options:
        names = "; ".join(f"{n} ({c})" for c, n in options)
        raise InvalidInput(f"several funds match {value!r}: {names}", field="fund", hint="give the fund code")
    raise NotFound(f"no fund matches {value!r}", field="fund", hint="give the 6-digit fund code")


def _returns(deps: Deps, code: str) -> tuple[pd.DataFrame, pd.Series]:
    nav = loading.fund_nav_series(deps.engine, code, deps.as_of).set_index("date")
    return nav, performance.returns_from_nav(nav["unit_nav"], nav["dividend"], nav["split_ratio"])


def _shelf_status(deps: Deps, code: str) -> str:
    shelf = crepo.products(deps.engine, codes=[code])
    return str(shelf.iloc[0]["status"]) if len(shelf) else "not_on_shelf"


class FundProfile(BaseModel):
    profile: dict[str, Any]
    as_of: date
    shelf_status: str  # on_shelf | off_shelf | not_on_shelf (the bank does not sell it)
    history_start: date  # first stored NAV
    history_shorter_than_inception: bool
    period_returns: dict[str, float | None]
    metrics: dict[str, float | None]  # over the stored history; money funds carry no Sharpe


def fund_profile(deps: Deps, fund: str) -> FundProfile:
    """基金档案: type, risk, fees, size, manager, company, shelf status, period returns, risk metrics."""
    code = resolve_fund(deps, fund)
    row = mrepo.get_fund(deps.engine, code)
    nav, r = _returns(deps, code)
    metrics = performance.metrics_summary(r)
    first = pd.Timestamp(nav.index.min()).date()
    money = row.get("type") == "money"
    return FundProfile(
        profile={k: row.get(k) for k in _PROFILE_KEYS}, as_of=deps.as_of, shelf_status=_shelf_status(deps, code),
        history_start=first, history_shorter_than_inception=first > row["inception_date"],
        period_returns=performance.period_returns(r, deps.as_of, start_date=first),
        metrics={k: (None if money and k in ("sharpe_ratio", "sortino_ratio") else metrics.get(k)) for k in _METRICS},
    )


class FundMetricsResult(BaseModel):
    code: str
    name: str
    type: str
    period: str
    inception_date: date
    history_start: date
    # "成立以来" from the fund's inception; True when the stored history starts later (the figure then
    # covers only the stored history, from history_start)
    history_shorter_than_period: bool
    metrics: PeriodMetrics


def fund_metrics(deps: Deps, fund: str, period: str | None = "1y") -> FundMetricsResult:
    """Return, annualised return, max drawdown with dates, volatility and Sharpe over a period; for money
    funds the 7-day annualised yield and 万份收益 instead of Sharpe."""
    code = resolve_fund(deps, fund)
    row = mrepo.get_fund(deps.engine, code)
    token = (period or "1y").strip().lower()
    nav, _ = _returns(deps, code)
    first = pd.Timestamp(nav.index.min()).date()
    inception = row["inception_date"]
    end = deps.as_of
    if token in ("since_inception", "since_purchase"):
        token = "since_inception"
        start: date | None = None
        short = first > inception
    else:
        start, end = resolve_period(token, deps.as_of, default="1y")  # last_year / year:2024 end at year end
        short = start is not None and first > start
        if short:
            start = None  # the period starts before the stored history: use all of it, marked
    m = period_metrics(nav, start, end, money_fund=row.get("type") == "money")
    return FundMetricsResult(code=code, name=str(row["name"]), type=str(row["type"]), period=token,
                             inception_date=inception, history_start=first, history_shorter_than_period=short,
                             metrics=m)


class FundComparison(BaseModel):
    period: str
    funds: list[FundMetricsResult]
    overlap: float | None  # Σ min of the two funds' looked-through security weights
    relation: str | None  # "feeder_of" when one is the other's feeder (联接基金 ↔ target ETF)
    tracking_difference: float | None  # feeder return − target return over the period


def compare_funds(deps: Deps, fund_a: str, fund_b: str, period: str | None = "1y") -> FundComparison:
    """Two funds side by side (same period), their holdings overlap, and feeder ↔ target ETF."""
    a, b = resolve_fund(deps, fund_a), resolve_fund(deps, fund_b)
    if a == b:
        raise InvalidInput("need two different funds", field="funds", hint="name a second fund")
    ma, mb = fund_metrics(deps, a, period), fund_metrics(deps, b, period)
    ra, rb = mrepo.get_fund(deps.engine, a), mrepo.get_fund(deps.engine, b)
    relation, diff = None, None
    if ra.get("target_fund_code") == b or rb.get("target_fund_code") == a:
        relation = "feeder_of"
        feeder, target = (ma, mb) if ra.get("target_fund_code") == b else (mb, ma)
        diff = feeder.metrics.total_return - target.metrics.total_return
    pairs = overlap.overlap_pairs(loading.fund_exposures(deps.engine, deps.as_of), [a, b])
    return FundComparison(period=ma.period, funds=[ma, mb], overlap=pairs[0].score if pairs else None,
                          relation=relation, tracking_difference=diff)


class OverlapResult(BaseModel):
    as_of: date
    funds: list[str]
    pairs: list[Any]


def fund_overlap(deps: Deps, funds: list[str]) -> OverlapResult:
    """持仓重合度: Σ min(w_A, w_B) per pair with the largest shared securities and coverage."""
    codes = list(dict.fromkeys(resolve_fund(deps, f) for f in funds))
    if len(codes) < 2:
        raise InvalidInput("need two different funds", field="fund_codes", hint="name a second fund")
    pairs = overlap.overlap_pairs(loading.fund_exposures(deps.engine, deps.as_of), codes)
    return OverlapResult(as_of=deps.as_of, funds=codes, pairs=pairs)

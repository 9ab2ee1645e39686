"""Client-portfolio tools: look-through, industry exposure, performance/P&L, allocation review,
attribution, retirement plan.

Each body: entitlement check first (``client_guard``, same refusal for unknown ids) → inputs through
``services.loading`` → one or two ``analytics`` calls → ``compact`` JSON.
Results are dicts such as ``{"client_id": "C0001", "as_of": "2026-11-20", "coverage": 0.93,
"top_holdings": [{"name": "…", "weight": 0.052, …}, …]}`` (weights are fractions of client assets).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd
from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from analytics import allocation, lookthrough, planning, pnl
from analytics.errors import DataUnavailable
from services import loading as inputs
from tools.common import PERIOD_HELP, as_of, client_guard, compact, resolve_period
from tools.context import AgentContext

CLIENT_ID = Field(description="Client id in the caller's book, e.g. C0001.", pattern=r"^[Cc]\d{4}$")
_POSITION_KEYS = ("product_code", "kind", "market_value", "invested", "gain", "dividends", "fees", "xirr")


class ClientArgs(BaseModel):
    client_id: str = CLIENT_ID


class LookthroughArgs(BaseModel):
    client_id: str = CLIENT_ID
    top_n: int = Field(10, ge=1, le=50, description="How many underlying securities or industries to list.")


class PeriodArgs(BaseModel):
    client_id: str = CLIENT_ID
    period: str = Field("ytd", description=PERIOD_HELP)


class RetirementArgs(BaseModel):
    client_id: str = CLIENT_ID
    retire_age: int | None = Field(None, ge=40, le=80, description="Planned retirement age; default 60.")
    monthly_spending: float | None = Field(
        None, gt=0, description="Monthly spending in retirement, yuan (元); default the client's current expenses."
    )


@lru_cache(maxsize=4)
def _market_frames(engine: Any, day: date) -> Any:
    """Market frames for a date, cached per process: they only change when new data is loaded (a new
    as-of date), and loading them dominates an allocation review."""
    return inputs.market_frames(engine, day)


def _lookthrough(ctx: AgentContext, cid: str, top_n: int) -> lookthrough.ClientLookthrough:
    day = as_of(ctx)
    book = inputs.client_book(ctx.engine, cid, day)
    return lookthrough.lookthrough_client(book, inputs.fund_exposures(ctx.engine, day), top_n=top_n)


@tool("lookthrough_portfolio", args_schema=LookthroughArgs)
def lookthrough_portfolio(client_id: str, runtime: ToolRuntime[AgentContext], top_n: int = 10) -> dict[str, Any]:
    """Look through a client's funds to the underlying securities (穿透): top holdings as shares of the
    client's assets, asset classes, concentration flags, disclosure dates and coverage."""
    ctx, cid = client_guard(runtime, client_id)
    look = _lookthrough(ctx, cid, top_n)
    return compact(look.model_dump(include={"client_id", "as_of", "total_value", "coverage", "asset_classes",
                                            "top_holdings", "flags"}), max_rows=top_n)


@tool("industry_exposure", args_schema=LookthroughArgs)
def industry_exposure(client_id: str, runtime: ToolRuntime[AgentContext], top_n: int = 10) -> dict[str, Any]:
    """A client's look-through exposure by Shenwan level-1 industry (行业分布): weight of client assets and
    share of the identified equity exposure per industry, with coverage."""
    ctx, cid = client_guard(runtime, client_id)
    look = _lookthrough(ctx, cid, top_n)
    return compact(look.model_dump(include={"client_id", "as_of", "coverage", "industries"}), max_rows=top_n)


def _unit_prices(book: Any) -> Any:
    """product_code → value per share at the book's date (prices for ``pnl.client_pnl``)."""
    h = book.holdings()
    h = h[h["shares"] > 0]
    return (h.set_index("product_code")["market_value"] / h.set_index("product_code")["shares"]).rename("price")


@tool("portfolio_performance", args_schema=PeriodArgs)
def portfolio_performance(client_id: str, runtime: ToolRuntime[AgentContext], period: str = "ytd") -> dict[str, Any]:
    """A client's P&L and returns over a period (收益/盈亏): market value at start and end, gain (realized +
    unrealized + dividends − fees), return on capital, time-weighted return, XIRR, per position."""
    ctx, cid = client_guard(runtime, client_id)
    start, end = resolve_period(period, as_of(ctx))
    book = inputs.client_book(ctx.engine, cid, end)
    perf = pnl.client_performance(book, inputs.nav_frame(ctx.engine, book, end),
                                  period=start.isoformat() if start else "since_inception", as_of=end)
    total = perf.pnl.total
    positions = sorted(perf.pnl.positions, key=lambda r: -abs(float(r.get("gain") or 0.0)))  # type: ignore[arg-type]
    return compact({
        "client_id": cid, "period": period, "start": perf.start, "end": end,
        "market_value": total.market_value, "market_value_start": total.market_value_start,
        "gain": perf.gain, "return_on_capital": perf.return_on_capital, "twr": perf.twr, "xirr": perf.xirr,
        "realized": total.realized, "unrealized": total.unrealized, "dividends": total.dividends,
        "fees": total.fees, "gain_by_kind": {k: v.gain for k, v in perf.pnl.by_kind.items()},
        "positions": [{k: r.get(k) for k in _POSITION_KEYS} for r in positions],
    }, max_rows=8)


@tool("allocation_review", args_schema=ClientArgs)
def allocation_review(client_id: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """Review a client's allocation (资产配置检视): risk level, the three pots (spend / protect / grow) vs
    target, asset-class gaps, and a rebalancing proposal whose every buy passed the suitability gate (or
    why the gate blocked it)."""
    ctx, cid = client_guard(runtime, client_id)
    day = as_of(ctx)
    book = inputs.client_book(ctx.engine, cid, day)
    review = allocation.review_allocation(book, _market_frames(ctx.engine, day), as_of=day)
    out = review.model_dump(exclude={"proposal", "current_by_class", "pots"})
    out["pots"] = review.pots.pots
    if review.proposal is not None:
        out.update(proposal=review.proposal.lines, current_mix=review.proposal.current_mix,
                   proposed_mix=review.proposal.proposed_mix)
    return compact(out, max_rows=8)


@tool("performance_attribution", args_schema=PeriodArgs)
def performance_attribution(
    client_id: str, runtime: ToolRuntime[AgentContext], period: str = "1y"
) -> dict[str, Any]:
    """Brinson-Fachler attribution of a client's return vs the target mix of the risk level (业绩归因):
    allocation, selection and interaction effects by asset class; the effects sum to the active return."""
    ctx, cid = client_guard(runtime, client_id)
    start, end = resolve_period(period, as_of(ctx))
    if start is None:
        start = date(end.year - 1, end.month, min(end.day, 28))
    book = inputs.client_book(ctx.engine, cid, end)
    service = _attribution_inputs(ctx, book, start, end)
    from analytics.attribution import client_vs_target

    table = client_vs_target(*service)
    return compact({"client_id": cid, "period": period, "start": start, "end": end,
                    "effects": table.reset_index(names="asset_class").to_dict("records"),
                    "active_return": float(table.to_numpy().sum())})


def _attribution_inputs(ctx: AgentContext, book: Any, start: date, end: date) -> tuple[Any, Any, Any, Any]:
    """(client weights, client class returns, target mix, class benchmark returns) over (start, end].

    Client weights are the asset-class mix at ``start``; a class's return is its P&L gain over the capital
    it had (value at start + money put in), from ``analytics.pnl``; benchmarks compound the class index
    returns of ``analytics_inputs.class_returns``. Classes the target holds but the client does not get
    weight 0 (their return is then irrelevant to BF allocation and selection).
    """
    book_start = inputs.client_book(ctx.engine, book.client_id, start)
    res = pnl.client_pnl(book.transactions, book.products, _unit_prices(book), end, start=start,
                         prices_start=_unit_prices(book_start), splits=book.splits)
    rows = pd.DataFrame(res.positions)
    if rows.empty:
        raise DataUnavailable(f"client {book.client_id!r} has no positions in the period", field="period")
    rows["asset_class"] = rows["product_code"].map(book.products.set_index("code")["asset_class"])
    by = rows.groupby("asset_class")[["market_value_start", "invested", "gain"]].sum()
    capital = by["market_value_start"] + by["invested"]
    weights = by["market_value_start"] / float(by["market_value_start"].sum() or 1.0)
    client_returns = (by["gain"] / capital.where(capital > 0)).fillna(0.0)
    bench = (1 + inputs.class_returns(ctx.engine, start, end)).prod() - 1
    target = allocation.target_mix(str(book.client["risk_level"]))
    classes = target.index.union(weights.index)
    return (weights.reindex(classes, fill_value=0.0), client_returns.reindex(classes, fill_value=0.0),
            target.reindex(classes, fill_value=0.0), bench.reindex(classes, fill_value=0.0))


@tool("retirement_plan", args_schema=RetirementArgs)
def retirement_plan(
    client_id: str,
    runtime: ToolRuntime[AgentContext],
    retire_age: int | None = None,
    monthly_spending: float | None = None,
) -> dict[str, Any]:
    """Retirement plan for a client (退休规划): years to retirement, capital needed, projection of current
    savings, the monthly saving needed (deterministic and at 75% Monte Carlo confidence)."""
    ctx, cid = client_guard(runtime, client_id)
    book = inputs.client_book(ctx.engine, cid, as_of(ctx))
    client = book.client
    age = int(client["age"])
    target_age = retire_age or max(60, age + 1)
    savings = float(book.holdings()["market_value"].sum()) + float(book.cash)
    expense = float(monthly_spending or client.get("monthly_expense") or 0.0)
    plan = planning.retirement_plan(age=age, retirement_age=target_age, life_expectancy=85,
                                    monthly_expense=expense, current_savings=savings)
    return compact({"client_id": cid, "age": age, "retire_age": target_age, "monthly_expense": expense,
                    "current_savings": savings, **plan.model_dump(exclude={"monte_carlo"}),
                    "success_probability": plan.monte_carlo.model_dump().get("success_probability")})

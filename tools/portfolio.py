"""Client-portfolio tools: look-through, industry exposure, performance/P&L, allocation review,
attribution, retirement plan. Each checks the caller's entitlement first (``client_guard``), loads the
client's frames through ``datastore`` and calls one ``analytics`` function.
"""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from tools.common import PERIOD_HELP, as_of, client_guard, compact, need
from tools.context import AgentContext

_INPUTS = "datastore.repositories.analytics_inputs"
CLIENT_ID = Field(description="Client id in the caller's book, e.g. C0001.", pattern=r"^[Cc]\d{4}$")


class ClientArgs(BaseModel):
    client_id: str = CLIENT_ID


class LookthroughArgs(BaseModel):
    client_id: str = CLIENT_ID
    top_n: int = Field(10, ge=1, le=50, description="How many underlying securities to list.")


class PeriodArgs(BaseModel):
    client_id: str = CLIENT_ID
    period: str = Field("ytd", description=PERIOD_HELP)


class RetirementArgs(BaseModel):
    client_id: str = CLIENT_ID
    retire_age: int | None = Field(None, ge=40, le=80, description="Planned retirement age; default by policy.")
    monthly_spending: float | None = Field(
        None, gt=0, description="Monthly spending in retirement, yuan (元); default from the client's expenses."
    )


def _frames(ctx: AgentContext, cid: str) -> tuple[Any, Any, Any]:
    day = as_of(ctx)
    book = need(_INPUTS, "client_book")(ctx.engine, cid, day)
    market = need(_INPUTS, "market_frames")(ctx.engine, day)
    return day, book, market


def _lookthrough(ctx: AgentContext, cid: str, top_n: int) -> Any:
    day, book, market = _frames(ctx, cid)
    exposures = need("analytics.lookthrough", "build_fund_exposures")(market, day)
    return need("analytics.lookthrough", "lookthrough_client")(book, exposures, top_n=top_n)


@tool("lookthrough_portfolio", args_schema=LookthroughArgs)
def lookthrough_portfolio(client_id: str, runtime: ToolRuntime[AgentContext], top_n: int = 10) -> dict[str, Any]:
    """Look through a client's funds to the underlying securities (穿透): top holdings as shares of the
    client's assets, asset classes, concentration flags, disclosure dates and coverage."""
    ctx, cid = client_guard(runtime, client_id)
    res = compact(_lookthrough(ctx, cid, top_n), max_rows=top_n)
    res.pop("industries", None)
    return res


@tool("industry_exposure", args_schema=LookthroughArgs)
def industry_exposure(client_id: str, runtime: ToolRuntime[AgentContext], top_n: int = 10) -> dict[str, Any]:
    """A client's look-through exposure by Shenwan level-1 industry (行业分布), with coverage."""
    ctx, cid = client_guard(runtime, client_id)
    res = compact(_lookthrough(ctx, cid, top_n), max_rows=top_n)
    return {k: res[k] for k in ("client_id", "as_of", "coverage", "industries", "hhi") if k in res}


@tool("portfolio_performance", args_schema=PeriodArgs)
def portfolio_performance(client_id: str, runtime: ToolRuntime[AgentContext], period: str = "ytd") -> dict[str, Any]:
    """A client's P&L and returns over a period (收益/盈亏): market value, profit, time-weighted and
    money-weighted return, per holding."""
    ctx, cid = client_guard(runtime, client_id)
    day, book, market = _frames(ctx, cid)
    navs = need(_INPUTS, "nav_frame")(ctx.engine, book, day)
    return compact(need("analytics.pnl", "client_performance")(book, navs, period=period, as_of=day))


@tool("allocation_review", args_schema=ClientArgs)
def allocation_review(client_id: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """Review a client's allocation (资产配置检视): risk level, the three pots (spend / protect / grow) and
    asset classes vs the target for the risk level, with a rebalancing proposal."""
    ctx, cid = client_guard(runtime, client_id)
    day, book, market = _frames(ctx, cid)
    return compact(need("analytics.allocation", "review_allocation")(book, market, as_of=day))


@tool("performance_attribution", args_schema=PeriodArgs)
def performance_attribution(
    client_id: str, runtime: ToolRuntime[AgentContext], period: str = "1y"
) -> dict[str, Any]:
    """Brinson attribution of a client's return vs the target benchmark for the risk level (业绩归因):
    allocation, selection and interaction effects by asset class; effects sum to the active return."""
    ctx, cid = client_guard(runtime, client_id)
    day, book, market = _frames(ctx, cid)
    navs = need(_INPUTS, "nav_frame")(ctx.engine, book, day)
    return compact(need("analytics.attribution", "client_vs_target")(book, navs, period=period, as_of=day))


@tool("retirement_plan", args_schema=RetirementArgs)
def retirement_plan(
    client_id: str,
    runtime: ToolRuntime[AgentContext],
    retire_age: int | None = None,
    monthly_spending: float | None = None,
) -> dict[str, Any]:
    """Retirement plan for a client (退休规划): years to retirement, capital needed, projected assets, gap
    and the monthly saving that closes it."""
    ctx, cid = client_guard(runtime, client_id)
    day, book, _market = _frames(ctx, cid)
    plan = need("analytics.planning", "retirement_plan")
    return compact(plan(book, as_of=day, retire_age=retire_age, monthly_spending=monthly_spending))

"""Fund and shelf tools: fund profile and period metrics, two funds compared, holdings overlap, the shelf
search, and whether a client can buy a product. Each is one ``services`` call."""

from __future__ import annotations

from typing import Any, Literal

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from services import funds as fund_service
from services import products
from tools.common import PERIOD_HELP, compact, service_deps
from tools.context import AgentContext


class FundArgs(BaseModel):
    fund: str = Field(description="Fund code (6 digits, e.g. 110011) or fund name (fuzzy, e.g. 易方达蓝筹).")


class FundMetricsArgs(BaseModel):
    fund: str = Field(description="Fund code (6 digits) or fund name (fuzzy).")
    period: str = Field("1y", description=PERIOD_HELP)


class CompareFundsArgs(BaseModel):
    funds: list[str] = Field(min_length=2, max_length=2, description="Two fund codes or names.")
    period: str = Field("1y", description=PERIOD_HELP)


class OverlapArgs(BaseModel):
    fund_codes: list[str] = Field(
        min_length=2, max_length=5, description="Two to five fund codes or names whose holdings to compare."
    )


class ProductArgs(BaseModel):
    client_id: str | None = Field(
        None, description="Client id (C0001) to filter by the client's suitability; omit for the whole shelf."
    )
    max_risk_level: Literal["R1", "R2", "R3", "R4", "R5"] | None = Field(
        None, description="Highest product risk level R1–R5 to include."
    )
    asset_class: Literal["cash", "fixed_income", "equity", "alternative", "protection"] | None = Field(
        None, description="Asset class to filter on."
    )
    amount: float | None = Field(None, gt=0, description="Amount to invest in yuan (元), e.g. 500000 for 50万.")
    horizon_days: int | None = Field(
        None, ge=1, le=3650, description="How long the money can stay invested, days (放一年 = 365)."
    )
    limit: int = Field(5, ge=1, le=20, description="How many products to return.")


class SuitabilityArgs(BaseModel):
    client_id: str = Field(description="Client id in the caller's book, e.g. C0001.", pattern=r"^[Cc]\d{4}$")
    product: str = Field(description="Product code (e.g. 001101, WM2026001) or name.")
    amount: float | None = Field(None, gt=0, description="Amount in yuan, to check the minimum.")


@tool("fund_profile", args_schema=FundArgs)
def fund_profile(fund: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """A fund's profile (基金档案): type, risk level, fees, size, its manager and company, whether the bank
    sells it, period returns (近1月…成立以来) and risk metrics over the stored history."""
    res = fund_service.fund_profile(service_deps(runtime), fund)
    return compact({**res.profile, **res.model_dump(exclude={"profile"})})


@tool("fund_metrics", args_schema=FundMetricsArgs)
def fund_metrics(fund: str, runtime: ToolRuntime[AgentContext], period: str = "1y") -> dict[str, Any]:
    """A fund's metrics over one period (最近一年最大回撤, 成立以来收益, 年化): return, annualised return, max
    drawdown with its dates, volatility, Sharpe; money funds: 7-day annualised yield and 万份收益."""
    return compact(fund_service.fund_metrics(service_deps(runtime), fund, period))


@tool("compare_funds", args_schema=CompareFundsArgs)
def compare_funds(funds: list[str], runtime: ToolRuntime[AgentContext], period: str = "1y") -> dict[str, Any]:
    """Two funds side by side (基金对比) over the same period, their holdings overlap, and for a feeder fund
    and its target ETF (联接基金) the tracking difference."""
    res = fund_service.compare_funds(service_deps(runtime), funds[0], funds[1], period)
    out = res.model_dump(exclude={"funds"})
    # one row per fund with its figures at the top level, so the answer lists them side by side
    out["funds"] = [{"code": f.code, "name": f.name, "type": f.type, **f.metrics.model_dump(
        include={"start", "end", "total_return", "annual_return", "max_drawdown", "annual_volatility", "sharpe_ratio",
                 "seven_day_yield"})} for f in res.funds]
    return compact(out)


@tool("fund_overlap", args_schema=OverlapArgs)
def fund_overlap(fund_codes: list[str], runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """Holdings overlap between funds (持仓重合度): symmetric score Σ min(w_A, w_B) per pair with the largest
    shared securities and the coverage of each fund's disclosure."""
    return compact(fund_service.fund_overlap(service_deps(runtime), fund_codes))


@tool("search_products", args_schema=ProductArgs)
def search_products(
    runtime: ToolRuntime[AgentContext],
    client_id: str | None = None,
    max_risk_level: str | None = None,
    asset_class: str | None = None,
    amount: float | None = None,
    horizon_days: int | None = None,
    limit: int = 5,
) -> dict[str, Any]:
    """Products on the bank's shelf that can be bought now (产品筛选), highest expected yield first: open
    for subscription, not maturing too soon, never a client's own maturing product as its reinvestment;
    with a client only those that pass the suitability gate (R ≤ C, valid assessment, age rules)."""
    res = products.search_shelf(service_deps(runtime), client_id=client_id, max_risk_level=max_risk_level,
                                asset_class=asset_class, amount=amount, horizon_days=horizon_days, limit=limit)
    return compact(res, max_rows=limit)


@tool("check_suitability", args_schema=SuitabilityArgs)
def check_suitability(
    client_id: str, product: str, runtime: ToolRuntime[AgentContext], amount: float | None = None
) -> dict[str, Any]:
    """Can this client buy this product (适当性检查)? Every check with its figures: product risk vs client
    level, assessment validity, the elderly rule (双录), availability (open for subscription, maturity),
    minimum amount."""
    return compact(products.check_product_for_client(service_deps(runtime), client_id, product, amount))

"""Fund and shelf tools: fund profile, holdings overlap, suitability-filtered product search."""

from __future__ import annotations

from typing import Any, Literal

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from analytics import allocation, overlap, performance
from analytics.errors import InvalidInput, NotFound
from datastore.repositories.clients import products
from datastore.repositories.market import get_fund
from services import loading as inputs
from tools.common import as_of, client_guard, compact, context
from tools.context import AgentContext
from tools.resolve import best_match

_METRICS = ("annual_return", "annual_volatility", "max_drawdown", "sharpe_ratio", "sortino_ratio", "calmar_ratio")


class FundArgs(BaseModel):
    fund: str = Field(description="Fund code (6 digits, e.g. 110011) or fund name (fuzzy, e.g. 易方达蓝筹).")


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
    limit: int = Field(5, ge=1, le=20, description="How many products to return.")


def resolve_fund(ctx: AgentContext, text: str) -> str:
    """A fund code from a code or a (possibly misspelled) name; ``NotFound`` / ``InvalidInput`` otherwise."""
    from datastore.repositories.lexicon import fund_names

    funds = fund_names(ctx.engine)
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


@tool("fund_profile", args_schema=FundArgs)
def fund_profile(fund: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """A fund's profile (基金档案): type, risk level, fees, size, its manager and company, period returns
    (近1月…成立以来) and risk metrics (annual return, volatility, max drawdown, Sharpe) to the as-of date."""
    ctx = context(runtime)
    code = resolve_fund(ctx, fund)
    day = as_of(ctx)
    row = get_fund(ctx.engine, code)
    nav = inputs.fund_nav_series(ctx.engine, code, day).set_index("date")
    returns = performance.returns_from_nav(nav["unit_nav"], nav["dividend"], nav["split_ratio"])
    metrics = performance.metrics_summary(returns)
    keep = ("code", "name", "type", "risk_level", "manager_name", "company_name", "benchmark", "size",
            "management_fee", "custody_fee", "subscription_fee", "redemption_fee", "inception_date")
    return compact({**{k: row.get(k) for k in keep}, "as_of": day,
                    "period_returns": performance.period_returns(returns, day),
                    "metrics": {k: metrics.get(k) for k in _METRICS}})


@tool("fund_overlap", args_schema=OverlapArgs)
def fund_overlap(fund_codes: list[str], runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """Holdings overlap between funds (持仓重合度): symmetric score Σ min(w_A, w_B) per pair with the largest
    shared securities and the coverage of each fund's disclosure."""
    ctx = context(runtime)
    codes = list(dict.fromkeys(resolve_fund(ctx, f) for f in fund_codes))
    if len(codes) < 2:
        raise InvalidInput("need two different funds", field="fund_codes", hint="name a second fund")
    day = as_of(ctx)
    pairs = overlap.overlap_pairs(inputs.fund_exposures(ctx.engine, day), codes)
    return compact({"as_of": day, "funds": codes, "pairs": pairs})


@tool("search_products", args_schema=ProductArgs)
def search_products(
    runtime: ToolRuntime[AgentContext],
    client_id: str | None = None,
    max_risk_level: str | None = None,
    asset_class: str | None = None,
    amount: float | None = None,
    limit: int = 5,
) -> dict[str, Any]:
    """Products on the bank's shelf (产品筛选), highest expected yield first. With a client, only products
    that pass the suitability gate for that client (R ≤ C, valid risk assessment, age rules) are returned."""
    ctx = context(runtime)
    cid = client_guard(runtime, client_id)[1] if client_id else None  # entitlement first, before any read
    day = as_of(ctx)
    book = inputs.client_book(ctx.engine, cid, day) if cid else None
    found = allocation.suitable_products(
        products(ctx.engine), book=book, as_of=day, max_risk_level=max_risk_level, asset_class=asset_class,
        amount=amount, limit=limit, valid_days=ctx.settings.risk_assessment_valid_days,
    )
    out: dict[str, Any] = {"as_of": day, "client_id": cid,
                           "client_risk_level": str(book.client["risk_level"]) if book is not None else None,
                           "filters": {"max_risk_level": max_risk_level, "asset_class": asset_class, "amount": amount},
                           "products": found.to_dict("records")}
    return compact(out, max_rows=limit)

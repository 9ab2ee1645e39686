"""Client-portfolio tools: look-through, industry exposure, performance/P&L, allocation review,
attribution, retirement plan, wealth health score. Each body is one ``services`` call (which checks the
caller's access first, with the same refusal for unknown ids) and ``compact``.

Results are dicts such as ``{"client_id": "C0001", "as_of": "2026-11-20", "coverage": 0.93,
"top_holdings": [{"name": "…", "weight": 0.052, …}, …]}`` (weights are fractions of client assets).
"""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from services import clients, planning
from tools.common import PERIOD_HELP, compact, service_deps
from tools.context import AgentContext

CLIENT_ID = Field(description="Client id in the caller's book, e.g. C0001.", pattern=r"^[Cc]\d{4}$")


class ClientArgs(BaseModel):
    client_id: str = CLIENT_ID


class LookthroughArgs(BaseModel):
    client_id: str = CLIENT_ID
    top_n: int = Field(10, ge=1, le=50, description="How many underlying securities or industries to list.")


class PeriodArgs(BaseModel):
    client_id: str = CLIENT_ID
    period: str = Field("since_purchase", description=PERIOD_HELP)


class AttributionArgs(BaseModel):
    client_id: str = CLIENT_ID
    period: str = Field("1y", description=PERIOD_HELP)


class RetirementArgs(BaseModel):
    client_id: str = CLIENT_ID
    retire_age: int | None = Field(None, ge=40, le=80, description="Planned retirement age; default 60.")
    monthly_spending: float | None = Field(
        None, gt=0, description="Monthly spending in retirement, yuan (元), e.g. 20000 for 每月2万; default the "
        "client's recorded expenses."
    )


@tool("lookthrough_portfolio", args_schema=LookthroughArgs)
def lookthrough_portfolio(client_id: str, runtime: ToolRuntime[AgentContext], top_n: int = 10) -> dict[str, Any]:
    """Look through a client's funds to the underlying securities (穿透): top holdings as shares of the
    client's assets, asset classes, concentration flags, disclosure dates and coverage."""
    look = clients.client_lookthrough(service_deps(runtime), client_id, top_n)
    return compact(look.model_dump(include={"client_id", "as_of", "total_value", "coverage", "asset_classes",
                                            "top_holdings", "flags"}), max_rows=top_n)


@tool("industry_exposure", args_schema=LookthroughArgs)
def industry_exposure(client_id: str, runtime: ToolRuntime[AgentContext], top_n: int = 10) -> dict[str, Any]:
    """A client's look-through exposure by Shenwan level-1 industry (行业分布): weight of client assets and
    share of the identified equity exposure per industry, with coverage."""
    look = clients.client_lookthrough(service_deps(runtime), client_id, top_n)
    return compact(look.model_dump(include={"client_id", "as_of", "coverage", "industries"}), max_rows=top_n)


@tool("portfolio_performance", args_schema=PeriodArgs)
def portfolio_performance(
    client_id: str, runtime: ToolRuntime[AgentContext], period: str = "since_purchase"
) -> dict[str, Any]:
    """A client's P&L and returns over a period (收益/盈亏; 亏了多少/赚了多少 without a period = since purchase):
    market value at start and end, gain (realized + unrealized + dividends − fees), return on capital,
    time-weighted return (twr, over the period) and XIRR (money-weighted, annualised), per position."""
    perf = clients.client_performance(service_deps(runtime), client_id, period)
    return compact(perf, max_rows=8)


@tool("allocation_review", args_schema=ClientArgs)
def allocation_review(client_id: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """Review a client's allocation (资产配置检视): risk level, the three pots (spend / protect / grow) vs
    target, asset-class gaps, and a rebalancing proposal whose every buy passed the suitability gate (or
    why the gate blocked it)."""
    review = planning.allocation_review(service_deps(runtime), client_id)
    out = review.model_dump(exclude={"proposal", "current_by_class", "pots"})
    out["pots"] = review.pots.pots
    if review.proposal is not None:
        pr = review.proposal
        # findings carry a language-neutral code + args, worded per language by the answer composer
        findings = [{"asset_class": f.asset_class, "product_code": f.product_code, "amount": f.amount,
                     "reason": f.message, "reason_code": f.code, "reason_args": f.args} for f in pr.findings]
        out.update(proposal=pr.lines, to_discuss=pr.to_discuss, findings=findings, current_mix=pr.current_mix,
                   proposed_mix=pr.proposed_mix, target_mix=pr.target_mix, cash_after=pr.cash_after,
                   liquidity_target=pr.liquidity_target)
    return compact(out, max_rows=8)


@tool("performance_attribution", args_schema=AttributionArgs)
def performance_attribution(
    client_id: str, runtime: ToolRuntime[AgentContext], period: str = "1y"
) -> dict[str, Any]:
    """Brinson-Fachler attribution of a client's return vs the target mix of the risk level (业绩归因):
    allocation, selection and interaction effects by asset class; the effects sum to the active return."""
    return compact(clients.client_attribution(service_deps(runtime), client_id, period))


@tool("retirement_plan", args_schema=RetirementArgs)
def retirement_plan(
    client_id: str,
    runtime: ToolRuntime[AgentContext],
    retire_age: int | None = None,
    monthly_spending: float | None = None,
) -> dict[str, Any]:
    """Retirement plan (退休规划) with the stated retirement age and monthly spending: before retirement the
    capital needed and the monthly saving (deterministic and at 75% Monte Carlo confidence); for a client
    already past retirement age, how long the savings last at that spending and the success probability."""
    res = planning.retirement(service_deps(runtime), client_id, retire_age=retire_age,
                              monthly_spending=monthly_spending)
    out = res.model_dump(exclude={"plan", "sustainability"})
    if res.plan is not None:
        out.update(res.plan.model_dump(exclude={"monte_carlo"}))
    if res.sustainability is not None:
        out.update(res.sustainability.model_dump(exclude={"savings", "monthly_spending"}))
    return compact(out)


@tool("wealth_health_score", args_schema=ClientArgs)
def wealth_health_score(client_id: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """The client's wealth health score (财富健康度, 0–100) with each component's points and why:
    liquidity, protection, diversification, risk match, allocation fit, performance."""
    res = planning.health_score(service_deps(runtime), client_id)
    rows = [{"name": c.name, "points": c.points, "max_points": c.max_points,
             # the component's measure under a key whose unit the answer composer knows
             ("months_covered" if c.name == "liquidity" else "hhi" if c.name == "diversification" else "share"): c.value}
            for c in res.score.components]
    return compact({"client_id": res.client_id, "health_score": res.score.score, "components": rows})

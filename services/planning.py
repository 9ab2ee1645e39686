"""Planning use cases: allocation review (three pots, gaps, gated rebalancing), the wealth health score,
and retirement — a savings target before retirement, a sustainability (drawdown) analysis after."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from analytics import allocation, planning
from analytics.allocation import AllocationReview
from analytics.planning import HealthScore, RetirementPlan, Sustainability
from core.errors import InvalidInput
from services import loading
from services.clients import client_book
from services.deps import Deps

LIFE_EXPECTANCY = 85  # planning horizon end (age); a modelling assumption stated in every result


def allocation_review(deps: Deps, client_id: str) -> AllocationReview:
    book = client_book(deps, client_id)
    return allocation.review_allocation(book, loading.cached_market_frames(deps.engine, deps.as_of), as_of=deps.as_of,
                                        policy=deps.policy)


class HealthScoreResult(BaseModel):
    client_id: str
    score: HealthScore


def health_score(deps: Deps, client_id: str) -> HealthScoreResult:
    """财富健康度 0–100 with each component's points and why."""
    book = client_book(deps, client_id)
    return HealthScoreResult(client_id=book.client_id, score=planning.client_health_score(book, policy=deps.policy))


class RetirementResult(BaseModel):
    client_id: str
    age: int
    retire_age: int
    retired: bool  # past the stated or default retirement age → sustainability, not a savings target
    monthly_spending: float
    spending_source: str  # "stated" | "client_record"
    current_savings: float
    life_expectancy: int
    plan: RetirementPlan | None = None
    success_probability: float | None = None
    sustainability: Sustainability | None = None


def retirement(
    deps: Deps, client_id: str, *, retire_age: int | None = None, monthly_spending: float | None = None
) -> RetirementResult:
    """退休规划 with the RM's stated retirement age and monthly spending when given."""
    book = client_book(deps, client_id)
    c = book.client
    age = int(c["age"])
    retired = str(c.get("life_stage")) == "retired" or age >= (retire_age or 60)
    target_age = retire_age or (age if retired else 60)
    expense = float(monthly_spending or c.get("monthly_expense") or 0.0)
    if expense <= 0:
        raise InvalidInput("no monthly spending known for this client", field="monthly_spending",
                           hint="say how much the client spends a month, e.g. 每月花2万")
    savings = float(book.holdings()["market_value"].sum()) + float(book.cash)
    out: dict[str, Any] = dict(client_id=book.client_id, age=age, retire_age=target_age, retired=retired,
                               monthly_spending=expense, spending_source="stated" if monthly_spending else "client_record",
                               current_savings=savings, life_expectancy=LIFE_EXPECTANCY)
    if retired:
        out["sustainability"] = planning.drawdown_sustainability(
            savings=savings, monthly_spending=expense, horizon_years=max(LIFE_EXPECTANCY - age, 5))
        out["success_probability"] = out["sustainability"].success_probability
    else:
        plan = planning.retirement_plan(age=age, retirement_age=target_age, life_expectancy=LIFE_EXPECTANCY,
                                        monthly_expense=expense, current_savings=savings)
        out["plan"] = plan
        out["success_probability"] = plan.monte_carlo.model_dump().get("success_probability")
    return RetirementResult(**out)

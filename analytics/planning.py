"""Planning: retirement plan (deterministic and Monte Carlo) and the wealth health score.

Money is yuan, rates are annual fractions. Monthly compounding uses the equivalent monthly rate
i = (1 + r)^(1/12) − 1, so a 12-month horizon compounds exactly to r.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from analytics.errors import InvalidInput


def _monthly(rate: float) -> float:
    if rate <= -1:
        raise InvalidInput("an annual return of −100% or less is not meaningful", field="annual_return")
    return (1.0 + rate) ** (1.0 / 12.0) - 1.0


def future_value(present: float, monthly_saving: float, months: int, annual_return: float) -> float:
    """Value after ``months`` of ``present`` growing and ``monthly_saving`` paid at each month end."""
    i = _monthly(annual_return)
    g = (1.0 + i) ** months
    annuity = months if i == 0 else (g - 1.0) / i
    return present * g + monthly_saving * annuity


def required_monthly_saving(
    target: float, years: float, annual_return: float, current_savings: float = 0.0
) -> float:
    """Monthly saving (month end) that grows ``current_savings`` to ``target`` in ``years``; 0 when the
    current savings already get there. Inverse of ``future_value``."""
    if years <= 0:
        raise InvalidInput("must be positive", field="years")
    if target < 0 or current_savings < 0:
        raise InvalidInput("amounts must be ≥ 0", field="target" if target < 0 else "current_savings")
    n = int(round(years * 12))
    i = _monthly(annual_return)
    g = (1.0 + i) ** n
    short = target - current_savings * g
    if short <= 0:
        return 0.0
    annuity = n if i == 0 else (g - 1.0) / i
    return short / annuity


def retirement_corpus(
    monthly_expense: float, years_in_retirement: float, annual_return: float, inflation: float
) -> float:
    """Capital needed at retirement to pay an inflation-indexed ``monthly_expense`` (in money of the
    retirement date, paid at each month start) for ``years_in_retirement``, earning ``annual_return``."""
    if monthly_expense < 0 or years_in_retirement <= 0:
        raise InvalidInput(
            "must be positive", field="monthly_expense" if monthly_expense < 0 else "years_in_retirement"
        )
    real = (1.0 + annual_return) / (1.0 + inflation) - 1.0
    j = _monthly(real)
    n = int(round(years_in_retirement * 12))
    if j == 0:
        return monthly_expense * n
    return monthly_expense * (1.0 - (1.0 + j) ** -n) / j * (1.0 + j)


class MonteCarloResult(BaseModel):
    percentiles: dict[str, float]  # "p10" → terminal wealth
    success_probability: float | None  # P(terminal ≥ target)
    paths: int
    seed: int


def monte_carlo_wealth(
    current: float,
    monthly_saving: float,
    years: float,
    mean_return: float,
    volatility: float,
    *,
    target: float | None = None,
    paths: int = 5000,
    seed: int = 0,
    percentiles: tuple[int, ...] = (10, 25, 50, 75, 90),
) -> MonteCarloResult:
    """Terminal wealth distribution with i.i.d. lognormal monthly returns whose annual arithmetic mean is
    ``mean_return`` and annual volatility ``volatility``. Reproducible with ``seed``."""
    if paths < 100:
        raise InvalidInput("use at least 100 paths", field="paths")
    if volatility < 0:
        raise InvalidInput("must be ≥ 0", field="volatility")
    n = int(round(years * 12))
    if n <= 0:
        raise InvalidInput("must be positive", field="years")
    terminal = _simulate(current, monthly_saving, n, mean_return, volatility, paths, seed)
    pct = {f"p{p}": float(np.percentile(terminal, p)) for p in percentiles}
    prob = None if target is None else float(np.mean(terminal >= target))
    return MonteCarloResult(percentiles=pct, success_probability=prob, paths=paths, seed=seed)


def _simulate(
    current: float, saving: float, n: int, mean: float, vol: float, paths: int, seed: int
) -> np.ndarray:
    a, b = _growth_factors(n, mean, vol, paths, seed)
    return current * a + saving * b


def _growth_factors(n: int, mean: float, vol: float, paths: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per path: A = Π g (growth of today's money), B = Σ_t Π_{s>t} g_s (growth of 1 saved each month end).
    Terminal wealth is linear in the saving: W = current·A + saving·B."""
    rng = np.random.default_rng(seed)
    sigma_m = np.sqrt(np.log(1.0 + vol**2 / (1.0 + mean) ** 2) / 12.0)
    mu_m = np.log(1.0 + mean) / 12.0 - 0.5 * sigma_m**2
    growth = np.exp(rng.normal(mu_m, sigma_m, size=(paths, n)))
    tail = np.cumprod(growth[:, ::-1], axis=1)[:, ::-1]  # tail[:, t] = Π_{s≥t} g_s
    after = tail[:, 1:].sum(axis=1) + 1.0
    return tail[:, 0], after


class RetirementPlan(BaseModel):
    years_to_retirement: float
    target_corpus: float
    projected_without_saving: float
    required_monthly_saving: float  # deterministic, at the expected return
    required_monthly_saving_mc: float  # so that the Monte Carlo success probability reaches ``confidence``
    confidence: float
    monte_carlo: MonteCarloResult  # with the deterministic saving


def retirement_plan(
    *,
    age: int,
    retirement_age: int,
    life_expectancy: int,
    monthly_expense: float,
    current_savings: float,
    expected_return: float = 0.04,
    volatility: float = 0.08,
    retirement_return: float = 0.025,
    inflation: float = 0.02,
    confidence: float = 0.75,
    paths: int = 5000,
    seed: int = 0,
) -> RetirementPlan:
    """Retirement plan: the corpus needed at ``retirement_age`` for today's ``monthly_expense`` (grown by
    inflation until then) until ``life_expectancy``; the monthly saving needed deterministically and so
    that P(success) ≥ ``confidence`` under Monte Carlo (bisection on the same random draws)."""
    if not age < retirement_age < life_expectancy:
        raise InvalidInput("need age < retirement_age < life_expectancy", field="retirement_age")
    if not 0 < confidence < 1:
        raise InvalidInput("must be between 0 and 1", field="confidence")
    years = float(retirement_age - age)
    expense_then = monthly_expense * (1.0 + inflation) ** years
    corpus = retirement_corpus(expense_then, life_expectancy - retirement_age, retirement_return, inflation)
    det = required_monthly_saving(corpus, years, expected_return, current_savings)
    n = int(round(years * 12))
    a, b = _growth_factors(n, expected_return, volatility, paths, seed)  # same draws for every saving level

    def enough(saving: float) -> bool:
        return bool(np.quantile(current_savings * a + saving * b, 1 - confidence) >= corpus)

    lo, hi = 0.0, max(det, 1.0)
    while not enough(hi):
        hi *= 2
        if hi > 1e12:
            raise InvalidInput("target not reachable", field="monthly_expense")
    for _ in range(60):  # success is monotone in the saving → bisection
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if enough(mid) else (mid, hi)
    mc = monte_carlo_wealth(
        current_savings, det, years, expected_return, volatility, target=corpus, paths=paths, seed=seed
    )
    return RetirementPlan(
        years_to_retirement=years,
        target_corpus=corpus,
        projected_without_saving=future_value(current_savings, 0.0, n, expected_return),
        required_monthly_saving=det,
        required_monthly_saving_mc=hi,
        confidence=confidence,
        monte_carlo=mc,
    )


# ============================================================================================ health score


class ScoreWeights(BaseModel):
    """Points per component (sum 100). Example policy."""

    liquidity: float = 20
    protection: float = 15
    diversification: float = 15
    risk_match: float = 25
    allocation_fit: float = 15
    performance: float = 10


class ScoreComponent(BaseModel):
    name: str
    points: float
    max_points: float
    value: float
    explanation: str


class HealthScore(BaseModel):
    score: float = Field(ge=0, le=100)
    components: list[ScoreComponent]


def wealth_health_score(
    *,
    total: float,
    liquid: float,
    monthly_expense: float,
    protection: float,
    product_weights: list[float],
    share_above_level: float,
    current_mix: dict[str, float],
    target_mix: dict[str, float],
    return_rate: float | None = None,
    liquidity_months: tuple[float, float] = (3.0, 6.0),
    protection_share: float = 0.10,
    weights: ScoreWeights | None = None,
) -> HealthScore:
    """0–100 wealth health score (财富体检) with each component's points, value and reason.

    liquidity: months of expenses in cash-like assets vs the band (full points inside the band, less above
    it: idle money); protection: insurance share vs target; diversification: 1 − HHI of product weights;
    risk_match: share of assets within the client's risk level; allocation_fit: 1 − ½Σ|w − target|;
    performance: return rate ≥ 0 full, linear down to −20%.
    """
    w = weights or ScoreWeights()
    if total <= 0:
        raise InvalidInput("must be positive", field="total")
    comps = []
    months = liquid / monthly_expense if monthly_expense > 0 else float("inf")
    lo, hi = liquidity_months
    if months < lo:
        f = months / lo
    elif months <= hi or not np.isfinite(months):
        f = 1.0
    else:
        f = max(0.5, 1.0 - (months - hi) / (4 * hi))  # idle cash costs points, at most half
    comps.append(
        ScoreComponent(
            name="liquidity",
            points=w.liquidity * f,
            max_points=w.liquidity,
            value=months,
            explanation=f"cash-like assets cover {months:.1f} months of expenses (band {lo:g}–{hi:g})",
        )
    )
    ps = protection / total
    f = min(ps / protection_share, 1.0) if protection_share > 0 else 1.0
    comps.append(
        ScoreComponent(
            name="protection",
            points=w.protection * f,
            max_points=w.protection,
            value=ps,
            explanation=f"insurance is {ps:.1%} of assets (target {protection_share:.0%})",
        )
    )
    pw = np.asarray(product_weights, dtype=float)
    h = float(np.sum((pw / pw.sum()) ** 2)) if pw.sum() > 0 else 1.0
    comps.append(
        ScoreComponent(
            name="diversification",
            points=w.diversification * (1 - h),
            max_points=w.diversification,
            value=h,
            explanation=f"product HHI {h:.2f} (1 = a single product)",
        )
    )
    ok = 1.0 - min(max(share_above_level, 0.0), 1.0)
    comps.append(
        ScoreComponent(
            name="risk_match",
            points=w.risk_match * ok,
            max_points=w.risk_match,
            value=share_above_level,
            explanation=f"{share_above_level:.1%} of assets are above the client's risk level",
        )
    )
    keys = set(current_mix) | set(target_mix)
    dist = 0.5 * sum(abs(current_mix.get(k, 0.0) - target_mix.get(k, 0.0)) for k in keys)
    comps.append(
        ScoreComponent(
            name="allocation_fit",
            points=w.allocation_fit * (1 - min(dist, 1.0)),
            max_points=w.allocation_fit,
            value=dist,
            explanation=f"{dist:.1%} of assets would have to move to reach the target mix",
        )
    )
    if return_rate is not None:
        f = 1.0 if return_rate >= 0 else max(0.0, 1.0 + return_rate / 0.20)
        comps.append(
            ScoreComponent(
                name="performance",
                points=w.performance * f,
                max_points=w.performance,
                value=return_rate,
                explanation=f"return since purchase {return_rate:.1%}",
            )
        )
    max_total = sum(c.max_points for c in comps)
    score = 100.0 * sum(c.points for c in comps) / max_total
    return HealthScore(score=round(score, 6), components=comps)


def client_health_score(book: Any, *, policy: Any = None, weights: ScoreWeights | None = None) -> HealthScore:
    """``wealth_health_score`` for one ``ClientBook``: liquid = cash-class holdings + idle cash, protection =
    insurance value, risk match from product R vs client C, allocation fit against the three-pots target
    of the client's level, performance = unrealized gain / cost of the current positions."""
    from analytics.allocation import three_pots
    from analytics.suitability import client_level, product_level
    from core.policy import DEFAULT_POLICY

    pol = policy or DEFAULT_POLICY
    hold = book.holdings()
    hold = hold[hold["market_value"] > 0]
    by_class = hold.groupby("asset_class")["market_value"].sum()
    by_class["cash"] = by_class.get("cash", 0.0) + float(book.cash)
    total = float(by_class.sum())
    if total <= 0:
        raise InvalidInput(f"client {book.client_id!r} holds nothing", field="client_id")
    level = str(book.client["risk_level"])
    c = client_level(level)
    above = float(hold.loc[hold["risk_level"].map(product_level) > c, "market_value"].sum())
    expense = float(book.client.get("monthly_expense", 0.0) or 0.0)
    pots = three_pots(total, expense, by_class, level, pol)
    cost = float(hold["cost"].sum())
    return wealth_health_score(
        total=total,
        liquid=float(by_class.get("cash", 0.0)),
        monthly_expense=expense,
        protection=float(by_class.get("protection", 0.0)),
        product_weights=list(hold["market_value"].to_numpy() / total) + [float(book.cash) / total],
        share_above_level=above / total,
        current_mix={str(k): float(v / total) for k, v in by_class.items()},
        target_mix={k: v / total for k, v in pots.target_by_class.items()},
        return_rate=(float(hold["market_value"].sum()) - cost) / cost if cost > 0 else None,
        liquidity_months=pol.liquidity.liquidity_months,
        protection_share=pol.allocation.protection_share,
        weights=weights,
    )


# ============================================================================================ decumulation


class Sustainability(BaseModel):
    """Can savings fund a retiree's spending? (a drawdown analysis, not a savings target)"""

    savings: float
    monthly_spending: float
    annual_withdrawal_rate: float  # 12 × spending / savings
    years_lasting: float | None  # deterministic; None = lasts beyond ``horizon_years``
    horizon_years: float
    success_probability: float  # Monte Carlo: share of paths never running out within the horizon
    expected_return: float
    inflation: float


def drawdown_sustainability(
    *,
    savings: float,
    monthly_spending: float,
    horizon_years: float,
    expected_return: float = 0.03,
    volatility: float = 0.05,
    inflation: float = 0.02,
    paths: int = 5000,
    seed: int = 0,
) -> Sustainability:
    """How long ``savings`` last when ``monthly_spending`` (today's money, grown by inflation) is withdrawn
    at the start of each month and the rest earns ``expected_return`` (deterministic), and the share of
    Monte Carlo paths (normal monthly returns) that never run out within ``horizon_years``."""
    if savings <= 0:
        raise InvalidInput("must be positive", field="savings")
    if monthly_spending <= 0:
        raise InvalidInput("must be positive", field="monthly_spending", hint="e.g. 20000 for 每月2万")
    months = int(round(horizon_years * 12))
    g, i = _monthly(expected_return), _monthly(inflation)
    balance, lasted = savings, None
    for m in range(months):
        balance -= monthly_spending * (1.0 + i) ** m
        if balance < 0:
            lasted = m / 12.0
            break
        balance *= 1.0 + g
    rng = np.random.default_rng(seed)
    mu, sigma = g, volatility / np.sqrt(12.0)
    wealth = np.full(paths, savings, dtype=float)
    alive = np.ones(paths, dtype=bool)
    for m in range(months):
        wealth -= monthly_spending * (1.0 + i) ** m
        alive &= wealth >= 0
        wealth *= 1.0 + rng.normal(mu, sigma, paths)
    return Sustainability(
        savings=savings, monthly_spending=monthly_spending,
        annual_withdrawal_rate=12.0 * monthly_spending / savings, years_lasting=lasted,
        horizon_years=float(horizon_years), success_probability=float(alive.mean()),
        expected_return=expected_return, inflation=inflation,
    )

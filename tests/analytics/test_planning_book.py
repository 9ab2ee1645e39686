"""Planning (annuity identities, Monte Carlo reproducibility) and the vectorised book scan."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.book import book_scan
from analytics.errors import InvalidInput
from analytics.planning import (
    future_value,
    monte_carlo_wealth,
    required_monthly_saving,
    retirement_corpus,
    retirement_plan,
    wealth_health_score,
)
from core.policy import Policy


def test_required_saving_inverts_future_value() -> None:
    pmt = required_monthly_saving(1_000_000, 10, 0.05, current_savings=100_000)
    assert future_value(100_000, pmt, 120, 0.05) == pytest.approx(1_000_000, rel=1e-12)
    assert required_monthly_saving(120_000, 10, 0.0) == pytest.approx(1000.0)
    assert required_monthly_saving(100, 1, 0.05, current_savings=1e6) == 0.0
    assert future_value(100.0, 0.0, 12, 0.05) == pytest.approx(105.0)


def test_corpus_zero_real_return() -> None:
    assert retirement_corpus(5000, 20, 0.02, 0.02) == pytest.approx(5000 * 240)


def test_monte_carlo_seeded_and_degenerate() -> None:
    a = monte_carlo_wealth(100_000, 2000, 10, 0.05, 0.10, seed=42, target=400_000)
    b = monte_carlo_wealth(100_000, 2000, 10, 0.05, 0.10, seed=42, target=400_000)
    assert a == b and a.percentiles["p10"] < a.percentiles["p50"] < a.percentiles["p90"]
    flat = monte_carlo_wealth(100_000, 2000, 10, 0.05, 0.0, paths=100)
    assert flat.percentiles["p50"] == pytest.approx(future_value(100_000, 2000, 120, 0.05), rel=1e-9)


def test_retirement_plan() -> None:
    plan = retirement_plan(
        age=40, retirement_age=60, life_expectancy=85, monthly_expense=8000, current_savings=300_000, seed=1
    )
    assert plan.target_corpus > 0 and plan.required_monthly_saving > 0
    assert plan.required_monthly_saving_mc > plan.required_monthly_saving  # 75% confidence costs more
    assert 0.3 < plan.monte_carlo.success_probability < 0.7  # the median path is about the deterministic one
    with pytest.raises(InvalidInput) as e:
        retirement_plan(age=60, retirement_age=55, life_expectancy=85, monthly_expense=1, current_savings=0)
    assert e.value.field == "retirement_age"


def test_health_score_components_explain_the_total() -> None:
    hs = wealth_health_score(
        total=1_000_000,
        liquid=50_000,
        monthly_expense=10_000,
        protection=100_000,
        product_weights=[0.25, 0.25, 0.25, 0.25],
        share_above_level=0.0,
        current_mix={"cash": 0.1, "equity": 0.9},
        target_mix={"cash": 0.1, "equity": 0.9},
        return_rate=0.05,
    )
    assert hs.score == pytest.approx(100 * (100 - 15 * 0.25) / 100)
    assert sum(c.points for c in hs.components) == pytest.approx(hs.score)
    worse = wealth_health_score(
        total=1_000_000,
        liquid=0,
        monthly_expense=10_000,
        protection=0,
        product_weights=[1.0],
        share_above_level=1.0,
        current_mix={"equity": 1.0},
        target_mix={"cash": 1.0},
        return_rate=-0.3,
    )
    assert worse.score == 0.0 and all(c.explanation for c in worse.components)


AS_OF = date(2024, 12, 1)


def test_book_scan_finds_each_rule(tiny_products) -> None:  # type: ignore[no-untyped-def]
    clients = pd.DataFrame(
        [
            ("C1", "甲", "C2", date(2024, 6, 1), 10_000.0),
            ("C2", "乙", "C5", date(2023, 1, 1), 10_000.0),
            ("C3", "丙", "C4", date(2024, 6, 1), 5_000.0),
        ],
        columns=["id", "name", "risk_level", "risk_assessed_on", "monthly_expense"],
    )
    positions = pd.DataFrame(
        [
            ("C1", "F00001", 100_000.0, 80_000.0),  # R4 for a C2, client loss −16.7%, 80% of assets
            ("C1", "WM01", 20_000.0, 20_000.0),
            ("C2", "TD3Y", 200_000.0, 200_000.0),  # matures 2024-12-20
            ("C3", "WM01", 50_000.0, 50_000.0),
            ("C3", "B00001", 50_000.0, 51_000.0),
        ],
        columns=["client_id", "product_code", "cost", "market_value"],
    )
    cash = pd.DataFrame({"client_id": ["C3", "C1"], "balance": [300_000.0, 0.0]})
    out = book_scan(clients, positions, tiny_products, AS_OF, cash=cash)
    got = {(r.client_id, r.rule) for r in out.itertuples()}
    assert got == {
        ("C1", "risk_mismatch"),
        ("C1", "loss"),
        ("C1", "concentration"),
        ("C2", "assessment_expired"),
        # C2's 100% deposit is no concentration finding: policy.concentration.exempt_kinds
        ("C2", "maturing"),
        ("C3", "idle_cash"),
    }
    row = out[(out["client_id"] == "C1") & (out["rule"] == "loss")].iloc[0]
    assert row["figure"] == pytest.approx(-20_000 / 120_000) and "-16.7%" in row["reason"]
    assert out[out["rule"] == "idle_cash"].iloc[0]["figure"] == pytest.approx(300_000 - 30_000)
    assert out[out["rule"] == "maturing"].iloc[0]["detail_date"] == date(2024, 12, 20)
    quiet = book_scan(
        clients,
        positions,
        tiny_products,
        AS_OF,
        cash=cash,
        policy=Policy().replace(alerts={"loss_threshold": 0.5}, concentration={"product_of_client": 1.0},
                              liquidity={"idle_cash_min": 1e9}),
    )
    assert {"loss", "concentration", "idle_cash"}.isdisjoint(set(quiet["rule"]))


def test_client_health_score_on_tiny_book(tiny_book) -> None:  # type: ignore[no-untyped-def]
    from analytics.planning import client_health_score

    hs = client_health_score(tiny_book)
    comps = {c.name: c for c in hs.components}
    # C2 client: the R4 funds (70% of assets) are above the level, so risk_match keeps 30% of its points
    assert comps["risk_match"].value == pytest.approx(0.70)
    assert comps["risk_match"].points == pytest.approx(25 * 0.30)
    assert comps["liquidity"].value == pytest.approx(20_000 / 10_000)  # 2 months of expenses in the deposit
    assert 0 <= hs.score <= 100 and sum(c.points for c in hs.components) == pytest.approx(hs.score)

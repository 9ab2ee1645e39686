"""Allocation: policy as data, three pots, gaps, the suitability gate, gated proposals, backtest."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.allocation import (
    compare_backtest,
    gap_analysis,
    propose_rebalance,
    target_mix,
    three_pots,
)
from analytics.errors import InvalidInput, SuitabilityError
from analytics.suitability import check_suitability
from core.policy import Policy

from .conftest import AS_OF

R5 = {"code": "X5", "risk_level": "R5", "kind": "wmp"}
R2 = {"code": "WM01", "risk_level": "R2", "kind": "wmp"}
DEPOSIT = {"code": "TD3Y", "risk_level": "R1", "kind": "deposit"}


def _client(**kw):  # type: ignore[no-untyped-def]
    base = {
        "id": "C0001",
        "risk_level": "C2",
        "risk_assessed_on": date(2024, 6, 1),
        "age": 45,
        "monthly_expense": 10_000.0,
    }
    return pd.Series(base | kw)


def test_gate_refuses_r5_for_c2() -> None:
    with pytest.raises(SuitabilityError, match="R5") as e:
        check_suitability(_client(), R5, AS_OF)
    from assistant.errors import exit_code

    assert exit_code(e.value) == 3
    check_suitability(_client(), R2, AS_OF)  # R2 ≤ C2 passes


def test_gate_refuses_expired_assessment_but_not_deposits() -> None:
    old = _client(risk_assessed_on=date(2023, 11, 1))
    with pytest.raises(SuitabilityError, match="older than 365 days"):
        check_suitability(old, R2, AS_OF)
    check_suitability(old, DEPOSIT, AS_OF)
    check_suitability(old, R2, AS_OF, valid_days=800)  # the validity period is a parameter


def test_gate_elderly_needs_dual_recording() -> None:
    senior = _client(age=72, risk_level="C4")
    r3 = {"code": "F1", "risk_level": "R3", "kind": "fund"}
    with pytest.raises(SuitabilityError, match="双录"):
        check_suitability(senior, r3, AS_OF)
    check_suitability(senior, r3, AS_OF, dual_recording_confirmed=True)
    check_suitability(senior, R2, AS_OF)


def test_gate_bad_levels() -> None:
    with pytest.raises(InvalidInput) as e:
        check_suitability(_client(risk_level="C9"), R2, AS_OF)
    assert e.value.field == "client.risk_level"


def test_policy_is_overridable() -> None:
    assert target_mix("C3").to_dict() == {
        "cash": 0.10,
        "fixed_income": 0.50,
        "equity": 0.35,
        "alternative": 0.05,
    }
    mine = Policy().replace(allocation={"target_mix": {"C3": {"cash": 0.2, "fixed_income": 0.4, "equity": 0.4}}})
    assert target_mix("C3", mine)["equity"] == 0.4
    with pytest.raises(InvalidInput):
        Policy().replace(allocation={"target_mix": {"C3": {"cash": 0.5}}})


def test_three_pots_hand_computed() -> None:
    p = three_pots(1_000_000, 10_000, {"cash": 20_000, "equity": 500_000, "fixed_income": 480_000}, "C2")
    liq, prot, growth = p.pots
    assert liq.target == 45_000 and (liq.target_low, liq.target_high) == (30_000, 60_000)
    assert prot.target == 100_000 and growth.target == 855_000
    assert p.target_by_class["equity"] == pytest.approx(855_000 * 0.15)
    assert p.target_by_class["cash"] == pytest.approx(45_000 + 855_000 * 0.15)
    assert sum(p.target_by_class.values()) == pytest.approx(1_000_000)
    assert liq.gap == 25_000


def test_gap_analysis_sums_to_zero() -> None:
    g = gap_analysis(pd.Series({"cash": 100.0, "equity": 900.0}), pd.Series({"cash": 300.0, "equity": 700.0}))
    assert g["gap"].sum() == 0 and g.loc["cash", "action"] == "add" and g.loc["equity", "action"] == "reduce"


def test_proposal_gated_and_within_level(tiny_book, tiny_products) -> None:  # type: ignore[no-untyped-def]
    prop = propose_rebalance(tiny_book.client, tiny_book.holdings(), tiny_products, AS_OF)
    buys = [ln for ln in prop.lines if ln.action == "buy"]
    assert buys and all(int(ln.risk_level[1]) <= 2 for ln in buys)
    assert {ln.product_code for ln in buys} == set(prop.suitability_checked)
    assert "OLD" not in {ln.product_code for ln in buys}  # off-shelf never proposed
    sells = [ln for ln in prop.lines if ln.action == "sell"]
    assert sells[0].risk_level == "R4" and "above C2" in sells[0].reason  # over-level holdings go first
    assert sum(prop.proposed_mix.values()) == pytest.approx(1.0)
    expired = tiny_book.client.copy()
    expired["risk_assessed_on"] = date(2023, 1, 1)
    with pytest.raises(SuitabilityError):
        propose_rebalance(expired, tiny_book.holdings(), tiny_products, AS_OF)


def test_backtest_compare() -> None:
    rng = np.random.default_rng(1)
    idx = pd.bdate_range("2023-01-02", periods=250)
    cr = pd.DataFrame(
        {
            "cash": 0.0001,
            "fixed_income": rng.normal(0.0002, 0.001, 250),
            "equity": rng.normal(0.0004, 0.013, 250),
        },
        index=idx,
    )
    out = compare_backtest(
        cr, {"equity": 0.8, "fixed_income": 0.2}, {"equity": 0.2, "fixed_income": 0.6, "cash": 0.2}
    )
    assert out["proposed"]["annual_volatility"] < out["current"]["annual_volatility"]
    assert out["proposed"]["max_drawdown"] >= out["current"]["max_drawdown"]
    with pytest.raises(InvalidInput) as e:
        compare_backtest(cr, {"alternative": 1.0}, {"cash": 1.0})
    assert e.value.field == "class_returns"


def test_three_pots_of_a_plan_hold_protection_and_measure_the_current_account() -> None:
    cur = {"cash": 20_000, "equity": 500_000, "fixed_income": 330_000, "protection": 150_000}
    p = three_pots(1_000_000, 10_000, cur, "C2", protection_held=150_000, current_account=5_000)
    liq, prot, growth = p.pots
    assert (prot.target, prot.policy_target, prot.gap) == (150_000, 100_000, 0)  # held whole; policy on the side
    assert growth.target == 1_000_000 - 45_000 - 150_000
    assert liq.current == 5_000 and liq.gap == 40_000  # the current account is the liquidity pot
    assert growth.current == 500_000 + 330_000 + 15_000  # the money fund is the growth pot's cash sleeve
    assert p.target_by_class["cash"] == pytest.approx(45_000 + 805_000 * 0.15)
    assert p.target_by_class["protection"] == 150_000
    assert sum(p.target_by_class.values()) == pytest.approx(1_000_000)
    assert three_pots(1_000_000, 10_000, cur, "C2").pots[1].policy_target is None  # default: unchanged

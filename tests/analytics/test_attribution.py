"""Brinson BF/BHB, Carino linking and contribution: hand-computed examples and exact-sum identities.

The single-period example is the three-market example used by Bacon (2008, ch. 5): portfolio weights
40/30/30 with returns 20%/−5%/6%, benchmark 40/20/40 with 10%/−4%/8% (R_p = 8.3%, R_b = 6.4%). The effects
below are computed by hand from the formulas, not copied from the book's tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.attribution import (
    EFFECTS,
    brinson,
    brinson_linked,
    contribution,
    contribution_linked,
    segment_view,
)
from analytics.errors import InvalidInput

SEG = ["UK", "Japan", "US"]
WP = pd.Series([0.4, 0.3, 0.3], index=SEG)
RP = pd.Series([0.20, -0.05, 0.06], index=SEG)
WB = pd.Series([0.4, 0.2, 0.4], index=SEG)
RB = pd.Series([0.10, -0.04, 0.08], index=SEG)


def test_bhb_hand_computed() -> None:
    out = brinson(WP, RP, WB, RB, method="BHB")
    assert out.attrs["portfolio_return"] == pytest.approx(0.083)
    assert out.attrs["benchmark_return"] == pytest.approx(0.064)
    assert out["allocation"].tolist() == pytest.approx([0.0, -0.004, -0.008])
    assert out["selection"].tolist() == pytest.approx([0.04, -0.002, -0.008])
    assert out["interaction"].tolist() == pytest.approx([0.0, -0.001, 0.002])
    assert out.to_numpy().sum() == pytest.approx(0.019, abs=1e-15)


def test_bf_hand_computed_and_same_total_allocation() -> None:
    bf = brinson(WP, RP, WB, RB, method="BF")
    assert bf["allocation"].tolist() == pytest.approx([0.0, 0.1 * (-0.04 - 0.064), -0.1 * (0.08 - 0.064)])
    bhb = brinson(WP, RP, WB, RB, method="BHB")
    # BF and BHB differ per segment but not in total allocation (Σ(wp−wb) = 0).
    assert bf["allocation"].sum() == pytest.approx(bhb["allocation"].sum(), abs=1e-15)
    assert (bf["selection"] == bhb["selection"]).all()
    assert list(bf.columns) == EFFECTS and bf.index.name == "segment"


def test_missing_segment_still_sums_exactly() -> None:
    wp = pd.Series({"银行": 0.5, "电子": 0.3, "cash": 0.2})
    rp = pd.Series({"银行": 0.03, "电子": 0.12, "cash": 0.001})
    wb = pd.Series({"银行": 0.6, "电子": 0.4})
    rb = pd.Series({"银行": 0.02, "电子": 0.10})
    for m in ("BF", "BHB"):
        out = brinson(wp, rp, wb, rb, method=m)
        assert out.to_numpy().sum() == pytest.approx(out.attrs["active_return"], abs=1e-14)
        assert out.loc["cash", "selection"] == 0.0


def test_carino_two_periods_hand_computed() -> None:
    p2 = (WB, RB, WP, RP)  # swap roles for a different second period
    out = brinson_linked([(WP, RP, WB, RB), p2], method="BF")
    rp = [0.083, 0.064]
    rb = [0.064, 0.083]
    cum_p, cum_b = 1.083 * 1.064 - 1, 1.064 * 1.083 - 1
    assert out.attrs["active_return"] == pytest.approx(cum_p - cum_b, abs=1e-15)
    k = 1 / (1 + cum_p)  # equal cumulative returns → the limit of Carino's k
    k1 = (np.log(1 + rp[0]) - np.log(1 + rb[0])) / (rp[0] - rb[0])
    assert out.attrs["periods"][0]["scale"] == pytest.approx(k1 / k)
    assert out.to_numpy().sum() == pytest.approx(0.0, abs=1e-15)


def test_carino_random_periods_sum_exactly() -> None:
    rng = np.random.default_rng(3)
    periods = []
    for _ in range(12):
        wp = pd.Series(rng.dirichlet(np.ones(5)), index=list("abcde"))
        wb = pd.Series(rng.dirichlet(np.ones(5)), index=list("abcde"))
        periods.append(
            (
                wp,
                pd.Series(rng.normal(0.01, 0.05, 5), index=wp.index),
                wb,
                pd.Series(rng.normal(0.01, 0.05, 5), index=wb.index),
            )
        )
    for m in ("BF", "BHB"):
        out = brinson_linked(periods, method=m)
        assert out.to_numpy().sum() == pytest.approx(out.attrs["active_return"], abs=1e-13)
    arith = brinson_linked(periods, linking="sum")
    assert arith.to_numpy().sum() == pytest.approx(
        sum(p["portfolio_return"] - p["benchmark_return"] for p in arith.attrs["periods"]), abs=1e-13
    )


def test_contribution_sums_to_portfolio_return() -> None:
    c = contribution(WP, RP)
    assert c["contribution"].sum() == pytest.approx(0.083, abs=1e-15)
    assert c.index[0] == "UK"
    linked = contribution_linked([(WP, RP), (WB, RB)])
    assert linked["contribution"].sum() == pytest.approx(1.083 * 1.064 - 1, abs=1e-14)


def test_segment_view_rolls_up_holdings() -> None:
    w = pd.Series({"600519.SH": 0.3, "000858.SZ": 0.2, "600036.SH": 0.5})
    r = pd.Series({"600519.SH": 0.10, "000858.SZ": 0.05, "600036.SH": 0.02})
    seg = pd.Series({"600519.SH": "食品饮料", "000858.SZ": "食品饮料", "600036.SH": "银行"})
    sw, sr = segment_view(w, r, seg)
    assert sw["食品饮料"] == pytest.approx(0.5) and sr["食品饮料"] == pytest.approx(0.08)
    assert (sw * sr).sum() == pytest.approx((w * r).sum())


def test_bad_input() -> None:
    with pytest.raises(InvalidInput) as e:
        brinson(WP * 100, RP, WB, RB)
    assert e.value.field == "wp"
    with pytest.raises(InvalidInput) as e:
        brinson(WP, RP.drop("US"), WB, RB)
    assert e.value.field == "rp"
    with pytest.raises(InvalidInput):
        brinson(WP, RP, WB, RB, method="XYZ")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        brinson_linked([])


def test_fund_vs_benchmark_industries_sums_to_active() -> None:
    from analytics.attribution import fund_vs_benchmark_industries

    holdings = pd.DataFrame(
        {
            "security_id": ["S1", "S2", "S3", "B1"],
            "industry_code": ["801120", "801780", "801780", None],
            "weight": [0.4, 0.2, 0.2, 0.1],
        }
    )
    sec_r = pd.Series({"S1": 0.10, "S2": 0.02, "S3": 0.04, "B1": 0.01})
    bw = pd.Series({"801120": 0.3, "801780": 0.5, "801080": 0.2})
    br = pd.Series({"801120": 0.08, "801780": 0.01, "801080": -0.05})
    out = fund_vs_benchmark_industries(holdings, sec_r, bw, br)
    rp = 0.5 * 0.10 + 0.25 * 0.02 + 0.25 * 0.04  # stock sleeve rescaled to 1, bond dropped
    rb = 0.3 * 0.08 + 0.5 * 0.01 + 0.2 * -0.05
    assert out.attrs["portfolio_return"] == pytest.approx(rp)
    assert out.to_numpy().sum() == pytest.approx(rp - rb, abs=1e-15)
    assert out.loc["801080", "selection"] == 0.0  # not held: pure allocation

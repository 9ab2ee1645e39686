"""Look-through on a hand-computed market: completion, publication cut-off, feeder recursion, invariants."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.concentration import ConcentrationLimits, hhi, hhi_by_group
from analytics.errors import InvalidInput
from analytics.inputs import ClientBook
from analytics.lookthrough import CASH_ID, build_fund_exposures, lookthrough_client
from analytics.overlap import common_holdings_score, overlap_matrix

from .conftest import AS_OF


@pytest.fixture(scope="module")
def exposures(tiny_market):  # type: ignore[no-untyped-def]
    return build_fund_exposures(tiny_market, AS_OF)


def _vec(exp, code: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    df = exp.fund_holdings(code)
    return dict(zip(df["security_id"], df["weight"].round(12), strict=True))


def test_top10_completed_from_last_full_report(exposures) -> None:  # type: ignore[no-untyped-def]
    # E = 85% stocks, S_T = 60% → R = 25% filled by S3, S4 (15% each in the full list) scaled by 25/30.
    assert _vec(exposures, "F00001") == pytest.approx(
        {"S1": 0.35, "S2": 0.25, "S3": 0.125, "S4": 0.125, "B1": 0.10, CASH_ID: 0.05}
    )
    i = exposures.rows(["F00001"])[0]
    assert exposures.method[i] == "top10+full"
    assert exposures.report_date[i] == date(2024, 9, 30) and exposures.full_report_date[i] == date(
        2024, 6, 30
    )


def test_only_published_reports_are_used(tiny_market) -> None:  # type: ignore[no-untyped-def]
    later = build_fund_exposures(tiny_market, date(2025, 2, 1))
    assert later.report_date[later.rows(["F00001"])[0]] == date(2024, 12, 31)
    assert _vec(later, "F00001")["S1"] == pytest.approx(0.5)


def test_feeder_recurses_into_its_etf(exposures) -> None:  # type: ignore[no-untyped-def]
    assert _vec(exposures, "D00001") == pytest.approx({"S1": 0.46, "S2": 0.414, CASH_ID: 0.08 + 0.92 * 0.05})
    mix = exposures.asset_mix[exposures.rows(["D00001"])[0]]
    assert mix.tolist() == pytest.approx([0.874, 0.0, 0.126, 0.0])


def test_depth_guard_and_cycles(tiny_market) -> None:  # type: ignore[no-untyped-def]
    shallow = build_fund_exposures(tiny_market, AS_OF, max_depth=0)
    assert _vec(shallow, "D00001") == pytest.approx({CASH_ID: 0.08})
    exp = build_fund_exposures(tiny_market, AS_OF)  # A00001 ↔ A00002 hold each other: must terminate
    assert 0 < exp.coverage[exp.rows(["A00001"])[0]] <= 1


def test_client_lookthrough_hand_computed(tiny_book, exposures) -> None:  # type: ignore[no-untyped-def]
    lt = lookthrough_client(tiny_book, exposures)
    top = {h.security_id: h.weight for h in lt.top_holdings}
    assert top == pytest.approx({"S1": 0.278, "S2": 0.2242, "S3": 0.05, "S4": 0.05, "B1": 0.04})
    assert lt.uncovered == pytest.approx(0.10)  # the bond fund has no disclosure
    assert lt.coverage + lt.uncovered == pytest.approx(1.0, abs=1e-12)
    assert lt.asset_classes == pytest.approx({"equity": 0.6022, "cash": 0.2578, "fixed_income": 0.14})
    assert sum(lt.asset_classes.values()) == pytest.approx(1.0, abs=1e-12)
    ind = {i.name: i.weight for i in lt.industries}
    assert ind == pytest.approx({"食品饮料": 0.278, "银行": 0.2242, "电子": 0.10})
    assert {h.security_id: h.via for h in lt.top_holdings}["S1"] == ["F00001", "D00001"]
    assert {i.name: i.disclosure_as_of for i in lt.industries}["电子"] == date(2024, 9, 30)
    assert all(line.disclosure_as_of is not None for line in lt.lines if line.method != "type")
    mgr = {m.id: m.share_of_equity for m in lt.managers}
    assert mgr["M1"] == pytest.approx(0.34 / 0.6022)
    assert {(f.layer, f.key) for f in lt.flags} >= {
        ("manager", "M1"),
        ("manager", "M2"),
        ("product", "F00001"),
        ("security", "S1"),
        ("industry", "801120"),
    }
    pair = lt.overlap[0]
    assert (pair.fund_a, pair.fund_b) == ("D00001", "F00001") and pair.score == pytest.approx(0.60)
    assert [s.security_id for s in pair.shared_top] == ["S1", "S2"]


def test_idle_cash_and_limits_are_parameters(tiny_book, exposures) -> None:  # type: ignore[no-untyped-def]
    book = ClientBook(
        client=tiny_book.client,
        positions=tiny_book.positions,
        products=tiny_book.products,
        as_of=AS_OF,
        cash=25_000.0,
    )
    lt = lookthrough_client(
        book, exposures, limits=ConcentrationLimits(manager_of_equity=0.99, product_of_client=0.99)
    )
    assert lt.total_value == 125_000.0
    assert lt.coverage + lt.uncovered == pytest.approx(1.0, abs=1e-12)
    assert not [f for f in lt.flags if f.layer in ("manager", "product")]


def test_overlap_matrix_and_score(exposures) -> None:  # type: ignore[no-untyped-def]
    m = overlap_matrix(exposures, ["F00001", "D00001", "B00001"])
    assert np.allclose(m.to_numpy(), m.to_numpy().T)
    assert m.loc["F00001", "D00001"] == pytest.approx(0.60) and m.loc["B00001", "F00001"] == 0.0
    score, names = common_holdings_score(pd.Series({"A": 0.05, "B": 0.03}), pd.Series({"A": 0.02, "C": 0.04}))
    assert score == pytest.approx(0.02) and names == ["A"]


def test_hhi() -> None:
    assert hhi(pd.Series([0.5, 0.5])) == pytest.approx(0.5)
    assert hhi(np.array([1.0, 0, 0])) == 1.0 and hhi(np.array([])) == 0.0
    by = hhi_by_group(pd.Series([1.0, 1.0, 3.0]), pd.Series(["a", "a", "b"]))
    assert by.to_dict() == pytest.approx({"a": 0.5, "b": 1.0})


def test_bad_input(tiny_book, exposures, tiny_market) -> None:  # type: ignore[no-untyped-def]
    empty = ClientBook(
        client=tiny_book.client,
        positions=tiny_book.positions.iloc[:0],
        products=tiny_book.products,
        as_of=AS_OF,
    )
    with pytest.raises(InvalidInput, match="holds nothing"):
        lookthrough_client(empty, exposures)
    with pytest.raises(InvalidInput) as e:
        ClientBook(
            client=tiny_book.client,
            positions=tiny_book.positions.drop(columns="market_value"),
            products=tiny_book.products,
            as_of=AS_OF,
        )
    assert e.value.field == "positions"
    with pytest.raises(InvalidInput) as e:
        exposures.rows(["ZZZZZZ"])
    assert e.value.field == "fund_code"

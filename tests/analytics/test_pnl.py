"""Client P&L: hand-computed average-cost example, period P&L, reconciliation identities, TWR."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.errors import InvalidInput
from analytics.pnl import client_pnl, position_pnl, time_weighted_return, value_positions

TXNS = pd.DataFrame(
    [
        ("F00001", date(2024, 1, 5), "buy", 10010.0, 9000.0, 1.11, 10.0),
        ("WM01", date(2024, 3, 1), "buy", 20000.0, 20000.0, 1.0, 0.0),
        ("F00001", date(2024, 6, 3), "dividend", 180.0, 0.0, None, 0.0),
        ("WM01", date(2024, 6, 1), "fee", 20.0, 0.0, None, 0.0),
        ("F00001", date(2024, 9, 2), "sell", 5494.5, 4500.0, 1.222, 5.5),
    ],
    columns=["product_code", "date", "type", "amount", "shares", "price", "fee"],
)
END = pd.Series({"F00001": 1.30, "WM01": 1.0})
AS_OF = date(2024, 12, 1)


def test_position_pnl_hand_computed() -> None:
    p = position_pnl(TXNS, END, AS_OF, splits=None)
    f = p.loc["F00001"]
    assert f["market_value"] == pytest.approx(5850.0) and f["cost"] == pytest.approx(5005.0)
    assert f["realized"] == pytest.approx(489.5) and f["unrealized"] == pytest.approx(845.0)
    assert f["dividends"] == 180.0 and f["fees"] == pytest.approx(15.5)
    assert f["gain"] == pytest.approx(1514.5)
    assert f["holding_days"] == (AS_OF - date(2024, 1, 5)).days and f["xirr"] > 0
    assert p.loc["WM01", "gain"] == pytest.approx(-20.0)


def test_reconciliation_identities(tiny_products) -> None:  # type: ignore[no-untyped-def]
    res = client_pnl(TXNS, tiny_products, END, AS_OF, splits=None)
    pos = pd.DataFrame(res.positions)
    assert res.total.gain == pytest.approx(pos["gain"].sum(), abs=1e-9) == pytest.approx(1494.5)
    assert sum(k.gain for k in res.by_kind.values()) == pytest.approx(res.total.gain, abs=1e-9)
    # gain = MV + sells + dividends − buys − fee charges, per position and in total
    cash = TXNS.assign(s=TXNS["type"].map({"buy": -1, "sell": 1, "dividend": 1, "fee": -1}) * TXNS["amount"])
    net = cash.groupby("product_code")["s"].sum()
    for code, row in pos.set_index("product_code").iterrows():
        assert row["gain"] == pytest.approx(row["market_value"] + net[code], abs=1e-9)
    assert res.xirr is not None


def test_period_pnl(tiny_products) -> None:  # type: ignore[no-untyped-def]
    start = pd.Series({"F00001": 1.2, "WM01": 1.0})
    res = client_pnl(TXNS, tiny_products, END, AS_OF, start=date(2024, 7, 1), prices_start=start, splits=None)
    pos = pd.DataFrame(res.positions).set_index("product_code")
    assert pos.loc["F00001", "gain"] == pytest.approx(5850 - 10800 + 5494.5)
    assert pos.loc["WM01", "gain"] == pytest.approx(0.0)
    assert res.total.gain == pytest.approx(pos["gain"].sum(), abs=1e-9)
    assert pos.loc["F00001", "realized"] + pos.loc["F00001", "unrealized"] == pytest.approx(544.5)


def test_twr_hand_computed() -> None:
    idx = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])
    values = pd.Series([100.0, 110.0, 231.0], index=idx)
    flows = pd.Series([115.5], index=idx[2:])
    assert time_weighted_return(values, flows) == pytest.approx(1.1 * 1.05 - 1)


def test_value_positions(tiny_products) -> None:  # type: ignore[no-untyped-def]
    pos = pd.DataFrame({"product_code": ["F00001", "TD3Y"], "shares": [100.0, 5000.0]})
    v = value_positions(pos, tiny_products, pd.Series({"F00001": 1.5}))
    assert v["market_value"].tolist() == [150.0, 5000.0]
    with pytest.raises(InvalidInput) as e:
        value_positions(pos, tiny_products, pd.Series(dtype=float))
    assert e.value.field == "nav"


def test_bad_transactions() -> None:
    bad = TXNS.copy()
    bad.loc[4, "shares"] = 99999.0
    with pytest.raises(InvalidInput, match="sells"):
        position_pnl(bad, END, AS_OF, splits=None)
    with pytest.raises(InvalidInput) as e:
        position_pnl(TXNS.assign(type="swap"), END, AS_OF, splits=None)
    assert e.value.field == "transactions.type"
    with pytest.raises(InvalidInput) as e:
        position_pnl(TXNS, pd.Series({"WM01": 1.0}), AS_OF, splits=None)
    assert e.value.field == "prices_end"

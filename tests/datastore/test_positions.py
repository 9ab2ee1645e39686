"""Position derivation: average cost, sells, splits; the loaded positions match the transactions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from datastore.repositories import clients as crepo
from datastore.repositories import market
from datastore.sample import AS_OF
from datastore.sample.positions import derive_positions


def _tx(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["client_id", "product_code", "date", "type", "amount", "shares"])


def test_average_cost_sell_and_split() -> None:
    tx = _tx([
        ("C1", "F", date(2024, 1, 2), "buy", 1010.0, 1000.0),
        ("C1", "F", date(2024, 2, 1), "buy", 2020.0, 1000.0),
        ("C1", "F", date(2024, 3, 1), "dividend", 50.0, 0.0),
        ("C1", "F", date(2024, 4, 1), "sell", 900.0, 500.0),
        # split k=2 on 2024-05-06: 1500 units become 3000; a same-day buy is in post-split units
        ("C1", "F", date(2024, 5, 6), "buy", 100.0, 100.0),
        ("C1", "G", date(2024, 1, 2), "buy", 500.0, 500.0),
        ("C1", "G", date(2024, 6, 3), "sell", 520.0, 500.0),
    ])
    splits = pd.DataFrame({"product_code": ["F"], "date": [date(2024, 5, 6)], "split_ratio": [2.0]})
    pos = derive_positions(tx, splits, date(2024, 12, 31))
    assert list(pos["product_code"]) == ["F"]  # G fully sold → no position
    row = pos.iloc[0]
    assert row["shares"] == pytest.approx(1500 * 2 + 100)
    assert row["cost"] == pytest.approx(3030 * 1500 / 2000 + 100)
    assert row["first_buy"] == date(2024, 1, 2) and row["as_of"] == date(2024, 12, 31)


def test_as_of_cuts_later_transactions() -> None:
    tx = _tx([("C1", "F", date(2024, 1, 2), "buy", 100.0, 100.0), ("C1", "F", date(2025, 1, 2), "buy", 100.0, 50.0)])
    pos = derive_positions(tx, pd.DataFrame(columns=["product_code", "date", "split_ratio"]), date(2024, 6, 30))
    assert pos["shares"].tolist() == [100.0]


def test_loaded_positions_match_transactions(sample_engine) -> None:
    ids = crepo.list_clients(sample_engine)["id"].tolist()
    tx = crepo.transactions(sample_engine, ids)
    again = derive_positions(tx, market.fund_splits(sample_engine), AS_OF)
    loaded = crepo.positions(sample_engine, ids)
    pd.testing.assert_frame_equal(again.reset_index(drop=True), loaded.reset_index(drop=True), check_dtype=False)


def test_split_fund_holders_keep_their_value(sample_engine) -> None:
    """Clients who held a fund across its split (份额折算): units × NAV is continuous across the split."""
    splits = market.fund_splits(sample_engine)
    tx = crepo.transactions(sample_engine, crepo.list_clients(sample_engine)["id"].tolist())
    checked = 0
    for code, day, k in splits.itertuples(index=False):
        mine_all = tx[tx["product_code"] == code]
        for cid in mine_all.loc[mine_all["date"] < day, "client_id"].unique():
            mine = mine_all[(mine_all["client_id"] == cid) & (mine_all["date"] < day)]
            nav = market.fund_nav(sample_engine, code, end=day).set_index("date")["unit_nav"]
            before = derive_positions(mine, splits, nav.index[-2])["shares"].sum()
            after = derive_positions(mine, splits, day)["shares"].sum()
            assert after == pytest.approx(before * k, rel=1e-6)
            assert after * nav.iloc[-1] == pytest.approx(before * nav.iloc[-2], rel=0.06)  # one day's move
            checked += 1
    assert checked >= 1

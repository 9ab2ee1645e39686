"""Regression: P&L of holdings in funds that had a 份额折算 must use post-split units.

Found in integration: the proposal valued 005503 (split 2021-02-10) with pre-split units and showed a
−77% loss where the real loss is about −45%. ``ClientBook.splits`` now carries the events and
``client_pnl`` requires ``splits`` explicitly.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.pnl import client_pnl
from datastore.sample import AS_OF
from services import loading as inp


def _clients_holding_split_funds(engine) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT DISTINCT p.client_id FROM positions p JOIN products pr ON pr.code = p.product_code "
                "JOIN fund_nav n ON n.fund_code = pr.fund_code WHERE n.split_ratio IS NOT NULL "
                "ORDER BY p.client_id"
            )
        ).scalars()
        return list(rows)


def test_split_fund_gain_equals_value_minus_cost(sample_engine) -> None:  # type: ignore[no-untyped-def]
    ids = _clients_holding_split_funds(sample_engine)
    assert ids, "the sample must have clients holding a fund that split"
    for cid in ids[:8]:
        book = inp.client_book(sample_engine, cid, AS_OF)
        assert not book.splits.empty
        hold = book.holdings().set_index("product_code")
        prices = hold["market_value"] / hold["shares"]
        res = client_pnl(book.transactions, book.products, prices, AS_OF, splits=book.splits)
        by_code = {r["product_code"]: r for r in res.positions}
        for code in set(book.splits["product_code"]) & set(hold.index):
            row = by_code[code]
            # units rebuilt from transactions + splits equal the derived positions table
            assert row["shares"] == pytest.approx(float(hold.at[code, "shares"]), abs=0.05)
            assert row["market_value"] == pytest.approx(float(hold.at[code, "market_value"]), rel=1e-6)


def test_client_pnl_requires_splits_argument() -> None:
    empty = pd.DataFrame(columns=["product_code", "date", "type", "amount", "shares", "fee"])
    with pytest.raises(TypeError):
        client_pnl(empty, pd.DataFrame(columns=["code", "kind"]), pd.Series(dtype=float), AS_OF)  # type: ignore[call-arg]

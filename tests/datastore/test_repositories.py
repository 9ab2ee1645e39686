"""Repository functions: shapes, filters (publication dates), lookups."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.errors import DataUnavailable, NotFound
from datastore.repositories import clients as crepo
from datastore.repositories import corporate, market, meta
from datastore.sample import AS_OF
from datastore.schema import Base


def _cols(table: str) -> list[str]:
    return [c.name for c in Base.metadata.tables[table].columns]


def test_meta(sample_engine) -> None:
    assert meta.as_of_date(sample_engine) == AS_OF == meta.data_as_of(sample_engine)
    assert len(meta.get_meta(sample_engine, "sample_digest")) == 64


def test_meta_before_init(tmp_path) -> None:
    from datastore.engine import create_schema, get_engine

    e = get_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert meta.get_meta(e, "as_of") is None
    create_schema(e)
    with pytest.raises(DataUnavailable, match="wealthdesk init"):
        meta.as_of_date(e)


def test_funds_and_nav(sample_engine) -> None:
    funds = market.list_funds(sample_engine)
    assert list(funds.columns) == _cols("funds") and len(funds) >= 60
    assert set(market.list_funds(sample_engine, ["money"])["type"]) == {"money"}
    f = market.get_fund(sample_engine, "001101")
    assert f["manager_id"] == "M001" and f["company_name"].endswith("基金管理有限公司")
    with pytest.raises(NotFound):
        market.get_fund(sample_engine, "999999")
    nav = market.fund_nav(sample_engine, "001101", start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert list(nav.columns) == _cols("fund_nav")
    assert nav["date"].min() >= date(2025, 1, 1) and nav["date"].max() <= date(2025, 12, 31)
    assert nav["date"].is_monotonic_increasing and len(nav) > 230
    last = market.latest_nav(sample_engine, ["001101", "004401"], AS_OF)
    assert (last["date"] == AS_OF).all() and len(last) == 2
    assert len(market.fund_splits(sample_engine)) >= 2


def test_holdings_respect_publication_date(sample_engine) -> None:
    # the 2026-06-30 full report is published about two months later; on 2026-07-15 only older reports exist
    h = market.fund_holdings(sample_engine, "001101", as_of=date(2026, 7, 15), disclosure="full")
    assert h["report_date"].max() == date(2025, 12, 31)
    assert (h["published_on"] <= date(2026, 7, 15)).all()
    latest = market.latest_holdings(sample_engine, ["001101"], AS_OF)
    tops = latest[latest["disclosure"] == "top10"]
    assert tops["report_date"].nunique() == 1 and tops["report_date"].iloc[0] == date(2026, 9, 30)
    assert latest.loc[latest["disclosure"] == "full", "report_date"].iloc[0] == date(2026, 6, 30)
    alloc = market.fund_asset_allocation(sample_engine, "001101", as_of=AS_OF)
    assert list(alloc.columns) == _cols("fund_asset_allocation") and alloc["report_date"].max() == date(2026, 9, 30)


def test_market_reference_tables(sample_engine) -> None:
    assert len(market.industries(sample_engine)) == 31
    assert len(market.fund_managers(sample_engine)) >= 20 and len(market.fund_companies(sample_engine)) >= 10
    bonds = market.securities(sample_engine, kind="bond")
    assert len(bonds) >= 50 and list(bonds.columns) == _cols("securities")
    px = market.security_prices(sample_engine, bonds["id"].iloc[:2], start=date(2026, 11, 1))
    assert set(px["security_id"]) == set(bonds["id"].iloc[:2]) and px["date"].min() >= date(2026, 11, 1)
    lv = market.index_levels(sample_engine, "000300", start=date(2026, 1, 1))
    assert lv["date"].max() == AS_OF
    w = market.index_weights(sample_engine, "000300", as_of=date(2026, 10, 1))
    assert (w["as_of"] == date(2026, 9, 30)).all() and w["weight"].sum() == pytest.approx(1, abs=1e-3)


def test_client_side(sample_engine) -> None:
    assert crepo.rms(sample_engine)["id"].tolist() == [f"RM00{i}" for i in range(1, 6)]
    mine = crepo.list_clients(sample_engine, "RM001")
    assert mine["id"].tolist() == [f"C{i:04d}" for i in range(1, 41)]
    assert crepo.get_client(sample_engine, "C0001")["rm_id"] == "RM001"
    assert crepo.get_client(sample_engine, "C9999") is None
    tx = crepo.transactions(sample_engine, ["C0001", "C0002"], start=date(2022, 1, 1))
    assert list(tx.columns) == _cols("transactions") and tx["date"].min() >= date(2022, 1, 1)
    assert set(tx["client_id"]) <= {"C0001", "C0002"}
    pos = crepo.positions(sample_engine, "C0001")
    assert list(pos.columns) == _cols("positions") and (pos["as_of"] == AS_OF).all()
    cash = crepo.client_cash(sample_engine, ["C0001", "C0002"], as_of=date(2026, 8, 15))
    assert (cash["as_of"] == date(2026, 7, 31)).all() and len(cash) == 2
    assert len(crepo.cash_history(sample_engine, "C0001")) == 7
    shelf = crepo.shelf_products(sample_engine)
    assert (shelf["status"] == "on_shelf").all() and len(shelf) >= 40
    assert set(crepo.products(sample_engine, kind="wmp")["kind"]) == {"wmp"}


def test_corporate_lookups(sample_engine) -> None:
    assert corporate.find_corporate(sample_engine, "E001")["name"] == "福建华鼎精密机械股份有限公司"
    assert corporate.find_corporate(sample_engine, "华鼎精密")["id"] == "E001"
    assert len(corporate.search_corporates(sample_engine, "福州")) >= 2
    assert corporate.search_corporates(sample_engine, "E010")["id"].tolist() == ["E010"]
    fr = corporate.corporate_frames(sample_engine, "E011")
    assert fr.financials["year"].tolist() == [2023, 2024]
    assert not fr.credit.empty and not fr.shareholders.empty
    with pytest.raises(NotFound):
        corporate.corporate_frames(sample_engine, "E999")

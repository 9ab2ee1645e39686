"""Sample generator: determinism, schema conformity and the content the issue asks for."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from datastore.sample import AS_OF, SCENARIOS, _generate_cached, digest, generate, sample_digest
from datastore.schema import Base

# Update on purpose when the generator changes: python -c "from datastore.sample import sample_digest as d; print(d())"
EXPECTED_DIGEST = "eabe2912bb21115f0b565318e46bb7910313af321fc45a2612f23338482191ec"


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return generate()


def test_generation_is_deterministic(tables) -> None:
    first = sample_digest()
    _generate_cached.cache_clear()  # force a real second generation (and digest) in the same process
    second = sample_digest()
    assert first == second == EXPECTED_DIGEST
    assert digest({"funds": tables["funds"]}) != digest({"funds": tables["funds"].iloc[1:]})


def test_tables_have_exactly_the_schema_columns(tables) -> None:
    from datastore.sample import IMPORT_ONLY  # optional columns only vendor imports fill (NULL in the sample)

    for name, df in tables.items():
        cols = [c.name for c in Base.metadata.tables[name].columns]
        assert list(df.columns) == [c for c in cols if c not in IMPORT_ONLY.get(name, ())], name
        assert all(Base.metadata.tables[name].columns[c].nullable for c in IMPORT_ONLY.get(name, ()))
    assert "positions" not in tables  # derived by the loader


def test_market_content(tables) -> None:
    assert len(tables["industries"]) == 31
    assert tables["industries"]["code"].iloc[0] == "801010"
    sec = tables["securities"]
    stocks = sec[(sec["kind"] == "stock") & sec["market"].isin(["SH", "SZ"])]
    assert len(stocks) >= 300 and stocks["industry_code"].nunique() == 31
    assert sec["id"].is_unique and sec["name"].is_unique
    bonds = sec[sec["kind"] == "bond"]
    assert len(bonds) >= 50
    assert set(bonds["bond_type"]) == {"government", "policy_bank", "credit", "convertible"}
    assert bonds.loc[bonds["bond_type"] == "credit", "rating"].notna().all()
    lv = tables["index_levels"]
    assert {"000300", "CBA00101"} | set(tables["industries"]["code"]) == set(lv["index_code"])
    days = lv.loc[lv["index_code"] == "000300", "date"]
    assert days.min() == date(2020, 1, 2) and days.max() == AS_OF
    assert all(d.weekday() < 5 for d in days) and date(2024, 10, 1) not in set(days)  # National Day closed
    w = tables["index_weights"]
    assert w.groupby("as_of")["weight"].sum().between(0.999, 1.001).all()
    assert w["as_of"].nunique() >= 27  # quarterly


def test_stock_volatility_and_2022_drawdown(tables) -> None:
    px = tables["security_prices"]
    wide = px[px["security_id"].str.endswith((".SH", ".SZ")) & ~px["security_id"].str.startswith(("11", "12"))]
    wide = wide.pivot(index="date", columns="security_id", values="close")
    vol = wide.pct_change().std() * 252**0.5
    assert 0.22 < vol.median() < 0.42
    lv = tables["index_levels"]
    csi = lv[lv["index_code"] == "000300"].set_index("date")["level"]
    y2022 = csi[(csi.index >= date(2022, 1, 1)) & (csi.index <= date(2022, 12, 31))]
    assert y2022.iloc[-1] / y2022.iloc[0] - 1 < -0.15


def test_fund_universe(tables) -> None:
    f = tables["funds"]
    assert len(f) >= 60
    assert set(f["type"]) == {"equity", "hybrid", "bond", "money", "index", "qdii", "fof", "feeder"}
    etfs = set(f.loc[f["is_etf"], "code"])
    assert len(etfs) >= 2
    feeders = f[f["type"] == "feeder"]
    assert feeders["target_fund_code"].isin(etfs).all()
    assert len(tables["fund_managers"]) >= 20 and len(tables["fund_companies"]) >= 10
    assert f.groupby("manager_id").size().max() >= 3  # manager-level concentration is possible


def test_nav_history_dividends_and_splits(tables) -> None:
    nav = tables["fund_nav"]
    span = nav.groupby("fund_code")["date"].agg(["min", "max"])
    assert (pd.to_datetime(span["max"]) - pd.to_datetime(span["min"])).dt.days.max() >= 5 * 365
    assert nav.loc[nav["dividend"] > 0, "fund_code"].nunique() >= 4
    splits = nav[nav["split_ratio"].notna()]
    assert len(splits) >= 2 and (splits["unit_nav"] == 1.0).all()


def test_holdings_disclosure_schedule(tables) -> None:
    h = tables["fund_holdings"]
    top = h[h["disclosure"] == "top10"]
    assert top.groupby(["fund_code", "report_date"]).size().max() <= 10
    lag = (pd.to_datetime(top["published_on"]) - pd.to_datetime(top["report_date"])).dt.days
    assert lag.between(17, 30).all()  # 15 working days
    full = h[h["disclosure"] == "full"]
    assert {d.month for d in full["report_date"]} == {6, 12}
    flag = (pd.to_datetime(full["published_on"]) - pd.to_datetime(full["report_date"])).dt.days
    assert flag.between(55, 95).all()
    fof = set(tables["funds"].query("type in ['fof', 'feeder']")["code"])
    assert h.loc[h["fund_code"].isin(fof), "held_fund_code"].notna().all()
    alloc = tables["fund_asset_allocation"]
    total = alloc[["stock", "bond", "fund", "cash", "other"]].sum(axis=1)
    assert total.between(0.9999, 1.0001).all()


def test_clients_and_shelf(tables) -> None:
    c = tables["clients"]
    assert len(c) >= 200 and set(c["risk_level"]) == {"C1", "C2", "C3", "C4", "C5"}
    assert (c.loc[c["id"].between("C0001", "C0040"), "rm_id"] == "RM001").all()
    assert set(tables["rms"]["id"]) == {f"RM00{i}" for i in range(1, 6)}
    assert (c["age"] >= 70).sum() >= 3
    tx = tables["transactions"]
    assert {"buy", "sell", "dividend"} <= set(tx["type"])
    assert (max(tx["date"]) - min(tx["date"])).days >= 3 * 365
    p = tables["products"]
    assert (p["status"] == "on_shelf").sum() >= 40
    assert set(p["kind"]) == {"fund", "wmp", "deposit", "insurance"}
    assert set(p["risk_level"]) == {"R1", "R2", "R3", "R4", "R5"}
    wmp = p[(p["kind"] == "wmp") & p["maturity_date"].notna()]
    assert ((wmp["maturity_date"] > AS_OF) & (wmp["maturity_date"] <= AS_OF + timedelta(days=60))).sum() >= 2
    assert (p["status"] == "off_shelf").any()
    for name, ids in SCENARIOS.items():
        assert any("C0001" <= i <= "C0040" for i in ids), name


def test_corporates(tables) -> None:
    corp = tables["corporates"]
    assert len(corp) >= 12 and corp["id"].iloc[0] == "E001"
    fin = tables["corporate_financials"]
    years = fin.groupby("corporate_id")["year"].apply(set)
    assert (years == {2023, 2024, 2025}).sum() >= 11
    assert any(y != {2023, 2024, 2025} for y in years)  # one corporate lacks a year entirely
    assert fin["cfo"].isna().any()  # and one lacks a field (NULL, never 0)
    credit = tables["corporate_credit"]
    assert credit["overdue_days"].max() > 90 and (credit["overdue_days"] == 0).any()
    assert (tables["corporate_shareholders"]["pledged_share"] > 0).any()
    assert {"lawsuit", "enforcement", "dishonest", "pledge", "abnormal", "penalty"} <= set(
        tables["corporate_risk_events"]["kind"])


def test_changed_sample_is_reloaded_without_touching_app_tables(scratch_engine) -> None:
    """An older sample (different digest) is replaced in one transaction; users pointing at RMs survive."""
    from datetime import datetime

    from sqlalchemy import insert, select

    from datastore.repositories.meta import set_meta
    from datastore.schema import User

    with scratch_engine.begin() as conn:
        conn.execute(insert(User).values(id="RM001", role="rm", rm_id="RM001", active=True,
                                         created_at=datetime(2026, 11, 1)))
        set_meta(conn, {"sample_digest": "0" * 64, "sample_fingerprint": "stale"})
        conn.exec_driver_sql("DELETE FROM client_cash WHERE client_id = 'C0001'")
    from datastore.sample import load_sample

    res = load_sample(scratch_engine)
    assert res["status"] == "reloaded" and res["digest"] == EXPECTED_DIGEST
    assert res["counts"]["client_cash"] == len(generate()["client_cash"])
    with scratch_engine.connect() as conn:
        assert conn.execute(select(User.rm_id)).scalar_one() == "RM001"


def test_rates_follow_the_scripted_yield_path(tables) -> None:
    """Yields fall from ~3.1% (2020) to ~1.7% (2025): the bond index rallies in 2024, money yields drop."""
    lv = tables["index_levels"]
    bond = lv[lv["index_code"] == "CBA00101"].set_index("date")["level"]

    def year_return(s: pd.Series, y: int) -> float:
        part = s[(s.index >= date(y - 1, 12, 25)) & (s.index <= date(y, 12, 31))]
        return float(part.iloc[-1] / part.iloc[0] - 1)

    assert year_return(bond, 2024) > year_return(bond, 2022) + 0.01
    nav = tables["fund_nav"]
    money = nav[nav["fund_code"] == "004401"].set_index("date")["unit_nav"]
    assert year_return(money, 2020) > year_return(money, 2025) + 0.003

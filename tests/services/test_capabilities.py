"""Known answers for the business-layer capabilities, each recomputed by hand from the stored rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from core.errors import Forbidden
from datastore.sample import SCENARIOS
from services import benchmark, book, clients, funds, planning, products


def _sql(engine, q: str, **kw) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return pd.read_sql(text(q), c, params=kw)


def test_loss_client_since_purchase_loss_by_hand(deps, sample_engine) -> None:  # type: ignore[no-untyped-def]
    cid = SCENARIOS["loss"][0]
    tx = _sql(sample_engine, "select type, amount from transactions where client_id = :c", c=cid)
    pos = _sql(sample_engine, "select p.product_code, p.shares, pr.fund_code, pr.kind from positions p "
               "join products pr on pr.code = p.product_code where p.client_id = :c", c=cid)
    mv = 0.0
    for _, r in pos.iterrows():
        nav = _sql(sample_engine, "select unit_nav from fund_nav where fund_code = :f and date <= :d "
                   "order by date desc limit 1", f=r["fund_code"], d=deps.as_of)
        mv += float(r["shares"]) * float(nav["unit_nav"].iloc[0])
    by = tx.groupby("type")["amount"].sum()
    hand = mv + by.get("sell", 0.0) + by.get("dividend", 0.0) - by.get("buy", 0.0) - by.get("fee", 0.0)
    res = clients.client_performance(deps, cid)  # no period: since purchase
    assert res.period == "since_purchase" and res.start is None
    assert res.gain == pytest.approx(hand, abs=1.0)
    assert res.gain < 0  # the loss scenario: down since purchase even if up this year
    assert clients.client_performance(deps, cid, "ytd").gain != pytest.approx(res.gain, abs=1.0)


def test_fund_one_year_drawdown_from_nav(deps, sample_engine) -> None:  # type: ignore[no-untyped-def]
    nav = _sql(sample_engine, "select date, unit_nav, dividend, split_ratio from fund_nav where fund_code = '001101' "
               "order by date")
    nav["date"] = pd.to_datetime(nav["date"])
    start = pd.Timestamp(date(deps.as_of.year - 1, deps.as_of.month, deps.as_of.day))
    w = nav[nav["date"] >= nav.loc[nav["date"] <= start, "date"].max()].reset_index(drop=True)
    k = w["split_ratio"].fillna(1.0).to_numpy()
    d = w["dividend"].fillna(0.0).to_numpy()
    v = w["unit_nav"].to_numpy()
    r = (v[1:] * k[1:] + d[1:]) / v[:-1] - 1
    wealth = np.concatenate([[1.0], np.cumprod(1 + r)])
    hand = float((wealth / np.maximum.accumulate(wealth) - 1).min())
    m = funds.fund_metrics(deps, "001101", "1y").metrics
    assert m.max_drawdown == pytest.approx(hand, abs=1e-10)
    assert m.total_return == pytest.approx(wealth[-1] - 1, abs=1e-10)
    since = funds.fund_metrics(deps, "001101", "since_inception")
    assert since.history_shorter_than_period  # launched 2015, stored history from 2020: marked


def test_money_fund_has_seven_day_yield_not_sharpe(deps, sample_engine) -> None:  # type: ignore[no-untyped-def]
    code = _sql(sample_engine, "select code from funds where type = 'money' order by code")["code"].iloc[0]
    m = funds.fund_metrics(deps, code, "1y").metrics
    assert m.sharpe_ratio is None and m.seven_day_yield is not None and 0 < m.seven_day_yield < 0.05


def test_csi300_ytd_from_index_levels(deps, sample_engine) -> None:  # type: ignore[no-untyped-def]
    lv = _sql(sample_engine, "select date, level from index_levels where index_code = '000300' order by date")
    lv["date"] = pd.to_datetime(lv["date"])
    base = lv.loc[lv["date"] <= pd.Timestamp(date(deps.as_of.year - 1, 12, 31)), "level"].iloc[-1]
    end = lv.loc[lv["date"] <= pd.Timestamp(deps.as_of), "level"].iloc[-1]
    res = benchmark.compare_to_benchmark(deps, fund="001101", benchmark="000300", period="ytd")
    assert res.benchmark == "000300" and "300" in res.benchmark_name
    assert res.benchmark_return == pytest.approx(end / base - 1, abs=1e-12)
    assert res.excess_return == pytest.approx(res.subject_return - res.benchmark_return)


def test_maturity_list_for_next_month_is_complete(deps, sample_engine) -> None:  # type: ignore[no-untyped-def]
    y, m = (deps.as_of.year, deps.as_of.month + 1) if deps.as_of.month < 12 else (deps.as_of.year + 1, 1)
    rows = _sql(sample_engine, "select p.client_id, p.product_code, pr.maturity_date from positions p "
                "join products pr on pr.code = p.product_code join clients c on c.id = p.client_id "
                "where c.rm_id = 'RM001' and pr.maturity_date is not null and p.shares > 0")
    rows["maturity_date"] = pd.to_datetime(rows["maturity_date"])
    want = {(r.client_id, r.product_code) for r in rows.itertuples()
            if r.maturity_date.year == y and r.maturity_date.month == m}
    res = book.book_query(deps, book.BookQuery(rule="maturing", month="next"))
    got = {(f["client_id"], f["product_code"]) for f in res.findings}
    assert want and got == want and res.complete and res.total_findings == len(want)


def test_book_lists_are_paged_not_cut(deps) -> None:  # type: ignore[no-untyped-def]
    everything = book.book_query(deps, book.BookQuery(page_size=500))
    first = book.book_query(deps, book.BookQuery(page_size=5))
    assert first.total_findings == everything.total_findings > 5 and not first.complete
    pages = [book.book_query(deps, book.BookQuery(page_size=5, page=p)).findings for p in range(1, first.pages + 1)]
    assert sum(len(p) for p in pages) == everything.total_findings


def test_elderly_rule_from_the_tables(deps, sample_engine) -> None:  # type: ignore[no-untyped-def]
    rows = _sql(sample_engine, "select p.client_id, p.product_code from positions p join clients c on c.id = p.client_id "
                "join products pr on pr.code = p.product_code where c.rm_id = 'RM001' and c.age >= 70 "
                "and cast(substr(pr.risk_level, 2, 1) as integer) >= 3 and p.shares > 0")
    res = book.book_query(deps, book.BookQuery(rule="elderly_high_risk"))
    assert {(f["client_id"], f["product_code"]) for f in res.findings} == set(map(tuple, rows.to_numpy()))
    assert "C0009" in {f["client_id"] for f in res.findings}  # the scenario client in RM001's book
    cid = SCENARIOS["elderly_high_risk"][0]
    code = res.findings[0]["product_code"]
    check = products.check_product_for_client(deps, cid, code)
    elderly = next(c for c in check.checks if c.rule == "elderly")
    assert not elderly.passed and not check.suitable and "双录" in (check.gate_message or "")


def test_overview_total_is_holdings_plus_cash(deps) -> None:  # type: ignore[no-untyped-def]
    ov = clients.client_overview(deps, "C0001")
    assert ov.total_assets == pytest.approx(sum(h.market_value for h in ov.holdings) + ov.cash)
    assert sum(ov.by_asset_class.values()) == pytest.approx(ov.total_assets)


def test_retired_client_gets_sustainability_not_savings(deps) -> None:  # type: ignore[no-untyped-def]
    cid = SCENARIOS["elderly_high_risk"][0]
    res = planning.retirement(deps, cid, monthly_spending=20_000)
    assert res.retired and res.plan is None and res.sustainability is not None
    assert res.monthly_spending == 20_000 and res.spending_source == "stated"
    assert res.sustainability.annual_withdrawal_rate == pytest.approx(240_000 / res.current_savings)


def test_other_rms_clients_are_refused_everywhere(deps) -> None:  # type: ignore[no-untyped-def]
    for call in (lambda: clients.client_overview(deps, "C0041"), lambda: clients.client_performance(deps, "C0041"),
                 lambda: clients.compare_clients(deps, "C0001", "C0041"),
                 lambda: products.check_product_for_client(deps, "C0041", "001101"),
                 lambda: planning.health_score(deps, "C0041"),
                 lambda: book.book_query(deps, book.BookQuery(client_id="C0041"))):
        with pytest.raises(Forbidden):
            call()

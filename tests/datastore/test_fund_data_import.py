"""Real fund data (../shared/realdata): top-10 holdings of 10 funds + the Shenwan 2021 list → a fund-level
industry look-through whose weights add up to the disclosed coverage; publication dates respected; CSRC
sector tables kept apart from Shenwan weights."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analytics.fund_view import UNCLASSIFIED, fund_lookthrough
from datastore.engine import create_schema, get_engine
from datastore.importers.fund_list import import_fund_list
from datastore.importers.holdings import import_holdings
from datastore.importers.shenwan import import_sw2021
from datastore.repositories import market
from datastore.repositories.meta import set_meta
from services import loading as ai

AS_OF = date(2026, 11, 20)
REPORT = date(2025, 6, 30)  # the scrape names no period; a 2025 quarterly disclosure (see the file's README)


def fresh_engine(path: Path, as_of: date = AS_OF):  # noqa: ANN201 - Engine
    e = get_engine(f"sqlite:///{path}")
    create_schema(e)
    with e.begin() as conn:
        set_meta(conn, {"as_of": as_of.isoformat()})
    return e


@pytest.fixture(scope="module")
def real_engine(realdata: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    e = fresh_engine(tmp_path_factory.mktemp("real") / "real.db")
    import_fund_list(e, realdata / "fund_nav_piginzoo" / "fund_list_eastmoney.csv")
    import_sw2021(e, realdata / "sw_industry_zhangrongluo" / "sw_stock_list.csv")
    import_holdings(e, str(realdata / "fund_holdings_s209392599" / "top10_holdings_2025.json"), "eastmoney-json",
                    report_date=REPORT, create_funds=True)
    from datastore.repositories.meta import clear_cache

    clear_cache()
    return e


@pytest.fixture(scope="module")
def disclosed(realdata: Path) -> dict[str, dict]:
    data = json.loads((realdata / "fund_holdings_s209392599" / "top10_holdings_2025.json").read_text(encoding="utf-8"))
    return {f["fund_code"]: f for f in data}


def test_every_fund_industry_weights_sum_to_disclosed_coverage(real_engine, disclosed) -> None:  # noqa: ANN001
    exp = ai.fund_exposures(real_engine, AS_OF)
    assert len(disclosed) == 10
    for code, raw in disclosed.items():
        top = sum(float(h["weight_pct_of_nav"].rstrip("%")) for h in raw["holdings"]) / 100
        ft = fund_lookthrough(exp, code)
        assert ft.method == "top10" and ft.report_date == REPORT
        assert ft.coverage == pytest.approx(top, abs=1e-9), code  # honest: Σ top-10, not 100%
        assert sum(i.weight for i in ft.industries) == pytest.approx(top, abs=1e-9), code
        assert ft.coverage + ft.uncovered == pytest.approx(1.0)
        assert f"{top:.0%}" in ft.coverage_note_zh and "穿透覆盖" in ft.coverage_note_zh


def test_classification_and_unclassified(real_engine) -> None:  # noqa: ANN001
    exp = ai.fund_exposures(real_engine, AS_OF)
    ft = fund_lookthrough(exp, "022691")  # 华安医药生物: mostly Hong Kong biotech
    by_id = {h.security_id: h for h in ft.holdings}
    assert by_id["01801.HK"].industry == "医药生物"  # eastmoney "01801" meets SWS "1801.HK"
    assert by_id["002294.SZ"].industry == "医药生物"
    unclassified = [h for h in ft.holdings if h.industry == UNCLASSIFIED]
    assert unclassified, "a stock missing from the Shenwan list is kept"
    assert ft.unclassified == pytest.approx(sum(h.weight for h in unclassified))
    assert any(i.code is None and i.weight == pytest.approx(ft.unclassified) for i in ft.industries)
    sw = market.security_industries(real_engine, "01801.HK").iloc[0]
    assert (sw["level1"], sw["level2"], sw["level3"]) == ("医药生物", "生物制品", "其他生物制品")


def test_csrc_sectors_stored_apart_from_shenwan(real_engine, disclosed) -> None:  # noqa: ANN001
    sec = market.fund_sector_allocation(real_engine, "022365", AS_OF)
    assert sec[["sector", "weight"]].values.tolist() == [["制造业", pytest.approx(0.9467)]]
    exp = ai.fund_exposures(real_engine, AS_OF)
    names = {i.name for i in fund_lookthrough(exp, "022365").industries}
    assert "制造业" not in names and names <= {*exp.industry_names.values(), UNCLASSIFIED}
    assert len(market.fund_sector_allocation(real_engine, "018561", AS_OF)) == len(disclosed["018561"]["stockDistribution"])


def test_disclosure_used_only_after_publication(real_engine) -> None:  # noqa: ANN001
    d = market.disclosures(real_engine, "022365")
    assert d["published_on"].tolist() == [date(2025, 7, 21)]  # 15 working days after 2025-06-30
    before = ai.fund_exposures(real_engine, date(2025, 7, 18))
    ft = fund_lookthrough(before, "022365")
    assert ft.report_date is None and ft.coverage == 0 and ft.method == "type"
    assert "无已公布" in ft.coverage_note_zh


def test_created_funds_are_typed_from_their_names(real_engine) -> None:  # noqa: ANN001
    assert market.get_fund(real_engine, "020973")["type"] == "feeder"  # 易方达机器人ETF联接C
    assert market.get_fund(real_engine, "022691")["type"] == "equity"  # …股票发起式C
    assert market.get_fund(real_engine, "008327")["company_id"] == "EXT"  # from the fund list (股票指数)
    assert market.get_fund(real_engine, "008327")["type"] == "index"


def test_reimport_is_idempotent(real_engine, realdata: Path) -> None:  # noqa: ANN001
    n = len(market.fund_holdings(real_engine))
    res = import_holdings(real_engine, str(realdata / "fund_holdings_s209392599" / "top10_holdings_2025.json"),
                          "eastmoney-json", report_date=REPORT)
    assert res["lines"] == n == 91 and len(market.fund_holdings(real_engine)) == n
    assert res["created_funds"] == [] and res["new_securities"] == 0

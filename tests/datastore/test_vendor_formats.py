"""Vendor layouts mapped onto canonical records (units converted at the edge), and malformed files of each
format refused with the file, line and column named and nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics.errors import InvalidInput
from datastore.importers.disclosure import publication_deadline, report_date_from_label
from datastore.importers.fund_list import import_fund_list
from datastore.importers.holdings import import_holdings
from datastore.importers.index_levels import import_index
from datastore.importers.shenwan import import_sw2021
from datastore.repositories import market
from tests.datastore.test_fund_data_import import fresh_engine

SW = "交易所,行业代码,股票代码,公司简称,新版一级行业,新版二级行业,新版三级行业\n"
FUNDS = '"000001","HXCZHH","华夏成长混合","混合型","HUAXIACHENGZHANGHUNHE"\n"110011","YFDZXP","易方达优质精选混合","混合型","Y"\n'


def _file(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture()
def engine(tmp_path: Path):  # noqa: ANN201
    e = fresh_engine(tmp_path / "v.db")
    import_fund_list(e, _file(tmp_path, "funds.csv", FUNDS))
    return e


def _stock_rows(n: int, label: str, start: int = 600000) -> str:
    return "".join(f"{i},{start + i:06d},股票{i},{10 - i * 0.5:.2f},{12.5 + i},{3456.78 + i},{label}\n" for i in range(n))


def test_akshare_stock_units_labels_and_auto_full(tmp_path: Path, engine) -> None:  # noqa: ANN001
    head = "序号,股票代码,股票名称,占净值比例,持股数,持仓市值,季度\n"
    p = _file(tmp_path, "h.csv", head + _stock_rows(3, "2024年3季度股票投资明细") + _stock_rows(12, "2024年4季度股票投资明细"))
    res = import_holdings(engine, str(p), "akshare-stock", code="000001")
    assert res["report_dates"] == ["2024-09-30", "2024-12-31"] and res["new_securities"] == 12
    h = market.fund_holdings(engine, "000001")
    q3, q4 = h[h["report_date"] == date(2024, 9, 30)], h[h["report_date"] == date(2024, 12, 31)]
    assert set(q3["disclosure"]) == {"top10"} and set(q4["disclosure"]) == {"full"}  # 12 stocks → annual report
    first = q3.iloc[0]
    assert first["security_id"] == "600000.SH" and first["weight"] == pytest.approx(0.10)  # percent → fraction
    assert first["shares"] == pytest.approx(125_000) and first["market_value"] == pytest.approx(34_567_800)  # 万 → units
    assert set(q3["published_on"]) == {publication_deadline(date(2024, 9, 30), "top10")}
    assert set(q4["published_on"]) == {date(2025, 3, 31)}  # annual report: 3 months
    assert market.securities(engine, "600000.SH").iloc[0]["industry_code"] is None  # unclassified until sw2021


def test_akshare_bond_and_industry(tmp_path: Path, engine) -> None:  # noqa: ANN001
    b = _file(tmp_path, "b.csv", "序号,债券代码,债券名称,占净值比例,持仓市值,季度\n1,019547,16国债19,12.30,15000.5,2025年1季度债券投资明细\n"
              "2,113052,兴业转债,3.10,3700,2025年1季度债券投资明细\n")
    assert import_holdings(engine, str(b), "akshare-bond", code="000001", published=date(2025, 4, 18))["lines"] == 2
    s = market.securities(engine, ["019547", "113052"]).set_index("id")
    assert s.loc["019547", "bond_type"] == "government" and s.loc["113052", "bond_type"] == "convertible"
    h = market.fund_holdings(engine, "000001").set_index("security_id")
    assert h.loc["019547", "market_value"] == pytest.approx(150_005_000) and h.loc["019547", "published_on"] == date(2025, 4, 18)
    i = _file(tmp_path, "i.csv", "序号,行业类别,占净值比例,市值,截止时间\n1,制造业,61.30,120000,2025-03-31\n2,金融业,5.2,9000,2025-03-31\n")
    assert import_holdings(engine, str(i), "akshare-industry", code="000001")["sector_lines"] == 2
    sec = market.fund_sector_allocation(engine, "000001")
    assert sec["weight"].tolist() == [pytest.approx(0.613), pytest.approx(0.052)] and set(sec["system"]) == {"csrc"}
    assert sec["market_value"].iloc[0] == pytest.approx(1.2e9)


def test_tushare_first_announcement_is_top10_later_is_full(tmp_path: Path, engine) -> None:  # noqa: ANN001
    rows = "".join(f"110011.OF,20180718,20180630,{600000 + i:06d}.SH,{1e6 * (10 - i):.2f},{1000 * (10 - i)},{10 - i * 0.5},0.1\n"
                   for i in range(10))
    rows += "".join(f"110011.OF,20180823,20180630,{300000 + i:06d}.SZ,{1e4:.2f},100,0.4,0.01\n" for i in range(5))
    p = _file(tmp_path, "t.csv", "ts_code,ann_date,end_date,symbol,mkv,amount,stk_mkv_ratio,stk_float_ratio\n" + rows)
    with pytest.raises(InvalidInput, match="stock share of NAV") as err:
        import_holdings(engine, str(p), "tushare", as_of=date(2026, 11, 20))
    assert "line 2" in str(err.value) and "--stock-share" in (err.value.hint or "")
    import_holdings(engine, str(p), "tushare", stock_share=0.8)
    d = market.disclosures(engine, "110011").set_index("disclosure")
    assert d.loc["top10", "published_on"] == date(2018, 7, 18) and d.loc["top10", "lines"] == 10
    assert d.loc["full", "published_on"] == date(2018, 8, 23) and d.loc["full", "lines"] == 15
    h = market.fund_holdings(engine, "110011", disclosure="top10").set_index("security_id")
    assert h.loc["600000.SH", "weight"] == pytest.approx(0.10 * 0.8)  # share of stock book × stock share of NAV


def test_quarter_labels() -> None:
    assert report_date_from_label("2025年1季度股票投资明细") == date(2025, 3, 31)
    assert report_date_from_label("2024年4季度债券投资明细") == date(2024, 12, 31)
    assert report_date_from_label("2023年中期报告") == date(2023, 6, 30)
    assert report_date_from_label("股票投资明细") is None


def test_publication_deadlines_follow_the_rules() -> None:
    assert publication_deadline(date(2025, 9, 30), "top10") == date(2025, 10, 28)  # 国庆 holidays skipped
    assert publication_deadline(date(2025, 3, 31), "top10") == date(2025, 4, 22)
    assert publication_deadline(date(2025, 6, 30), "full") == date(2025, 8, 31)
    assert publication_deadline(date(2025, 12, 31), "full") == date(2026, 3, 31)
    assert publication_deadline(date(2028, 3, 31), "top10") == date(2028, 4, 21)  # beyond the calendar: Mon–Fri


@pytest.mark.parametrize(("fmt", "name", "text", "line", "column", "words"), [
    ("akshare-stock", "s.csv", "序号,股票代码,股票名称,占净值比例,季度\n1,600519,茅台,9.5,2025年1季度股票投资明细\n"
     "2,600036,招行,abc,2025年1季度股票投资明细\n", 3, "占净值比例", "not a number"),
    ("akshare-stock", "s.csv", "序号,股票代码,股票名称,占净值比例,季度\n1,2463,沪电,9.5,2025年1季度股票投资明细\n",
     2, "股票代码", "not a stock code"),
    ("akshare-stock", "s.csv", "序号,股票代码,股票名称,占净值比例,季度\n1,600519,茅台,9.5,第一季度\n", 2, "季度", "names no report period"),
    ("akshare-stock", "s.csv", "序号,股票代码,股票名称,占净值比例,季度\n1,600519,茅台,9.5,2031年1季度股票投资明细\n",
     2, "季度", "after the data as-of date"),
    ("akshare-stock", "s.csv", "序号,股票代码,股票名称,占净值比例,季度\n1,600519,茅台,950,2025年1季度股票投资明细\n",
     2, "占净值比例", "exceeds 100%"),
    ("akshare-stock", "s.csv", "序号,股票代码,股票名称,占净值比例,季度\n1,600519,茅台,5,2025年1季度股票投资明细\n"
     "2,600519,茅台,5,2025年1季度股票投资明细\n", 3, "security", "already on line 2"),
    ("akshare-bond", "b.csv", "序号,债券代码,债券名称,占净值比例,持仓市值,季度\n1,019547,国债,-1,10,2025年1季度债券投资明细\n",
     2, "占净值比例", "negative"),
    ("akshare-industry", "i.csv", "序号,行业类别,占净值比例,市值,截止时间\n1,制造业,61.3,100,2025-02-30\n", 2, "截止时间",
     "names no report period"),
    ("tushare", "t.csv", "ts_code,ann_date,end_date,symbol,mkv,amount,stk_mkv_ratio\n000001.OF,20250418,20250331,600519.SH,1,1,5\n"
     "000001.OF,20250418,20250331,600519.SH,x,1,5\n", 3, "mkv", "not a number"),
    ("eastmoney-json", "e.json", '[\n {\n  "fund_code": "000001",\n  "holdings": [\n   {"stock_code": "600519",\n'
     '    "weight_pct_of_nav": "9.5%"},\n   {"stock_code": "600036",\n    "weight_pct_of_nav": "n/a"}\n  ]\n }\n]\n',
     7, "weight_pct_of_nav", "not a percentage"),
    ("eastmoney-json", "e.json", '[\n {"fund_code": "000001",\n  "holdings": [\n   {"stock_code": "600519", }\n  ]}]\n',
     4, "", "not valid JSON"),
])
def test_malformed_holdings_files(tmp_path: Path, engine, fmt, name, text, line, column, words) -> None:  # noqa: ANN001
    p = _file(tmp_path, name, text)
    with pytest.raises(InvalidInput) as err:
        import_holdings(engine, str(p), fmt, code="000001" if fmt.startswith("akshare") else None,
                        report_date=date(2025, 3, 31) if fmt == "eastmoney-json" else None)
    msg = str(err.value)
    assert str(p) in msg and f"line {line}" in msg and column in msg and words in msg, msg
    assert market.fund_holdings(engine).empty and market.fund_sector_allocation(engine, "000001").empty


def test_eastmoney_json_needs_a_period_and_known_funds(tmp_path: Path, engine) -> None:  # noqa: ANN001
    p = _file(tmp_path, "e.json", '[{"fund_code": "022365", "fund_name": "永赢科技智选混合发起C",\n'
              '"holdings": [{"stock_code": "300502", "weight_pct_of_nav": "10.08%"}]}]')
    with pytest.raises(InvalidInput, match="names no report period"):
        import_holdings(engine, str(p), "eastmoney-json")
    with pytest.raises(InvalidInput, match="not in the database") as err:
        import_holdings(engine, str(p), "eastmoney-json", report_date=date(2025, 6, 30))
    assert "line 1" in str(err.value) and "--create-funds" in (err.value.hint or "")
    with pytest.raises(InvalidInput, match="quarterly reports"):
        import_holdings(engine, str(p), "eastmoney-json", report_date=date(2025, 3, 31), disclosure="full",
                        create_funds=True)
    with pytest.raises(InvalidInput, match="not a quarter end"):
        import_holdings(engine, str(p), "eastmoney-json", report_date=date(2025, 5, 31), create_funds=True)
    assert market.fund_holdings(engine).empty


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    (SW + "A股,720902,600373.SH,中文传媒,传媒,出版,大众出版\nA股,720902,60037X,中国出版,传媒,出版,大众出版\n", 3, "股票代码",
     "not a stock code"),
    (SW + "A股,720902,600373.SH,中文传媒,媒体,出版,大众出版\n", 2, "新版一级行业", "not a Shenwan 2021 level-1"),
    (SW + "A股,720902,600373.SH,中文传媒,传媒,出版,大众出版\nA股,720902,600373,中文传媒,传媒,出版,大众出版\n", 3, "股票代码",
     "already on line 2"),
])
def test_malformed_shenwan_list(tmp_path: Path, engine, text, line, column, words) -> None:  # noqa: ANN001
    p = _file(tmp_path, "sw.csv", text)
    with pytest.raises(InvalidInput) as err:
        import_sw2021(engine, p)
    msg = str(err.value)
    assert str(p) in msg and f"line {line}" in msg and column in msg and words in msg, msg
    assert market.securities(engine).empty


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ('"000001","HXCZHH","华夏成长混合","混合型","H"\n"00002","X","x","混合型","X"\n', 2, "基金代码", "not a 6-digit"),
    ('"000001","HXCZHH","华夏成长混合","混合型","H"\n"000002","X","x","神秘型","X"\n', 2, "基金类型", "unknown fund type"),
    ('"000003","HXCZHH","华夏成长混合","混合型","H"\n"000003","X","x","混合型","X"\n', 2, "基金代码", "already on line 1"),
])
def test_malformed_fund_list(tmp_path: Path, engine, text, line, column, words) -> None:  # noqa: ANN001
    p = _file(tmp_path, "list.csv", text)
    n = len(market.list_funds(engine))
    with pytest.raises(InvalidInput) as err:
        import_fund_list(engine, p)
    msg = str(err.value)
    assert str(p) in msg and f"line {line}" in msg and column in msg and words in msg, msg
    assert len(market.list_funds(engine)) == n


@pytest.mark.parametrize(("fmt", "text", "line", "column", "words"), [
    ("jqdata", "date,close,factor\n2021-01-04,5267.7,1.0\n2021-01-05,53x,1.0\n", 3, "close", "not a number"),
    ("jqdata", "date,close,factor\n2021-01-04,5267.7,1.0\n2021-01-04,5300,1.0\n", 3, "date", "already on line 2"),
    ("jqdata", "date,close,factor\n2021-01-04,5267.7,1.0\n2021-01-05,52.7,1.0\n", 3, "close", "beyond ±50%"),
    ("akshare", "日期,开盘,收盘\n2031-01-04,1,5267.7\n", 2, "日期", "after the data as-of date"),
])
def test_malformed_index_files(tmp_path: Path, engine, fmt, text, line, column, words) -> None:  # noqa: ANN001
    p = _file(tmp_path, "idx.csv", text)
    with pytest.raises(InvalidInput) as err:
        import_index(engine, p, "000300", fmt)
    msg = str(err.value)
    assert str(p) in msg and f"line {line}" in msg and column in msg and words in msg, msg
    assert market.index_levels(engine, "000300").empty


def test_index_import_keeps_levels_outside_its_dates(tmp_path: Path, engine) -> None:  # noqa: ANN001
    full = "date,close,factor\n" + "".join(f"2021-01-{d:02d},{5000 + d},1.0\n" for d in range(4, 30))
    import_index(engine, _file(tmp_path, "a.csv", full), "000300", "jqdata")
    sparse = _file(tmp_path, "b.csv", "日期,收盘\n2021-01-04,5004\n2021-01-29,5029\n")
    assert import_index(engine, sparse, "000300", "akshare")["replaced"] == 2
    assert len(market.index_levels(engine, "000300")) == 26
    assert import_index(engine, sparse, "000300", "akshare", replace_range=True)["replaced"] == 26
    assert len(market.index_levels(engine, "000300")) == 2

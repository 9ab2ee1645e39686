"""Eastmoney NAV importer on the real files in ../shared/realdata, plus bad-input errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analytics.errors import InvalidInput
from datastore.importers.eastmoney import import_eastmoney_nav, parse_event, read_eastmoney_nav
from datastore.repositories import market

HEADER = "净值日期,Unnamed: 0,单位净值,累计净值,日增长率,申购状态,赎回状态,分红送配\n"


@pytest.fixture(scope="module")
def events(realdata: Path) -> list[dict]:
    return json.loads((realdata / "nav_event_vectors.json").read_text(encoding="utf-8"))["events"]


def test_parse_event_texts() -> None:
    assert parse_event("每份派现金0.1000元") == (0.1, None)
    assert parse_event("每份基金份额折算1.7356份") == (0.0, 1.7356)
    assert parse_event("每份基金份额分拆1.2000份") == (0.0, 1.2)
    assert parse_event("") == (0.0, None)
    with pytest.raises(ValueError):
        parse_event("暂停申购")


@pytest.mark.parametrize("code", ["000001", "161725", "519736", "005911", "519778"])
def test_real_files_parse(realdata: Path, code: str) -> None:
    nav = read_eastmoney_nav(realdata / "fund_nav_piginzoo" / f"{code}.csv")
    assert list(nav.columns) == ["date", "unit_nav", "acc_nav", "dividend", "split_ratio", "daily_return"]
    assert nav["date"].is_monotonic_increasing and nav["date"].is_unique
    assert (nav["unit_nav"] > 0).all()
    # ordinary days: the vendor's 日增长率 (now a fraction) equals NAV_t/NAV_{t-1} − 1 to 2 dp of a percent
    plain = (nav["dividend"] == 0) & nav["split_ratio"].isna() & nav["daily_return"].notna()
    naive = nav["unit_nav"] / nav["unit_nav"].shift() - 1
    gap = (naive - nav["daily_return"])[plain].iloc[1:].abs()
    # the vendor skips quarter-end weekend rows in its own return chain, so allow a few outliers
    assert (gap < 1.1e-4).mean() > 0.99


def test_every_real_event_day(realdata: Path, events: list[dict]) -> None:
    assert len(events) == 17
    frames = {c: read_eastmoney_nav(realdata / "fund_nav_piginzoo" / f"{c}.csv").set_index("date")
              for c in {e["fund_code"] for e in events}}
    for e in events:
        nav = frames[e["fund_code"]]
        d, prev = date.fromisoformat(e["date"]), date.fromisoformat(e["prev_date"])
        row = nav.loc[d]
        assert row["dividend"] == pytest.approx(e["cash_dividend_per_unit"] or 0.0)
        if e["split_ratio"] is None:
            assert row["split_ratio"] != row["split_ratio"]  # NaN
        else:
            assert row["split_ratio"] == pytest.approx(e["split_ratio"])
        k = 1.0 if e["split_ratio"] is None else e["split_ratio"]
        adjusted = (row["unit_nav"] + row["dividend"]) * k / nav.loc[prev, "unit_nav"] - 1
        expected = e["expected_daily_return_pct (eastmoney 日增长率, 2dp)"] / 100
        assert adjusted == pytest.approx(expected, abs=5.1e-5), e["date"]
        assert row["daily_return"] == pytest.approx(expected, abs=1e-12)


def _write(tmp_path: Path, body: str, name: str = "nav.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return p


@pytest.mark.parametrize(("body", "line", "column", "problem"), [
    ("2021-01-04,0,1.1,1.2,0.5,开放申购,开放赎回,\n2021-13-05,1,1.1,1.2,0.5,开放申购,开放赎回,\n",
     3, "净值日期", "not a date"),
    ("2021-01-04,0,-1.1,1.2,0.5,开放申购,开放赎回,\n", 2, "单位净值", "greater than 0"),
    ("2021-01-04,0,abc,1.2,0.5,开放申购,开放赎回,\n", 2, "单位净值", "not a number"),
    ("2021-01-04,0,1.1,1.2,x%,开放申购,开放赎回,\n", 2, "日增长率", "not a number"),
    ("2021-01-04,0,1.1,1.2,0.5,开放申购,开放赎回,送股10股\n", 2, "分红送配", "unrecognised"),
    ("2021-01-04,0,1.1,1.2,0.5,开放申购,开放赎回,\n2021-01-04,0,1.1,1.2,0.5,开放申购,开放赎回,\n",
     3, "净值日期", "repeats line 2"),
])
def test_bad_rows_name_file_line_column(tmp_path: Path, body: str, line: int, column: str, problem: str) -> None:
    p = _write(tmp_path, body)
    with pytest.raises(InvalidInput) as err:
        read_eastmoney_nav(p)
    msg = str(err.value)
    assert str(p) in msg and f"line {line}" in msg and column in msg and problem in msg
    assert err.value.field == column


def test_missing_column(tmp_path: Path) -> None:
    p = tmp_path / "nav.csv"
    p.write_text("净值日期,单位净值\n2021-01-04,1.1\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        read_eastmoney_nav(p)
    assert "missing column" in str(err.value) and "累计净值" in str(err.value) and str(p) in str(err.value)


def test_gbk_and_descending_order(tmp_path: Path) -> None:
    p = tmp_path / "nav.csv"
    p.write_bytes((HEADER + "2021-01-05,1,1.2,1.3,9.09,,,每份派现金0.0500元\n2021-01-04,0,1.1,1.2,,,,\n").encode("gbk"))
    nav = read_eastmoney_nav(p)
    assert nav["date"].tolist() == [date(2021, 1, 4), date(2021, 1, 5)]
    assert nav["dividend"].tolist() == [0.0, 0.05] and nav["daily_return"].isna().tolist() == [True, False]


def test_import_stores_series_atomically_and_idempotently(realdata: Path, scratch_engine) -> None:
    path = realdata / "fund_nav_piginzoo" / "161725.csv"
    with pytest.raises(InvalidInput, match="not in the database"):
        import_eastmoney_nav(scratch_engine, path, "161725")
    res = import_eastmoney_nav(scratch_engine, path, "161725", create=True, name="招商中证白酒指数(LOF)A",
                               fund_type="index")
    assert res["rows"] == 964 and res["splits"] == 7 and res["created_fund"]
    again = import_eastmoney_nav(scratch_engine, path, "161725")
    assert again["rows"] == 964 and not again["created_fund"]
    stored = market.fund_nav(scratch_engine, "161725")
    assert len(stored) == 964 and stored["split_ratio"].notna().sum() == 7
    assert market.get_fund(scratch_engine, "161725")["company_id"] == "EXT"


def test_bad_file_imports_nothing(tmp_path: Path, scratch_engine) -> None:
    p = _write(tmp_path, "2021-01-04,0,1.1,1.2,0.5,,,\n2021-01-05,1,1.1,1.2,bad,,,\n")
    before = len(market.fund_nav(scratch_engine, "001101"))
    with pytest.raises(InvalidInput, match="line 3"):
        import_eastmoney_nav(scratch_engine, p, "001101")
    assert len(market.fund_nav(scratch_engine, "001101")) == before

"""Data-quality gates (issue 13): each probe that used to pass with exit 0 is now refused, names the file,
line and column, and leaves the database as it was."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from analytics.errors import InvalidInput
from analytics.identifiers import id_check_digit
from datastore.importers.bank_csv import import_bank_csv
from datastore.importers.eastmoney import import_eastmoney_nav
from datastore.repositories import clients as crepo
from datastore.repositories import market
from datastore.schema import FundNav

NAV_HEADER = "净值日期,单位净值,累计净值,日增长率,分红送配\n"
CLIENT_HEADER = "客户号,客户姓名,客户经理,风险等级,风评日期,出生日期,性别,证件号码,手机号\n"
TX_HEADER = "客户号,产品代码,交易日期,交易类型,确认金额,确认份额\n"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _nav_rows(engine, code: str = "001101") -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(FundNav).where(FundNav.fund_code == code)).scalar_one())


def _refused(call, path: Path, line: int, column: str, words: str) -> InvalidInput:  # noqa: ANN001
    with pytest.raises(InvalidInput) as err:
        call()
    msg = str(err.value)
    assert str(path) in msg and f"line {line}" in msg and column in msg and words in msg, msg
    assert err.value.hint, "every refusal says how to fix it"
    return err.value


# ------------------------------------------------------------------------------------------------ NAV


def test_sparse_nav_file_keeps_the_history_between_its_dates(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    nav = market.fund_nav(scratch_engine, "001101").set_index("date")
    d1, d2 = nav.index[0], nav.index[-1]  # 2020 … 2026
    assert d1.year == 2020 and d2.year == 2026
    before = _nav_rows(scratch_engine)
    inside = int(((nav.index >= d1) & (nav.index <= d2)).sum())
    assert inside > 1_600  # the probe: 1,673 rows between the two dates were deleted
    p = _file(tmp_path, "001101.csv", NAV_HEADER + f"{d1},{nav.loc[d1, 'unit_nav']},{nav.loc[d1, 'acc_nav']},,\n"
              f"{d2},{nav.loc[d2, 'unit_nav']},{nav.loc[d2, 'acc_nav']},,\n")
    res = import_eastmoney_nav(scratch_engine, p, "001101")
    assert res["replaced"] == 2 and _nav_rows(scratch_engine) == before  # only the file's two dates
    res = import_eastmoney_nav(scratch_engine, p, "001101", replace_range=True)  # explicit
    assert res["replaced"] == inside and _nav_rows(scratch_engine) == before - inside + 2


def test_nav_dated_after_the_as_of_date(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    before = _nav_rows(scratch_engine)
    p = _file(tmp_path, "001101.csv", NAV_HEADER + "2026-11-19,1.5,1.6,,\n2031-01-02,1.5,1.6,,\n")
    _refused(lambda: import_eastmoney_nav(scratch_engine, p, "001101"), p, 3, "净值日期", "after the data as-of date")
    assert _nav_rows(scratch_engine) == before


def test_impossible_daily_return(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    last = market.fund_nav(scratch_engine, "001101").iloc[-1]
    p = _file(tmp_path, "001101.csv", NAV_HEADER + f"{last['date']},{last['unit_nav']},{last['acc_nav']},,\n"
              "2026-11-19,1.2,1.3,-950.00,\n")
    _refused(lambda: import_eastmoney_nav(scratch_engine, p, "001101", as_of=date(2026, 11, 25)), p, 3, "单位净值",
             "-950.00%")
    # the same jump computed from the NAVs, without the vendor column, against the stored series
    q = _file(tmp_path, "001101b.csv", "净值日期,单位净值,累计净值\n2026-11-23,%.4f,9.9\n" % (last["unit_nav"] * 2.2))
    _refused(lambda: import_eastmoney_nav(scratch_engine, q, "001101", as_of=date(2026, 11, 25)), q, 2, "单位净值",
             "NAV-to-NAV")


def test_split_day_may_move_more_than_half(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    last = market.fund_nav(scratch_engine, "001101").iloc[-1]
    unit = last["unit_nav"] / 2.5
    p = _file(tmp_path, "001101.csv", NAV_HEADER + f"2026-11-23,{unit:.4f},{last['acc_nav']},0.10,每份基金份额折算2.5份\n")
    assert import_eastmoney_nav(scratch_engine, p, "001101", as_of=date(2026, 11, 25))["splits"] == 1


def test_negative_or_absurd_nav(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    p = _file(tmp_path, "001101.csv", NAV_HEADER + "2026-11-19,15000,1.6,,\n")
    _refused(lambda: import_eastmoney_nav(scratch_engine, p, "001101"), p, 2, "单位净值", "not a real record")


# ------------------------------------------------------------------------------------------------ bank CSV

ID_1980 = "35010219800101123" + id_check_digit("35010219800101123")
ID_2030 = "35010220300101123" + id_check_digit("35010220300101123")


def test_birth_date_in_the_future(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    p = _file(tmp_path, "clients.csv", CLIENT_HEADER + f"B0101,甲,RM001,C3,2026-01-01,2030-01-01,男,{ID_2030},13800000001\n")
    _refused(lambda: import_bank_csv(scratch_engine, p, "clients"), p, 2, "出生日期", "in the future")
    assert crepo.get_client(scratch_engine, "B0101") is None


def test_risk_assessment_in_the_future(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    p = _file(tmp_path, "clients.csv", CLIENT_HEADER + f"B0102,乙,RM001,C3,2099-01-01,1980-01-01,男,{ID_1980},13800000001\n")
    _refused(lambda: import_bank_csv(scratch_engine, p, "clients"), p, 2, "风评日期", "in the future")
    assert crepo.get_client(scratch_engine, "B0102") is None


def test_moving_a_client_to_another_rm_needs_allow_reassign(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    c = crepo.get_client(scratch_engine, "C0001")
    other = "RM002" if c["rm_id"] != "RM002" else "RM001"
    row = (f"C0001,{c['name']},{other},{c['risk_level']},{c['risk_assessed_on']},{c['birth_date']},{c['gender']},"
           f"{c['id_number']},{c['mobile']}\n")
    p = _file(tmp_path, "clients.csv", CLIENT_HEADER + row)
    _refused(lambda: import_bank_csv(scratch_engine, p, "clients"), p, 2, "客户经理", "--allow-reassign")
    assert crepo.get_client(scratch_engine, "C0001")["rm_id"] == c["rm_id"]
    res = import_bank_csv(scratch_engine, p, "clients", allow_reassign=True)
    assert res["reassigned"] == ["C0001"] and crepo.get_client(scratch_engine, "C0001")["rm_id"] == other


def test_duplicate_transaction_rows_within_one_file(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    before = len(crepo.transactions(scratch_engine, "C0001"))
    p = _file(tmp_path, "tx.csv", TX_HEADER + "C0001,001101,2026-11-02,申购,1000,800\nC0001,001102,2026-11-02,申购,50,40\n"
              "C0001,001101,2026-11-02,申购,1000,800\n")
    _refused(lambda: import_bank_csv(scratch_engine, p, "transactions"), p, 4, "交易日期", "already on line 2")
    assert len(crepo.transactions(scratch_engine, "C0001")) == before


def test_sell_beyond_the_held_units(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    pos = crepo.positions(scratch_engine, "C0001")
    code, held = pos.iloc[0]["product_code"], float(pos.iloc[0]["shares"])
    p = _file(tmp_path, "tx.csv", TX_HEADER + f"C0001,{code},2026-11-19,赎回,1000,999999999\n")
    _refused(lambda: import_bank_csv(scratch_engine, p, "transactions"), p, 2, "确认份额", "exceeds the")
    ok = _file(tmp_path, "tx2.csv", TX_HEADER + f"C0001,{code},2026-11-19,赎回,10,{held:.2f}\n")  # all of it: fine
    assert import_bank_csv(scratch_engine, ok, "transactions")["inserted"] == 1
    assert code not in set(crepo.positions(scratch_engine, "C0001")["product_code"])


def test_absurd_units_and_amounts(tmp_path: Path, scratch_engine) -> None:  # noqa: ANN001
    p = _file(tmp_path, "tx.csv", TX_HEADER + "C0001,001101,2026-11-02,申购,500000000000000,100\n")
    _refused(lambda: import_bank_csv(scratch_engine, p, "transactions"), p, 2, "确认金额", "not a real record")
    h = _file(tmp_path, "h.csv", "client_id,product_code,shares,cost,as_of\nC0200,004401,1000,1050.5,2031-01-01\n")
    _refused(lambda: import_bank_csv(scratch_engine, h, "holdings"), h, 2, "as_of", "after the data as-of date")

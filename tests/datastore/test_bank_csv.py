"""Bank CSV importer: column aliases, validation errors naming file/line/column, atomicity, positions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics.errors import InvalidInput
from analytics.identifiers import id_check_digit
from datastore.importers.bank_csv import import_bank_csv
from datastore.repositories import clients as crepo

ID1 = "35010219800101123" + id_check_digit("35010219800101123")
ID2 = "35020319550615002" + id_check_digit("35020319550615002")


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _clients_file(tmp_path: Path) -> Path:
    return _csv(tmp_path, "clients.csv",
                "客户号,客户姓名,客户经理,风险等级,风评日期,出生日期,性别,证件号码,手机号,年收入,月支出\n"
                f"B0001,测试甲,RM001,稳健型,2026-03-01,1980-01-01,男,{ID1},13800000001,300000,9000\n"
                f"B0002,测试乙,RM002,C4,2025-01-10,1955-06-15,女,{ID2},+8613900000002,120000,4000\n")


def test_clients_then_transactions_then_positions(tmp_path: Path, scratch_engine) -> None:
    res = import_bank_csv(scratch_engine, _clients_file(tmp_path), "clients")
    assert res["inserted"] == 2
    b1 = crepo.get_client(scratch_engine, "B0001")
    assert b1["risk_level"] == "C2" and b1["age"] == 46 and b1["life_stage"] == "mature_family"
    assert crepo.get_client(scratch_engine, "B0002")["mobile"] == "13900000002"
    tx = _csv(tmp_path, "tx.csv",
              "客户号,产品代码,交易日期,交易类型,确认金额,确认份额,成交净值,手续费\n"
              "B0001,001101,2024-03-04,申购,10150.00,5000.00,2.0000,150.00\n"
              "B0001,001101,2025-03-03,赎回,4975.00,2500.00,2.0000,25.00\n"
              "B0001,TD1Y,2026-01-05,buy,50000,50000,1.0,0\n")
    res = import_bank_csv(scratch_engine, tx, "transactions")
    assert (res["inserted"], res["skipped"]) == (3, 0)
    pos = crepo.positions(scratch_engine, "B0001").set_index("product_code")
    assert pos.loc["001101", "shares"] == 2500.0 and pos.loc["001101", "cost"] == pytest.approx(5075.0)
    assert pos.loc["TD1Y", "first_buy"] == date(2026, 1, 5)
    again = import_bank_csv(scratch_engine, tx, "transactions")
    assert (again["inserted"], again["skipped"]) == (0, 3)
    assert import_bank_csv(scratch_engine, _clients_file(tmp_path), "clients")["updated"] == 2


def test_holdings_snapshot(tmp_path: Path, scratch_engine) -> None:
    p = _csv(tmp_path, "h.csv", "client_id,product_code,shares,cost,as_of\nC0200,004401,1000,1050.5,2026-11-20\n")
    assert import_bank_csv(scratch_engine, p, "holdings")["inserted"] == 1
    pos = crepo.positions(scratch_engine, "C0200").set_index("product_code")
    assert pos.loc["004401", "cost"] == 1050.5


@pytest.mark.parametrize(("kind", "text", "line", "column", "problem"), [
    ("transactions", "客户号,产品代码,交易日期,交易类型,确认金额,确认份额\nC0001,001101,2024-02-30,申购,100,50\n",
     2, "交易日期", "not a date"),
    ("transactions", "客户号,产品代码,交易日期,交易类型,确认金额,确认份额\nC0001,001101,2024-02-01,申购,100,50\n"
                     "C0001,001101,2024-02-02,申购,-5,50\n", 3, "确认金额", "must be ≥ 0"),
    ("transactions", "客户号,产品代码,交易日期,交易类型,确认金额,确认份额\nC9999,001101,2024-02-01,申购,100,50\n",
     2, "客户号", "unknown client"),
    ("transactions", "客户号,产品代码,交易日期,交易类型,确认金额,确认份额\nC0001,999999,2024-02-01,申购,100,50\n",
     2, "产品代码", "unknown product"),
    ("transactions", "客户号,产品代码,交易日期,交易类型,确认金额,确认份额\nC0001,001101,2024-02-01,转换,100,50\n",
     2, "交易类型", "not a transaction type"),
    ("clients", "客户号,客户姓名,客户经理,风险等级,风评日期,出生日期,性别,证件号码,手机号\n"
                f"B0009,丙,RM001,C3,2026-01-01,1980-01-01,男,{ID1[:-1]}0,13800000001\n",
     2, "证件号码", "GB 11643"),
    ("clients", "客户号,客户姓名,客户经理,风险等级,风评日期,出生日期,性别,证件号码,手机号\n"
                f"B0009,丙,RM001,C3,2026-01-01,1980-01-02,男,{ID1},13800000001\n",
     2, "证件号码", "birth date"),
])
def test_bad_rows(tmp_path: Path, scratch_engine, kind, text, line, column, problem) -> None:  # noqa: ANN001
    p = _csv(tmp_path, f"{kind}.csv", text)
    before = len(crepo.transactions(scratch_engine, "C0001"))
    with pytest.raises(InvalidInput) as err:
        import_bank_csv(scratch_engine, p, kind)
    msg = str(err.value)
    assert str(p) in msg and f"line {line}" in msg and column in msg and problem in msg, msg
    assert len(crepo.transactions(scratch_engine, "C0001")) == before  # nothing half-imported


def test_missing_required_column(tmp_path: Path, scratch_engine) -> None:
    p = _csv(tmp_path, "tx.csv", "客户号,产品代码,交易类型,确认金额\nC0001,001101,申购,100\n")
    with pytest.raises(InvalidInput, match="line 1: missing column") as err:
        import_bank_csv(scratch_engine, p, "transactions")
    assert "交易日期" in str(err.value) and err.value.field == "date"


def test_empty_database_needs_an_as_of_date(tmp_path: Path) -> None:
    from datastore.engine import get_engine

    e = get_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(InvalidInput, match="as-of") as err:
        import_bank_csv(e, _clients_file(tmp_path), "clients")
    assert err.value.field == "as_of"

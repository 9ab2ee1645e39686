"""Market-side reads cached per data version: a caller's copy is its own, a data change (an import) is seen,
book frames carry no personal numbers, and building frames from tuples keeps every value and type."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select, update

from core.identity import Caller
from datastore.importers.bank_csv import import_bank_csv
from datastore.repositories import clients as crepo
from datastore.repositories._frames import model_columns, read_frame
from datastore.repositories.meta import clear_cache, data_epoch
from datastore.schema import FundNav, Transaction
from services import clients, loading
from services.deps import Deps


@pytest.fixture()
def engine(sample_db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from datastore.engine import get_engine

    dst = tmp_path / "copy.db"
    with sqlite3.connect(sample_db_path) as src, sqlite3.connect(dst) as out:
        src.backup(out)
    return get_engine(f"sqlite:///{dst}")


def test_a_callers_copy_is_its_own(engine) -> None:  # type: ignore[no-untyped-def]
    d = Deps.build(engine, Caller.rm("RM001"))
    book = loading.client_book(engine, "C0001", d.as_of)
    book.products.loc[:, "name"] = "changed"
    book.positions.loc[:, "market_value"] = -1.0
    again = loading.client_book(engine, "C0001", d.as_of)
    assert "changed" not in set(again.products["name"])
    assert (again.positions["market_value"] > 0).all()


def test_a_price_change_is_seen_after_the_data_version_moves(engine) -> None:  # type: ignore[no-untyped-def]
    d = Deps.build(engine, Caller.rm("RM001"))
    before = clients.client_overview(d, "C0001")
    fund = next(h for h in before.holdings if h.kind == "fund")
    code = str(crepo.products(engine).set_index("code").at[fund.product_code, "fund_code"])
    with engine.begin() as c:
        last = c.execute(select(FundNav.date).where(FundNav.fund_code == code, FundNav.date <= d.as_of)
                         .order_by(FundNav.date.desc()).limit(1)).scalar_one()
        c.execute(update(FundNav).where(FundNav.fund_code == code, FundNav.date == last)
                  .values(unit_nav=FundNav.unit_nav * 2))
    clear_cache()  # what every importer does after its commit
    after = clients.client_overview(d, "C0001")
    moved = next(h for h in after.holdings if h.product_code == fund.product_code)
    assert moved.market_value == pytest.approx(2 * fund.market_value)


def test_the_bank_csv_import_moves_the_data_version(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "h.csv"
    p.write_text("client_id,product_code,shares,cost,as_of\nC0200,004401,1000,1050.5,2026-11-20\n", encoding="utf-8")
    epoch = data_epoch()
    import_bank_csv(engine, p, "holdings")
    assert data_epoch() == epoch + 1


def test_book_frames_carry_no_personal_numbers(engine) -> None:  # type: ignore[no-untyped-def]
    d = Deps.build(engine, Caller.rm("RM001"))
    frames = loading.client_books(engine, None, d.as_of, rm_id="RM001")
    assert not {"id_number", "mobile"} & set(frames.clients.columns)
    full = crepo.list_clients(engine, "RM001")
    assert {"id_number", "mobile"} <= set(full.columns)
    lean = crepo.list_clients(engine, "RM001", personal=False)
    pd.testing.assert_frame_equal(lean, full.drop(columns=["id_number", "mobile"]))


def test_frames_from_tuples_keep_values_and_types(engine) -> None:  # type: ignore[no-untyped-def]
    stmt = select(*model_columns(Transaction)).order_by(Transaction.id)
    with engine.connect() as c:
        rows = c.execute(stmt).fetchall()
    plain = pd.DataFrame(rows, columns=[col.name for col in model_columns(Transaction)])
    pd.testing.assert_frame_equal(read_frame(engine, stmt), plain)

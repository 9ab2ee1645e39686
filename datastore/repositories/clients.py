"""Client-side repositories: RMs, clients, transactions, positions, cash, products.

DataFrames carry the schema's column names (dates as ``datetime.date``). Access control is NOT done
here: callers check entitlement first (``assistant.access.require_client_access``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from datastore.crypto import EncryptedString
from datastore.repositories._frames import as_list, model_columns, read_frame
from datastore.schema import RM, Client, ClientCash, Position, Product, Transaction


def client_owner(engine: Engine, client_id: str) -> str | None:
    """The RM id that owns ``client_id``, or None when no such client exists."""
    with Session(engine) as s:
        return s.execute(select(Client.rm_id).where(Client.id == client_id)).scalar_one_or_none()


def client_ids_of_rm(engine: Engine, rm_id: str) -> list[str]:
    with Session(engine) as s:
        return list(s.execute(select(Client.id).where(Client.rm_id == rm_id).order_by(Client.id)).scalars())


def rms(engine: Engine) -> pd.DataFrame:
    """id, name, branch of every relationship manager."""
    return read_frame(engine, select(*model_columns(RM)).order_by(RM.id))


def get_client(engine: Engine, client_id: str) -> dict[str, Any] | None:
    """One client row as a dict (all ``clients`` columns), or None."""
    with engine.connect() as conn:
        row = conn.execute(select(*model_columns(Client)).where(Client.id == client_id)).first()
    return dict(row._mapping) if row is not None else None


def list_clients(engine: Engine, rm_id: str | None = None, *, personal: bool = True) -> pd.DataFrame:
    """All clients, or those of ``rm_id``, by id. ``personal=False`` leaves out the encrypted ID and mobile
    numbers: a book scan never reads them, and decrypting them took half of a 10,000-client scan."""
    cols = [c for c in model_columns(Client) if personal or not isinstance(c.type, EncryptedString)]
    stmt = select(*cols).order_by(Client.id)
    if rm_id is not None:
        stmt = stmt.where(Client.rm_id == rm_id)
    return read_frame(engine, stmt)


def transactions(engine: Engine, client_ids: str | Iterable[str], start: date | None = None,
                 end: date | None = None) -> pd.DataFrame:
    """Transactions of the clients in [start, end], ordered by client, date, id.

        id  client_id product_code  date        type      amount    shares  price   fee
        19  C0001     001101        2021-02-08  buy     600000.0  219997.39  2.687  8867.0
    ``shares`` are in the units valid on that date; splits come from ``market.fund_splits``.
    """
    stmt = select(*model_columns(Transaction)).where(Transaction.client_id.in_(as_list(client_ids) or []))
    if start is not None:
        stmt = stmt.where(Transaction.date >= start)
    if end is not None:
        stmt = stmt.where(Transaction.date <= end)
    df = read_frame(engine, stmt.order_by(Transaction.client_id, Transaction.date, Transaction.id))
    df["price"] = pd.to_numeric(df["price"], errors="coerce")
    return df


def positions_of_rm(engine: Engine, rm_id: str | None) -> pd.DataFrame:
    """Positions of every client of ``rm_id`` (every client when None), by a join instead of an id list
    (a 10,000-client book would otherwise send 10,000 bound parameters)."""
    stmt = select(*model_columns(Position))
    if rm_id is not None:
        stmt = stmt.join(Client, Client.id == Position.client_id).where(Client.rm_id == rm_id)
    return read_frame(engine, stmt.order_by(Position.client_id, Position.product_code))


def cash_of_rm(engine: Engine, rm_id: str | None, as_of: date) -> pd.DataFrame:
    """The latest balance on or before ``as_of`` of every client of ``rm_id`` (every client when None)."""
    sub = select(ClientCash.client_id, func.max(ClientCash.as_of).label("d")).where(ClientCash.as_of <= as_of)
    if rm_id is not None:
        sub = sub.join(Client, Client.id == ClientCash.client_id).where(Client.rm_id == rm_id)
    s = sub.group_by(ClientCash.client_id).subquery()
    stmt = (select(*model_columns(ClientCash))
            .join(s, and_(ClientCash.client_id == s.c.client_id, ClientCash.as_of == s.c.d))
            .order_by(ClientCash.client_id))
    return read_frame(engine, stmt)


def positions(engine: Engine, client_ids: str | Iterable[str]) -> pd.DataFrame:
    """Derived positions (client_id, product_code, shares, cost, first_buy, as_of), by client and product."""
    stmt = (select(*model_columns(Position)).where(Position.client_id.in_(as_list(client_ids) or []))
            .order_by(Position.client_id, Position.product_code))
    return read_frame(engine, stmt)


def client_cash(engine: Engine, client_ids: str | Iterable[str], as_of: date | None = None) -> pd.DataFrame:
    """The latest current-account balance on or before ``as_of`` per client (client_id, as_of, balance);
    without ``as_of`` the latest overall."""
    ids = as_list(client_ids) or []
    sub = select(ClientCash.client_id, func.max(ClientCash.as_of).label("d")).where(ClientCash.client_id.in_(ids))
    if as_of is not None:
        sub = sub.where(ClientCash.as_of <= as_of)
    s = sub.group_by(ClientCash.client_id).subquery()
    stmt = (select(*model_columns(ClientCash))
            .join(s, and_(ClientCash.client_id == s.c.client_id, ClientCash.as_of == s.c.d))
            .order_by(ClientCash.client_id))
    return read_frame(engine, stmt)


def cash_history(engine: Engine, client_id: str) -> pd.DataFrame:
    stmt = select(*model_columns(ClientCash)).where(ClientCash.client_id == client_id).order_by(ClientCash.as_of)
    return read_frame(engine, stmt)


def products(engine: Engine, status: str | None = None, kind: str | None = None,
             codes: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Product shelf rows (optionally only ``on_shelf``/``off_shelf``, one ``kind``, or some ``codes``)."""
    stmt = select(*model_columns(Product)).order_by(Product.code)
    if status is not None:
        stmt = stmt.where(Product.status == status)
    if kind is not None:
        stmt = stmt.where(Product.kind == kind)
    if (c := as_list(codes)) is not None:
        stmt = stmt.where(Product.code.in_(c))
    df = read_frame(engine, stmt)
    df["expected_yield"] = pd.to_numeric(df["expected_yield"], errors="coerce")
    return df


def shelf_products(engine: Engine) -> pd.DataFrame:
    """The products the bank offers today (status ``on_shelf``)."""
    return products(engine, status="on_shelf")

"""Generic bank CSV importer: clients, transactions, holdings snapshots (mapping in docs/importers.md).

Each file is validated row by row first; the first bad cell raises ``InvalidInput`` naming file, line,
column and the problem, and nothing is written. A valid file is written in one database transaction.
Importing transactions re-derives ``positions`` of the clients concerned; identical rows already in
the database are skipped, so re-importing a file changes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Engine, delete, select, update

from core.errors import InvalidInput
from core.identifiers import is_valid_id_number
from datastore.engine import create_schema
from datastore.importers._csv import CsvFile, parse_date, parse_number
from datastore.repositories.meta import data_as_of
from datastore.sample.loader import insert_frame
from datastore.sample.positions import derive_positions
from datastore.schema import Client, FundNav, Position, Product, Transaction

Kind = Literal["clients", "transactions", "holdings"]

CLIENT_ALIASES = {
    "id": ["client_id", "客户号", "客户编号"], "name": ["客户姓名", "姓名"], "rm_id": ["客户经理", "客户经理编号"],
    "risk_level": ["风险等级", "风险承受能力"], "risk_assessed_on": ["风评日期", "风险评估日期"],
    "birth_date": ["出生日期"], "gender": ["性别"], "occupation": ["职业"], "life_stage": ["人生阶段"],
    "segment": ["客户层级"], "annual_income": ["年收入"], "monthly_expense": ["月支出"],
    "id_number": ["证件号码", "身份证号"], "mobile": ["手机号", "手机号码"],
}
TXN_ALIASES = {
    "client_id": ["客户号", "客户编号"], "product_code": ["产品代码"], "date": ["交易日期", "确认日期"],
    "type": ["交易类型", "业务类型"], "amount": ["确认金额", "金额"], "shares": ["确认份额", "份额"],
    "price": ["成交净值", "净值"], "fee": ["手续费"],
}
HOLDING_ALIASES = {
    "client_id": ["客户号", "客户编号"], "product_code": ["产品代码"], "shares": ["持有份额", "份额"],
    "cost": ["持仓成本", "成本"], "first_buy": ["首次买入日期"], "as_of": ["持仓日期", "日期"],
}
_RISK = {"保守型": "C1", "稳健型": "C2", "平衡型": "C3", "成长型": "C4", "进取型": "C5"}
_TYPES = {"buy": "buy", "申购": "buy", "认购": "buy", "买入": "buy", "定投": "buy",
          "sell": "sell", "赎回": "sell", "卖出": "sell", "到期": "sell",
          "dividend": "dividend", "分红": "dividend", "红利发放": "dividend", "现金分红": "dividend",
          "fee": "fee", "费用": "fee"}
_GENDER = {"M": "M", "F": "F", "男": "M", "女": "F"}


def import_bank_csv(engine: Engine, path: str | Path, kind: Kind, *, as_of: date | None = None) -> dict[str, Any]:
    """Import one CSV of ``kind``. ``as_of`` (default: the data set's ``meta['as_of']``) dates derived
    positions and the clients' ages. Returns ``{"kind", "file", "inserted", "updated", "skipped",
    "clients"}``."""
    create_schema(engine)
    day = as_of or data_as_of(engine)
    if day is None:  # never the wall clock: ages and positions must be reproducible
        raise InvalidInput("the database has no as-of date", field="as_of",
                           hint="pass --as-of YYYY-MM-DD (the date of the bank's extract) or run `wealthdesk init`")
    f = CsvFile(path)
    if kind == "clients":
        return _import_clients(engine, f, day)
    if kind == "transactions":
        return _import_transactions(engine, f, day)
    if kind == "holdings":
        return _import_holdings(engine, f)
    raise InvalidInput(f"unknown kind {kind!r}", field="kind", hint="clients | transactions | holdings")


def _text(f: CsvFile, i: int, col: str, value: str, *, max_len: int = 64) -> str:
    v = (value or "").strip()
    if not v:
        raise f.error(i, col, "is empty")
    if len(v) > max_len:
        raise f.error(i, col, f"is longer than {max_len} characters")
    return v


def _life_stage(age: int) -> str:
    return ("single" if age < 30 else "young_family" if age < 40 else "mature_family" if age < 52
            else "pre_retirement" if age < 60 else "retired")


def _import_clients(engine: Engine, f: CsvFile, day: date) -> dict[str, Any]:
    c = f.resolve(CLIENT_ALIASES, required=["id", "name", "rm_id", "risk_level", "risk_assessed_on", "birth_date",
                                            "gender", "id_number", "mobile"])
    with engine.connect() as conn:
        rms = set(conn.execute(select(Client.rm_id).distinct()).scalars())
        from datastore.schema import RM

        rms |= set(conn.execute(select(RM.id)).scalars())
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        get = lambda k, r=r: r.get(c[k], "") if k in c else ""  # noqa: E731
        rm = _text(f, i, c["rm_id"], get("rm_id"))
        if rm not in rms:
            raise f.error(i, c["rm_id"], f"unknown RM {rm!r}", hint="add the RM first (rms table)")
        risk = _RISK.get(get("risk_level").strip(), get("risk_level").strip().upper())
        if risk not in ("C1", "C2", "C3", "C4", "C5"):
            raise f.error(i, c["risk_level"], f"{get('risk_level')!r} is not a risk level", hint="C1–C5 or 保守型…进取型")
        birth = parse_date(f, i, c["birth_date"], get("birth_date"))
        age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        idn = _text(f, i, c["id_number"], get("id_number")).upper()
        if not is_valid_id_number(idn):
            raise f.error(i, c["id_number"], "not a valid 18-character ID number (GB 11643 check digit)")
        if idn[6:14] != f"{birth:%Y%m%d}":
            raise f.error(i, c["id_number"], "birth date in the ID number differs from the birth_date column")
        gender = _GENDER.get(get("gender").strip().upper() or "?", _GENDER.get(get("gender").strip()))
        if gender is None:
            raise f.error(i, c["gender"], f"{get('gender')!r} is not a gender", hint="M/F or 男/女")
        mobile = get("mobile").strip().removeprefix("+86")
        if not (len(mobile) == 11 and mobile.isdigit() and mobile[0] == "1" and mobile[1] in "3456789"):
            raise f.error(i, c["mobile"], f"{get('mobile')!r} is not a mainland mobile number")
        income = parse_number(f, i, c["annual_income"], get("annual_income"), minimum=0) if "annual_income" in c else 0.0
        expense = parse_number(f, i, c["monthly_expense"], get("monthly_expense"), minimum=0) \
            if "monthly_expense" in c else 0.0
        rows.append({"id": _text(f, i, c["id"], get("id"), max_len=8), "name": _text(f, i, c["name"], get("name"), max_len=32),
                     "rm_id": rm, "risk_level": risk,
                     "risk_assessed_on": parse_date(f, i, c["risk_assessed_on"], get("risk_assessed_on")),
                     "birth_date": birth, "age": age, "gender": gender,
                     "occupation": get("occupation").strip() or "未知",
                     "life_stage": get("life_stage").strip() or _life_stage(age),
                     "segment": get("segment").strip() or "mass", "annual_income": income,
                     "monthly_expense": expense, "id_number": idn, "mobile": mobile})
    df = pd.DataFrame(rows)
    if df.empty:
        return {"kind": "clients", "file": str(f.path), "inserted": 0, "updated": 0, "skipped": 0, "clients": 0}
    dup = df["id"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise f.error(i, c["id"], f"client {df['id'].iloc[i]!r} appears twice in the file")
    with engine.begin() as conn:
        existing = set(conn.execute(select(Client.id).where(Client.id.in_(df["id"].tolist()))).scalars())
        new = df[~df["id"].isin(existing)]
        insert_frame(conn, "clients", new)
        for rec in df[df["id"].isin(existing)].to_dict("records"):
            conn.execute(update(Client).where(Client.id == rec["id"]).values(**{k: v for k, v in rec.items() if k != "id"}))
    return {"kind": "clients", "file": str(f.path), "inserted": len(new), "updated": len(df) - len(new),
            "skipped": 0, "clients": len(df)}


def _import_transactions(engine: Engine, f: CsvFile, day: date) -> dict[str, Any]:
    c = f.resolve(TXN_ALIASES, required=["client_id", "product_code", "date", "type", "amount"])
    with engine.connect() as conn:
        clients = set(conn.execute(select(Client.id)).scalars())
        products = set(conn.execute(select(Product.code)).scalars())
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        cid = r[c["client_id"]].strip()
        if cid not in clients:
            raise f.error(i, c["client_id"], f"unknown client {cid!r}", hint="import the clients file first")
        code = r[c["product_code"]].strip()
        if code not in products:
            raise f.error(i, c["product_code"], f"unknown product {code!r}", hint="the product must be in the products table")
        typ = _TYPES.get(r[c["type"]].strip().lower(), _TYPES.get(r[c["type"]].strip()))
        if typ is None:
            raise f.error(i, c["type"], f"{r[c['type']]!r} is not a transaction type", hint="申购/赎回/分红/费用 or buy/sell/dividend/fee")
        amount = parse_number(f, i, c["amount"], r[c["amount"]], minimum=0)
        shares = parse_number(f, i, c["shares"], r[c["shares"]], minimum=0, allow_empty=True) if "shares" in c else None
        if typ in ("buy", "sell") and not shares:
            raise f.error(i, c.get("shares", "shares"), f"a {typ} needs a positive number of shares")
        price = parse_number(f, i, c["price"], r[c["price"]], strictly_positive=True, allow_empty=True) \
            if "price" in c else None
        fee = parse_number(f, i, c["fee"], r[c["fee"]], minimum=0, allow_empty=True) if "fee" in c else None
        d = parse_date(f, i, c["date"], r[c["date"]])
        if d > day:
            raise f.error(i, c["date"], f"{d} is after the data as-of date {day}")
        rows.append({"client_id": cid, "product_code": code, "date": d, "type": typ, "amount": amount,
                     "shares": shares or 0.0, "price": price, "fee": fee or 0.0})
    df = pd.DataFrame(rows, columns=["client_id", "product_code", "date", "type", "amount", "shares", "price", "fee"])
    if df.empty:
        return {"kind": "transactions", "file": str(f.path), "inserted": 0, "updated": 0, "skipped": 0, "clients": 0}
    ids = sorted(df["client_id"].unique())
    key = ["client_id", "product_code", "date", "type", "amount", "shares"]
    with engine.begin() as conn:
        old = pd.DataFrame(conn.execute(select(*[getattr(Transaction, k) for k in key])
                                        .where(Transaction.client_id.in_(ids))).all(), columns=key)
        seen = set(map(tuple, old.round({"amount": 2, "shares": 2}).to_numpy().tolist()))
        fresh = df[[tuple(x) not in seen for x in df[key].round({"amount": 2, "shares": 2}).to_numpy().tolist()]]
        insert_frame(conn, "transactions", fresh)
        _rederive_positions(conn, ids, day)
    return {"kind": "transactions", "file": str(f.path), "inserted": len(fresh), "updated": 0,
            "skipped": len(df) - len(fresh), "clients": len(ids)}


def _rederive_positions(conn: Connection, client_ids: list[str], day: date) -> None:
    cols = ["client_id", "product_code", "date", "type", "amount", "shares"]
    tx = pd.DataFrame(conn.execute(select(*[getattr(Transaction, k) for k in cols])
                                   .where(Transaction.client_id.in_(client_ids))).all(), columns=cols)
    codes = sorted(tx["product_code"].unique())
    splits = pd.DataFrame(conn.execute(select(FundNav.fund_code, FundNav.date, FundNav.split_ratio)
                                       .where(FundNav.fund_code.in_(codes), FundNav.split_ratio.isnot(None))).all(),
                          columns=["product_code", "date", "split_ratio"])
    conn.execute(delete(Position).where(Position.client_id.in_(client_ids)))
    insert_frame(conn, "positions", derive_positions(tx, splits, day))


def _import_holdings(engine: Engine, f: CsvFile) -> dict[str, Any]:
    c = f.resolve(HOLDING_ALIASES, required=["client_id", "product_code", "shares", "cost", "as_of"])
    with engine.connect() as conn:
        clients = set(conn.execute(select(Client.id)).scalars())
        products = set(conn.execute(select(Product.code)).scalars())
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        cid, code = r[c["client_id"]].strip(), r[c["product_code"]].strip()
        if cid not in clients:
            raise f.error(i, c["client_id"], f"unknown client {cid!r}", hint="import the clients file first")
        if code not in products:
            raise f.error(i, c["product_code"], f"unknown product {code!r}")
        as_of = parse_date(f, i, c["as_of"], r[c["as_of"]])
        first = parse_date(f, i, c["first_buy"], r[c["first_buy"]]) if "first_buy" in c and r[c["first_buy"]].strip() \
            else as_of
        rows.append({"client_id": cid, "product_code": code,
                     "shares": parse_number(f, i, c["shares"], r[c["shares"]], strictly_positive=True),
                     "cost": parse_number(f, i, c["cost"], r[c["cost"]], minimum=0), "first_buy": first, "as_of": as_of})
    df = pd.DataFrame(rows)
    if df.empty:
        return {"kind": "holdings", "file": str(f.path), "inserted": 0, "updated": 0, "skipped": 0, "clients": 0}
    dup = df.duplicated(["client_id", "product_code"])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise f.error(i, c["product_code"], "the same client/product appears twice in the file")
    with engine.begin() as conn:
        for cid, codes in df.groupby("client_id")["product_code"]:
            conn.execute(delete(Position).where(Position.client_id == cid, Position.product_code.in_(list(codes))))
        insert_frame(conn, "positions", df)
    return {"kind": "holdings", "file": str(f.path), "inserted": len(df), "updated": 0, "skipped": 0,
            "clients": int(df["client_id"].nunique())}

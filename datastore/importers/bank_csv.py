"""Generic bank CSV importer: clients, transactions, holdings snapshots (mapping in docs/importers.md).

Each file is validated row by row first, then by the shared data-quality gates
(``datastore.importers.quality``: no dates after the data as-of date, no birth dates or risk assessments
in the future, no negative or absurd units/amounts, no duplicate rows within the file, no sell of more
units than held); the first problem raises ``InvalidInput`` naming file, line, column and the fix, and
nothing is written. A valid file is written in one database transaction. Importing transactions
re-derives ``positions`` of the clients concerned; identical rows already in the database are skipped,
so re-importing a file changes nothing. A clients file never moves a client to another RM unless
``allow_reassign=True`` (CLI ``--allow-reassign``).
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
from datastore.importers.quality import Gate, resolve_as_of
from datastore.repositories.meta import clear_cache
from datastore.sample.loader import insert_frame
from datastore.sample.positions import derive_positions
from datastore.schema import Client, FundNav, Position, Product, Transaction

Kind = Literal["clients", "transactions", "holdings", "products"]

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


def import_bank_csv(engine: Engine, path: str | Path, kind: Kind, *, as_of: date | None = None,
                    allow_reassign: bool = False) -> dict[str, Any]:
    """Import one CSV of ``kind``. ``as_of`` (default: the data set's ``meta['as_of']``) dates derived
    positions and the clients' ages and bounds every date in the file. Returns ``{"kind", "file",
    "inserted", "updated", "skipped", "clients"}`` (+ ``"reassigned"`` for clients)."""
    if kind not in ("clients", "transactions", "holdings", "products"):
        raise InvalidInput(f"unknown kind {kind!r}", field="kind", hint="clients | transactions | holdings | products")
    create_schema(engine)
    day = resolve_as_of(engine, as_of)  # never the wall clock: ages and positions must be reproducible
    f = CsvFile(path)
    gate = Gate(f.path, day)
    if kind == "clients":
        result = _import_clients(engine, f, gate, allow_reassign)
    elif kind == "transactions":
        result = _import_transactions(engine, f, gate)
    elif kind == "products":
        from datastore.importers.bank_products import import_products

        result = import_products(engine, f, gate)
    else:
        result = _import_holdings(engine, f, gate)
    clear_cache()  # caches keyed by the data version (book scan, shelf, prices) must not serve the old rows
    return result


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


def _import_clients(engine: Engine, f: CsvFile, gate: Gate, allow_reassign: bool) -> dict[str, Any]:
    day = gate.as_of
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
        birth = gate.birth_date(f.line(i), c["birth_date"], parse_date(f, i, c["birth_date"], get("birth_date")))
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
        income = gate.amount(f.line(i), c["annual_income"], parse_number(
            f, i, c["annual_income"], get("annual_income"), minimum=0)) if "annual_income" in c else 0.0
        expense = gate.amount(f.line(i), c["monthly_expense"], parse_number(
            f, i, c["monthly_expense"], get("monthly_expense"), minimum=0)) if "monthly_expense" in c else 0.0
        assessed = gate.assessment_date(f.line(i), c["risk_assessed_on"],
                                        parse_date(f, i, c["risk_assessed_on"], get("risk_assessed_on")))
        rows.append({"id": _text(f, i, c["id"], get("id"), max_len=8), "name": _text(f, i, c["name"], get("name"), max_len=32),
                     "rm_id": rm, "risk_level": risk,
                     "risk_assessed_on": assessed, "_line": f.line(i),
                     "birth_date": birth, "age": age, "gender": gender,
                     "occupation": get("occupation").strip() or "未知",
                     "life_stage": get("life_stage").strip() or _life_stage(age),
                     "segment": get("segment").strip() or "mass", "annual_income": income,
                     "monthly_expense": expense, "id_number": idn, "mobile": mobile})
    df = pd.DataFrame(rows)
    if df.empty:
        return {"kind": "clients", "file": str(f.path), "inserted": 0, "updated": 0, "skipped": 0, "clients": 0}
    gate.unique(df, ["id"], c["id"], "client")
    with engine.connect() as conn:
        owner = dict(conn.execute(select(Client.id, Client.rm_id).where(Client.id.in_(df["id"].tolist()))).all())
    moved = df[df["id"].map(owner).notna() & (df["id"].map(owner) != df["rm_id"])]
    if len(moved) and not allow_reassign:  # a client's RM decides who may see the client: never implicit
        r = moved.iloc[0]
        raise gate.error(int(r["_line"]), c["rm_id"],
                         f"client {r['id']!r} belongs to {owner[r['id']]!r}; the file assigns {r['rm_id']!r}",
                         "moving clients to another RM needs --allow-reassign (or fix the RM column)")
    df = df.drop(columns="_line")
    with engine.begin() as conn:
        new = df[~df["id"].isin(set(owner))]
        insert_frame(conn, "clients", new)
        for rec in df[df["id"].isin(set(owner))].to_dict("records"):
            conn.execute(update(Client).where(Client.id == rec["id"]).values(**{k: v for k, v in rec.items() if k != "id"}))
    return {"kind": "clients", "file": str(f.path), "inserted": len(new), "updated": len(df) - len(new),
            "skipped": 0, "clients": len(df), "reassigned": sorted(moved["id"])}


def _import_transactions(engine: Engine, f: CsvFile, gate: Gate) -> dict[str, Any]:
    day = gate.as_of
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
        ln = f.line(i)
        amount = gate.amount(ln, c["amount"], parse_number(f, i, c["amount"], r[c["amount"]], minimum=0))
        shares = parse_number(f, i, c["shares"], r[c["shares"]], minimum=0, allow_empty=True) if "shares" in c else None
        if shares is not None:
            gate.units(ln, c["shares"], shares)
        if typ in ("buy", "sell") and not shares:
            raise f.error(i, c.get("shares", "shares"), f"a {typ} needs a positive number of shares")
        price = parse_number(f, i, c["price"], r[c["price"]], strictly_positive=True, allow_empty=True) \
            if "price" in c else None
        if price is not None:
            gate.price(ln, c["price"], price)
        fee = parse_number(f, i, c["fee"], r[c["fee"]], minimum=0, allow_empty=True) if "fee" in c else None
        if fee is not None:
            gate.amount(ln, c["fee"], fee)
        d = gate.date(ln, c["date"], parse_date(f, i, c["date"], r[c["date"]]))
        rows.append({"client_id": cid, "product_code": code, "date": d, "type": typ, "amount": amount,
                     "shares": shares or 0.0, "price": price, "fee": fee or 0.0, "_line": ln})
    df = pd.DataFrame(rows, columns=["client_id", "product_code", "date", "type", "amount", "shares", "price", "fee",
                                     "_line"])
    if df.empty:
        return {"kind": "transactions", "file": str(f.path), "inserted": 0, "updated": 0, "skipped": 0, "clients": 0}
    ids = sorted(df["client_id"].unique())
    key = ["client_id", "product_code", "date", "type", "amount", "shares"]
    gate.unique(df, key, c["date"], "transaction")
    with engine.connect() as conn:
        stored = pd.DataFrame(conn.execute(select(*[getattr(Transaction, k) for k in key])
                                           .where(Transaction.client_id.in_(ids))).all(), columns=key)
        splits = _splits(conn, sorted(df["product_code"].unique()))
    r2 = {"amount": 2, "shares": 2}  # same rounding as the "already stored" skip below
    seen_keys = set(map(tuple, stored[key].round(r2).to_numpy().tolist()))
    fresh_rows = df[[tuple(x) not in seen_keys for x in df[key].round(r2).to_numpy().tolist()]]
    gate.sells(fresh_rows, stored, splits, c.get("shares", c["type"]))
    df = df.drop(columns="_line")
    with engine.begin() as conn:
        old = pd.DataFrame(conn.execute(select(*[getattr(Transaction, k) for k in key])
                                        .where(Transaction.client_id.in_(ids))).all(), columns=key)
        seen = set(map(tuple, old.round({"amount": 2, "shares": 2}).to_numpy().tolist()))
        fresh = df[[tuple(x) not in seen for x in df[key].round({"amount": 2, "shares": 2}).to_numpy().tolist()]]
        insert_frame(conn, "transactions", fresh)
        _rederive_positions(conn, ids, day)
    return {"kind": "transactions", "file": str(f.path), "inserted": len(fresh), "updated": 0,
            "skipped": len(df) - len(fresh), "clients": len(ids)}


def _splits(conn: Connection, codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(select(FundNav.fund_code, FundNav.date, FundNav.split_ratio)
                                     .where(FundNav.fund_code.in_(codes), FundNav.split_ratio.isnot(None))).all(),
                        columns=["product_code", "date", "split_ratio"])


def _rederive_positions(conn: Connection, client_ids: list[str], day: date) -> None:
    cols = ["client_id", "product_code", "date", "type", "amount", "shares"]
    tx = pd.DataFrame(conn.execute(select(*[getattr(Transaction, k) for k in cols])
                                   .where(Transaction.client_id.in_(client_ids))).all(), columns=cols)
    splits = _splits(conn, sorted(tx["product_code"].unique()))
    conn.execute(delete(Position).where(Position.client_id.in_(client_ids)))
    insert_frame(conn, "positions", derive_positions(tx, splits, day))


def _import_holdings(engine: Engine, f: CsvFile, gate: Gate) -> dict[str, Any]:
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
        ln = f.line(i)
        as_of = gate.date(ln, c["as_of"], parse_date(f, i, c["as_of"], r[c["as_of"]]))
        first = gate.date(ln, c["first_buy"], parse_date(f, i, c["first_buy"], r[c["first_buy"]])) \
            if "first_buy" in c and r[c["first_buy"]].strip() else as_of
        if first > as_of:
            raise f.error(i, c["first_buy"], f"first buy {first} is after the holding date {as_of}")
        rows.append({"client_id": cid, "product_code": code,
                     "shares": gate.units(ln, c["shares"], parse_number(f, i, c["shares"], r[c["shares"]],
                                                                         strictly_positive=True)),
                     "cost": gate.amount(ln, c["cost"], parse_number(f, i, c["cost"], r[c["cost"]], minimum=0)),
                     "first_buy": first, "as_of": as_of, "_line": ln})
    df = pd.DataFrame(rows)
    if df.empty:
        return {"kind": "holdings", "file": str(f.path), "inserted": 0, "updated": 0, "skipped": 0, "clients": 0}
    gate.unique(df, ["client_id", "product_code"], c["product_code"], "client/product holding")
    df = df.drop(columns="_line")
    with engine.begin() as conn:
        for cid, codes in df.groupby("client_id")["product_code"]:
            conn.execute(delete(Position).where(Position.client_id == cid, Position.product_code.in_(list(codes))))
        insert_frame(conn, "positions", df)
    return {"kind": "holdings", "file": str(f.path), "inserted": len(df), "updated": 0, "skipped": 0,
            "clients": int(df["client_id"].nunique())}

"""Bank CSV, kind ``products``: the bank's shelf (funds it distributes, 理财, deposits, insurance).

Upsert by product code. A fund product must reference a fund in ``funds`` (import the fund list first:
``wealthdesk data import-funds``). Column mapping in docs/importers.md.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, select, update

from core.vocabulary import FUND_TYPE_ASSET_CLASS, KIND_ASSET_CLASS
from datastore.importers._csv import CsvFile, parse_date, parse_number
from datastore.importers.quality import Gate
from datastore.sample.loader import insert_frame
from datastore.schema import Fund, Product

PRODUCT_ALIASES = {
    "code": ["产品代码"], "name": ["产品名称"], "kind": ["产品类型"], "fund_code": ["基金代码"],
    "asset_class": ["资产类别"], "risk_level": ["风险等级", "产品风险等级"], "issuer": ["发行机构", "管理人"],
    "liquidity_days": ["赎回到账天数"], "min_amount": ["起购金额"], "expected_yield": ["业绩比较基准"],
    "issue_date": ["成立日"], "maturity_date": ["到期日"], "status": ["状态"],
}
_KINDS = {"fund": "fund", "基金": "fund", "wmp": "wmp", "理财": "wmp", "deposit": "deposit", "存款": "deposit",
          "insurance": "insurance", "保险": "insurance"}
_CLASSES = ("cash", "fixed_income", "equity", "alternative", "protection")
_STATUS = {"on_shelf": "on_shelf", "在售": "on_shelf", "off_shelf": "off_shelf", "停售": "off_shelf"}
_LIQUIDITY = {"fund": 3, "wmp": -1, "deposit": 0, "insurance": -1}  # days to cash when the column is absent


def import_products(engine: Engine, f: CsvFile, gate: Gate) -> dict[str, Any]:
    c = f.resolve(PRODUCT_ALIASES, required=["code", "name", "kind", "risk_level"])
    with engine.connect() as conn:
        fund_types = dict(conn.execute(select(Fund.code, Fund.type)).all())
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        get = lambda k, r=r: (r.get(c[k], "") if k in c else "").strip()  # noqa: E731
        ln = f.line(i)
        code, name = get("code"), get("name")
        if not code or len(code) > 16:
            raise f.error(i, c["code"], f"{code!r} is not a product code", hint="1–16 characters")
        if not name:
            raise f.error(i, c["name"], "is empty")
        kind = _KINDS.get(get("kind").lower(), _KINDS.get(get("kind")))
        if kind is None:
            raise f.error(i, c["kind"], f"{get('kind')!r} is not a product kind", hint="基金/理财/存款/保险 or fund/wmp/deposit/insurance")
        fund_code = get("fund_code") or (code if kind == "fund" else "")
        if kind == "fund" and fund_code not in fund_types:
            raise f.error(i, c.get("fund_code", c["code"]), f"fund {fund_code!r} is not in the database",
                          hint="import the fund list first: wealthdesk data import-funds FILE --format eastmoney-list")
        risk = get("risk_level").upper()
        if risk not in ("R1", "R2", "R3", "R4", "R5"):
            raise f.error(i, c["risk_level"], f"{get('risk_level')!r} is not a product risk level", hint="R1–R5")
        cls = get("asset_class") or (FUND_TYPE_ASSET_CLASS.get(fund_types.get(fund_code, ""), "equity")
                                     if kind == "fund" else KIND_ASSET_CLASS.get(kind, "cash"))
        if cls not in _CLASSES:
            raise f.error(i, c["asset_class"], f"{cls!r} is not an asset class", hint=" | ".join(_CLASSES))
        status = _STATUS.get(get("status") or "on_shelf")
        if status is None:
            raise f.error(i, c["status"], f"{get('status')!r} is not a status", hint="在售/停售 or on_shelf/off_shelf")
        liq = parse_number(f, i, c["liquidity_days"], get("liquidity_days"), minimum=-1, allow_empty=True) \
            if "liquidity_days" in c else None
        min_amount = parse_number(f, i, c["min_amount"], get("min_amount"), minimum=0, allow_empty=True) \
            if "min_amount" in c else None
        yld = parse_number(f, i, c["expected_yield"], get("expected_yield").replace("%", ""), allow_empty=True) \
            if "expected_yield" in c else None
        if yld is not None and not -20 <= yld <= 50:
            raise f.error(i, c["expected_yield"], f"{yld:g}% a year is not a plausible yield",
                          hint="percent a year: 2.85 means 2.85%")
        issue = parse_date(f, i, c["issue_date"], get("issue_date")) if get("issue_date") else None
        maturity = parse_date(f, i, c["maturity_date"], get("maturity_date")) if get("maturity_date") else None
        if issue is not None:
            gate.date(ln, c["issue_date"], issue, what="issue date")
        if issue and maturity and maturity < issue:
            raise f.error(i, c["maturity_date"], f"maturity {maturity} is before the issue date {issue}")
        rows.append({"code": code, "name": name, "name_en": name, "kind": kind,
                     "fund_code": fund_code or None, "asset_class": cls, "risk_level": risk,
                     "issuer": get("issuer") or "未知", "liquidity_days": int(liq if liq is not None else _LIQUIDITY[kind]),
                     "min_amount": gate.amount(ln, c.get("min_amount", "min_amount"), min_amount or 0.0),
                     "expected_yield": None if yld is None else yld / 100, "issue_date": issue,
                     "maturity_date": maturity, "term_days": (maturity - issue).days if issue and maturity else None,
                     "status": status, "_line": ln})
    df = pd.DataFrame(rows)
    if df.empty:
        return {"kind": "products", "file": str(f.path), "inserted": 0, "updated": 0, "skipped": 0, "clients": 0}
    gate.unique(df, ["code"], c["code"], "product")
    df = df.drop(columns="_line")
    with engine.begin() as conn:
        existing = set(conn.execute(select(Product.code).where(Product.code.in_(df["code"].tolist()))).scalars())
        insert_frame(conn, "products", df[~df["code"].isin(existing)])
        for rec in df[df["code"].isin(existing)].to_dict("records"):
            conn.execute(update(Product).where(Product.code == rec["code"]).values(
                **{k: v for k, v in rec.items() if k != "code"}))
    return {"kind": "products", "file": str(f.path), "inserted": int((~df["code"].isin(existing)).sum()),
            "updated": len(existing), "skipped": 0, "clients": 0}

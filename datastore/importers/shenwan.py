"""Shenwan 2021 (申万) stock classification list: 交易所, 行业代码, 股票代码, 公司简称, 新版一级/二级/三级行业.

Each stock becomes (or updates) a ``securities`` row with ``industry_code`` = its level-1 industry
(``industries``: the 31 SW2021 level-1 codes 801010…801980) and a ``security_industries`` row with all
three levels and the vendor's 行业代码. Stocks that funds hold but the list lacks stay unclassified.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, bindparam, delete, select, update

from datastore.engine import create_schema
from datastore.importers._csv import CsvFile
from datastore.importers.quality import Gate
from datastore.importers.securities import stock_id
from datastore.repositories.meta import clear_cache
from datastore.sample.loader import insert_frame
from datastore.sample.names import INDUSTRIES
from datastore.schema import Industry, Security, SecurityIndustry

SW2021_L1 = {name: (code, name_en) for code, name, name_en, _ in INDUSTRIES}  # 31 level-1 industries
ALIASES = {"股票代码": ["证券代码", "code"], "公司简称": ["证券简称", "股票简称"], "新版一级行业": ["一级行业"],
           "新版二级行业": ["二级行业"], "新版三级行业": ["三级行业"], "行业代码": ["三级行业代码"], "交易所": []}


def import_sw2021(engine: Engine, path: str | Path) -> dict[str, Any]:
    """Classify the listed stocks (one transaction). Returns counts."""
    f = CsvFile(path)
    c = f.resolve(ALIASES, required=["股票代码", "公司简称", "新版一级行业"])
    gate = Gate(f.path, date.max)  # the list carries no dates
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        sid = stock_id(r[c["股票代码"]])
        if sid is None:
            raise f.error(i, c["股票代码"], f"{r[c['股票代码']]!r} is not a stock code", hint="e.g. 600373.SH")
        l1 = r[c["新版一级行业"]].strip()
        if l1 not in SW2021_L1:
            raise f.error(i, c["新版一级行业"], f"{l1!r} is not a Shenwan 2021 level-1 industry",
                          hint="one of " + "、".join(SW2021_L1))
        name = r[c["公司简称"]].strip()
        if not name:
            raise f.error(i, c["公司简称"], "is empty")
        get = lambda k, r=r: (r[c[k]].strip() or None) if k in c else None  # noqa: E731
        rows.append({"id": sid[0], "market": sid[1], "name": name[:64], "level1_code": SW2021_L1[l1][0],
                     "level1": l1, "level2": get("新版二级行业"), "level3": get("新版三级行业"),
                     "vendor_code": get("行业代码"), "_line": f.line(i)})
    df = pd.DataFrame(rows)
    if df.empty:
        raise gate.error(None, None, "no rows", "export the whole list with its header")
    gate.unique(df, ["id"], c["股票代码"], "stock")
    create_schema(engine)
    with engine.begin() as conn:
        have_ind = set(conn.execute(select(Industry.code)).scalars())
        insert_frame(conn, "industries", pd.DataFrame(
            [{"code": code, "name": n, "name_en": en} for n, (code, en) in SW2021_L1.items() if code not in have_ind]))
        stored = dict(conn.execute(select(Security.id, Security.kind)).all())
        clash = df[df["id"].map(stored).notna() & (df["id"].map(stored) != "stock")]
        if len(clash):
            r = clash.iloc[0]
            raise gate.error(int(r["_line"]), c["股票代码"], f"{r['id']} is stored as a {stored[r['id']]}, not a stock")
        new, old = df[~df["id"].isin(stored)], df[df["id"].isin(stored)]
        insert_frame(conn, "securities", new.assign(kind="stock", industry_code=new["level1_code"], bond_type=None,
                                                    rating=None)[["id", "name", "kind", "industry_code", "bond_type",
                                                                  "rating", "market"]])
        if len(old):
            conn.execute(update(Security).where(Security.id == bindparam("b_id")).values(
                name=bindparam("b_name"), industry_code=bindparam("b_ind")),
                [{"b_id": a, "b_name": b, "b_ind": d} for a, b, d in old[["id", "name", "level1_code"]].itertuples(index=False)])
        ids = df["id"].tolist()
        for j in range(0, len(ids), 500):
            conn.execute(delete(SecurityIndustry).where(SecurityIndustry.system == "sw2021",
                                                        SecurityIndustry.security_id.in_(ids[j:j + 500])))
        insert_frame(conn, "security_industries", df.rename(columns={"id": "security_id"}).assign(system="sw2021")[[
            "security_id", "system", "level1_code", "level1", "level2", "level3", "vendor_code"]])
    clear_cache()
    return {"file": str(f.path), "stocks": len(df), "inserted": len(new), "updated": len(old),
            "industries": int(df["level1_code"].nunique()),
            "markets": {k: int(v) for k, v in df["market"].value_counts().items()}}

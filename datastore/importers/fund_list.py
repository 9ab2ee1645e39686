"""Eastmoney fund master list (``fundcode_search.js``: code, 拼音简称, 基金简称, 基金类型, 拼音全称).

Funds not yet in ``funds`` are added as minimal records under the placeholder company/manager ``EXT``
(fees 0, benchmark "未知 (imported)", risk level by type); funds already stored are left as they are
(their record may carry more than the list: manager, fees, benchmark). Mapping in docs/importers.md.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from datastore.engine import create_schema
from datastore.importers.quality import Gate, located
from datastore.sample.loader import insert_frame
from datastore.schema import Fund

# eastmoney 基金类型 → funds.type (and is_etf)
EASTMONEY_TYPES: dict[str, tuple[str, bool]] = {
    "混合型": ("hybrid", False), "混合-FOF": ("fof", False), "股票-FOF": ("fof", False), "FOF": ("fof", False),
    "股票型": ("equity", False), "股票指数": ("index", False), "指数型": ("index", False),
    "ETF-场内": ("index", True), "联接基金": ("feeder", False),
    "债券型": ("bond", False), "定开债券": ("bond", False), "债券指数": ("bond", False), "理财型": ("bond", False),
    "货币型": ("money", False), "QDII": ("qdii", False), "QDII-指数": ("qdii", False), "QDII-ETF": ("qdii", True),
    "QDII-FOF": ("qdii", False), "Reits": ("hybrid", False), "REITs": ("hybrid", False),
}
# name keywords → type, in priority order (for funds known only from a holdings file)
_NAME_RULES: tuple[tuple[str, str], ...] = (
    ("联接", "feeder"), ("FOF", "fof"), ("QDII", "qdii"), ("货币", "money"), ("债", "bond"),
    ("ETF", "index"), ("指数", "index"), ("增强", "index"), ("股票", "equity"),
    ("混合", "hybrid"), ("灵活配置", "hybrid"), ("配置", "hybrid"),
)
DEFAULT_RISK = {"money": "R1", "bond": "R2", "hybrid": "R3", "fof": "R3", "equity": "R4", "index": "R4",
                "feeder": "R4", "qdii": "R4"}


def fund_type_from_name(name: str) -> str | None:
    """Fund type from a Chinese fund name (联接 → feeder, 债 → bond, 混合 → hybrid, …), None if unclear."""
    up = (name or "").upper()
    return next((t for key, t in _NAME_RULES if key in up), None)


def insert_minimal_funds(conn: Connection, funds: pd.DataFrame, *, first: date | None = None) -> None:
    """Insert ``funds`` (code, name, type[, is_etf]) as minimal records under the placeholder ``EXT``."""
    from datastore.importers.eastmoney import PLACEHOLDER_COMPANY, PLACEHOLDER_MANAGER, _ensure_placeholders

    if funds.empty:
        return
    _ensure_placeholders(conn, first or date(1998, 3, 27))  # the first Chinese securities investment fund
    insert_frame(conn, "funds", pd.DataFrame({
        "code": funds["code"], "name": funds["name"].str.slice(0, 64), "name_en": funds["name"].str.slice(0, 128),
        "type": funds["type"], "is_etf": funds["is_etf"] if "is_etf" in funds else False,
        "target_fund_code": None, "manager_id": PLACEHOLDER_MANAGER, "company_id": PLACEHOLDER_COMPANY,
        "benchmark": "未知 (imported)", "benchmark_index": None, "benchmark_equity_share": 0.0,
        "management_fee": 0.0, "custody_fee": 0.0, "subscription_fee": 0.0, "redemption_fee": 0.0,
        "risk_level": funds["type"].map(DEFAULT_RISK), "inception_date": first or date(1998, 3, 27),
        "size": 0.0, "currency": "CNY"}))


def read_eastmoney_list(path: str | Path) -> pd.DataFrame:
    """code, name, type, is_etf, vendor_type, _line — one row per fund (header optional)."""
    p = Path(path)
    if not p.is_file():
        raise located(p, None, None, "file not found", "give the path of the fund list (fundcode_search)")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="strict")
    rows = []
    for ln, rec in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not rec or not "".join(rec).strip():
            continue
        if ln == 1 and not re.search(r"\d", rec[0]):
            continue  # a header line (基金代码 / code)
        if len(rec) < 4:
            raise located(p, ln, "基金类型", f"{len(rec)} fields, expected 5 (代码, 拼音简称, 名称, 类型, 拼音全称)",
                          "export the list as fundcode_search gives it")
        code, name, vtype = rec[0].strip(), rec[2].strip(), rec[3].strip()
        if not re.fullmatch(r"\d{6}", code):
            raise located(p, ln, "基金代码", f"{code!r} is not a 6-digit fund code")
        if not name:
            raise located(p, ln, "基金简称", "is empty")
        mapped = EASTMONEY_TYPES.get(vtype)
        if mapped is None:
            raise located(p, ln, "基金类型", f"unknown fund type {vtype!r}", "known: " + ", ".join(EASTMONEY_TYPES))
        rows.append({"code": code, "name": name, "type": mapped[0], "is_etf": mapped[1], "vendor_type": vtype,
                     "_line": ln})
    if not rows:
        raise located(p, None, None, "no fund rows", "export the full list")
    return pd.DataFrame(rows)


def import_fund_list(engine: Engine, path: str | Path, *, as_of: date | None = None) -> dict[str, Any]:
    """Add the funds of an eastmoney list that are not stored yet (one transaction)."""
    create_schema(engine)
    df = read_eastmoney_list(path)
    gate = Gate(path, as_of or date.max)  # the list carries no dates
    gate.unique(df, ["code"], "基金代码", "fund")
    with engine.begin() as conn:
        known = set(conn.execute(select(Fund.code)).scalars())
        new = df[~df["code"].isin(known)]
        insert_minimal_funds(conn, new)
    from datastore.repositories.meta import clear_cache

    clear_cache()
    return {"file": str(path), "funds": len(df), "inserted": len(new), "existing": len(df) - len(new),
            "types": {k: int(v) for k, v in new["type"].value_counts().items()}}
